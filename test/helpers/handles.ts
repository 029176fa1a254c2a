/**
 * Handles described by plain objects, as a team that manages its own network, storage or registry passes them to
 * the constructs: literal ids and ARNs of account 123456789012 in us-west-2.
 */
import type { INetwork } from "../../modules/network/index.ts";
import type { IAgentRegistry } from "../../modules/registry/index.ts";
import type { IAgentRuntime } from "../../modules/runtime/index.ts";
import type { IS3FilesStorage } from "../../modules/storage/index.ts";

export const ACCOUNT = "123456789012";

export const NETWORK: INetwork = {
  vpcId: "vpc-0a1b2c3d4e5f67890",
  privateSubnets: [
    { subnetId: "subnet-0a1b2c3d4e5f67890", availabilityZoneId: "usw2-az1" },
    { subnetId: "subnet-0a1b2c3d4e5f67891", availabilityZoneId: "usw2-az2" },
  ],
  agentSecurityGroupId: "sg-0a1b2c3d4e5f67890",
  mountTargetSecurityGroupId: "sg-0a1b2c3d4e5f67891",
};

const FS = `arn:aws:s3files:us-west-2:${ACCOUNT}:file-system/fs-0123456789abcdef0`;
export const STORAGE: IS3FilesStorage = {
  bucketName: `team-files-${ACCOUNT}-us-west-2`,
  bucketArn: `arn:aws:s3:::team-files-${ACCOUNT}-us-west-2`,
  fileSystemId: "fs-0123456789abcdef0",
  fileSystemArn: FS,
  accessPointId: "fsap-0123456789abcdef0",
  accessPointArn: `${FS}/access-point/fsap-0123456789abcdef0`,
  rootDirectory: "/agents",
};

export const REGISTRY: IAgentRegistry = {
  repositoryName: "team-agent",
  repositoryArn: `arn:aws:ecr:us-west-2:${ACCOUNT}:repository/team-agent`,
  repositoryUrl: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/team-agent`,
};

export const RUNTIME: IAgentRuntime = {
  runtimeArn: `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT}:runtime/team_agent-a1b2c3d4e5`,
  runtimeId: "team_agent-a1b2c3d4e5",
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/team-agent-execution`,
};
