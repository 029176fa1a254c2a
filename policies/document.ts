/**
 * IAM policy documents as plain data. Policy functions take ARNs (concrete strings in tests, Terraform
 * tokens in stacks) and return these; stacks serialize them with JSON.stringify, which keeps tokens intact.
 */

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;

export type Principal = "*" | Readonly<Partial<Record<"AWS" | "Service" | "Federated", string | readonly string[]>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

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
