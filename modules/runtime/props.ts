export interface RuntimeModel {
  readonly id: string;
  /** Regions an inference profile routes to; empty for a foundation model. */
  readonly routedRegions: readonly string[];
}

export type RuntimeAuth =
  | { readonly type: "AWS_IAM" }
  | {
      readonly type: "CUSTOM_JWT";
      readonly discoveryUrl: string;
      readonly allowedAudience: readonly string[];
      readonly allowedClients: readonly string[];
      readonly allowedScopes: readonly string[];
    };

export interface RuntimeMount {
  readonly type: "s3files" | "efs";
  readonly accessPointArn: string;
  readonly fileSystemArn: string;
  readonly mountPath: string;
}

export interface AgentRuntimeProps {
  readonly runtimeName: string;
  readonly description: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
  readonly executionRoleName: string;
  readonly invokerPolicyName: string;
  readonly operatorPolicyName: string;
  /** Image by digest (`<repository url>@sha256:…`): the runtime never re-pulls a moved tag. */
  readonly containerUri: string;
  readonly repositoryArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** @default "HTTP" */
  readonly protocol: "HTTP" | "MCP" | "A2A";
  readonly auth: RuntimeAuth;
  readonly idleTimeoutSeconds: number;
  readonly maxLifetimeSeconds: number;
  /** Session storage (hot tier) mount path, e.g. /mnt/workspace. */
  readonly sessionStorageMountPath: string;
  /** The environment's S3 Files access point (warm tier). */
  readonly s3Files: { readonly accessPointArn: string; readonly fileSystemArn: string; readonly mountPath: string };
  /** @default none */
  readonly additionalMounts: readonly RuntimeMount[];
  readonly bucketArn: string;
  /**
   * The bucket's customer managed KMS key: the role may use it through S3, for this bucket only.
   * @default - none (SSE-S3 needs no KMS permission)
   */
  readonly bucketKmsKeyArn?: string;
  /** Cold-tier key prefix the agent may use through the S3 API. */
  readonly agentPrefix: string;
  readonly models: readonly RuntimeModel[];
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** Name of the endpoint that follows the runtime's latest version. */
  readonly endpointName: string;
  /** Only these principals may invoke (runtime resource policy). @default - identity policies decide */
  readonly invokers?: readonly string[];
}
