import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { readSynthesizedStacks, type SynthesizedStack } from "../../lib/aws-constraints/index.ts";
import { checkServiceRules, SERVICE_RULES } from "../../lib/service-rules.ts";
import { synthesize } from "../../lib/synth.ts";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack } from "cdktn";
import { Network } from "../../modules/network/index.ts";
import { AgentRegistry } from "../../modules/registry/index.ts";
import { AgentRuntime } from "../../modules/runtime/index.ts";
import { S3FilesStorage } from "../../modules/storage/index.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";
import { synthStack, testApp } from "../helpers/synth.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };
const outdir = join(mkdtempSync(join(tmpdir(), "service-rules-")), "cdktf.out");
synthesize([...environments, ...EVERY_OPTION_ENVIRONMENTS], { outdir, targetVersions: cdktfJson.targetVersions });
const synthesized = readSynthesizedStacks(outdir);

/** The constructs composed in one stack, as the README's "one by one" example does (but creating its VPC). */
function singleStack(): SynthesizedStack {
  const stack = new TerraformStack(testApp(), "research");
  new AwsProvider(stack, "aws", { region: "us-west-2", allowedAccountIds: ["123456789012"] });
  const network = new Network(stack, "network", { cidr: "10.80.0.0/16" });
  const storage = new S3FilesStorage(stack, "storage", { network });
  const registry = new AgentRegistry(stack, "registry");
  new AgentRuntime(stack, "runtime", { network, storage, registry, models: ["us.anthropic.claude-haiku-4-5-20251001-v1:0"] });
  return { name: "research", json: synthStack(stack) as SynthesizedStack["json"] };
}
const single = singleStack();

type Config = Record<string, unknown>;
type Json = { resource: Record<string, Record<string, Config>> };
/** A deep copy of the synthesized stacks with one stack changed the way a careless edit would. */
function weakened(stackName: string, change: (json: Json) => void): SynthesizedStack[] {
  const copy = structuredClone(synthesized) as { name: string; json: Json }[];
  change(copy.find((s) => s.name === stackName)!.json);
  return copy as unknown as SynthesizedStack[];
}
const one = (json: Json, type: string, match: (c: Config) => boolean = () => true) => Object.values(json.resource[type] ?? {}).find(match)!;
const editPolicy = (config: Config, field: string, edit: (statements: Config[]) => Config[]) => {
  const doc = JSON.parse(String(config[field])) as { Statement: Config[] };
  doc.Statement = edit(doc.Statement);
  config[field] = JSON.stringify(doc);
};
const isEvents = (s: Config) => JSON.stringify(s.Principal).includes("events.amazonaws.com");

/** The execution role's policy of a stack, with some statements changed. */
const withExecutionPolicy = (stackName: string, edit: (statements: Config[]) => Config[]) => () => weakened(stackName, (j) => editPolicy(one(j, "aws_iam_role_policy"), "policy", edit));
const ruleNamed = (id: string) => SERVICE_RULES.find((r) => r.id === id)!;

/** For each rule: a copy of the shipped output that breaks it, and the finding that must name the problem. */
const BROKEN: Record<string, { stacks: () => SynthesizedStack[]; finding: RegExp }> = {
  "sns-key-eventbridge-no-source-conditions": {
    // The defect the outside review found: the source conditions KMS does not support on this path.
    stacks: () =>
      weakened("prod-agent", (j) =>
        editPolicy(one(j, "aws_kms_key"), "policy", (st) => st.map((s) => (isEvents(s) ? { ...s, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } } : s))),
      ),
    finding: /conditions EventBridge's use of the key on aws:Source\* keys/,
  },
  "sns-eventbridge-topic-customer-managed-key": {
    stacks: () => weakened("dev-agent", (j) => (one(j, "aws_sns_topic").kms_master_key_id = "alias/aws/sns")),
    finding: /uses alias\/aws\/sns/,
  },
  "sns-topic-policy-admits-eventbridge": {
    stacks: () => weakened("dev-agent", (j) => editPolicy(one(j, "aws_sns_topic_policy"), "policy", (st) => st.filter((s) => !isEvents(s)))),
    finding: /has no topic policy letting EventBridge publish/,
  },
  "cloudtrail-one-resource-type-per-selector": {
    stacks: () =>
      weakened("dev-agent", (j) => {
        const trail = one(j, "aws_cloudtrail");
        const [first] = trail.advanced_event_selector as { field_selector: Config[] }[];
        first!.field_selector.push({ field: "resources.type", equals: ["AWS::BedrockAgentCore::RuntimeEndpoint"] });
      }),
    finding: /selector 0 has more than one resources\.type field/,
  },
  "cloudtrail-runtime-commands-on-runtime-and-endpoint": {
    // The defect the outside review found: only the runtime's type selected.
    stacks: () => weakened("dev-agent", (j) => (one(j, "aws_cloudtrail").advanced_event_selector = (one(j, "aws_cloudtrail").advanced_event_selector as unknown[]).slice(0, 1))),
    finding: /does not select AWS::BedrockAgentCore::RuntimeEndpoint/,
  },
  "cloudtrail-advanced-selector-values-quota": {
    stacks: () =>
      weakened("dev-agent", (j) => {
        const [first] = one(j, "aws_cloudtrail").advanced_event_selector as { field_selector: Config[] }[];
        first!.field_selector.push({ field: "resources.ARN", starts_with: Array.from({ length: 500 }, (_, i) => `arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/r${i}`) });
      }),
    finding: /has 5\d\d selector values/,
  },
  "cloudtrail-bucket-policy-before-trail": {
    stacks: () => weakened("dev-agent", (j) => delete one(j, "aws_cloudtrail").depends_on),
    finding: /may be created before its bucket policy/,
  },
  "agentcore-execution-role-ready-before-runtime": {
    stacks: () =>
      weakened("dev-agent", (j) =>
        editPolicy(one(j, "aws_iam_role_policy"), "policy", (st) => st.filter((s) => s.Sid !== "LetTheRuntimeValidateTheMount")),
      ),
    finding: /the policy it waits for lacks s3files:GetAccessPoint/,
  },
  "agentcore-runtime-after-mount-targets": {
    // The defect the outside review found: composed in one stack, the runtime waited only for the access point.
    stacks: () => {
      const copy = structuredClone(single) as unknown as { name: string; json: Json };
      const runtime = one(copy.json, "aws_bedrockagentcore_agent_runtime");
      runtime.depends_on = (runtime.depends_on as string[]).filter((d) => !d.startsWith("aws_s3files_mount_target."));
      return [copy as unknown as SynthesizedStack];
    },
    finding: /research aws_bedrockagentcore_agent_runtime\.\S+ may be created before research aws_s3files_mount_target\.\S+ is available/,
  },
  "agentcore-vpc-reaches-s3": {
    stacks: () => weakened("dev-network", (j) => delete j.resource.aws_vpc_endpoint),
    finding: /dev-network creates a VPC with no S3 gateway endpoint/,
  },
  "agentcore-vpc-endpoints-without-nat": {
    stacks: () =>
      weakened("staging-network", (j) => {
        for (const [id, e] of Object.entries(j.resource.aws_vpc_endpoint!)) if (String(e.service_name).endsWith(".logs")) delete j.resource.aws_vpc_endpoint![id];
      }),
    finding: /staging-network has no NAT and no interface endpoint for logs/,
  },
  "vpc-endpoint-private-dns-serves-the-vpc": {
    // The defect the outside review found: endpoints in an existing VPC that only the agent may use.
    stacks: () =>
      weakened("everything-imported-network", (j) => {
        for (const [id, r] of Object.entries(j.resource.aws_vpc_security_group_ingress_rule!)) if (String(r.cidr_ipv4 ?? "").includes("cidr_block")) delete j.resource.aws_vpc_security_group_ingress_rule![id];
      }),
    finding: /everything-imported-network aws_vpc_endpoint\.\S+ serves com\.amazonaws\.us-west-2\.ecr\.api to the whole existing VPC through private DNS, but its security group admits no HTTPS from the VPC/,
  },
  "agentcore-supported-availability-zones": {
    stacks: () => weakened("dev-network", (j) => (one(j, "aws_subnet", (s) => (s.tags as Record<string, string>).Tier === "private").availability_zone_id = "usw2-az4")),
    finding: /is in usw2-az4, not one of usw2-az1, usw2-az2, usw2-az3/,
  },
  "s3files-mount-target-in-each-runtime-az": {
    stacks: () =>
      weakened("prod-storage", (j) => {
        const [id] = Object.keys(j.resource.aws_s3files_mount_target!);
        delete j.resource.aws_s3files_mount_target![id!];
      }),
    finding: /prod: no mount target in the runtime's subnet aws_subnetnetwork_private-subnet-use1-az1/,
  },
  "s3files-nfs-between-runtime-and-mount-targets": {
    stacks: () =>
      weakened("dev-network", (j) => {
        const nfs = one(j, "aws_vpc_security_group_ingress_rule", (r) => r.from_port === 2049);
        nfs.from_port = 443;
        nfs.to_port = 443;
      }),
    finding: /the mount targets' group does not admit TCP 2049 from the agent's group/,
  },
  "s3files-bucket-versioned-before-file-system": {
    stacks: () => weakened("dev-storage", (j) => (one(j, "aws_s3_bucket_versioning").versioning_configuration = { status: "Suspended" })),
    finding: /is not created after its bucket's versioning is Enabled/,
  },
  "vpc-security-groups-per-network-interface": {
    stacks: () =>
      weakened("dev-agent", (j) => {
        const [network] = one(j, "aws_bedrockagentcore_agent_runtime").network_configuration as { network_mode_config: { security_groups: string[] }[] }[];
        network!.network_mode_config[0]!.security_groups = ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"].map((g) => `${g}0000000`);
      }),
    finding: /names more than 5 security groups/,
  },
  "agentcore-runtime-uses-its-own-security-group": {
    stacks: () =>
      weakened("dev-agent", (j) => {
        const [network] = one(j, "aws_bedrockagentcore_agent_runtime").network_configuration as { network_mode_config: { security_groups: string[] }[] }[];
        network!.network_mode_config[0]!.security_groups = ["sg-0123456789abcdef0"];
      }),
    finding: /dev: the runtime uses sg-0123456789abcdef0, not the environment's agent security group/,
  },
  "kms-key-policy-keeps-key-manageable": {
    stacks: () => weakened("dev-agent", (j) => editPolicy(one(j, "aws_kms_key"), "policy", (st) => st.filter((s) => s.Sid !== "AccountAdministersTheKeyThroughIam"))),
    finding: /does not let the account administer the key/,
  },
  "bedrock-profile-only-models-through-a-profile": {
    // The defect the outside review found: prod listed Claude Haiku 4.5 by its bare id.
    stacks: () =>
      weakened("prod-agent", (j) =>
        editPolicy(one(j, "aws_iam_role_policy"), "policy", (st) => [
          { Sid: "Bare", Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0" },
          ...st,
        ]),
      ),
    finding: /grants arn:aws:bedrock:us-east-1::foundation-model\/anthropic\.claude-haiku-4-5-20251001-v1:0 on demand/,
  },
  "bedrock-global-profile-regionless-model": {
    // The defect the outside review found: a global profile with routedRegions, and no Region-less model ARN.
    stacks: withExecutionPolicy("everything-agent", (st) =>
      st.map((s) => ({ ...s, ...(s.Resource !== undefined && { Resource: [s.Resource as string | string[]].flat().filter((r) => !r.startsWith("arn:aws:bedrock:::")) }) })),
    ),
    finding: /may invoke arn:aws:bedrock:us-west-2:123456789012:inference-profile\/global\.anthropic\.claude-sonnet-4-5-20250929-v1:0 but not arn:aws:bedrock:::foundation-model\/anthropic\.claude-sonnet-4-5-20250929-v1:0/,
  },
  "agentcore-owns-its-runtime-log-groups": {
    // The defect the outside review found: the stack created AgentCore's own groups.
    stacks: () => weakened("dev-agent", (j) => (j.resource.aws_cloudwatch_log_group!.service = { name: "/aws/bedrock-agentcore/runtimes/${x.agent_runtime_id}-DEFAULT", retention_in_days: 30 })),
    finding: /creates AgentCore's own log group \/aws\/bedrock-agentcore\/runtimes\//,
  },
  "iam-role-deletable-with-attached-policies": {
    stacks: () => weakened("dev-agent", (j) => delete one(j, "aws_iam_role").force_detach_policies),
    finding: /dev-agent aws_iam_role\.\S+ cannot be destroyed while someone's managed policy is attached to it/,
  },
  "iam-managed-policies-per-role-quota": {
    stacks: () =>
      weakened("everything-agent", (j) => {
        const [, attachment] = Object.entries(j.resource.aws_iam_role_policy_attachment!)[0]!;
        for (let i = 0; i < 10; i++) j.resource.aws_iam_role_policy_attachment![`extra-${i}`] = { ...attachment, policy_arn: `arn:aws:iam::aws:policy/Extra${i}` };
      }),
    // Both every-option environments attach the operator policy to the same role: 2 + 10.
    finding: /role platform-oncall gets 12 managed policies/,
  },
};


describe("agentcore-execution-role-ready-before-runtime judges every file system the runtime mounts", () => {
  const rule = ruleNamed("agentcore-execution-role-ready-before-runtime");
  // The every-option environment mounts its own S3 Files access point, another team's (fs-0fedcba9876543210) and two EFS access points.
  const otherAccessPoint = "arn:aws:s3files:us-west-2:123456789012:file-system/fs-0fedcba9876543210/access-point/fsap-0fedcba9876543210";
  const efsAccessPoint = "arn:aws:elasticfilesystem:us-west-2:123456789012:access-point/fsap-0123456789abcdef0";
  const withoutSid = (sid: string) => (st: Config[]) => st.filter((s) => s.Sid !== sid);
  it.each([
    ["another S3 Files access point without s3files:GetAccessPoint on it", withoutSid("LetTheRuntimeValidateAdditionalMount0"), `s3files:GetAccessPoint on ${otherAccessPoint}`],
    [
      "another S3 Files file system left out of ListMountTargets",
      (st: Config[]) => st.map((s) => (s.Sid === "LetTheRuntimeFindMountTargets" ? { ...s, Resource: (s.Resource as string[]).slice(0, 1) } : s)),
      `s3files:ListMountTargets on the file system of ${otherAccessPoint}`,
    ],
    ["an EFS access point without elasticfilesystem:DescribeAccessPoints", withoutSid("LetTheRuntimeValidateAdditionalMount1"), `elasticfilesystem:DescribeAccessPoints on ${efsAccessPoint}`],
    ["an EFS file system without elasticfilesystem:DescribeMountTargets", withoutSid("LetTheRuntimeValidateAdditionalMount1"), `elasticfilesystem:DescribeMountTargets on the file system of ${efsAccessPoint}`],
    [
      // The devguide's single statement: GetAccessPoint on the file system, under the s3files:AccessPointArn condition.
      "GetAccessPoint only under the access point condition, on the file system",
      (st: Config[]) => st.filter((s) => s.Sid !== "LetTheRuntimeValidateTheMount").map((s) => (s.Sid === "MountTheFileSystemThroughItsAccessPoint" ? { ...s, Action: [...(s.Action as string[]), "s3files:GetAccessPoint"] } : s)),
      "s3files:GetAccessPoint on ${",
    ],
  ])("%s is caught", (_what, edit, finding) => {
    expect(rule.check(withExecutionPolicy("everything-agent", edit)()).join("\n")).toContain(finding);
  });

  it("the role as synthesized passes for every mount (the check is not vacuous: the runtime mounts 4 access points)", () => {
    const everything = synthesized.filter((s) => s.name === "everything-agent");
    const runtime = Object.values((everything[0]!.json.resource as Json["resource"]).aws_bedrockagentcore_agent_runtime!)[0]!;
    expect(JSON.stringify(runtime.filesystem_configuration).match(/access_point_arn/g)).toHaveLength(4);
    expect(rule.check(everything)).toEqual([]);
  });
});

describe("s3files-nfs-between-runtime-and-mount-targets judges other teams' file systems too", () => {
  const rule = ruleNamed("s3files-nfs-between-runtime-and-mount-targets");
  it("a runtime mounting another file system with no NFS egress to its mount targets is caught", () => {
    const broken = weakened("everything-agent", (j) => {
      for (const [id, r] of Object.entries(j.resource.aws_vpc_security_group_egress_rule ?? {})) if (String(r.description).includes("/mnt/reference")) delete j.resource.aws_vpc_security_group_egress_rule![id];
    });
    expect(rule.check(broken)).toEqual([expect.stringMatching(/^everything-agent aws_bedrockagentcore_agent_runtime\.\S+: no NFS egress from its security group to the mount targets of the file system at \/mnt\/reference$/)]);
  });

  it("the synthesized every-option runtimes reach each of their 3 other file systems (the check is not vacuous)", () => {
    const agent = synthesized.find((s) => s.name === "everything-agent")!;
    expect(Object.values((agent.json.resource as Json["resource"]).aws_vpc_security_group_egress_rule!).map((r) => r.description).sort()).toEqual([
      "NFS to the mount targets of /mnt/models, /mnt/cache",
      "NFS to the mount targets of /mnt/reference",
    ]);
    expect(rule.check([agent])).toEqual([]);
  });
});

describe("the service rules table", () => {
  it("every rule has a documented source and a case that breaks it here", () => {
    expect(Object.keys(BROKEN).sort()).toEqual(SERVICE_RULES.map((r) => r.id).sort());
    for (const rule of SERVICE_RULES) expect(rule.source, rule.id).toMatch(/^(https:\/\/|AWS API model |[\w.-]+\/[\w.-]+|lib\/)/);
  });

  it("the shipped environments and the every-option environments obey every rule", () => {
    expect(checkServiceRules(synthesized)).toEqual([]);
  });

  it("so do the constructs composed in one stack (the runtime waits for the mount targets there)", () => {
    expect(checkServiceRules([single])).toEqual([]);
    const runtime = Object.values(single.json.resource!.aws_bedrockagentcore_agent_runtime!)[0]!;
    expect((runtime.depends_on as string[]).filter((d) => d.startsWith("aws_s3files_mount_target."))).toHaveLength(2);
  });

  it.each(SERVICE_RULES.map((r) => [r.id, r] as const))("%s: a copy that breaks it is caught", (id, rule) => {
    const { stacks, finding } = BROKEN[id]!;
    const findings = rule.check(stacks());
    expect(findings.length, `${id} found nothing`).toBeGreaterThan(0);
    expect(findings.join("\n")).toMatch(finding);
  });
});
