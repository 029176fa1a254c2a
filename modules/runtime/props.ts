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

/** A model the execution role may invoke, as the runtime resolved it. */
export interface RuntimeModel {
  /** Foundation model id or inference profile id. */
  readonly id: string;
  /** Regions an inference profile routes to; empty for a foundation model. */
  readonly routedRegions: readonly string[];
}

/** Inbound auth. There is deliberately no way to configure none. */
export type RuntimeAuth = IamAuth | JwtAuthProps;

/** Callers sign their requests with SigV4; IAM policies (and `invokers`) decide who may invoke. */
export interface IamAuth {
  /** SigV4, judged by IAM. */
  readonly type: "AWS_IAM";
}

/** Callers present a JSON Web Token from an OIDC identity provider, which AgentCore validates. */
export interface JwtAuthProps {
  /** A bearer token checked against the provider's discovery document. */
  readonly type: "CUSTOM_JWT";
  /** OIDC discovery URL, ending in /.well-known/openid-configuration. */
  readonly discoveryUrl: string;
  /** Audiences a token may carry (`aud`). @default none (but allowedAudience or allowedClients is required) */
  readonly allowedAudience?: readonly string[];
  /** Client ids a token may carry (`client_id`). @default none (but allowedAudience or allowedClients is required) */
  readonly allowedClients?: readonly string[];
  /** Scopes a token must carry. @default none */
  readonly allowedScopes?: readonly string[];
  /**
   * Your acknowledgement that with a JWT authorizer AgentCore authorizes commands in the runtime
   * (InvokeAgentRuntimeCommand, and the interactive shell) by the bearer token, not by IAM: every holder of a
   * token this authorizer accepts can run commands in the microVMs with the execution role's credentials, and
   * the operator policy, the execution role's Deny and the shell-access audit rules do not restrict them.
   * @default false — a CUSTOM_JWT authorizer is refused until this is true
   */
  readonly tokenHoldersCanRunCommands?: boolean;
}

/** RuntimeAuth with its defaults applied. */
export type ResolvedRuntimeAuth = IamAuth | JwtAuth;

/** JwtAuthProps with its defaults applied. */
export interface JwtAuth {
  /** A bearer token checked against the provider's discovery document. */
  readonly type: "CUSTOM_JWT";
  /** OIDC discovery URL. */
  readonly discoveryUrl: string;
  /** Audiences a token may carry. */
  readonly allowedAudience: readonly string[];
  /** Client ids a token may carry. */
  readonly allowedClients: readonly string[];
  /** Scopes a token must carry. */
  readonly allowedScopes: readonly string[];
  /** Whether token holders' commands were acknowledged (tokenHoldersCanRunCommands). */
  readonly tokenHoldersCanRunCommands: boolean;
}

/** Another file system the runtime mounts: another team's S3 Files or EFS access point. */
export interface RuntimeMount {
  /** Which service the access point belongs to. */
  readonly type: "s3files" | "efs";
  /** The access point to mount (of the runtime's partition and Region). */
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

/**
 * A lifecycle preset (WORKLOAD_LIFECYCLE): `interactive` (chat: 15 min idle, 8 h at most), `batch` (jobs: 5 min
 * idle, 1 h at most), `long-running` (1 h idle, 8 h at most).
 */
export type Workload = "interactive" | "batch" | "long-running";

/** An IAM principal to grant to: its ARN, or a construct or object exposing it (an `IamRole` does). */
export type PrincipalArnOrHandle = string | PrincipalHandle;

/** Anything with a principal's ARN: an `IamRole`, `IamUser` or `IamGroup` of your app, or a plain object. */
export interface PrincipalHandle {
  /** The role's, user's or group's ARN. */
  readonly arn: string;
}

/** Props of an AgentRuntime: the three handles and the models are required, everything else has a default. */
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
  /** The runtime's description in AgentCore. @default "Agent runtime of environment <namePrefix>" */
  readonly description?: string;
  /**
   * Image digest (`sha256:<64 hex>`) to run. @default the stack's Terraform variable `agent_image_digest`, passed
   * at deploy time (`--var=agent_image_digest=sha256:…`)
   */
  readonly imageDigest?: string;
  /** The protocol the container serves on port 8080 (HTTP), 8000 (MCP) or 9000 (A2A). @default "HTTP" */
  readonly protocol?: "HTTP" | "MCP" | "A2A";
  /** How callers authenticate. @default { type: "AWS_IAM" } (SigV4) */
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

/** The props with every default applied (the handles aside); see AgentRuntimeProps for each. */
export interface RuntimeSettings {
  /** The models the execution role may invoke, with the Regions each inference profile routes to. */
  readonly models: readonly RuntimeModel[];
  /** The protocol the container serves. */
  readonly protocol: "HTTP" | "MCP" | "A2A";
  /** How callers authenticate. */
  readonly auth: ResolvedRuntimeAuth;
  /** The lifecycle preset. */
  readonly workload: Workload;
  /** Seconds an idle session lives. */
  readonly idleTimeoutSeconds: number;
  /** Seconds a session lives at most. */
  readonly maxLifetimeSeconds: number;
  /** Session storage mount path (hot tier). */
  readonly sessionStorageMountPath: string;
  /** S3 Files mount path (warm tier). */
  readonly s3FilesMountPath: string;
  /** Further file systems mounted. */
  readonly additionalMounts: readonly RuntimeMount[];
  /** Bucket prefix of the cold tier. */
  readonly agentPrefix: string;
  /** The agent's own configuration variables (the runtime adds its 7). */
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** Days the vended logs are kept. */
  readonly logRetentionDays: number;
  /** Name of the endpoint that follows the latest version. */
  readonly endpointName: string;
  /** The pinned image digest, when there is one (else the stack variable decides at deploy). */
  readonly imageDigest?: string;
  /** Principals given the operator policy. */
  readonly operators: readonly string[];
  /** Principals the resource policy lets invoke, when set. */
  readonly invokers?: readonly string[];
}

/** What other constructs need of a runtime (the shell-access alert, for one). */
export interface IAgentRuntime {
  /** The runtime's ARN: what invoke and operator policies, the alert rule and the trail selectors name. */
  readonly runtimeArn: string;
  /** The runtime's id (its log groups are named after it). */
  readonly runtimeId: string;
  /** The execution role the agent's code runs as. */
  readonly executionRoleArn: string;
  /**
   * How callers authenticate: the shell-access alert describes an IAM caller by its ARN, a bearer-token caller by
   * what CloudTrail records of it. @default "AWS_IAM"
   */
  readonly inboundAuth?: "AWS_IAM" | "CUSTOM_JWT";
}
