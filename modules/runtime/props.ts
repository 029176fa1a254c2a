import type { INetwork } from "../network/props.ts";
import type { IAgentRegistry } from "../registry/props.ts";
import type { IS3FilesStorage } from "../storage/props.ts";

/** A model the agent may call, with the Regions an inference profile routes to. */
export interface ModelProps {
  /** Foundation model id, or a cross-region inference profile id (us., eu., apac., global., …). */
  readonly id: string;
  /** Regions the inference profile routes to. @default the geography's Regions (lib/service-facts.ts) */
  readonly routedRegions?: readonly string[];
}

export interface RuntimeModel {
  readonly id: string;
  /** Regions an inference profile routes to; empty for a foundation model. */
  readonly routedRegions: readonly string[];
}

/** Inbound auth. There is deliberately no way to configure none. */
export type RuntimeAuth =
  | { readonly type: "AWS_IAM" }
  | {
      readonly type: "CUSTOM_JWT";
      /** OIDC discovery URL, ending in /.well-known/openid-configuration. */
      readonly discoveryUrl: string;
      /** @default none (but allowedAudience or allowedClients is required) */
      readonly allowedAudience?: readonly string[];
      /** @default none (but allowedAudience or allowedClients is required) */
      readonly allowedClients?: readonly string[];
      /** @default none */
      readonly allowedScopes?: readonly string[];
      /**
       * Your acknowledgement that with a JWT authorizer AgentCore authorizes commands in the runtime
       * (InvokeAgentRuntimeCommand, and the interactive shell) by the bearer token, not by IAM: every holder of a
       * token this authorizer accepts can run commands in the microVMs with the execution role's credentials, and
       * the operator policy, the execution role's Deny and the shell-access audit rules do not restrict them.
       * @default false — a CUSTOM_JWT authorizer is refused until this is true
       */
      readonly tokenHoldersCanRunCommands?: boolean;
    };

export type ResolvedRuntimeAuth =
  | { readonly type: "AWS_IAM" }
  | {
      readonly type: "CUSTOM_JWT";
      readonly discoveryUrl: string;
      readonly allowedAudience: readonly string[];
      readonly allowedClients: readonly string[];
      readonly allowedScopes: readonly string[];
      readonly tokenHoldersCanRunCommands: boolean;
    };

/** Another file system the runtime mounts: another team's S3 Files or EFS access point. */
export interface RuntimeMount {
  readonly type: "s3files" | "efs";
  readonly accessPointArn: string;
  /** File system the access point belongs to (EFS access point ARNs do not name it). */
  readonly fileSystemArn: string;
  /** A directory directly under /mnt. */
  readonly mountPath: string;
  /**
   * Security group of the file system's mount targets in the runtime's VPC. The agent security group gets an NFS
   * (TCP 2049) egress rule to it; its own inbound rules must admit TCP 2049 from the agent security group (the
   * file system's owner adds that rule).
   */
  readonly mountTargetSecurityGroupId: string;
}

export type Workload = "interactive" | "batch" | "long-running";

/** An IAM principal to grant to: its ARN, or a construct or object exposing it (an `IamRole` does). */
export type PrincipalArnOrHandle = string | { readonly arn: string };

export interface AgentRuntimeProps {
  /** The network the runtime runs in (VPC mode): its private subnets and the agent security group. */
  readonly network: INetwork;
  /** The S3 Files storage mounted at `s3FilesMountPath`, whose bucket is the cold tier under `agentPrefix`. */
  readonly storage: IS3FilesStorage;
  /** The registry the image is pulled from. */
  readonly registry: IAgentRegistry;
  /** Bedrock models the agent may call; nothing else is granted. At least one. */
  readonly models: readonly (string | ModelProps)[];

  /** Prefix of every name (runtime, role, policies) and AGENT_ENVIRONMENT. @default the stack's id */
  readonly namePrefix?: string;
  /** Name of the runtime: a letter, then up to 47 letters, digits or underscores. @default `<namePrefix with _>_agent` */
  readonly runtimeName?: string;
  /** @default "Agent runtime of environment <namePrefix>" */
  readonly description?: string;
  /**
   * Image digest (`sha256:<64 hex>`) to run. @default the stack's Terraform variable `agent_image_digest`, passed
   * at deploy time (`-var agent_image_digest=sha256:…`)
   */
  readonly imageDigest?: string;
  /** @default "HTTP" */
  readonly protocol?: "HTTP" | "MCP" | "A2A";
  /** @default { type: "AWS_IAM" } (SigV4) */
  readonly auth?: RuntimeAuth;
  /** Lifecycle preset (WORKLOAD_LIFECYCLE). @default "interactive" */
  readonly workload?: Workload;
  /** Seconds an idle session lives, 60 to 28800. @default the workload's preset (900 for interactive) */
  readonly idleTimeoutSeconds?: number;
  /** Seconds a session lives at most, 60 to 28800. @default the workload's preset (28800 for interactive) */
  readonly maxLifetimeSeconds?: number;
  /** Session storage (hot tier, 1 GB per session) mount path. @default "/mnt/workspace" */
  readonly sessionStorageMountPath?: string;
  /** Where the storage's access point is mounted (warm tier). @default "/mnt/s3data" */
  readonly s3FilesMountPath?: string;
  /** More file systems to mount (at most 5 file systems in all). @default none */
  readonly additionalMounts?: readonly RuntimeMount[];
  /** Bucket prefix the agent reads and writes through the S3 API (cold tier), outside the access point's tree. @default "agent-data" */
  readonly agentPrefix?: string;
  /** Plain configuration for the agent; never secrets. @default none */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  /** Days the runtime's vended logs are kept; a CloudWatch Logs retention period. @default 30 */
  readonly logRetentionDays?: number;
  /** Name of the endpoint that follows the runtime's latest version. @default "live" */
  readonly endpointName?: string;
  /**
   * When set, a runtime resource policy lets only these IAM roles and users (and those given `grantInvoke`)
   * invoke, and denies everyone else. AWS_IAM auth only: JWT callers are no IAM principals, so the policy would
   * deny them all. @default - identity policies decide
   */
  readonly invokers?: readonly string[];
  /**
   * IAM roles, users or groups that get the operator policy (same as `grantOperate` for each). AWS_IAM auth only:
   * a runtime with a JWT authorizer refuses SigV4 requests. @default none
   */
  readonly operators?: readonly string[];
}

/** The props with every default applied (the handles aside). */
export interface RuntimeSettings {
  readonly models: readonly RuntimeModel[];
  readonly protocol: "HTTP" | "MCP" | "A2A";
  readonly auth: ResolvedRuntimeAuth;
  readonly workload: Workload;
  readonly idleTimeoutSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly sessionStorageMountPath: string;
  readonly s3FilesMountPath: string;
  readonly additionalMounts: readonly RuntimeMount[];
  readonly agentPrefix: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly endpointName: string;
  readonly imageDigest?: string;
  readonly operators: readonly string[];
  readonly invokers?: readonly string[];
}

/** What other constructs need of a runtime (the shell-access alert, for one). */
export interface IAgentRuntime {
  readonly runtimeArn: string;
  readonly runtimeId: string;
  readonly executionRoleArn: string;
  /**
   * How callers authenticate: the shell-access alert describes an IAM caller by its ARN, a bearer-token caller by
   * what CloudTrail records of it. @default "AWS_IAM"
   */
  readonly inboundAuth?: "AWS_IAM" | "CUSTOM_JWT";
}
