/**
 * Policies of the agent stack: the execution role (what the agent's code may do), the invoker and
 * operator managed policies (who may call it, who may open a shell in it), and the runtime resource policy.
 * Facts: shared/REFERENCE.md "AgentCore Runtime", "IAM actions and keys", "S3 Files".
 */
import { policyDocument, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from "./document.ts";
import { ecrPullStatements } from "./registry.ts";
import { s3FilesClientStatements, type AccountScope } from "./storage.ts";

/** What the invoker policy allows: invoking the runtime, over HTTP or a WebSocket, and stopping one's sessions. */
export const INVOKE_ACTIONS = [
  "bedrock-agentcore:InvokeAgentRuntime",
  "bedrock-agentcore:InvokeAgentRuntimeWithWebSocketStream",
  "bedrock-agentcore:StopRuntimeSession",
] as const;

/** The one action of the operator policy. */
export const OPERATOR_ACTION = "bedrock-agentcore:InvokeAgentRuntimeCommand";

/** Arbitrary commands inside a live microVM, with the execution role's credentials: granted apart, alerted on. */
export const SHELL_ACTIONS = ["bedrock-agentcore:InvokeAgentRuntimeCommand", "bedrock-agentcore:InvokeAgentRuntimeCommandShell"] as const;

/** A model the execution role may invoke. */
export interface ModelGrant {
  /** Foundation model id or inference profile id. */
  readonly id: string;
  /** Regions an inference profile routes to; empty for a foundation model. */
  readonly routedRegions: readonly string[];
}

/** What the execution role's policy is scoped to. */
export interface ExecutionRoleProps extends AccountScope {
  /** The runtime's name: its logs and metrics are scoped to it. */
  readonly runtimeName: string;
  /** The models the agent may invoke. */
  readonly models: readonly ModelGrant[];
  /** The repository the image is pulled from. */
  readonly repositoryArn: string;
  /** The S3 Files file system mounted. */
  readonly fileSystemArn: string;
  /** The access point it is mounted through (the only one allowed). */
  readonly accessPointArn: string;
  /** The bucket of the cold tier. */
  readonly bucketArn: string;
  /** The bucket's customer managed KMS key, when it has one. @default - none: SSE-S3, no key statements */
  readonly bucketKmsKeyArn?: string;
  /** Key prefix of the cold tier, without slashes at either end. */
  readonly agentPrefix: string;
  /** Further file systems mounted, each through its access point. @default none */
  readonly additionalMounts?: readonly MountGrant[];
}

/** A further file system the execution role may mount, through one access point. */
export interface MountGrant {
  /** Which service the file system belongs to. */
  readonly type: "s3files" | "efs";
  /** The access point mounted through. */
  readonly accessPointArn: string;
  /** The file system. */
  readonly fileSystemArn: string;
}

/**
 * The service may assume the role only for this account's runtimes of this name (the service appends a
 * random suffix to the name, hence the trailing wildcard).
 */
export function executionRoleTrustPolicy(props: AccountScope & { readonly runtimeName: string }): PolicyDocument {
  return serviceTrustPolicy({
    service: "bedrock-agentcore.amazonaws.com",
    accountId: props.accountId,
    sourceArnPattern: `arn:${props.partition}:bedrock-agentcore:${props.region}:${props.accountId}:runtime/${props.runtimeName}-*`,
  });
}

/** Bedrock statements: exactly the listed models; inference profiles plus their routed foundation models. */
export function bedrockModelStatements(props: AccountScope & { readonly models: readonly ModelGrant[] }): PolicyStatement[] {
  const invoke = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];
  const foundationModels = props.models.filter((m) => m.routedRegions.length === 0);
  const statements: PolicyStatement[] = [];
  if (foundationModels.length > 0) {
    statements.push({
      Sid: "InvokeListedFoundationModels",
      Effect: "Allow",
      Action: invoke,
      Resource: foundationModels.map((m) => `arn:${props.partition}:bedrock:${props.region}::foundation-model/${m.id}`),
    });
  }
  props.models
    .filter((m) => m.routedRegions.length > 0)
    .forEach((profile, i) => {
      const profileArn = `arn:${props.partition}:bedrock:${props.region}:${props.accountId}:inference-profile/${profile.id}`;
      const modelId = profile.id.slice(profile.id.indexOf(".") + 1);
      const routed = profile.routedRegions.map((r) => `arn:${props.partition}:bedrock:${r}::foundation-model/${modelId}`);
      // A global profile's call is also authorized against the Region-less model ARN
      // (arn:<partition>:bedrock:::foundation-model/<model>): Bedrock User Guide, "Global cross-Region inference",
      // IAM policy requirements. "*" as the Region already matches the empty Region; a list of Regions does not.
      const regionless = profile.id.startsWith("global.") && !profile.routedRegions.includes("*") ? [`arn:${props.partition}:bedrock:::foundation-model/${modelId}`] : [];
      statements.push(
        { Sid: `InvokeInferenceProfile${i}`, Effect: "Allow", Action: invoke, Resource: profileArn },
        {
          // A profile call is authorized again against the model in whichever Region serves it; allow that
          // only when the call comes through this profile.
          Sid: `InvokeModelThroughProfile${i}`,
          Effect: "Allow",
          Action: invoke,
          Resource: [...routed, ...regionless],
          Condition: { ArnLike: { "bedrock:InferenceProfileArn": profileArn } },
        },
      );
    });
  return statements;
}

/** What the agent's code and the runtime itself may do. */
export function executionRolePolicy(props: ExecutionRoleProps): PolicyDocument {
  const logGroupPrefix = `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:/aws/bedrock-agentcore/runtimes/${props.runtimeName}-*`;
  const prefix = props.agentPrefix;
  const additionalMounts = props.additionalMounts ?? [];
  const statements: PolicyStatement[] = [
    ...bedrockModelStatements(props),
    ...ecrPullStatements({ repositoryArn: props.repositoryArn }),
    {
      Sid: "WriteThisRuntimesLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:DescribeLogStreams", "logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [logGroupPrefix, `${logGroupPrefix}:log-stream:*`],
    },
    {
      // The runtime looks up its log groups before writing to them; AWS's runtime-permissions example
      // (AgentCore devguide) and the CDK Runtime's execution role both grant it. They write the resource as
      // log-group:*, but the Service Authorization Reference lists no resource type for DescribeLogGroups, so
      // IAM evaluates it against "*", which log-group:* does not match. "*" is the one form that works.
      Sid: "FindLogGroups",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: "*",
    },
    {
      // X-Ray has no resource-level permissions for trace submission and sampling.
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    },
    {
      // PutMetricData has no resource-level permissions; the namespace condition is the scope.
      Sid: "PublishAgentCoreMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": "bedrock-agentcore" } },
    },
    ...s3FilesClientStatements({ fileSystemArn: props.fileSystemArn, accessPointArn: props.accessPointArn }),
    {
      // Runtime creation checks the mount targets of every S3 Files file system it mounts (live reports of
      // "Ensure the role has s3files:ListMountTargets"). Both actions authorize against the file system the
      // mount targets belong to (Service Authorization Reference, S3 Files: resource type file-system, required).
      Sid: "LetTheRuntimeFindMountTargets",
      Effect: "Allow",
      Action: ["s3files:ListMountTargets", "s3files:GetMountTarget"],
      Resource: [props.fileSystemArn, ...additionalMounts.filter((m) => m.type === "s3files").map((m) => m.fileSystemArn)],
    },
    {
      // s3:prefix is the prefix parameter of the list request (S3 User Guide, "Bucket policy examples using
      // condition keys"). The bare prefix would also list siblings such as "<prefix>-secret/", so only
      // "<prefix>/" and what lies below it may be listed.
      Sid: "ListTheAgentPrefix",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: props.bucketArn,
      Condition: { StringLike: { "s3:prefix": [`${prefix}/`, `${prefix}/*`] } },
    },
    {
      Sid: "ReadWriteTheAgentPrefix",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: `${props.bucketArn}/${prefix}/*`,
    },
    ...(props.bucketKmsKeyArn === undefined ? [] : [bucketKeyThroughS3({ ...props, bucketKmsKeyArn: props.bucketKmsKeyArn })]),
    ...additionalMounts.flatMap((mount, i) => additionalMountStatements(mount, i)),
    {
      // Code in the microVM holds these credentials: it must never open shells into other sessions.
      Sid: "NeverOpenShellsIntoRuntimes",
      Effect: "Deny",
      Action: [...SHELL_ACTIONS],
      Resource: "*",
    },
  ];
  return policyDocument(...statements);
}

/**
 * What the runtime needs for a file system it mounts beside its own storage: the mount itself (ClientMount and
 * ClientWrite on the file system, only through the named access point), and the reads AgentCore makes when it
 * creates the runtime. Without them CreateAgentRuntime fails: "Ensure the role has s3files:GetAccessPoint" for S3
 * Files, "Ensure the role has elasticfilesystem:DescribeAccessPoints and elasticfilesystem:DescribeMountTargets"
 * for EFS (reported live by AgentCore users; the official AgentCore CLI's CDK constructs grant the same). Every one
 * is scoped to the access point and its file system, the resource types the Service Authorization Reference lists
 * for each action (S3 Files GetAccessPoint: access-point; GetFileSystem, ListMountTargets, GetMountTarget:
 * file-system; EFS DescribeAccessPoints: access-point or file-system; DescribeMountTargets: file-system, and
 * access-point). ListMountTargets and GetMountTarget of an S3 Files mount are in LetTheRuntimeFindMountTargets.
 */
export function additionalMountStatements(mount: MountGrant, i: number): PolicyStatement[] {
  const s3Files = mount.type === "s3files";
  return [
    {
      Sid: `MountAdditionalFileSystem${i}`,
      Effect: "Allow",
      Action: s3Files ? ["s3files:ClientMount", "s3files:ClientWrite"] : ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Resource: mount.fileSystemArn,
      Condition: { ArnEquals: { [s3Files ? "s3files:AccessPointArn" : "elasticfilesystem:AccessPointArn"]: mount.accessPointArn } },
    },
    {
      Sid: `LetTheRuntimeValidateAdditionalMount${i}`,
      Effect: "Allow",
      Action: s3Files ? ["s3files:GetAccessPoint", "s3files:GetFileSystem"] : ["elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DescribeMountTargets"],
      Resource: [mount.accessPointArn, mount.fileSystemArn],
    },
  ];
}

/**
 * The cold tier with a customer managed key: S3 calls KMS as the caller, so GetObject needs kms:Decrypt and
 * PutObject kms:GenerateDataKey (plus kms:Decrypt for multipart uploads) (S3 User Guide, "Specifying
 * server-side encryption with AWS KMS", permissions). Only through S3 in this Region (kms:ViaService), and only
 * for this bucket: with an S3 Bucket Key the encryption context is the bucket ARN (S3 User Guide, "Configuring
 * your bucket to use an S3 Bucket Key"); an object written with the bucket key turned off carries its own ARN,
 * which is allowed under the agent prefix only.
 */
function bucketKeyThroughS3(props: AccountScope & { readonly bucketArn: string; readonly bucketKmsKeyArn: string; readonly agentPrefix: string }): PolicyStatement {
  return {
    Sid: "UseTheBucketKeyThroughS3ForTheAgentPrefix",
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: props.bucketKmsKeyArn,
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [props.bucketArn, `${props.bucketArn}/${props.agentPrefix}/*`] },
    },
  };
}

/** Invoke this runtime (and its endpoints, which are sub-resources of the runtime ARN). Nothing else. */
export function invokerPolicy(props: { readonly runtimeArn: string }): PolicyDocument {
  return policyDocument({
    Sid: "InvokeThisRuntime",
    Effect: "Allow",
    Action: [...INVOKE_ACTIONS],
    Resource: [props.runtimeArn, `${props.runtimeArn}/*`],
  });
}

/** Run commands inside this runtime's microVMs. Its only action; every use raises the shell-access alert. */
export function operatorPolicy(props: { readonly runtimeArn: string }): PolicyDocument {
  return policyDocument({
    Sid: "RunCommandsInThisRuntime",
    Effect: "Allow",
    Action: OPERATOR_ACTION,
    Resource: [props.runtimeArn, `${props.runtimeArn}/*`],
  });
}

/**
 * Runtime resource policy for an explicit invoker list: the listed principals may invoke, and every other
 * principal — even one whose identity policy allows it — is denied.
 */
export function runtimeResourcePolicy(props: { readonly runtimeArn: string; readonly invokers: readonly string[] }): PolicyDocument {
  const resources = [props.runtimeArn, `${props.runtimeArn}/*`];
  return policyDocument(
    { Sid: "AllowListedInvokers", Effect: "Allow", Principal: { AWS: [...props.invokers] }, Action: [...INVOKE_ACTIONS], Resource: resources },
    {
      Sid: "DenyEveryoneElse",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: [...INVOKE_ACTIONS],
      Resource: resources,
      Condition: { ArnNotLike: { "aws:PrincipalArn": [...props.invokers] } },
    },
  );
}
