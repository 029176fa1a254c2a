/**
 * Every construct used directly refuses bad props in its constructor, before it creates anything, with one line
 * per problem: `<construct path>: <prop> = <value>: <problem>. Fix: <fix>.` One case per kind of rule at least;
 * the values are the ones the issue names (one subnet, posixUid 0, the model "anthropic.*", a 5-second idle
 * timeout) and their kin.
 */
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack, TerraformVariable, Token } from "cdktn";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../lib/validation.ts";
import { Network } from "../../modules/network/index.ts";
import { AgentRegistry } from "../../modules/registry/index.ts";
import { AgentRuntime, type AgentRuntimeProps } from "../../modules/runtime/index.ts";
import { ShellAccessAlert } from "../../modules/security/index.ts";
import { S3FilesStorage } from "../../modules/storage/index.ts";
import { ACCOUNT, NETWORK, REGISTRY, RUNTIME, STORAGE } from "../helpers/handles.ts";
import { resourcesOf, synthStack, testApp } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

function stack(region = "us-west-2", id = "team"): TerraformStack {
  const s = new TerraformStack(testApp(), id);
  new AwsProvider(s, "aws", { region, allowedAccountIds: [ACCOUNT] });
  return s;
}

const runtimeProps = (extra: Partial<AgentRuntimeProps> = {}): AgentRuntimeProps => ({ network: NETWORK, storage: STORAGE, registry: REGISTRY, models: [HAIKU], ...extra });

/** The lines of the ConfigurationError `build` throws; it must throw one, and the construct must hold nothing. */
function refused(build: (scope: TerraformStack) => Construct, scope = stack()): string[] {
  const before = scope.node.findAll().length;
  try {
    build(scope);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // Only the construct's own node was added (super() comes first); none of its resources.
    expect(scope.node.findAll().length).toBeLessThanOrEqual(before + 1);
    return error.message.split("\n");
  }
  throw new Error("expected a ConfigurationError");
}

describe("Network", () => {
  it.each([
    ["no cidr and no vpcId", {}, 'team/network: cidr = (missing): is required to create a VPC. Fix: set cidr (e.g. "10.20.0.0/16"), or give vpcId and privateSubnets to use an existing VPC.'],
    ["a public range", { cidr: "8.8.0.0/16" }, "team/network: cidr = \"8.8.0.0/16\": is not inside a private (RFC 1918) range, so the VPC would shadow public addresses. Fix: choose a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."],
    ["one Availability Zone", { cidr: "10.0.0.0/16", azCount: 1 }, "team/network: azCount = 1: must be a whole number of at least 2, so the runtime and the S3 Files mount targets survive the loss of one Availability Zone. Fix: set azCount to 2 or 3."],
    ["an AZ where AgentCore has no VPC support", { cidr: "10.0.0.0/16", availabilityZoneIds: ["usw2-az1", "usw2-az4"] }, "team/network: availabilityZoneIds.1 = \"usw2-az4\": is not an AZ where AgentCore supports VPC mode in us-west-2. Fix: use one of usw2-az1, usw2-az2, usw2-az3 (update lib/service-facts.ts if AWS has added the zone)."],
    ["no NAT and no ECR endpoints", { cidr: "10.0.0.0/16", egress: "endpoints-only" as const, interfaceEndpoints: ["sts"] }, 'team/network: interfaceEndpoints = ["sts"]: lacks ecr.api, ecr.dkr, logs, without which a VPC with no NAT cannot pull the agent image or ship its logs. Fix: add "ecr.api", "ecr.dkr", "logs" or choose a NAT egress mode.'],
    ["a retention CloudWatch Logs refuses", { cidr: "10.0.0.0/16", flowLogs: { enabled: true, retentionDays: 10 } }, "team/network: flowLogs.retentionDays = 10: is not a retention period CloudWatch Logs accepts. Fix: use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."],
    ["both a range and an existing VPC", { cidr: "10.0.0.0/16", vpcId: NETWORK.vpcId, privateSubnets: NETWORK.privateSubnets }, "team/network: cidr = \"10.0.0.0/16\": applies only to a VPC this construct creates, not to an existing one (vpcId). Fix: remove cidr, or remove vpcId to create a VPC."],
    ["an existing VPC with one subnet", { vpcId: NETWORK.vpcId, privateSubnets: NETWORK.privateSubnets.slice(0, 1) }, 'team/network: privateSubnets = ["subnet-0a1b2c3d4e5f67890"]: lists 1 subnet; the runtime and the S3 Files mount targets need at least 2 in distinct Availability Zones. Fix: add private subnets in other Availability Zones.'],
    ["subnets without a VPC", { cidr: "10.0.0.0/16", privateSubnets: NETWORK.privateSubnets }, 'team/network: privateSubnets = [{"subnetId":"subnet-0a1b2c3d4e5f67890","availabilityZoneId":"usw2-az1"},{"subnetId":"subnet-0a1b2c3d4e5f67891","avai...: applies only to an existing VPC (vpcId). Fix: remove privateSubnets, or set vpcId to the VPC the subnets belong to.'],
    // Construct ids are Terraform addresses: two endpoints whose services differ only by "." and "-" would collide.
    ["two endpoint services that one address would hold", { cidr: "10.0.0.0/16", interfaceEndpoints: ["ecr.api", "ecr-api"] }, 'team/network: interfaceEndpoints.1 = "ecr-api": would take the Terraform address of "ecr.api" (endpoint addresses spell "." as "-"). Fix: list only the service AWS names; they never differ only by . and -.'],
    ["an endpoint service longer than an EC2 tag allows", { cidr: "10.0.0.0/16", interfaceEndpoints: ["x".repeat(250)] }, `team/network: interfaceEndpoints.0 = "${"x".repeat(116)}...: makes the endpoint's Name tag longer than the 256 characters EC2 accepts; no AWS service is named so. Fix: write the service suffix, e.g. "ecr.api".`],
    ["a Terraform expression in a value", { cidr: "${var.cidr}" }, 'team/network: cidr = "${var.cidr}": contains "${" or "%{", which Terraform would evaluate as an expression instead of passing the text on. Fix: remove the sequence (these settings take plain text).'],
  ])("%s", (_case, props, line) => {
    expect(refused((s) => new Network(s, "network", props))).toContain(line);
  });

  it("names the problem with the prop a default came from: a stack id that cannot be a name prefix", () => {
    expect(refused((s) => new Network(s, "network", { cidr: "10.0.0.0/16" }), stack("us-west-2", "Team_Stack"))).toEqual([
      'Team_Stack/network: namePrefix = "Team_Stack": must start with a lowercase letter and contain only lowercase letters, digits and single hyphens (it names buckets, roles and security groups). Fix: use a prefix like "dev" or "agents-prod" (the default is the stack\'s id, which may not read as a name).',
    ]);
  });

  it("judges types first, as a JavaScript caller can get them wrong: a number as a string, a misspelt prop", () => {
    expect(refused((s) => new Network(s, "network", { cidr: "10.0.0.0/16", azCount: "2", egres: "nat-single" } as never))).toEqual([
      'team/network: azCount = "2": must be a number, not a string. Fix: set azCount to a number.',
      'team/network: egres = (missing): unknown field "egres". Fix: remove it or correct the spelling (see NetworkProps).',
    ]);
  });

  it("lists every problem at once", () => {
    expect(refused((s) => new Network(s, "network", { cidr: "10.0.0.0/8", azCount: 1, egress: "nat" as never }))).toHaveLength(3);
  });

  it("skips what synth cannot know: a VPC id read at plan time is accepted, and checked then", () => {
    const s = stack();
    const vpcId = new TerraformVariable(s, "vpc", { type: "string" }).stringValue;
    expect(Token.isUnresolved(vpcId)).toBe(true);
    new Network(s, "network", { vpcId, privateSubnets: NETWORK.privateSubnets });
    expect(synthStack(s).data?.aws_vpc).toBeDefined();
  });
});

describe("S3FilesStorage", () => {
  it.each([
    ["posixUid 0", { posixUid: 0 }, "team/storage: posixUid = 0: 0 is root; root access through S3 Files needs s3files:ClientRootAccess, which this project does not grant. Fix: use the non-root uid/gid your agent container runs as, e.g. 1000."],
    ["a root secondary group", { secondaryGids: [0] }, "team/storage: secondaryGids.0 = 0: is the root group: every client of the access point would act with gid 0 on the file system. Fix: remove it; use the group ids your agent's files need, e.g. 1000."],
    ["a root directory S3 Files refuses (more than 4 segments: the API model's pattern)", { rootDirectory: "/a/b/c/d/e" }, 'team/storage: rootDirectory = "/a/b/c/d/e": is not accepted by S3 Files: must be "/" or up to 4 path segments, none starting with "." or holding $#<>;`|&?{}^* (pattern (\\/|(\\/(?!\\.)+[^$#<>;;`|&?{}^*/\\n]+){1,4})) (s3files RootDirectory.path, AWS API model). Fix: use a path such as "/agents".'],
    ["a mode that is not octal", { rootDirectoryPermissions: "999" }, 'team/storage: rootDirectoryPermissions = "999": is not an octal file mode. Fix: use three or four octal digits, e.g. "750".'],
    ["a key of another Region", { kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }, `team/storage: kmsKeyArn = "arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab": is in eu-west-1, but the bucket is in us-west-2. Fix: use a key in us-west-2.`],
    ["a key of another account", { kmsKeyArn: "arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, "team/storage: kmsKeyArn = \"arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab\": is in account 999999999999, not the stack's account 123456789012: the execution role and the S3 Files service role are granted its use in their own account only. Fix: use a key of account 123456789012 (without the provider's allowedAccountIds set, the plan checks the key is in the deploying account)."],
    ["versions kept no day", { noncurrentVersionExpirationDays: 0 }, "team/storage: noncurrentVersionExpirationDays = 0: must be a whole number of days, at least 1. Fix: set it to the number of days old object versions are kept, e.g. 30."],
    ["a bucket name S3 refuses", { bucketName: "Team_Files" }, "team/storage: bucketName = \"Team_Files\": may hold only lowercase letters, numbers, periods and hyphens. Fix: choose a name S3 accepts (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)."],
    ["two subnets in one zone", { network: { ...NETWORK, privateSubnets: [NETWORK.privateSubnets[0]!, { subnetId: "subnet-0a1b2c3d4e5f67899", availabilityZoneId: "usw2-az1" }] } }, 'team/storage: network.privateSubnets = ["usw2-az1","usw2-az1"]: has two subnets in one Availability Zone; S3 Files allows one mount target per AZ. Fix: give one private subnet per Availability Zone.'],
  ])("%s", (_case, props, line) => {
    expect(refused((s) => new S3FilesStorage(s, "storage", { network: NETWORK, ...props }))).toContain(line);
  });

  it("skips a POSIX id that is a Terraform token", () => {
    const s = stack();
    const uid = new TerraformVariable(s, "uid", { type: "number" }).numberValue;
    expect(() => new S3FilesStorage(s, "storage", { network: NETWORK, posixUid: uid })).not.toThrow();
  });
});

describe("AgentRegistry", () => {
  it.each([
    ["keeping no image", { keepImages: 0 }, "team/registry: keepImages = 0: must be a whole number from 1 to 1000. Fix: set how many recent images the registry keeps, e.g. 30."],
    ["a repository name ECR refuses (the API model's pattern)", { repositoryName: "Team Agent" }, 'team/registry: repositoryName = "Team Agent": is not accepted by ECR: must be lowercase path segments of letters and digits joined by . _ __ or - (pattern [a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*) (ecr CreateRepositoryRequest.repositoryName, AWS API model). Fix: use lowercase letters, digits and ._-/ separators, e.g. "agents/support-bot".'],
    ["a key alias instead of a key ARN", { kmsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/agents` }, `team/registry: kmsKeyArn = "arn:aws:kms:us-west-2:${ACCOUNT}:alias/agents": is not a KMS key ARN. Fix: use the key ARN (not an alias), e.g. "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".`],
  ])("%s", (_case, props, line) => {
    expect(refused((s) => new AgentRegistry(s, "registry", props))).toContain(line);
  });
});

describe("AgentRuntime", () => {
  it.each([
    ["no model", { models: [] }, "team/runtime: models = []: is empty; the agent could not call any model. Fix: list the model or inference profile ids it uses, e.g. \"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"."],
    ["a wildcard model", { models: ["anthropic.*"] }, 'team/runtime: models.0 = "anthropic.*": is a wildcard; the execution role is scoped to the exact models the agent uses. Fix: name each model exactly, e.g. "anthropic.claude-3-haiku-20240307-v1:0" or "us.anthropic.claude-sonnet-4-5-20250929-v1:0".'],
    ["a profile that does not route through the runtime's Region", { models: ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"] }, 'team/runtime: models.0 = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0": is an inference profile that does not route through us-west-2, where the agent runs. Fix: use a profile of the runtime\'s geography, or list routedRegions including it.'],
    [
      // Bedrock serves Claude 4.5 only through inference profiles (lib/service-facts.ts INFERENCE_PROFILE_ONLY_MODELS).
      "a model Bedrock serves only through an inference profile, by its bare id",
      { models: ["anthropic.claude-haiku-4-5-20251001-v1:0"] },
      'team/runtime: models.0 = "anthropic.claude-haiku-4-5-20251001-v1:0": is a model Bedrock serves only through an inference profile: invoked by its bare id, every call fails with "ValidationException: Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn\'t supported" (on record: Laisky/one-api#245 (Bedrock, 2025-10-16); AWS model card model-card-anthropic-claude-haiku-4-5 lists us./eu./global. inference IDs). Fix: use an inference profile id, e.g. "us.anthropic.claude-haiku-4-5-20251001-v1:0" or "global.anthropic.claude-haiku-4-5-20251001-v1:0".',
    ],
    [
      "a JWT authorizer without the acknowledgement that token holders can run commands",
      { auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedClients: ["web"] } },
      'team/runtime: auth.tokenHoldersCanRunCommands = (missing): is not true, but with a CUSTOM_JWT authorizer AgentCore authorizes InvokeAgentRuntimeCommand and the interactive shell by the bearer token, not by IAM: every holder of a token this authorizer accepts could run commands in the runtime\'s microVMs with the execution role\'s credentials, whatever the operator policy says. Fix: use { type: "AWS_IAM" } so that only named operators can run commands, or set auth.tokenHoldersCanRunCommands to true and narrow allowedClients and allowedScopes to the callers who may.',
    ],
    [
      "a JWT authorizer with an invoker list (JWT callers have no aws:PrincipalArn: the deny would lock every one out)",
      { auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedClients: ["web"], tokenHoldersCanRunCommands: true }, invokers: [`arn:aws:iam::${ACCOUNT}:role/frontend`] },
      `team/runtime: invokers = ["arn:aws:iam::${ACCOUNT}:role/frontend"]: cannot be combined with a CUSTOM_JWT authorizer: JWT callers are not IAM principals and carry no aws:PrincipalArn, so the resource policy's deny of everyone not listed would refuse every caller. Fix: remove invokers, and admit callers through the authorizer's allowedClients, allowedAudience and allowedScopes.`,
    ],
    [
      "another file system without its mount targets' security group (NFS could not reach it)",
      { additionalMounts: [{ type: "efs", accessPointArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:access-point/fsap-0123456789abcdef0`, fileSystemArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123456789abcdef0`, mountPath: "/mnt/models" } as never] },
      "team/runtime: additionalMounts.0.mountTargetSecurityGroupId = (missing): is required: the runtime reaches the file system over NFS (TCP 2049) through its mount targets, and the agent security group lets NFS out only to the security groups it is given. Fix: give the security group of the file system's mount targets in the runtime's VPC (its inbound rules must admit TCP 2049 from the agent security group).",
    ],
    [
      "a mount-target security group that is not a security group id",
      { additionalMounts: [{ type: "efs", accessPointArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:access-point/fsap-0123456789abcdef0`, fileSystemArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123456789abcdef0`, mountPath: "/mnt/models", mountTargetSecurityGroupId: "efs-clients" }] },
      'team/runtime: additionalMounts.0.mountTargetSecurityGroupId = "efs-clients": is not a security group id. Fix: use the id of the mount targets\' security group, e.g. "sg-0123456789abcdef0".',
    ],
    ["a 5-second idle timeout", { idleTimeoutSeconds: 5 }, "team/runtime: idleTimeoutSeconds = 5: must be a whole number of seconds from 60 to 28800. Fix: choose a value in that range, or a workload preset."],
    ["an idle timeout longer than the lifetime", { idleTimeoutSeconds: 7200, maxLifetimeSeconds: 3600 }, "team/runtime: idleTimeoutSeconds = 7200: is longer than maxLifetimeSeconds (3600), so sessions would end before they could idle out. Fix: make the idle timeout at most the maximum lifetime."],
    ["a mount path outside /mnt", { s3FilesMountPath: "/data" }, 'team/runtime: s3FilesMountPath = "/data": must be a single directory directly under /mnt (^/mnt/[a-zA-Z0-9._-]+/?$). Fix: use a path such as "/mnt/data".'],
    ["a secret in the environment", { environmentVariables: { DB_PASSWORD: "hunter2" } }, 'team/runtime: environmentVariables.DB_PASSWORD = "(value hidden)": looks like a secret (its name contains PASSWORD); runtime environment variables are plain configuration, readable by anyone who can describe the runtime. Fix: keep secrets out of the environment: use AgentCore Identity (credential providers) or Secrets Manager and read them at run time.'],
    ["a cold tier inside the file tree", { agentPrefix: "agents/cold" }, 'team/runtime: agentPrefix = "agents/cold": overlaps storage.rootDirectory ("/agents"), the S3 Files tree the access point exposes: objects written through the S3 API there would race the file system (S3 wins a conflict; the file copy goes to lost+found). Fix: choose a prefix outside "agents/", e.g. "agent-data".'],
    ["an operator of another account", { operators: ["arn:aws:iam::999999999999:role/oncall"] }, 'team/runtime: operators.0 = "arn:aws:iam::999999999999:role/oncall": is in account 999999999999; the operator policy is attached by name in 123456789012, so it would go to whichever role of that name exists there. Fix: list principals of the runtime\'s account (people of other accounts assume a role there).'],
    ["an invoker list that denies everyone", { invokers: [] }, "team/runtime: invokers = []: is empty, which would deny every caller. Fix: list the principals that may invoke the runtime, or remove the field."],
    ["no inbound auth", { auth: { type: "NONE" } as never }, 'team/runtime: auth.type = "NONE": an AgentCore runtime without inbound auth is not something this project will deploy: anyone who can reach the endpoint could run the agent. Fix: use { type: "AWS_IAM" } (SigV4, the default) or { type: "CUSTOM_JWT", discoveryUrl, allowedAudience or allowedClients, tokenHoldersCanRunCommands: true } (every token holder can then run shell commands: see the README\'s "JWT runtimes").'],
    ["a JWT acknowledgement that is not a boolean", { auth: { type: "CUSTOM_JWT", discoveryUrl: "https://idp.example.com/.well-known/openid-configuration", allowedAudience: ["agents"], tokenHoldersCanRunCommands: "true" } as never }, 'team/runtime: auth.tokenHoldersCanRunCommands = "true": is invalid: expected boolean, received string. Fix: use { type: "AWS_IAM" } (SigV4, the default) or { type: "CUSTOM_JWT", discoveryUrl, allowedAudience or allowedClients, tokenHoldersCanRunCommands: true } (every token holder can then run shell commands: see the README\'s "JWT runtimes").'],
    ["an auth setting that does not exist", { auth: { type: "AWS_IAM", discoveryUrl: "https://idp.example.com/.well-known/openid-configuration" } as never }, 'team/runtime: auth.discoveryUrl = "https://idp.example.com/.well-known/openid-configuration": is not a setting of AWS_IAM auth. Fix: use { type: "AWS_IAM" } (SigV4, the default) or { type: "CUSTOM_JWT", discoveryUrl, allowedAudience or allowedClients, tokenHoldersCanRunCommands: true } (every token holder can then run shell commands: see the README\'s "JWT runtimes").'],
    ["an endpoint name AgentCore refuses (the API model's pattern)", { endpointName: "live-v2" }, 'team/runtime: endpointName = "live-v2": is not accepted by AgentCore: must be a letter, then up to 47 letters, digits or underscores (pattern [a-zA-Z][a-zA-Z0-9_]{0,47}) (bedrock-agentcore-control CreateAgentRuntimeEndpointRequest.name, AWS API model). Fix: use a letter, then letters, digits or underscores, e.g. "live".'],
    ["storage whose access point ARN is not one (AgentCore's pattern)", { storage: { ...STORAGE, accessPointArn: "fsap-0123456789abcdef0" } }, 'team/runtime: storage.accessPointArn = "fsap-0123456789abcdef0": is not accepted by AgentCore: must be an S3 Files access point ARN (pattern arn:aws[-a-z]*:s3files:[0-9a-z-:]+:file-system/fs-[0-9a-f]{17,40}/access-point/fsap-[0-9a-f]{17,40}) (bedrock-agentcore-control S3FilesAccessPointConfiguration.accessPointArn, AWS API model). Fix: give the storage\'s S3 Files access point ARN.'],
    // AgentCore gives every runtime an endpoint named DEFAULT; the name would also collide with the runtime's own
    // construct ids (its log groups are named after both endpoints).
    ["the endpoint name AgentCore gives every runtime itself", { endpointName: "DEFAULT" }, 'team/runtime: endpointName = "DEFAULT": is the name of the endpoint AgentCore gives every runtime itself. Fix: choose another name, e.g. "live".'],
    ["that name in another case", { endpointName: "Default" }, 'team/runtime: endpointName = "Default": differs only in case from DEFAULT, the endpoint AgentCore gives every runtime itself, and its log resources here take the same Terraform addresses (named in lower case). Fix: choose another name, e.g. "live".'],
    ["an image digest that is a tag", { imageDigest: "latest" }, 'team/runtime: imageDigest = "latest": is not an image digest. Fix: use the "sha256:<64 hex>" digest build-image prints, or remove it and pass the digest at deploy time.'],
  ])("%s", (_case, props, line) => {
    expect(refused((s) => new AgentRuntime(s, "runtime", runtimeProps(props as Partial<AgentRuntimeProps>)))).toContain(line);
  });

  it("refuses IAM grants on a JWT runtime: it refuses SigV4 requests, so the policies would grant nothing", () => {
    const s = stack();
    const runtime = new AgentRuntime(s, "runtime", runtimeProps({ auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedClients: ["web"], tokenHoldersCanRunCommands: true } }));
    expect(runtime.inboundAuth).toBe("CUSTOM_JWT");
    expect(() => runtime.grantInvoke(`arn:aws:iam::${ACCOUNT}:role/frontend`)).toThrow(
      `team/runtime: grantInvoke(principal) = "arn:aws:iam::${ACCOUNT}:role/frontend": the invoker policy would grant nothing: a runtime with a CUSTOM_JWT authorizer refuses SigV4 requests; its callers present a bearer token. Fix: give the caller a token the authorizer accepts (allowedClients, allowedAudience, allowedScopes).`,
    );
    expect(() => runtime.grantOperate(`arn:aws:iam::${ACCOUNT}:role/oncall`)).toThrow(/team\/runtime: grantOperate\(principal\) = .*: the operator policy would grant nothing/);
  });

  it("refuses two grants that would take one Terraform address (a role named like another role construct's path)", () => {
    const s = stack();
    const runtime = new AgentRuntime(s, "runtime", runtimeProps());
    const oncall = new IamRole(s, "oncall", { name: "oncall-role", assumeRolePolicy: "{}" });
    runtime.grantOperate(oncall);
    expect(() => runtime.grantOperate(`arn:aws:iam::${ACCOUNT}:role/team-oncall`)).toThrow(
      `team/runtime: grantOperate(principal) = "arn:aws:iam::${ACCOUNT}:role/team-oncall": would take the Terraform address operator-role-team-oncall, which another operator grant already holds (a principal named like another one's construct path). Fix: grant the role construct by its literal ARN (its attachment is then named after the role), or give the construct another id.`,
    );
  });

  it("gives each extra mount-target group its own NFS egress address, whether its id is a literal or a token", () => {
    // A mount path named like a literal group id once claimed that group's address: "nfs-egress-sg-…" twice.
    const s = stack();
    const group = new TerraformVariable(s, "group", { type: "string" }).stringValue;
    const efs = (n: number, mountPath: string, mountTargetSecurityGroupId: string) => ({
      type: "efs" as const,
      accessPointArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:access-point/fsap-0123456789abcdef${n}`,
      fileSystemArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123456789abcdef${n}`,
      mountPath,
      mountTargetSecurityGroupId,
    });
    new AgentRuntime(s, "runtime", runtimeProps({ additionalMounts: [efs(1, "/mnt/shared", "sg-0123456789abcdef0"), efs(2, "/mnt/sg-0123456789abcdef0", group)] }));
    const rules = Object.keys(resourcesOf(synthStack(s), "aws_vpc_security_group_egress_rule"));
    expect(rules.map((id) => id.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual(["runtime_nfs-egress-path-sg-0123456789abcdef0", "runtime_nfs-egress-sg-0123456789abcdef0"]);
  });

  it("refuses a stack in a Region without AgentCore Runtime", () => {
    expect(refused((s) => new AgentRuntime(s, "runtime", runtimeProps()), stack("ca-west-1"))).toContain(
      'team/runtime: region = "ca-west-1": does not offer Amazon Bedrock AgentCore Runtime. Fix: deploy the stack to one of us-east-1, us-east-2, us-west-1, us-west-2, eu-central-1, eu-west-1, eu-west-2, eu-south-1, eu-west-3, eu-south-2, eu-north-1, ap-southeast-5, ap-south-1, ap-south-2, ap-southeast-1, ap-southeast-2, ap-southeast-7, ap-northeast-1, ap-northeast-2, ca-central-1, sa-east-1, us-gov-west-1 (update lib/service-facts.ts if AWS has added the Region).',
    );
  });
});

describe("ShellAccessAlert", () => {
  it.each([
    ["an address that is not one", { emails: ["oncall"] }, 'team/alert: emails.0 = "oncall": is not an email address. Fix: correct the address.'],
    ["a trail ARN that is not one", { cloudTrail: { existingTrailArn: "org-trail" } }, 'team/alert: cloudTrail.existingTrailArn = "org-trail": is not a CloudTrail trail ARN. Fix: use the ARN of a trail that logs this runtime\'s InvokeAgentRuntimeCommand data events, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail", or "create".'],
    ["logs kept no day", { trailLogRetentionDays: 0 }, "team/alert: trailLogRetentionDays = 0: must be a whole number of days, at least 1. Fix: set how many days the trail's logs are kept, e.g. 30."],
    // A trail that is not multi-Region logs only its own Region's events (CloudTrail User Guide, create-trail); an
    // EventBridge rule sees only its own Region's CloudTrail events (EventBridge User Guide, CloudTrail tutorial).
    [
      "a trail of another Region, not said to be multi-Region",
      { cloudTrail: { existingTrailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org` } },
      `team/alert: cloudTrail.existingTrailArn = "arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org": is a trail of us-east-1, but the runtime's command events happen in us-west-2; a trail that is not multi-Region logs only its own Region's events, so the alert would never fire. Fix: name a trail of us-west-2, or, if this trail is a multi-Region trail, say so with multiRegion: true.`,
    ],
    ["a trail of another Region said to be multi-Region with something else than true", { cloudTrail: { existingTrailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org`, multiRegion: "yes" as never } }, `team/alert: cloudTrail = {"existingTrailArn":"arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org","multiRegion":"yes"}: is not a known option. Fix: see ShellAccessAlertProps.`],
  ])("%s", (_case, props, line) => {
    expect(refused((s) => new ShellAccessAlert(s, "alert", { runtime: RUNTIME, ...props }))).toContain(line);
  });

  it("accepts a trail of this Region, and one of another Region said to be multi-Region", () => {
    for (const cloudTrail of [{ existingTrailArn: `arn:aws:cloudtrail:us-west-2:${ACCOUNT}:trail/org` }, { existingTrailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org`, multiRegion: true }]) {
      const alert = new ShellAccessAlert(stack(), "alert", { runtime: RUNTIME, cloudTrail });
      expect(alert.trailArn).toBe(cloudTrail.existingTrailArn);
    }
  });
});
