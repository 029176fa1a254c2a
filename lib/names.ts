/**
 * Every name this project gives an AWS resource, in one place: modules receive these names, and the
 * environment schema checks each against the service's length limit so that a long environment name
 * fails at synth, not halfway through a deploy.
 */

/** What names are built from. */
export interface NamingInput {
  /** The environment's name (or a construct's name prefix). */
  readonly name: string;
  /** The Region (bucket names carry it). */
  readonly region: string;
  /** The account id, or a Terraform token for it when the environment does not pin an account. */
  readonly accountId: string;
}

/** How one resource is named, and the longest name its service accepts. */
export interface NameRule {
  /** What the name is of, in messages ("S3 bucket"). */
  readonly resource: string;
  /** The service's limit on the name's length. */
  readonly maxLength: number;
  /** The name, from the environment's name, Region and account. */
  readonly build: (env: NamingInput) => string;
}

/** Every name an environment gives an AWS resource. */
export interface ResourceNames {
  /** The S3 Files bucket: `<name>-files-<account>-<region>`. */
  readonly bucket: string;
  /** The role S3 Files assumes: `<name>-s3files-service`. */
  readonly s3FilesRole: string;
  /** The role VPC flow logs assume: `<name>-vpc-flow-logs`. */
  readonly flowLogsRole: string;
  /** The flow logs' log group: `/vpc/<name>/flow-logs`. */
  readonly flowLogGroup: string;
  /** The runtime's security group: `<name>-agent`. */
  readonly agentSecurityGroup: string;
  /** The mount targets' security group: `<name>-s3files-mount-targets`. */
  readonly mountTargetSecurityGroup: string;
  /** The interface endpoints' security group: `<name>-vpc-endpoints`. */
  readonly endpointSecurityGroup: string;
  /** The AgentCore runtime: `<name with _>_agent`. */
  readonly runtime: string;
  /** The ECR repository: `<name>-agent`. */
  readonly repository: string;
  /** The execution role: `<name>-agent-execution`. */
  readonly executionRole: string;
  /** The invoker policy: `<name>-agent-invoke`. */
  readonly invokerPolicy: string;
  /** The operator policy: `<name>-agent-operator`. */
  readonly operatorPolicy: string;
  /** The shell-access EventBridge rule: `<name>-agent-shell-access`. */
  readonly alertRule: string;
  /** The shell-access SNS topic: `<name>-agent-shell-access`. */
  readonly alertTopic: string;
  /** The alert key's alias: `alias/<name>-agent-shell-access`. */
  readonly alertKeyAlias: string;
  /** The CloudTrail trail: `<name>-agent-commands`. */
  readonly trail: string;
  /** The trail's bucket: `<name>-trail-<account>-<region>`. */
  readonly trailBucket: string;
}

/** AgentCore names allow only letters, digits and underscores (`^[a-zA-Z][a-zA-Z0-9_]{0,47}$`). */
export function agentCoreIdentifier(environmentName: string): string {
  return environmentName.replace(/-/g, "_");
}

/** How each of the ResourceNames is built, with its service's length limit. */
export const NAME_RULES = {
  bucket: { resource: "S3 bucket", maxLength: 63, build: (e) => `${e.name}-files-${e.accountId}-${e.region}` },
  s3FilesRole: { resource: "S3 Files service IAM role", maxLength: 64, build: (e) => `${e.name}-s3files-service` },
  flowLogsRole: { resource: "VPC flow logs IAM role", maxLength: 64, build: (e) => `${e.name}-vpc-flow-logs` },
  flowLogGroup: { resource: "VPC flow log group", maxLength: 512, build: (e) => `/vpc/${e.name}/flow-logs` },
  agentSecurityGroup: { resource: "agent security group", maxLength: 255, build: (e) => `${e.name}-agent` },
  mountTargetSecurityGroup: {
    resource: "mount-target security group",
    maxLength: 255,
    build: (e) => `${e.name}-s3files-mount-targets`,
  },
  endpointSecurityGroup: { resource: "VPC endpoint security group", maxLength: 255, build: (e) => `${e.name}-vpc-endpoints` },
  runtime: { resource: "AgentCore runtime", maxLength: 48, build: (e) => `${agentCoreIdentifier(e.name)}_agent` },
  repository: { resource: "ECR repository", maxLength: 256, build: (e) => `${e.name}-agent` },
  executionRole: { resource: "agent execution IAM role", maxLength: 64, build: (e) => `${e.name}-agent-execution` },
  invokerPolicy: { resource: "invoker IAM policy", maxLength: 128, build: (e) => `${e.name}-agent-invoke` },
  operatorPolicy: { resource: "operator IAM policy", maxLength: 128, build: (e) => `${e.name}-agent-operator` },
  alertRule: { resource: "shell-access EventBridge rule", maxLength: 64, build: (e) => `${e.name}-agent-shell-access` },
  alertTopic: { resource: "shell-access SNS topic", maxLength: 256, build: (e) => `${e.name}-agent-shell-access` },
  alertKeyAlias: { resource: "shell-access KMS alias", maxLength: 256, build: (e) => `alias/${e.name}-agent-shell-access` },
  trail: { resource: "CloudTrail trail", maxLength: 128, build: (e) => `${e.name}-agent-commands` },
  trailBucket: { resource: "CloudTrail S3 bucket", maxLength: 63, build: (e) => `${e.name}-trail-${e.accountId}-${e.region}` },
} satisfies Record<keyof ResourceNames, NameRule>;

/** Names are built on first use, so a stack that names nothing account-specific never asks for the account id. */
export function resourceNames(env: NamingInput): ResourceNames {
  const names = {};
  for (const [key, rule] of Object.entries(NAME_RULES)) {
    Object.defineProperty(names, key, { enumerable: true, get: () => rule.build(env) });
  }
  return names as ResourceNames;
}

/** Placeholder used to measure names when the environment does not pin an account id (ids are 12 digits). */
export const ACCOUNT_ID_PLACEHOLDER = "123456789012";
