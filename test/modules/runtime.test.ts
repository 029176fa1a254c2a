import { describe, expect, it } from "vitest";
import { valueBreaks } from "../../lib/aws-constraints/check.ts";
import { ACCOUNT } from "../helpers/iam.ts";
import { listOf, synthEnvironment } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

describe("AgentCore runtime (defaults)", () => {
  const json = synthEnvironment({ agent: { models: [HAIKU] } }).agent();
  const runtime = listOf(json, "aws_bedrockagentcore_agent_runtime")[0]!;

  it("runs the registry's image by digest, taken from a validated variable (synth needs no built image)", () => {
    expect(runtime.agent_runtime_artifact).toEqual([
      { container_configuration: [{ container_uri: expect.stringMatching(/cross-stack-reference-input-test-registry.*repository_url\}@\$\{var\.agent_image_digest\}$/) }] },
    ]);
    const variable = (json as { variable?: Record<string, { validation: { condition: string; error_message: string }[]; default?: string }> }).variable!.agent_image_digest!;
    expect(variable.default).toBeUndefined();
    expect(variable.validation[0]!.condition).toContain('regex("^sha256:[a-f0-9]{64}$"');
  });

  it("runs in VPC mode in the network's private subnets with the agent security group", () => {
    expect(runtime.network_configuration).toEqual([
      {
        network_mode: "VPC",
        network_mode_config: [
          {
            subnets: [expect.stringContaining("private-subnet-usw2-az1"), expect.stringContaining("private-subnet-usw2-az2")],
            security_groups: [expect.stringContaining("agent-security-group")],
          },
        ],
      },
    ]);
  });

  it("mounts session storage at /mnt/workspace and the S3 Files access point at /mnt/s3data", () => {
    expect(runtime.filesystem_configuration).toEqual([
      { session_storage: [{ mount_path: "/mnt/workspace" }] },
      { s3_files_access_point: [{ access_point_arn: expect.stringContaining("access-point"), mount_path: "/mnt/s3data" }] },
    ]);
  });

  it("uses IAM auth (no authorizer block), HTTP, and the interactive lifecycle", () => {
    expect(runtime).not.toHaveProperty("authorizer_configuration");
    expect(runtime.protocol_configuration).toEqual([{ server_protocol: "HTTP" }]);
    expect(runtime.lifecycle_configuration).toEqual([{ idle_runtime_session_timeout: 900, max_lifetime: 28800 }]);
  });

  it("tells the agent where its tiers are through plain configuration", () => {
    expect(runtime.environment_variables).toEqual({
      AGENT_ENVIRONMENT: "test",
      AGENT_REGION: "us-west-2",
      AGENT_BUCKET: expect.stringContaining("aws_s3_bucket"),
      AGENT_PREFIX: "agent-data",
      AGENT_MODEL_IDS: HAIKU,
      SESSION_STORAGE_PATH: "/mnt/workspace",
      S3FILES_MOUNT_PATH: "/mnt/s3data",
    });
  });

  it("has an endpoint that follows the runtime's version", () => {
    const runtimeId = Object.keys(json.resource!.aws_bedrockagentcore_agent_runtime!)[0];
    expect(listOf(json, "aws_bedrockagentcore_agent_runtime_endpoint")).toEqual([
      expect.objectContaining({
        name: "live",
        agent_runtime_id: `\${aws_bedrockagentcore_agent_runtime.${runtimeId}.agent_runtime_id}`,
        agent_runtime_version: `\${aws_bedrockagentcore_agent_runtime.${runtimeId}.agent_runtime_version}`,
      }),
    ]);
  });

  it("leaves AgentCore's own log groups to AgentCore: none under /aws/bedrock-agentcore/runtimes/ is managed here", () => {
    // AgentCore creates them itself (at provisioning or first invocation): managed here, apply fails or destroy leaves them recreated.
    expect(listOf(json, "aws_cloudwatch_log_group").map((g) => String(g.name)).filter((n) => n.startsWith("/aws/bedrock-agentcore/runtimes/"))).toEqual([]);
    const runtimeId = Object.keys(json.resource!.aws_bedrockagentcore_agent_runtime!)[0];
    expect(json.output!.runtime_log_group_names!.value).toEqual([
      `/aws/bedrock-agentcore/runtimes/\${aws_bedrockagentcore_agent_runtime.${runtimeId}.agent_runtime_id}-DEFAULT`,
      `/aws/bedrock-agentcore/runtimes/\${aws_bedrockagentcore_agent_runtime.${runtimeId}.agent_runtime_id}-live`,
    ]);
  });

  it("forgets the log groups earlier versions managed, without deleting them (removed, destroy = false)", () => {
    expect((json as { removed?: unknown }).removed).toEqual([
      { from: "aws_cloudwatch_log_group.runtime_log-group-default_16B67667", lifecycle: { destroy: false } },
      { from: "aws_cloudwatch_log_group.runtime_log-group-live_0589569C", lifecycle: { destroy: false } },
    ]);
  });

  it("delivers the runtime's application and usage logs into log groups it owns, with retention", () => {
    const runtimeId = Object.keys(json.resource!.aws_bedrockagentcore_agent_runtime!)[0];
    expect(listOf(json, "aws_cloudwatch_log_group").map((g) => [g.name, g.retention_in_days])).toEqual([
      ["/aws/vendedlogs/bedrock-agentcore/test_agent/application-logs", 30],
      ["/aws/vendedlogs/bedrock-agentcore/test_agent/usage-logs", 30],
    ]);
    expect(listOf(json, "aws_cloudwatch_log_delivery_source")).toEqual([
      { name: "test_agent-application", log_type: "APPLICATION_LOGS", resource_arn: `\${aws_bedrockagentcore_agent_runtime.${runtimeId}.agent_runtime_arn}` },
      { name: "test_agent-usage", log_type: "USAGE_LOGS", resource_arn: `\${aws_bedrockagentcore_agent_runtime.${runtimeId}.agent_runtime_arn}` },
    ]);
    const groups = Object.keys(json.resource!.aws_cloudwatch_log_group!);
    expect(listOf(json, "aws_cloudwatch_log_delivery_destination").map((d) => [d.delivery_destination_type, d.delivery_destination_configuration])).toEqual(
      groups.map((id) => ["CWL", [{ destination_resource_arn: `\${aws_cloudwatch_log_group.${id}.arn}` }]]),
    );
    const sources = Object.keys(json.resource!.aws_cloudwatch_log_delivery_source!);
    const destinations = Object.keys(json.resource!.aws_cloudwatch_log_delivery_destination!);
    expect(listOf(json, "aws_cloudwatch_log_delivery")).toEqual(
      sources.map((source, i) => ({
        delivery_source_name: `\${aws_cloudwatch_log_delivery_source.${source}.name}`,
        delivery_destination_arn: `\${aws_cloudwatch_log_delivery_destination.${destinations[i]}.arn}`,
      })),
    );
  });

  it("is created only after the execution role's permissions exist", () => {
    expect(runtime.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });
});

describe("AgentCore runtime (options)", () => {
  it("custom JWT auth, MCP, batch workload, custom mount paths, a pinned digest and an extra mount", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const efs = {
      type: "efs" as const,
      accessPointArn: "arn:aws:elasticfilesystem:us-west-2:123456789012:access-point/fsap-0123456789abcdef0",
      fileSystemArn: "arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123456789abcdef0",
      mountPath: "/mnt/shared",
      mountTargetSecurityGroupId: "sg-0123456789abcdef0",
    };
    const json = synthEnvironment({
      agent: {
        models: [HAIKU],
        protocol: "MCP",
        auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedClients: ["web"], tokenHoldersCanRunCommands: true },
        workload: "batch",
        sessionStorageMountPath: "/mnt/scratch",
        s3FilesMountPath: "/mnt/files",
        additionalMounts: [efs],
        imageDigest: digest,
      },
      audit: { suppress: [{ rule: "shell-iam-authorizes-commands", reason: "every client of the identity provider may run commands" }] },
    }).agent();
    const runtime = listOf(json, "aws_bedrockagentcore_agent_runtime")[0]!;
    expect(runtime.authorizer_configuration).toEqual([
      { custom_jwt_authorizer: [{ discovery_url: "https://id.example.com/.well-known/openid-configuration", allowed_clients: ["web"] }] },
    ]);
    expect(runtime.protocol_configuration).toEqual([{ server_protocol: "MCP" }]);
    expect(runtime.lifecycle_configuration).toEqual([{ idle_runtime_session_timeout: 300, max_lifetime: 3600 }]);
    expect(runtime.filesystem_configuration).toEqual([
      { session_storage: [{ mount_path: "/mnt/scratch" }] },
      { s3_files_access_point: [{ access_point_arn: expect.any(String), mount_path: "/mnt/files" }] },
      { efs_access_point: [{ access_point_arn: efs.accessPointArn, mount_path: "/mnt/shared" }] },
    ]);
    const role = JSON.parse(String(listOf(json, "aws_iam_role_policy")[0]!.policy)) as { Statement: Record<string, unknown>[] };
    expect(role.Statement).toContainEqual(
      expect.objectContaining({ Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: efs.fileSystemArn }),
    );
    expect((json as { variable?: Record<string, { default?: string }> }).variable!.agent_image_digest!.default).toBe(digest);
  });
});

describe("AgentCore runtime: other teams' file systems", () => {
  const mount = (type: "s3files" | "efs", n: number, group: string) => ({
    type,
    accessPointArn:
      type === "efs"
        ? `arn:aws:elasticfilesystem:us-west-2:123456789012:access-point/fsap-0123456789abcdef${n}`
        : `arn:aws:s3files:us-west-2:123456789012:file-system/fs-0fedcba987654321${n}/access-point/fsap-0fedcba987654321${n}`,
    fileSystemArn: type === "efs" ? `arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123456789abcdef${n}` : `arn:aws:s3files:us-west-2:123456789012:file-system/fs-0fedcba987654321${n}`,
    mountPath: `/mnt/${type}${n}`,
    mountTargetSecurityGroupId: group,
  });
  const json = synthEnvironment({ agent: { models: [HAIKU], additionalMounts: [mount("efs", 1, "sg-0aaaaaaaaaaaaaaa1"), mount("efs", 2, "sg-0aaaaaaaaaaaaaaa1"), mount("s3files", 3, "sg-0bbbbbbbbbbbbbbb2")] } }).agent();
  const egress = listOf(json, "aws_vpc_security_group_egress_rule");

  it("lets NFS out of the agent security group to each mount-target group once (EC2 refuses a duplicate rule)", () => {
    expect(egress.map((r) => [r.referenced_security_group_id, r.ip_protocol, r.from_port, r.to_port, r.description])).toEqual([
      ["sg-0aaaaaaaaaaaaaaa1", "tcp", 2049, 2049, "NFS to the mount targets of /mnt/efs1, /mnt/efs2"],
      ["sg-0bbbbbbbbbbbbbbb2", "tcp", 2049, 2049, "NFS to the mount targets of /mnt/s3files3"],
    ]);
    for (const rule of egress) expect(rule.security_group_id).toMatch(/cross-stack-output-aws_security_groupnetwork_agent-security-group/);
  });

  it("describes each rule as EC2 accepts it even when the mount paths sharing a group do not fit (255 characters)", () => {
    // Mount paths may be 200 characters (AgentCore's model); two behind one group would list ~420 characters.
    const long = (n: number) => ({ ...mount("efs", n, "sg-0ccccccccccccccc3"), mountPath: `/mnt/${String(n).repeat(190)}` });
    const rules = listOf(synthEnvironment({ agent: { models: [HAIKU], additionalMounts: [long(1), long(2)] } }).agent(), "aws_vpc_security_group_egress_rule");
    expect(rules.map((r) => r.description)).toEqual(["NFS to the mount targets of 2 additional mounts"]);
    for (const rule of [...rules, ...egress]) {
      expect(valueBreaks("aws_vpc_security_group_egress_rule", "description", rule.description, undefined, "referenced_security_group_id")).toEqual([]);
    }
    // The oracle refuses what the listed form would have been.
    expect(valueBreaks("aws_vpc_security_group_egress_rule", "description", `NFS to the mount targets of ${long(1).mountPath}, ${long(2).mountPath}`, undefined, "referenced_security_group_id")).not.toEqual([]);
  });

  it("creates the runtime after the way to those file systems is open", () => {
    const runtime = listOf(json, "aws_bedrockagentcore_agent_runtime")[0]!;
    const ids = Object.keys(json.resource!.aws_vpc_security_group_egress_rule!).map((id) => `aws_vpc_security_group_egress_rule.${id}`);
    expect(runtime.depends_on).toEqual(expect.arrayContaining(ids));
  });
});

describe("registry", () => {
  const json = synthEnvironment({ account: ACCOUNT, agent: { models: [HAIKU], keepImages: 12 } }).registry();

  it("is immutable (but for the build cache tag), scanned on push, KMS-encrypted, and never force-deleted by Terraform", () => {
    expect(listOf(json, "aws_ecr_repository")).toEqual([
      expect.objectContaining({
        name: "test-agent",
        image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
        image_tag_mutability_exclusion_filter: [{ filter: "buildcache", filter_type: "WILDCARD" }],
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS" }],
        force_delete: false,
      }),
    ]);
  });

  it("expires untagged images after a day and keeps the configured number of images", () => {
    const policy = JSON.parse(String(listOf(json, "aws_ecr_lifecycle_policy")[0]!.policy));
    expect(policy.rules.map((r: { selection: unknown }) => r.selection)).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
      { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 12 },
    ]);
  });

  it("outputs the repository URL for the image build", () => {
    expect(json.output!.repository_url).toMatchObject({ description: expect.stringContaining("pushed") });
  });
});
