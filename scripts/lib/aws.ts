/**
 * AWS SDK v3 clients, built from the standard credential chain and endpoint environment
 * (AWS_PROFILE, AWS_ENDPOINT_URL_<SERVICE>, …) so an emulator can stand in. Created on first use.
 */
import { BedrockAgentCoreControlClient } from "@aws-sdk/client-bedrock-agentcore-control";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { S3Client } from "@aws-sdk/client-s3";
import { S3FilesClient } from "@aws-sdk/client-s3files";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";

/** What scripts need of a client: `send`. Fakes implement just this. */
export interface SendsCommands {
  send(command: object, options?: object): Promise<unknown>;
}

export interface AwsClients {
  readonly sts: SendsCommands;
  readonly ecr: SendsCommands;
  readonly ec2: SendsCommands;
  readonly s3: SendsCommands;
  readonly s3files: SendsCommands;
  readonly agentcoreControl: SendsCommands;
  readonly tagging: SendsCommands;
}

/**
 * The real SDK clients. The SDK's paginators (`paginateX`) accept only instances of their own client
 * class, so code that pages through results takes these rather than AwsClients.
 */
export interface AwsSdkClients {
  readonly sts: STSClient;
  readonly ecr: ECRClient;
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly s3files: S3FilesClient;
  readonly agentcoreControl: BedrockAgentCoreControlClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly kms: KMSClient;
  readonly logs: CloudWatchLogsClient;
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
  readonly cloudtrail: CloudTrailClient;
  readonly iam: IAMClient;
}

/**
 * @param credentials the deploy role's (credentials.ts `deployCredentials`) when the environment names one; the
 *   standard chain's otherwise.
 */
export function awsClients(region: string, credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>): AwsSdkClients {
  const cache = new Map<string, SendsCommands>();
  const lazy = (key: string, create: () => SendsCommands) => () => {
    if (!cache.has(key)) cache.set(key, create());
    return cache.get(key)!;
  };
  const config = { region, maxAttempts: 8, ...(credentials !== undefined && { credentials }) };
  const getters = {
    sts: lazy("sts", () => new STSClient(config)),
    ecr: lazy("ecr", () => new ECRClient(config)),
    ec2: lazy("ec2", () => new EC2Client(config)),
    s3: lazy("s3", () => new S3Client(config)),
    s3files: lazy("s3files", () => new S3FilesClient(config)),
    agentcoreControl: lazy("agentcoreControl", () => new BedrockAgentCoreControlClient(config)),
    tagging: lazy("tagging", () => new ResourceGroupsTaggingAPIClient(config)),
    kms: lazy("kms", () => new KMSClient(config)),
    logs: lazy("logs", () => new CloudWatchLogsClient(config)),
    sns: lazy("sns", () => new SNSClient(config)),
    events: lazy("events", () => new EventBridgeClient(config)),
    cloudtrail: lazy("cloudtrail", () => new CloudTrailClient(config)),
    iam: lazy("iam", () => new IAMClient(config)),
  };
  return Object.defineProperties({} as AwsSdkClients, Object.fromEntries(Object.entries(getters).map(([k, get]) => [k, { get, enumerable: true }])));
}

/** An object whose properties build their client on first read. */
function lazyClients<T>(create: { readonly [K in keyof T]: () => SendsCommands }): T {
  const cache = new Map<string, SendsCommands>();
  const properties = Object.entries(create as Record<string, () => SendsCommands>).map(([key, make]) => [
    key,
    {
      enumerable: true,
      get: () => {
        if (!cache.has(key)) cache.set(key, make());
        return cache.get(key)!;
      },
    },
  ]);
  return Object.defineProperties({}, Object.fromEntries(properties)) as T;
}

/** The clients `npm run verify` uses; built on first use, like awsClients. */
export interface VerifyClients {
  readonly sts: SendsCommands;
  readonly agentcoreControl: SendsCommands;
  /** AgentCore data plane (InvokeAgentRuntime, InvokeAgentRuntimeCommand, StopRuntimeSession). */
  readonly agentcore: SendsCommands;
  readonly iam: SendsCommands;
  readonly sns: SendsCommands;
  readonly sqs: SendsCommands;
  readonly s3: SendsCommands;
  readonly cloudwatch: SendsCommands;
  readonly logs: SendsCommands;
}

export async function verifyClients(region: string): Promise<VerifyClients> {
  const [{ BedrockAgentCoreClient }, { IAMClient }, { SNSClient }, { SQSClient }, { CloudWatchClient }, { CloudWatchLogsClient }] = await Promise.all([
    import("@aws-sdk/client-bedrock-agentcore"),
    import("@aws-sdk/client-iam"),
    import("@aws-sdk/client-sns"),
    import("@aws-sdk/client-sqs"),
    import("@aws-sdk/client-cloudwatch"),
    import("@aws-sdk/client-cloudwatch-logs"),
  ]);
  const base = awsClients(region);
  const config = { region, maxAttempts: 8 };
  return lazyClients<VerifyClients>({
    sts: () => base.sts,
    agentcoreControl: () => base.agentcoreControl,
    s3: () => base.s3,
    agentcore: () => new BedrockAgentCoreClient(config),
    iam: () => new IAMClient(config),
    sns: () => new SNSClient(config),
    sqs: () => new SQSClient(config),
    cloudwatch: () => new CloudWatchClient(config),
    logs: () => new CloudWatchLogsClient(config),
  });
}

/** The clients preflight's account checks add: Bedrock's control plane, Service Quotas and IAM, built on first use. */
export async function preflightAccountClients(region: string, base: AwsSdkClients = awsClients(region), credentials?: Parameters<typeof awsClients>[1]): Promise<import("./preflight-account.ts").PreflightAccountClients> {
  const [{ BedrockClient }, { ServiceQuotasClient }, { IAMClient }] = await Promise.all([import("@aws-sdk/client-bedrock"), import("@aws-sdk/client-service-quotas"), import("@aws-sdk/client-iam")]);
  // The same identity as `base` (the deploy role when the environment names one): preflight asks about the account
  // deploy will act in.
  const config = { region, maxAttempts: 8, ...(credentials !== undefined && { credentials }) };
  return lazyClients<import("./preflight-account.ts").PreflightAccountClients>({
    bedrock: () => new BedrockClient(config),
    serviceQuotas: () => new ServiceQuotasClient(config),
    iam: () => new IAMClient(config),
    ec2: () => base.ec2,
    cloudtrail: () => base.cloudtrail,
    agentcoreControl: () => base.agentcoreControl,
  });
}

export { errorName } from "./error-name.ts";
