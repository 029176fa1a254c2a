/**
 * Service facts the configuration is validated against. Each list cites its source; when AWS adds a
 * Region or an Availability Zone, update it here (environments can also bypass the AZ table with
 * `network.availabilityZoneIds`).
 */

/**
 * Regions where AgentCore Runtime is offered (AgentCore devguide, "Supported AWS Regions",
 * docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-regions.html, read 2026-11).
 */
export const AGENTCORE_RUNTIME_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "eu-central-1", "eu-west-1", "eu-west-2", "eu-south-1", "eu-west-3", "eu-south-2", "eu-north-1",
  "ap-southeast-5", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-7",
  "ap-northeast-1", "ap-northeast-2", "ca-central-1", "sa-east-1", "us-gov-west-1",
];

/**
 * Availability Zone IDs where AgentCore Runtime supports VPC mode (AgentCore devguide, "Configure AgentCore
 * Runtime and tools for VPC" → "Supported Availability Zones"). Subnets elsewhere fail at runtime creation.
 * Regions missing here need `network.availabilityZoneIds` set explicitly.
 */
export const AGENTCORE_VPC_AZ_IDS: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["use1-az1", "use1-az2", "use1-az4"],
  "us-east-2": ["use2-az1", "use2-az2", "use2-az3"],
  "us-west-2": ["usw2-az1", "usw2-az2", "usw2-az3"],
  "ap-southeast-2": ["apse2-az1", "apse2-az2", "apse2-az3"],
  "ap-south-1": ["aps1-az1", "aps1-az2", "aps1-az3"],
  "ap-southeast-1": ["apse1-az1", "apse1-az2", "apse1-az3"],
  "ap-northeast-1": ["apne1-az1", "apne1-az2", "apne1-az4"],
  "eu-west-1": ["euw1-az1", "euw1-az2", "euw1-az3"],
  "eu-central-1": ["euc1-az1", "euc1-az2", "euc1-az3"],
};

/** The AZ IDs where AgentCore supports VPC mode in a Region, if this project knows them (own keys only). */
export function agentCoreVpcAzIds(region: string): readonly string[] | undefined {
  return Object.hasOwn(AGENTCORE_VPC_AZ_IDS, region) ? AGENTCORE_VPC_AZ_IDS[region] : undefined;
}

export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
export const AZ_ID_PATTERN = /^[a-z]{2,5}\d{1,2}-az\d{1,2}$/;

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Interface endpoints an `endpoints-only` VPC needs: image pull (ECR api + dkr), logs, model calls, STS. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = ["ecr.api", "ecr.dkr", "logs", "bedrock-runtime", "sts"];

/**
 * Regions each cross-region inference profile geography routes to. The execution role may call the
 * foundation model in these Regions only through the profile (condition bedrock:InferenceProfileArn), per
 * the Bedrock docs "Prerequisites for inference profiles". Global profiles route to any commercial Region.
 * Profiles of one geography can route to fewer Regions; an environment can narrow them with routedRegions.
 */
export const INFERENCE_PROFILE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
  "us-gov": ["us-gov-east-1", "us-gov-west-1"],
  ca: ["ca-central-1", "ca-west-1"],
  eu: ["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"],
  apac: [
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
  ],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4"],
  global: ["*"],
};

/** The geography prefix of a system inference profile id ("us.anthropic…" → "us"), or undefined for a foundation model. */
export function inferenceProfileGeography(modelId: string): string | undefined {
  const prefix = modelId.split(".")[0]!;
  // Own keys only: a prefix such as "constructor" must not find Object.prototype's members.
  return Object.hasOwn(INFERENCE_PROFILE_REGIONS, prefix) && modelId.split(".").length > 2 ? prefix : undefined;
}

/**
 * Foundation models Bedrock serves only through an inference profile: invoking the bare model id fails with
 * "ValidationException: Invocation of model ID … with on-demand throughput isn't supported. Retry your request
 * with the ID or ARN of an inference profile that contains this model." AWS's model cards list these models
 * with geographic (us., eu., …) and global inference IDs. Each entry names where that error is on record; the
 * list is not exhaustive (newer Anthropic models follow the same pattern).
 */
export const INFERENCE_PROFILE_ONLY_MODELS: Readonly<Record<string, string>> = {
  "anthropic.claude-haiku-4-5-20251001-v1:0": "Laisky/one-api#245 (Bedrock, 2025-10-16); AWS model card model-card-anthropic-claude-haiku-4-5 lists us./eu./global. inference IDs",
  "anthropic.claude-sonnet-4-5-20250929-v1:0": "Laisky/one-api#245 (Bedrock, 2025-10-16)",
  "anthropic.claude-3-7-sonnet-20250219-v1:0": "aws-ia/terraform-aws-bedrock#121 (\"only available with inference profile\")",
  "anthropic.claude-3-5-sonnet-20241022-v2:0": "danny-avila/LibreChat#4570, stackblitz-labs/bolt.diy#1102",
};
