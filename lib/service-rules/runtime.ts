/** Service rules of the runtime and its surroundings: AgentCore, VPC, S3 Files, KMS, Bedrock, logs and IAM. */
import { AGENTCORE_VPC_AZ_IDS, INFERENCE_PROFILE_ONLY_MODELS } from "../service-facts.ts";
import { actionCovers } from "../../policies/rules/terraform.ts";
import type { ServiceRule } from "../service-rules.ts";
import { actionsOf, address, all, byEnvironment, crossStackOutput, isNfs, isReference, list, mountedAccessPoints, refersTo, resources, runtimeVpc, statementsOf, wildcardMatches, type Config } from "./helpers.ts";

/** AgentCore, VPC, S3 Files, KMS, Bedrock, log and IAM rules the runtime and its stacks must keep. */
export const RUNTIME_RULES: readonly ServiceRule[] = [
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
