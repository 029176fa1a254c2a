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
export type RuleSource = ModelTrait | ModelDocumentation | ServiceDocumentation;

/** A trait of the member's shape in AWS's API model. */
export interface ModelTrait {
  /** The model states the rule as a trait. */
  readonly kind: "model";
}

/** The member's documentation in AWS's API model states the rule in prose. */
export interface ModelDocumentation {
  /** The model states the rule in prose. */
  readonly kind: "model-documentation";
  /** The sentence that states it. */
  readonly quote: string;
}

/** A page outside the API model states the rule. */
export interface ServiceDocumentation {
  /** A documentation page states the rule. */
  readonly kind: "documentation";
  /** The page. */
  readonly url: string;
  /** The sentence that states it. */
  readonly quote: string;
}

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
export type Constraint = PatternConstraint | BoundsConstraint | EnumConstraint | PolicySizeConstraint | PrefixConstraint;

/** The whole value matches a regular expression. */
export interface PatternConstraint {
  /** A pattern constraint. */
  readonly kind: "pattern";
  /** The regular expression, as the model writes it (the checker anchors it). */
  readonly pattern: string;
  /** What the pattern allows, in words, for messages. */
  readonly says: string;
  /** Where AWS states it. */
  readonly source: RuleSource;
}

/** A length in characters, a number's range, or how many entries a list or map holds. */
export interface BoundsConstraint {
  /** Which quantity is bounded. */
  readonly kind: "length" | "range" | "count";
  /** The smallest allowed. @default no lower bound */
  readonly min?: number;
  /** The largest allowed. @default no upper bound */
  readonly max?: number;
  /** Where AWS states it. */
  readonly source: RuleSource;
}

/** One of a fixed set of values. */
export interface EnumConstraint {
  /** An enum constraint. */
  readonly kind: "enum";
  /** The values allowed. */
  readonly values: readonly string[];
  /** Where AWS states it. */
  readonly source: RuleSource;
}

/** A JSON policy document's size in characters, white space not counted. */
export interface PolicySizeConstraint {
  /** A policy size quota. */
  readonly kind: "policy-size";
  /** The largest size allowed. */
  readonly max: number;
  /** The quota is on the sum of every inline policy of one role (IAM's). @default false */
  readonly perRole?: boolean;
  /** Where AWS states it. */
  readonly source: RuleSource;
}

/** The value must (or must not) start with a text. */
export interface PrefixConstraint {
  /** A prefix constraint. */
  readonly kind: "prefix";
  /** The prefix. */
  readonly text: string;
  /** The value must not start with it. @default false: it must */
  readonly forbidden?: boolean;
  /** Where AWS states it. */
  readonly source: RuleSource;
}

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

/** One constrained field of the table: the Terraform attribute, the API member it becomes, and what AWS accepts. */
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
  /** The API model member the attribute is sent as. */
  readonly api: ApiMember;
  /** What the member accepts. */
  readonly constraints: readonly Constraint[];
}

/** A stack as synthesized: its name and the parts of its Terraform JSON the checks read. */
export interface SynthesizedStack {
  /** The stack's name. */
  readonly name: string;
  /** Its cdk.tf.json. */
  readonly json: {
    /** Resources by type, then by logical id. */
    readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
    /** Provider blocks by provider (their `default_tags` reach every taggable resource). */
    readonly provider?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  };
}

/** A synthesized value AWS would refuse. */
export interface Violation {
  /** The stack it is in. */
  readonly stack: string;
  /** Terraform address, `<type>.<logical id>`. */
  readonly address: string;
  /** The attribute path. */
  readonly attribute: string;
  /** The value (as text). */
  readonly value: string;
  /** What AWS requires, in words. */
  readonly rule: string;
  /** The API model member (and where the rule is stated). */
  readonly source: string;
}
