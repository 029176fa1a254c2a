/**
 * IAM policy documents as plain data. Policy functions take ARNs (concrete strings in tests, Terraform
 * tokens in stacks) and return these; stacks serialize them with JSON.stringify, which keeps tokens intact.
 */

/** A statement's Condition: operator → condition key → value(s). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;

/** Who a resource policy or trust policy statement applies to: everyone, or AWS principals, services or federated users. */
export type Principal = "*" | Readonly<Partial<Record<"AWS" | "Service" | "Federated", string | readonly string[]>>>;

/** One statement of an IAM policy, in IAM's own JSON words (IAM User Guide, "IAM JSON policy elements reference"). */
export interface PolicyStatement {
  /** The statement's id: letters and digits only. */
  readonly Sid?: string;
  /** Whether the statement allows or denies. */
  readonly Effect: "Allow" | "Deny";
  /** Who it applies to (resource and trust policies only; identity policies have none). */
  readonly Principal?: Principal;
  /** The actions, `service:Action`, wildcards allowed. */
  readonly Action: string | readonly string[];
  /** The resources' ARNs (or "*"). */
  readonly Resource?: string | readonly string[];
  /** When it applies. */
  readonly Condition?: ConditionBlock;
}

/** An IAM policy document. */
export interface PolicyDocument {
  /** The policy language version; always "2012-10-17". */
  readonly Version: "2012-10-17";
  /** Its statements. */
  readonly Statement: readonly PolicyStatement[];
}

/** A policy document of these statements. */
export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy for a service principal, with the confused-deputy conditions AWS recommends. */
export function serviceTrustPolicy(props: {
  readonly service: string;
  readonly accountId: string;
  readonly sourceArnPattern: string;
}): PolicyDocument {
  return policyDocument({
    Sid: "TrustServiceForThisAccountOnly",
    Effect: "Allow",
    Principal: { Service: props.service },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": props.accountId },
      ArnLike: { "aws:SourceArn": props.sourceArnPattern },
    },
  });
}

/** Deny the given actions on the given resources to anyone not using TLS. */
export function denyInsecureTransport(action: string, resource: string | readonly string[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: action,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
}
