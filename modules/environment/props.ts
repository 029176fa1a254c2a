import type { CreatedNetwork, ImportedNetwork, NetworkProps } from "../network/props.ts";
import type { AgentRuntimeProps, RuntimeSettings } from "../runtime/props.ts";
import type { CloudTrailSource } from "../security/props.ts";
import type { S3FilesStorageProps, StorageSettings } from "../storage/props.ts";

/** What an environment is for: the audit's rule levels and environment files' defaults depend on it. */
export type Stage = "development" | "production";
/** Every Stage. */
export const STAGES: readonly Stage[] = ["development", "production"];

/** Where every stack of the environment keeps its Terraform state. */
export type StateBackendProps = LocalStateBackend | S3StateBackendProps;

/** State in a local file per stack, `terraform.<stack>.tfstate` in the project directory. */
export interface LocalStateBackend {
  /** Terraform's local backend. */
  readonly backend: "local";
}

/** State in an S3 bucket, one object per stack, locked with S3's native lock file (`use_lockfile`). */
export interface S3StateBackendProps {
  /** Terraform's S3 backend. */
  readonly backend: "s3";
  /** Existing bucket that holds Terraform state (versioned, encrypted). */
  readonly bucket: string;
  /** Each stack's state is `<keyPrefix>/<stack>.tfstate`. @default "agentcore-s3files/<name>" */
  readonly keyPrefix?: string;
  /** Region of the state bucket. @default the environment's region */
  readonly region?: string;
  /** Role to assume for state access. @default the caller's credentials */
  readonly roleArn?: string;
}

/** StateBackendProps with its defaults applied. */
export type StateBackend = LocalStateBackend | S3StateBackend;

/** S3StateBackendProps with its defaults applied. */
export interface S3StateBackend {
  /** Terraform's S3 backend. */
  readonly backend: "s3";
  /** The bucket that holds the state. */
  readonly bucket: string;
  /** The key prefix of each stack's state object. */
  readonly keyPrefix: string;
  /** The bucket's Region. */
  readonly region: string;
  /** The role assumed for state access, if any. */
  readonly roleArn?: string;
}

/** A production-readiness rule the audit does not fail on, with the reason a reviewer reads. */
export interface AuditSuppression {
  /** The rule's id (RULE_IDS of `agentcore-s3files-infra/audit`). */
  readonly rule: string;
  /** At least a sentence (20 characters). */
  readonly reason: string;
}

/** The agent section: AgentRuntime props, plus the registry's and the alert's. */
export interface EnvironmentAgentProps extends Omit<AgentRuntimeProps, "network" | "storage" | "registry" | "namePrefix" | "runtimeName" | "description" | "endpointName"> {
  /** Images the registry keeps (AgentRegistry keepImages). @default 30 */
  readonly keepImages?: number;
  /** The shell-access alert (ShellAccessAlert emails and cloudTrail). @default no recipients, a trail created */
  readonly alerts?: EnvironmentAlertProps;
}

/** The alerts section: ShellAccessAlert's props. */
export interface EnvironmentAlertProps {
  /** Addresses told when someone runs a command in the runtime. @default none */
  readonly emails?: readonly string[];
  /** Where the command events come from. @default "create" */
  readonly cloudTrail?: CloudTrailSource;
}

/**
 * One environment: four stacks (`<name>-network`, `-storage`, `-registry`, `-agent`), wired together. The
 * `network`, `storage` and `agent` sections are the props of Network, S3FilesStorage and AgentRuntime (plus the
 * registry's and the alert's), with the environment's name as every name prefix.
 */
export interface AgentEnvironmentProps {
  /** AWS Region of every stack; one where AgentCore Runtime is offered. */
  readonly region: string;
  /** 12-digit account id. When set, the provider refuses credentials of any other account. @default the deploying credentials' account */
  readonly account?: string;
  /** Role the AWS provider assumes (multi-account deploys). @default the caller's credentials */
  readonly deployRoleArn?: string;
  /** Where the four stacks keep their Terraform state. @default { backend: "local" } */
  readonly state?: StateBackendProps;
  /** Tags on every resource (through the provider's default_tags), beside the project's own. @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * What the environment is for; a label only (the audit's rule levels and the scripts read it). It changes no
   * default: stage defaults belong to environment files. @default "production"
   */
  readonly stage?: Stage;
  /** Audit rules not to fail on, each with its reason. @default none */
  readonly auditSuppressions?: readonly AuditSuppression[];
  /** The network section: Network's props (a VPC to create, or an existing one). */
  readonly network: Omit<NetworkProps, "namePrefix">;
  /** The storage section: S3FilesStorage's props. @default S3FilesStorage's defaults */
  readonly storage?: Omit<S3FilesStorageProps, "network" | "namePrefix" | "bucketName">;
  /** The agent section: AgentRuntime's props, with the registry's and the alert's. */
  readonly agent: EnvironmentAgentProps;
}

/** The agent section with every default applied. */
export interface AgentSettings extends RuntimeSettings {
  /** Images the registry keeps. */
  readonly keepImages: number;
  /** Addresses told when someone runs a command in the runtime. */
  readonly alertEmails: readonly string[];
  /** Where the command events come from. */
  readonly cloudTrail: CloudTrailSource;
}

/** An environment with every default applied: what the stacks are built from and what the scripts read. */
export interface Environment {
  /** The environment's name: every stack and resource name starts with it. */
  readonly name: string;
  /** What it is for. */
  readonly stage: Stage;
  /** The pinned account, if any. */
  readonly account?: string;
  /** The Region of every stack. */
  readonly region: string;
  /** The Region's partition ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** The role the provider assumes, if any. */
  readonly deployRoleArn?: string;
  /** Where the stacks keep their state. */
  readonly state: StateBackend;
  /** The network, resolved. */
  readonly network: CreatedNetwork | ImportedNetwork;
  /** The storage, resolved. */
  readonly storage: StorageSettings;
  /** The agent, resolved. */
  readonly agent: AgentSettings;
  /** Audit rules suppressed for this environment, each with its reason. */
  readonly auditSuppressions: readonly AuditSuppression[];
  /** Every tag the provider applies: the project's own plus the environment's. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The tag teardown's final sweep looks for; reserved so no environment can override it. */
export const ENVIRONMENT_TAG_KEY = "agentcore-s3files:environment";

/** The props that build this environment again (the inverse of validateAgentEnvironmentProps's resolution). */
export function environmentProps(env: Environment): AgentEnvironmentProps {
  const tags = omit(env.tags, ENVIRONMENT_TAG_KEY);
  const network = env.network;
  const agent = env.agent;
  return {
    region: env.region,
    ...(env.account !== undefined && { account: env.account }),
    ...(env.deployRoleArn !== undefined && { deployRoleArn: env.deployRoleArn }),
    state: env.state,
    tags,
    stage: env.stage,
    auditSuppressions: env.auditSuppressions,
    network:
      network.mode === "create"
        ? { cidr: network.cidr, availabilityZoneIds: network.availabilityZoneIds, egress: network.egress, interfaceEndpoints: network.interfaceEndpoints, flowLogs: network.flowLogs }
        : {
            vpcId: network.vpcId,
            privateSubnets: network.privateSubnets,
            interfaceEndpoints: network.interfaceEndpoints,
            interfaceEndpointsServeWholeVpc: network.interfaceEndpointsServeWholeVpc,
            s3GatewayRouteTableIds: network.s3GatewayRouteTableIds,
          },
    storage: env.storage,
    agent: {
      models: agent.models.map((m) => (m.routedRegions.length === 0 ? m.id : { id: m.id, routedRegions: m.routedRegions })),
      protocol: agent.protocol,
      auth: agent.auth,
      workload: agent.workload,
      idleTimeoutSeconds: agent.idleTimeoutSeconds,
      maxLifetimeSeconds: agent.maxLifetimeSeconds,
      sessionStorageMountPath: agent.sessionStorageMountPath,
      s3FilesMountPath: agent.s3FilesMountPath,
      additionalMounts: agent.additionalMounts,
      agentPrefix: agent.agentPrefix,
      environmentVariables: agent.environmentVariables,
      logRetentionDays: agent.logRetentionDays,
      ...(agent.imageDigest !== undefined && { imageDigest: agent.imageDigest }),
      operators: agent.operators,
      ...(agent.invokers !== undefined && { invokers: agent.invokers }),
      keepImages: agent.keepImages,
      alerts: { emails: agent.alertEmails, cloudTrail: agent.cloudTrail },
    },
  };
}

/** The object without these keys. */
export function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}
