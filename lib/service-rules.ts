/**
 * Rules AWS services impose that are not in the API models: what a service principal may be given in a key
 * policy, which data-event resource types a trail must select, what must exist before a runtime is created,
 * how VPC-mode runtimes and S3 Files mount targets must meet, and quotas a configuration can run into. Each rule
 * names the page (or repository path, or issue) that states it, and is a pure check over synthesized stacks
 * returning what breaks it. Tests pin each one against the shipped environments and a copy that breaks it.
 */
import { INFERENCE_PROFILE_ONLY_MODELS, AGENTCORE_VPC_AZ_IDS } from "./service-facts.ts";
import type { SynthesizedStack } from "./aws-constraints/index.ts";
import { actionCovers } from "../policies/rules/terraform.ts";

export interface ServiceRule {
  readonly id: string;
  /** What AWS requires, in a sentence. */
  readonly rule: string;
  /** Where it is stated: a URL, a repository path, or an issue. */
  readonly source: string;
  /** What in these stacks breaks the rule; empty when it holds. */
  readonly check: (stacks: readonly SynthesizedStack[]) => string[];
}

type Config = Record<string, unknown>;
interface Found {
  readonly stack: SynthesizedStack;
  readonly id: string;
  readonly config: Config;
}
interface Statement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const list = <T>(value: T | readonly T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value as T));
const resources = (stack: SynthesizedStack, type: string): Found[] => Object.entries(stack.json.resource?.[type] ?? {}).map(([id, config]) => ({ stack, id, config }));
const all = (stacks: readonly SynthesizedStack[], type: string): Found[] => stacks.flatMap((stack) => resources(stack, type));
const address = (found: Found, type: string) => `${found.stack.name} ${type}.${found.id}`;
const refersTo = (value: unknown, type: string, id: string) => String(value).includes(`${type}.${id}.`);
const statementsOf = (policy: unknown): Statement[] => {
  try {
    return list((JSON.parse(String(policy)) as { Statement?: Statement | Statement[] }).Statement);
  } catch {
    return [];
  }
};
const hasService = (statement: Statement, service: string) => JSON.stringify(statement.Principal ?? {}).includes(`"${service}"`);
const actionsOf = (statement: Statement) => list(statement.Action);
/** The output a cross-stack reference reads (`…outputs.cross-stack-output-<name>}`), which names the resource. */
const crossStackOutput = (reference: unknown) => /cross-stack-output-([^}]+)\}/.exec(String(reference))?.[1];
/** Whether a value is (or holds) a Terraform reference, known only at plan time. */
const isReference = (value: string) => value.includes("${");
/** IAM's wildcard match of a Resource pattern against an ARN: `*` any run of characters, `?` one (IAM User Guide, "IAM JSON policy elements: Resource"). */
function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern.split(/([*?])/).map((part) => (part === "*" ? ".*" : part === "?" ? "." : part.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${regex}$`).test(value);
}
/** The access point ARNs of one kind a runtime mounts (`s3_files_access_point` or `efs_access_point` blocks). */
const mountedAccessPoints = (runtime: Found, kind: "s3_files_access_point" | "efs_access_point"): string[] =>
  list(runtime.config.filesystem_configuration as Config[]).flatMap((f) => list(f[kind] as Config[]).map((m) => String(m.access_point_arn)));
/** A security group rule that lets NFS (TCP 2049) through. */
const isNfs = (c: Config) => c.ip_protocol === "tcp" && Number(c.from_port) <= 2049 && Number(c.to_port) >= 2049;
/** Stacks by environment (`<env>-<layer>`). */
function byEnvironment(stacks: readonly SynthesizedStack[]): Map<string, Partial<Record<"network" | "storage" | "registry" | "agent", SynthesizedStack>>> {
  const environments = new Map<string, Partial<Record<"network" | "storage" | "registry" | "agent", SynthesizedStack>>>();
  for (const stack of stacks) {
    const match = /^(.+)-(network|storage|registry|agent)$/.exec(stack.name);
    if (!match) continue;
    environments.set(match[1]!, { ...environments.get(match[1]!), [match[2]!]: stack });
  }
  return environments;
}
/** What a runtime's VPC configuration names: its subnets or its security groups. */
const runtimeVpc = (runtime: Found, field: "subnets" | "security_groups"): string[] =>
  list(runtime.config.network_configuration as Config[]).flatMap((n) => list(n.network_mode_config as Config[]).flatMap((c) => list(c[field] as string[])));
/** Topics an EventBridge rule of the stack sends to, with the key that encrypts each. */
function eventBridgeTopics(stack: SynthesizedStack): { topic: Found; key?: Found }[] {
  return resources(stack, "aws_sns_topic")
    .filter((topic) => resources(stack, "aws_cloudwatch_event_target").some((target) => refersTo(target.config.arn, "aws_sns_topic", topic.id)))
    .map((topic) => {
      const key = resources(stack, "aws_kms_key").find((k) => refersTo(topic.config.kms_master_key_id, "aws_kms_key", k.id));
      return key ? { topic, key } : { topic };
    });
}
const SOURCE_KEYS = /aws:Source(Arn|Account|OrgID)/i;

export const SERVICE_RULES: readonly ServiceRule[] = [
  {
    id: "sns-key-eventbridge-no-source-conditions",
    rule: "The KMS key of a topic EventBridge publishes to grants events.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, without aws:SourceAccount, aws:SourceArn or aws:SourceOrgID (not supported for EventBridge-to-encrypted topics)",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (Enable compatibility between event sources from AWS services and encrypted topics)",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        eventBridgeTopics(stack).flatMap(({ topic, key }) => {
          if (!key) return [];
          const forEvents = statementsOf(key.config.policy).filter((s) => s.Effect === "Allow" && hasService(s, "events.amazonaws.com"));
          const actions = forEvents.flatMap(actionsOf);
          const findings: string[] = [];
          if (!actions.some((a) => /^kms:GenerateDataKey\*?$/.test(a)) || !actions.includes("kms:Decrypt")) findings.push(`${address(key, "aws_kms_key")} does not let EventBridge encrypt messages for ${topic.id}`);
          if (forEvents.some((s) => SOURCE_KEYS.test(JSON.stringify(s.Condition ?? {})))) findings.push(`${address(key, "aws_kms_key")} conditions EventBridge's use of the key on aws:Source* keys, which KMS does not support on this path: delivery would fail`);
          return findings;
        }),
      ),
  },
  {
    id: "sns-eventbridge-topic-customer-managed-key",
    rule: "A topic EventBridge publishes to is encrypted with a customer managed key: the AWS managed key alias/aws/sns cannot be given to EventBridge",
    source: "https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        eventBridgeTopics(stack)
          .filter(({ topic }) => /alias\/aws\/sns/.test(String(topic.config.kms_master_key_id)))
          .map(({ topic }) => `${address(topic, "aws_sns_topic")} uses alias/aws/sns, which EventBridge cannot use`),
      ),
  },
  {
    id: "sns-topic-policy-admits-eventbridge",
    rule: "The topic policy of a topic an EventBridge rule targets allows events.amazonaws.com sns:Publish",
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html (Amazon SNS permissions)",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        eventBridgeTopics(stack)
          .filter(({ topic }) => {
            const policies = resources(stack, "aws_sns_topic_policy").filter((p) => refersTo(p.config.arn, "aws_sns_topic", topic.id));
            return !policies.some((p) => statementsOf(p.config.policy).some((s) => s.Effect === "Allow" && hasService(s, "events.amazonaws.com") && actionsOf(s).includes("sns:Publish")));
          })
          .map(({ topic }) => `${address(topic, "aws_sns_topic")} has no topic policy letting EventBridge publish`),
      ),
  },
  {
    id: "cloudtrail-one-resource-type-per-selector",
    rule: "An advanced event selector holds at most one resources.type field, and readOnly, eventCategory and resources.type use only Equals",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html",
    check: (stacks) =>
      all(stacks, "aws_cloudtrail").flatMap((trail) =>
        list(trail.config.advanced_event_selector as Config[]).flatMap((selector, i) => {
          const fields = list(selector.field_selector as Config[]);
          const findings: string[] = [];
          if (fields.filter((f) => f.field === "resources.type").length > 1) findings.push(`${address(trail, "aws_cloudtrail")} selector ${i} has more than one resources.type field`);
          for (const field of fields.filter((f) => ["readOnly", "eventCategory", "resources.type"].includes(String(f.field)))) {
            const operators = Object.keys(field).filter((k) => k !== "field");
            if (operators.some((o) => o !== "equals") || list(field.equals as string[]).length === 0) findings.push(`${address(trail, "aws_cloudtrail")} selector ${i} uses ${operators.join(", ")} on ${String(field.field)}`);
          }
          return findings;
        }),
      ),
  },
  {
    id: "cloudtrail-runtime-commands-on-runtime-and-endpoint",
    rule: "A trail that logs AgentCore runtime command data events selects both AWS::BedrockAgentCore::Runtime and AWS::BedrockAgentCore::RuntimeEndpoint (a call through an endpoint is recorded under the endpoint's type)",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html (Data events supported by AWS CloudTrail: Bedrock-AgentCore Runtime, Bedrock-AgentCore Runtime-Endpoint)",
    check: (stacks) =>
      all(stacks, "aws_cloudtrail").flatMap((trail) => {
        const types = list(trail.config.advanced_event_selector as Config[]).flatMap((s) =>
          list(s.field_selector as Config[]).filter((f) => f.field === "resources.type").flatMap((f) => list(f.equals as string[])),
        );
        const agentcore = types.filter((t) => t.startsWith("AWS::BedrockAgentCore::Runtime"));
        if (agentcore.length === 0) return [];
        const missing = ["AWS::BedrockAgentCore::Runtime", "AWS::BedrockAgentCore::RuntimeEndpoint"].filter((t) => !types.includes(t));
        return missing.length > 0 ? [`${address(trail, "aws_cloudtrail")} does not select ${missing.join(", ")}`] : [];
      }),
  },
  {
    id: "cloudtrail-advanced-selector-values-quota",
    rule: "A trail's advanced event selectors hold at most 500 values across all their conditions",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html (Advanced event selectors: 500 conditions across all advanced event selectors)",
    check: (stacks) =>
      all(stacks, "aws_cloudtrail").flatMap((trail) => {
        const values = list(trail.config.advanced_event_selector as Config[]).flatMap((s) =>
          list(s.field_selector as Config[]).flatMap((f) => Object.entries(f).filter(([k]) => k !== "field").flatMap(([, v]) => list(v as string[]))),
        );
        return values.length > 500 ? [`${address(trail, "aws_cloudtrail")} has ${values.length} selector values`] : [];
      }),
  },
  {
    id: "cloudtrail-bucket-policy-before-trail",
    rule: "A trail's bucket policy lets cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject on AWSLogs/<account>/* with bucket-owner-full-control, and exists before the trail (else CreateTrail fails with InsufficientS3BucketPolicyException)",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        resources(stack, "aws_cloudtrail").flatMap((trail) => {
          const bucket = resources(stack, "aws_s3_bucket").find((b) => refersTo(trail.config.s3_bucket_name, "aws_s3_bucket", b.id));
          if (!bucket) return [];
          const policy = resources(stack, "aws_s3_bucket_policy").find((p) => refersTo(p.config.bucket, "aws_s3_bucket", bucket.id));
          if (!policy) return [`${address(trail, "aws_cloudtrail")}: its bucket has no policy for CloudTrail`];
          const statements = statementsOf(policy.config.policy).filter((s) => s.Effect === "Allow" && hasService(s, "cloudtrail.amazonaws.com"));
          const findings: string[] = [];
          if (!statements.some((s) => actionsOf(s).includes("s3:GetBucketAcl"))) findings.push(`${address(policy, "aws_s3_bucket_policy")} lacks s3:GetBucketAcl for CloudTrail`);
          if (!statements.some((s) => actionsOf(s).includes("s3:PutObject") && list(s.Resource).some((r) => r.includes("/AWSLogs/")) && JSON.stringify(s.Condition ?? {}).includes("bucket-owner-full-control"))) {
            findings.push(`${address(policy, "aws_s3_bucket_policy")} lacks s3:PutObject on AWSLogs/ with bucket-owner-full-control for CloudTrail`);
          }
          if (!list(trail.config.depends_on as string[]).some((d) => d === `aws_s3_bucket_policy.${policy.id}`)) findings.push(`${address(trail, "aws_cloudtrail")} may be created before its bucket policy`);
          return findings;
        }),
      ),
  },
  {
    id: "agentcore-execution-role-ready-before-runtime",
    rule: "The execution role's permissions exist before the runtime is created: creation validates the role, pulls the image (ecr:GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer) and checks every file system it mounts: for each S3 Files access point s3files:GetAccessPoint on it and s3files:ListMountTargets on its file system, for each EFS access point elasticfilesystem:DescribeAccessPoints on it and elasticfilesystem:DescribeMountTargets on its file system, none of them under a condition the validation request does not carry",
    source:
      "hashicorp/terraform-provider-aws internal/service/bedrockagentcore/agent_runtime.go (create retries \"Role validation failed\" and \"Access denied while validating ECR URI\"); https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/runtime-filesystem-configurations.html; aws/agentcore-cli#1205 and live reports of \"Ensure the role has s3files:GetAccessPoint\", \"…ListMountTargets\" and \"…elasticfilesystem:DescribeAccessPoints and elasticfilesystem:DescribeMountTargets\"; resource types: Service Authorization Reference (S3 Files, Amazon EFS)",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        resources(stack, "aws_bedrockagentcore_agent_runtime").flatMap((runtime) => {
          const where = address(runtime, "aws_bedrockagentcore_agent_runtime");
          const policies = resources(stack, "aws_iam_role_policy").filter((p) => list(runtime.config.depends_on as string[]).includes(`aws_iam_role_policy.${p.id}`));
          if (policies.length === 0) return [`${where} does not wait for its execution role's policy`];
          // A statement with a condition counts for nothing here: the validation requests carry no access point key.
          const allows = policies.flatMap((p) => statementsOf(p.config.policy)).filter((s) => s.Effect === "Allow" && s.Condition === undefined);
          const may = (action: string, resource: (r: string) => boolean) => allows.some((s) => actionsOf(s).some((a) => actionCovers(a, action)) && list(s.Resource).some(resource));
          const on = (arn: string) => (r: string) => r === "*" || r === arn || (!isReference(arn) && !isReference(r) && wildcardMatches(r, arn));
          // The file system behind an access point, as the policy itself names it: the resource of the statement that
          // lets the role mount through that access point (ClientMount on the file system, conditioned on its ARN).
          const mountStatements = policies.flatMap((p) => statementsOf(p.config.policy)).filter((s) => s.Effect === "Allow" && actionsOf(s).some((a) => a.endsWith(":ClientMount")));
          const fileSystemOf = (accessPoint: string) => mountStatements.find((s) => JSON.stringify(s.Condition ?? {}).includes(JSON.stringify(accessPoint)))?.Resource;
          const missing: string[] = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"].filter((a) => !may(a, () => true));
          for (const accessPoint of mountedAccessPoints(runtime, "s3_files_access_point")) {
            if (!may("s3files:GetAccessPoint", on(accessPoint))) missing.push(`s3files:GetAccessPoint on ${accessPoint}`);
            const fileSystem = isReference(accessPoint) ? list(fileSystemOf(accessPoint))[0] : accessPoint.split("/access-point/")[0]!;
            if (fileSystem === undefined || !may("s3files:ListMountTargets", on(fileSystem))) missing.push(`s3files:ListMountTargets on the file system of ${accessPoint}`);
          }
          for (const accessPoint of mountedAccessPoints(runtime, "efs_access_point")) {
            if (!may("elasticfilesystem:DescribeAccessPoints", on(accessPoint))) missing.push(`elasticfilesystem:DescribeAccessPoints on ${accessPoint}`);
            // An EFS access point ARN does not name its file system; the mount statement does.
            const fileSystem = list(fileSystemOf(accessPoint))[0];
            if (fileSystem === undefined || !may("elasticfilesystem:DescribeMountTargets", on(fileSystem))) missing.push(`elasticfilesystem:DescribeMountTargets on the file system of ${accessPoint}`);
          }
          return missing.length > 0 ? [`${where}: the policy it waits for lacks ${missing.join(", ")}`] : [];
        }),
      ),
  },
  {
    id: "agentcore-runtime-after-mount-targets",
    rule: "A runtime that mounts an S3 Files access point is created after that file system's mount targets are available: AgentCore checks them when it creates the runtime, and the access point ARN it mounts is ready before they are. In one stack the runtime depends on each mount target; across stacks the storage stack is applied first",
    source: "hashicorp/terraform-provider-aws internal/service/s3files/mount_target.go (create waits until the mount target is available); https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/runtime-filesystem-configurations.html",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        resources(stack, "aws_bedrockagentcore_agent_runtime").flatMap((runtime) => {
          const dependsOn = list(runtime.config.depends_on as string[]);
          return mountedAccessPoints(runtime, "s3_files_access_point").flatMap((accessPointArn) => {
            // An access point of this stack; one of another stack (a cross-stack reference) is applied before it.
            const accessPoint = resources(stack, "aws_s3files_access_point").find((a) => accessPointArn === `\${aws_s3files_access_point.${a.id}.arn}`);
            if (!accessPoint) return [];
            return resources(stack, "aws_s3files_mount_target")
              .filter((m) => m.config.file_system_id === accessPoint.config.file_system_id)
              .filter((m) => !dependsOn.includes(`aws_s3files_mount_target.${m.id}`))
              .map((m) => `${address(runtime, "aws_bedrockagentcore_agent_runtime")} may be created before ${address(m, "aws_s3files_mount_target")} is available`);
          });
        }),
      ),
  },
  {
    id: "agentcore-vpc-reaches-s3",
    rule: "A VPC that AgentCore runtimes use reaches S3 itself: runtimes created since the May 2026 rollout get no service-managed S3 gateway, and image layers come from S3",
    source: "AWS API model bedrock-agentcore-control, VpcConfig.requireServiceS3Endpoint (documentation); https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-vpc.html",
    check: (stacks) =>
      stacks
        .filter((stack) => resources(stack, "aws_vpc").length > 0)
        .filter((stack) => !resources(stack, "aws_vpc_endpoint").some((e) => String(e.config.service_name).endsWith(".s3") && e.config.vpc_endpoint_type === "Gateway"))
        .map((stack) => `${stack.name} creates a VPC with no S3 gateway endpoint`),
  },
  {
    id: "agentcore-vpc-endpoints-without-nat",
    rule: "A VPC without NAT has the interface endpoints a runtime cannot start without: ecr.api and ecr.dkr (image pull) and logs",
    source: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-vpc.html",
    check: (stacks) =>
      stacks
        .filter((stack) => resources(stack, "aws_vpc").length > 0 && resources(stack, "aws_nat_gateway").length === 0)
        .flatMap((stack) => {
          const services = resources(stack, "aws_vpc_endpoint").filter((e) => e.config.vpc_endpoint_type === "Interface").map((e) => String(e.config.service_name).split(".").slice(3).join("."));
          const missing = ["ecr.api", "ecr.dkr", "logs"].filter((s) => !services.includes(s));
          return missing.length > 0 ? [`${stack.name} has no NAT and no interface endpoint for ${missing.join(", ")}`] : [];
        }),
  },
  {
    id: "vpc-endpoint-private-dns-serves-the-vpc",
    rule: "An interface endpoint with private DNS answers for its service's name throughout its VPC: in a VPC the stack does not create (other workloads live there), its security group admits HTTPS from the VPC's range, not only from the agent",
    source: "AWS API model ec2, CreateVpcEndpointRequest.PrivateDnsEnabled (documentation: a private hosted zone for the service's default DNS name, associated with the VPC); hashicorp/terraform-provider-aws#17535 (one private-DNS endpoint per service and VPC)",
    check: (stacks) =>
      stacks
        .filter((stack) => resources(stack, "aws_vpc").length === 0)
        .flatMap((stack) =>
          resources(stack, "aws_vpc_endpoint")
            .filter((e) => e.config.vpc_endpoint_type === "Interface" && e.config.private_dns_enabled === true)
            .filter((e) => {
              const groups = list(e.config.security_group_ids as string[]);
              // The VPC's range: the imported VPC's cidr_block (a data source), or a literal range.
              const fromTheVpc = (c: Config) => /aws_vpc\.[^.]+\.cidr_block|^\d/.test(String(c.cidr_ipv4 ?? ""));
              return !resources(stack, "aws_vpc_security_group_ingress_rule").some(
                (r) => groups.includes(String(r.config.security_group_id)) && Number(r.config.from_port) <= 443 && Number(r.config.to_port) >= 443 && fromTheVpc(r.config),
              );
            })
            .map((e) => `${address(e, "aws_vpc_endpoint")} serves ${String(e.config.service_name)} to the whole existing VPC through private DNS, but its security group admits no HTTPS from the VPC`),
        ),
  },
  {
    id: "agentcore-supported-availability-zones",
    rule: "The runtime's subnets are in Availability Zone IDs where AgentCore supports VPC mode",
    source: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-vpc.html (Supported Availability Zones); lib/service-facts.ts AGENTCORE_VPC_AZ_IDS",
    check: (stacks) =>
      stacks.flatMap((stack) => {
        const region = String(stack.json.provider?.aws?.[0]?.region ?? "");
        const supported = AGENTCORE_VPC_AZ_IDS[region];
        if (!supported) return [];
        return resources(stack, "aws_subnet")
          .filter((s) => (s.config.tags as Record<string, string> | undefined)?.Tier === "private" && !supported.includes(String(s.config.availability_zone_id)))
          .map((s) => `${address(s, "aws_subnet")} is in ${String(s.config.availability_zone_id)}, not one of ${supported.join(", ")}`);
      }),
  },
  {
    id: "s3files-mount-target-in-each-runtime-az",
    rule: "The S3 Files file system has exactly one mount target in each Availability Zone of the runtime's subnets (at most one per AZ; the runtime mounts through the one in its AZ)",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-files-mount-targets-creating.html; AgentCore devguide troubleshooting (S3 Files mounts)",
    check: (stacks) =>
      [...byEnvironment(stacks)].flatMap(([name, env]) => {
        if (!env.agent || !env.storage) return [];
        const runtimeSubnets = all([env.agent], "aws_bedrockagentcore_agent_runtime").flatMap((r) => runtimeVpc(r, "subnets"));
        const mountSubnets = resources(env.storage, "aws_s3files_mount_target").map((m) => m.config.subnet_id);
        const wanted = new Set(runtimeSubnets.map(crossStackOutput));
        const have = mountSubnets.map(crossStackOutput);
        const findings: string[] = [];
        for (const subnet of wanted) if (!have.includes(subnet)) findings.push(`${name}: no mount target in the runtime's subnet ${subnet}`);
        if (new Set(have).size !== have.length) findings.push(`${name}: more than one mount target in a subnet`);
        return findings;
      }),
  },
  {
    id: "s3files-nfs-between-runtime-and-mount-targets",
    rule: "NFS (TCP 2049) is open from the runtime's security group to the mount targets' security group, in both groups' rules; for every other file system the runtime mounts (all but its own storage's, at S3FILES_MOUNT_PATH), the runtime's group allows TCP 2049 out to that file system's mount-target group (this project names the mount paths an egress rule serves in its description)",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-files-mount-targets-creating.html (security groups); https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-files-troubleshooting.html; https://docs.aws.amazon.com/efs/latest/ug/network-access.html",
    check: (stacks) => [
      ...stacks
        .filter((stack) => resources(stack, "aws_security_group").length > 0 && stack.name.endsWith("-network"))
        .flatMap((stack) => {
          const group = (suffix: string) => resources(stack, "aws_security_group").find((g) => String(g.config.name).endsWith(suffix));
          const agent = group("-agent");
          const mountTargets = group("-s3files-mount-targets");
          if (!agent || !mountTargets) return [];
          const findings: string[] = [];
          if (!resources(stack, "aws_vpc_security_group_ingress_rule").some((r) => isNfs(r.config) && refersTo(r.config.security_group_id, "aws_security_group", mountTargets.id) && refersTo(r.config.referenced_security_group_id, "aws_security_group", agent.id))) {
            findings.push(`${stack.name}: the mount targets' group does not admit TCP 2049 from the agent's group`);
          }
          if (!resources(stack, "aws_vpc_security_group_egress_rule").some((r) => isNfs(r.config) && refersTo(r.config.security_group_id, "aws_security_group", agent.id) && refersTo(r.config.referenced_security_group_id, "aws_security_group", mountTargets.id))) {
            findings.push(`${stack.name}: the agent's group does not allow TCP 2049 out to the mount targets' group`);
          }
          return findings;
        }),
      ...all(stacks, "aws_bedrockagentcore_agent_runtime").flatMap((runtime) => {
        const groups = runtimeVpc(runtime, "security_groups");
        const egress = all(stacks, "aws_vpc_security_group_egress_rule").filter((r) => isNfs(r.config) && groups.includes(String(r.config.security_group_id)) && r.config.referenced_security_group_id !== undefined);
        // Its own storage's mount (at S3FILES_MOUNT_PATH, which the runtime tells the agent) is reached through the
        // network's rules above; every other one needs a rule of its own.
        const own = (runtime.config.environment_variables as Config | undefined)?.S3FILES_MOUNT_PATH;
        const mountPaths = list(runtime.config.filesystem_configuration as Config[])
          .flatMap((f) => [...list(f.s3_files_access_point as Config[]), ...list(f.efs_access_point as Config[])].map((m) => String(m.mount_path)))
          .filter((path) => path !== own);
        return mountPaths
          .filter((path) => !egress.some((r) => String(r.config.description ?? "").split(/[ ,]+/).includes(path)))
          .map((path) => `${address(runtime, "aws_bedrockagentcore_agent_runtime")}: no NFS egress from its security group to the mount targets of the file system at ${path}`);
      }),
    ],
  },
  {
    id: "s3files-bucket-versioned-before-file-system",
    rule: "The bucket behind an S3 Files file system has versioning Enabled before the file system is created (versioning is required, and cannot be suspended while a file system is attached)",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-files-prereq-policies.html; terraform-aws-modules/terraform-aws-s3-bucket PR #388",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        resources(stack, "aws_s3files_file_system").flatMap((fs) => {
          const versioning = resources(stack, "aws_s3_bucket_versioning").find((v) => list(fs.config.depends_on as string[]).includes(`aws_s3_bucket_versioning.${v.id}`));
          const enabled = list<Config>(versioning?.config.versioning_configuration as Config | Config[] | undefined).some((c) => c.status === "Enabled");
          return versioning && enabled ? [] : [`${address(fs, "aws_s3files_file_system")} is not created after its bucket's versioning is Enabled`];
        }),
      ),
  },
  {
    id: "vpc-security-groups-per-network-interface",
    rule: "A network interface takes at most 5 security groups (VPC quota), so the runtime's and the mount targets' groups stay within 5",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html (Security groups per network interface: 5)",
    check: (stacks) => [
      ...all(stacks, "aws_bedrockagentcore_agent_runtime")
        .filter((r) => runtimeVpc(r, "security_groups").length > 5)
        .map((r) => `${address(r, "aws_bedrockagentcore_agent_runtime")} names more than 5 security groups`),
      ...all(stacks, "aws_s3files_mount_target")
        .filter((m) => list(m.config.security_groups as string[]).length > 5)
        .map((m) => `${address(m, "aws_s3files_mount_target")} names more than 5 security groups`),
    ],
  },
  {
    id: "agentcore-runtime-uses-its-own-security-group",
    rule: "The runtime's ENIs use this environment's own agent security group: AgentCore shares ENIs between runtimes with the same subnets and security groups, and keeps them up to 8 hours after a runtime is deleted",
    source: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-vpc.html; hashicorp/terraform-provider-aws#47399",
    check: (stacks) =>
      [...byEnvironment(stacks)].flatMap(([name, env]) => {
        if (!env.agent || !env.network) return [];
        const agentGroup = resources(env.network, "aws_security_group").find((g) => String(g.config.name).endsWith("-agent"));
        const groups = all([env.agent], "aws_bedrockagentcore_agent_runtime").flatMap((r) => runtimeVpc(r, "security_groups"));
        return groups.filter((g) => !agentGroup || !String(crossStackOutput(g)).includes(agentGroup.id)).map((g) => `${name}: the runtime uses ${g}, not the environment's agent security group`);
      }),
  },
  {
    id: "kms-key-policy-keeps-key-manageable",
    rule: "A key policy lets the account manage the key through IAM (the key policy must allow a later PutKeyPolicy; otherwise the key can become unmanageable)",
    source: "AWS API model kms, CreateKeyRequest.Policy (documentation); https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
    check: (stacks) =>
      all(stacks, "aws_kms_key")
        .filter((key) => !statementsOf(key.config.policy).some((s) => s.Effect === "Allow" && /:iam::[^:]+:root/.test(JSON.stringify(s.Principal ?? {})) && actionsOf(s).some((a) => a === "kms:*" || a === "kms:PutKeyPolicy")))
        .map((key) => `${address(key, "aws_kms_key")} does not let the account administer the key`),
  },
  {
    id: "bedrock-profile-only-models-through-a-profile",
    rule: "Models Bedrock serves only through an inference profile are not granted (and so not called) by their bare foundation-model id",
    source: "lib/service-facts.ts INFERENCE_PROFILE_ONLY_MODELS (each entry cites where Bedrock's ValidationException is on record)",
    check: (stacks) =>
      all(stacks, "aws_iam_role_policy").flatMap((policy) =>
        statementsOf(policy.config.policy)
          .filter((s) => s.Effect === "Allow" && actionsOf(s).includes("bedrock:InvokeModel") && s.Condition === undefined)
          .flatMap((s) => list(s.Resource))
          .filter((r) => r.includes(":foundation-model/") && r.slice(r.indexOf(":foundation-model/") + 18) in INFERENCE_PROFILE_ONLY_MODELS)
          .map((r) => `${address(policy, "aws_iam_role_policy")} grants ${r} on demand`),
      ),
  },
  {
    id: "bedrock-global-profile-regionless-model",
    rule: "A role that may invoke a global cross-Region inference profile may also invoke the Region-less foundation model it routes to (arn:<partition>:bedrock:::foundation-model/<model>); without it every call through the profile is denied",
    source: "https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html (IAM policy requirements for global cross-Region inference)",
    check: (stacks) =>
      all(stacks, "aws_iam_role_policy").flatMap((policy) => {
        const allows = statementsOf(policy.config.policy).filter((s) => s.Effect === "Allow" && actionsOf(s).some((a) => actionCovers(a, "bedrock:InvokeModel")));
        const resources = allows.flatMap((s) => list(s.Resource));
        return resources
          .map((r) => /^arn:([^:]+):bedrock:[^:]*:[^:]*:inference-profile\/global\.(.+)$/.exec(r))
          .filter((m): m is RegExpExecArray => m !== null)
          .filter(([, partition, model]) => !resources.some((r) => r === "*" || (!isReference(r) && wildcardMatches(r, `arn:${partition}:bedrock:::foundation-model/${model}`))))
          .map(([profile, partition, model]) => `${address(policy, "aws_iam_role_policy")} may invoke ${profile} but not arn:${partition}:bedrock:::foundation-model/${model}`);
      }),
  },
  {
    id: "agentcore-owns-its-runtime-log-groups",
    rule: "AgentCore creates a runtime's log groups /aws/bedrock-agentcore/runtimes/<id>-<endpoint> itself; a stack does not create them",
    source: "aws/aws-cdk packages/aws-cdk-lib/aws-bedrockagentcore/README.md (Application log group: created by the AgentCore service on the runtime's first invocation)",
    check: (stacks) =>
      all(stacks, "aws_cloudwatch_log_group")
        .filter((g) => String(g.config.name).startsWith("/aws/bedrock-agentcore/runtimes/"))
        .map((g) => `${address(g, "aws_cloudwatch_log_group")} creates AgentCore's own log group ${String(g.config.name)}`),
  },
  {
    id: "iam-role-deletable-with-attached-policies",
    rule: "A role the stack creates is destroyed even when managed policies are attached to it (force_detach_policies): IAM refuses DeleteRole while a managed policy is attached (DeleteConflict), and users attach their own",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html (remove attached managed policies first); AWS API model iam, DeleteRole errors (DeleteConflictException)",
    check: (stacks) =>
      all(stacks, "aws_iam_role")
        .filter((role) => role.config.force_detach_policies !== true)
        .map((role) => `${address(role, "aws_iam_role")} cannot be destroyed while someone's managed policy is attached to it (force_detach_policies is not set)`),
  },
  {
    id: "iam-managed-policies-per-role-quota",
    rule: "A role has at most 10 managed policies attached (default IAM quota)",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (Managed policies per role: 10)",
    check: (stacks) => {
      const byRole = new Map<string, number>();
      for (const attachment of all(stacks, "aws_iam_role_policy_attachment")) byRole.set(String(attachment.config.role), (byRole.get(String(attachment.config.role)) ?? 0) + 1);
      return [...byRole].filter(([, n]) => n > 10).map(([role, n]) => `role ${role} gets ${n} managed policies`);
    },
  },
];

/** Every rule's findings over these stacks. */
export function checkServiceRules(stacks: readonly SynthesizedStack[], rules: readonly ServiceRule[] = SERVICE_RULES): { rule: string; finding: string }[] {
  return rules.flatMap((rule) => rule.check(stacks).map((finding) => ({ rule: rule.id, finding })));
}
