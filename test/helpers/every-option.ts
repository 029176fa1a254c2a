/**
 * Environments that turn every option on, for the tests that must cover the whole configuration surface
 * (AWS API constraints, the IAM decision matrix, the audit). One creates its VPC, one imports a VPC: the two
 * network modes cannot be combined. Values are realistic and valid; each is one an environment file may set.
 */
import type { EnvironmentInput } from "../../environments/schema.ts";

const ACCOUNT = "123456789012";
const REGION = "us-west-2";
const OTHER_FS = "fs-0fedcba9876543210";

const everyAgentOption: EnvironmentInput["agent"] = {
  models: [
    // A foundation model invoked by its bare id (Mistral Large 24.07, listed among Mistral's Bedrock models at
    // docs.mistral.ai/deployment/cloud/aws); the Claude 4.5 models are served only through inference profiles.
    "mistral.mistral-large-2407-v1:0",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    { id: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", routedRegions: ["us-east-1", "us-west-2", "eu-west-1"] },
  ],
  protocol: "MCP",
  auth: { type: "AWS_IAM" },
  workload: "batch",
  idleTimeoutSeconds: 600,
  maxLifetimeSeconds: 7200,
  sessionStorageMountPath: "/mnt/scratch",
  s3FilesMountPath: "/mnt/shared",
  additionalMounts: [
    {
      type: "s3files",
      accessPointArn: `arn:aws:s3files:${REGION}:${ACCOUNT}:file-system/${OTHER_FS}/access-point/fsap-0fedcba9876543210`,
      fileSystemArn: `arn:aws:s3files:${REGION}:${ACCOUNT}:file-system/${OTHER_FS}`,
      mountPath: "/mnt/reference",
      mountTargetSecurityGroupId: "sg-0fedcba9876543210",
    },
    {
      type: "efs",
      accessPointArn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-0123456789abcdef0`,
      fileSystemArn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
      mountPath: "/mnt/models",
      mountTargetSecurityGroupId: "sg-0123456789abcdef0",
    },
    {
      type: "efs",
      accessPointArn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-0123456789abcdef1`,
      fileSystemArn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef1`,
      mountPath: "/mnt/cache",
      mountTargetSecurityGroupId: "sg-0123456789abcdef0",
    },
  ],
  agentPrefix: "agents/cold",
  environmentVariables: { LOG_LEVEL: "debug", FEATURE_FLAGS: "tiering,bench" },
  logRetentionDays: 90,
  keepImages: 50,
  imageDigest: `sha256:${"a".repeat(64)}`,
  operators: [`arn:aws:iam::${ACCOUNT}:role/platform-oncall`, `arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:group/sre`],
  invokers: [`arn:aws:iam::${ACCOUNT}:role/chat-frontend`, `arn:aws:iam::${ACCOUNT}:user/batch-runner`],
  alerts: { emails: ["oncall@example.com", "security@example.com"], cloudTrail: "create" },
};

const everyStorageOption: EnvironmentInput["storage"] = {
  posixUid: 2000,
  posixGid: 2000,
  secondaryGids: [3000, 3001],
  rootDirectory: "/tenants/agents",
  rootDirectoryPermissions: "0750",
  retainDataOnTeardown: true,
  kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  noncurrentVersionExpirationDays: 45,
};

/** A production environment that creates its VPC, with every option set. */
export const EVERY_OPTION_CREATED_VPC: EnvironmentInput = {
  name: "everything",
  stage: "production",
  region: REGION,
  account: ACCOUNT,
  deployRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-deploy`,
  state: { backend: "s3", bucket: "acme-terraform-state", keyPrefix: "platform/agents", region: "us-east-1", roleArn: `arn:aws:iam::${ACCOUNT}:role/terraform-state` },
  network: {
    mode: "create",
    cidr: "10.70.0.0/16",
    azCount: 3,
    egress: "nat-per-az",
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "bedrock-runtime", "sts", "bedrock-agentcore"],
    flowLogs: { enabled: true, retentionDays: 400 },
  },
  storage: everyStorageOption,
  agent: everyAgentOption,
  audit: { suppress: [{ rule: "perf-endpoint-follows-version", reason: "the live endpoint is repointed by the release pipeline, not by Terraform" }] },
  tags: { CostCenter: "agents-platform", Owner: "platform-team" },
};

/** The same, in an existing VPC, with the endpoints and S3 gateway route tables it may ask for. */
export const EVERY_OPTION_IMPORTED_VPC: EnvironmentInput = {
  ...EVERY_OPTION_CREATED_VPC,
  name: "everything-imported",
  network: {
    mode: "import",
    vpcId: "vpc-0a1b2c3d4e5f67890",
    privateSubnets: [
      { subnetId: "subnet-0a1b2c3d4e5f67890", availabilityZoneId: "usw2-az1" },
      { subnetId: "subnet-0a1b2c3d4e5f67891", availabilityZoneId: "usw2-az2" },
      { subnetId: "subnet-0a1b2c3d4e5f67892", availabilityZoneId: "usw2-az3" },
    ],
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
    interfaceEndpointsServeWholeVpc: true,
    s3GatewayRouteTableIds: ["rtb-0a1b2c3d4e5f67890", "rtb-0a1b2c3d4e5f67891"],
  },
};

/**
 * The same with a JWT authorizer, which excludes the IAM principal lists (invokers, operators: JWT callers are no IAM
 * principals) and needs the acknowledgement that token holders can run commands, and the audit suppression saying why.
 */
const everyAgentOptionButPrincipals = Object.fromEntries(Object.entries(everyAgentOption).filter(([key]) => key !== "invokers" && key !== "operators")) as EnvironmentInput["agent"];
export const EVERY_OPTION_JWT: EnvironmentInput = {
  ...EVERY_OPTION_CREATED_VPC,
  name: "everything-jwt",
  network: { ...EVERY_OPTION_CREATED_VPC.network, cidr: "10.71.0.0/16" } as EnvironmentInput["network"],
  agent: {
    ...everyAgentOptionButPrincipals,
    auth: {
      type: "CUSTOM_JWT",
      discoveryUrl: "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEfGhI/.well-known/openid-configuration",
      allowedAudience: ["agents-api"],
      allowedClients: ["4example0client0id00000000"],
      allowedScopes: ["agents/invoke"],
      tokenHoldersCanRunCommands: true,
    },
  },
  audit: {
    suppress: [
      ...(EVERY_OPTION_CREATED_VPC.audit?.suppress ?? []),
      { rule: "shell-iam-authorizes-commands", reason: "the agent's operators sign in through the identity provider; every client it issues tokens to may run commands" },
    ],
  },
};

export const EVERY_OPTION_ENVIRONMENTS: readonly EnvironmentInput[] = [EVERY_OPTION_CREATED_VPC, EVERY_OPTION_IMPORTED_VPC, EVERY_OPTION_JWT];
