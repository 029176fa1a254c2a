/**
 * The shape of the AWS API constraints table: one row per constrained field, naming the AWS API model member
 * the Terraform attribute becomes and what that member accepts.
 */

/**
 * Where AWS states a rule.
 * - `model`: a trait of the member's shape in AWS's API model (`pattern`, `min`, `max`, `enum`), the same
 *   models the SDKs are generated from (botocore `service-2.json`, published from aws/api-models-aws).
 * - `model-documentation`: the member's documentation in that model states it in prose (EC2 writes most of its
 *   constraints only this way); `quote` is the sentence, so a reviewer can find it.
 * - `documentation`: a rule outside the API model (a quota, a naming rule), with the page that states it.
 */
export type RuleSource =
  | { readonly kind: "model" }
  | { readonly kind: "model-documentation"; readonly quote: string }
  | { readonly kind: "documentation"; readonly url: string; readonly quote: string };

/**
 * What a value must satisfy.
 * - `pattern`: a regular expression the whole value must match. AWS validates model patterns against the whole
 *   value (its error reads "Member must satisfy regular expression pattern: …"), so the checker anchors them.
 * - `length`: characters, `min`..`max`.
 * - `enum`: one of `values`.
 * - `range`: a number from `min` to `max`.
 * - `count`: how many entries a list or map may hold.
 * - `policy-size`: characters of a JSON policy document, whitespace not counted; `perRole` sums every inline
 *   policy of one role (IAM's quota is on the role's total).
 * - `prefix`: the value must (or must not) start with `text`.
 */
export type Constraint =
  | { readonly kind: "pattern"; readonly pattern: string; readonly says: string; readonly source: RuleSource }
  | { readonly kind: "length"; readonly min?: number; readonly max?: number; readonly source: RuleSource }
  | { readonly kind: "enum"; readonly values: readonly string[]; readonly source: RuleSource }
  | { readonly kind: "range"; readonly min?: number; readonly max?: number; readonly source: RuleSource }
  | { readonly kind: "count"; readonly min?: number; readonly max?: number; readonly source: RuleSource }
  | { readonly kind: "policy-size"; readonly max: number; readonly perRole?: boolean; readonly source: RuleSource }
  | { readonly kind: "prefix"; readonly text: string; readonly forbidden?: boolean; readonly source: RuleSource };

/** The AWS API model member a Terraform attribute is sent as. */
export interface ApiMember {
  /** File in AWS's API models (botocore `botocore/data/<service>/<version>/service-2.json`), e.g. "ec2". */
  readonly service: string;
  /** Structure shape, e.g. "IpRange". */
  readonly shape: string;
  /** Member of that structure, e.g. "Description". */
  readonly member: string;
  /** For a list or map member: the constraint is on its elements, keys or values. */
  readonly element?: "member" | "key" | "value";
}

export interface ConstraintRow {
  /** Terraform resource type, e.g. "aws_vpc_security_group_egress_rule". */
  readonly resource: string;
  /**
   * Attribute path in the synthesized Terraform JSON (snake_case; nested blocks are arrays and are walked
   * through). A suffix selects inside a value: `[]` each element of a list, `{keys}` / `{values}` the keys or
   * values of a map, `{count}` the number of entries.
   */
  readonly attribute: string;
  /** Applies only when this attribute is set (e.g. which kind of source a security-group rule names). */
  readonly when?: string;
  readonly api: ApiMember;
  readonly constraints: readonly Constraint[];
}

export interface SynthesizedStack {
  readonly name: string;
  readonly json: {
    readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
    readonly provider?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  };
}

export interface Violation {
  readonly stack: string;
  /** Terraform address, `<type>.<logical id>`. */
  readonly address: string;
  readonly attribute: string;
  readonly value: string;
  /** What AWS requires, in words. */
  readonly rule: string;
  /** The API model member (and where the rule is stated). */
  readonly source: string;
}
