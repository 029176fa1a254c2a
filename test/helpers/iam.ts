/**
 * Evaluates the policies a stack would deploy with a real IAM policy evaluator (@cloud-copilot/iam-simulate),
 * after replacing Terraform references with the concrete ARNs AWS would put there.
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";

export const ACCOUNT = "123456789012";
export const REGION = "us-west-2";
export const ARNS = {
  runtime: `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/test_agent-a1b2c3d4e5`,
  repository: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/test-agent`,
  bucket: `arn:aws:s3:::test-files-${ACCOUNT}-${REGION}`,
  fileSystem: `arn:aws:s3files:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
  accessPoint: `arn:aws:s3files:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0/access-point/fsap-0123456789abcdef0`,
  rule: `arn:aws:events:${REGION}:${ACCOUNT}:rule/test-agent-shell-access`,
  topic: `arn:aws:sns:${REGION}:${ACCOUNT}:test-agent-shell-access`,
  trailBucket: `arn:aws:s3:::test-trail-${ACCOUNT}-${REGION}`,
} as const;

/** Which Terraform reference stands for which ARN, recognised by the resource and attribute it names. */
const REFERENCES: [RegExp, string][] = [
  // Environments without an account take the deploying credentials' account at plan time.
  [/aws_caller_identity\..*\.account_id/, ACCOUNT],
  [/agent_runtime_arn/, ARNS.runtime],
  [/ecr_repository.*(arn|repository_arn)/, ARNS.repository],
  [/s3files_access_point.*arn/, ARNS.accessPoint],
  [/s3files_file_system.*arn/, ARNS.fileSystem],
  [/cloudwatch_event_rule.*arn/, ARNS.rule],
  [/sns_topic.*arn/, ARNS.topic],
  [/trail-bucket.*arn/, ARNS.trailBucket],
  [/s3_bucket.*arn/, ARNS.bucket],
];

/** Replaces every `${…}` reference in a synthesized policy with its concrete ARN; fails on one it does not know. */
export function concretePolicy(policy: unknown): { Version: string; Statement: Record<string, unknown>[] } {
  const text = String(policy).replace(/\$\{([^}]+)\}/g, (whole, reference: string) => {
    const match = REFERENCES.find(([pattern]) => pattern.test(reference));
    if (!match) throw new Error(`no concrete value for ${whole}`);
    return match[1];
  });
  return JSON.parse(text);
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly principal?: string;
  /** The resource's own policy (bucket, topic, key or runtime policy), when it has one. */
  readonly resourcePolicy?: object;
  /** Account that owns the resource. @default ACCOUNT */
  readonly resourceAccount?: string;
}

/**
 * AWS's default key policy (KMS Developer Guide, "Default key policy": "Allows access to the AWS account and
 * enables IAM policies"): with it, identity policies decide who may use a key. Without a key policy that
 * allows it, KMS refuses whatever identity policies say.
 */
export function defaultKeyPolicy(account = ACCOUNT): object {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
  };
}

/** The evaluator's input for a request by a principal holding exactly these identity policies. */
function simulation(policies: readonly object[], request: Request, resourcePolicy: object | undefined) {
  return {
    identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      principal: request.principal ?? `arn:aws:iam::${ACCOUNT}:role/principal-under-test`,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount ?? ACCOUNT },
      contextVariables: request.context ?? {},
    },
    ...(resourcePolicy !== undefined && { resourcePolicy }),
  } as never;
}

/** The decision for a request by a principal holding exactly these identity policies. */
export async function decide(policies: readonly object[], request: Request): Promise<Decision> {
  const response = await runSimulation(simulation(policies, request, request.resourcePolicy), {});
  if (response.resultType === "error") throw new Error(`simulation refused the request: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

/**
 * The same evaluator without its context-key validation, for requests whose keys it does not list: it knows
 * KMS's templated `kms:EncryptionContext:<key>` only as a pattern and drops such keys from the request, which
 * would make every encryption-context condition fail. Use only where `decide` cannot carry the key.
 */
export function decideUnvalidated(policies: readonly object[], request: Request): Decision {
  // The unvalidated entry point loads the resource policy without a name, which its analysis needs; the
  // library's ValidatedPolicy shape (iam-policy createValidatedPolicy) carries one.
  const resourcePolicy =
    request.resourcePolicy !== undefined ? { __validated: true, policyDocument: request.resourcePolicy, metadata: { name: "resource-policy" }, errors: [] } : undefined;
  return runUnsafeSimulation(simulation(policies, request, resourcePolicy), {}) as Decision;
}
