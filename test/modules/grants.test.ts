/**
 * Grants: what each attaches is judged by a real IAM policy evaluator (test/helpers/iam.ts) with the ARNs AWS
 * would put where Terraform references stand: it allows what the grant promises and no more.
 */
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { DataAwsSecurityGroup } from "@cdktn/provider-aws/lib/data-aws-security-group/index.js";
import { SecurityGroup } from "@cdktn/provider-aws/lib/security-group/index.js";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack } from "cdktn";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../lib/validation.ts";
import { Network } from "../../modules/network/index.ts";
import { AgentRegistry } from "../../modules/registry/index.ts";
import { S3FilesStorage } from "../../modules/storage/index.ts";
import { fileSystemAccessPointOnlyPolicy } from "../../policies/storage.ts";
import { ACCOUNT, ARNS, concretePolicy, decide, REGION } from "../helpers/iam.ts";
import { listOf, resourcesOf, synthStack, testApp } from "../helpers/synth.ts";

const OTHER_ACCESS_POINT = `${ARNS.fileSystem}/access-point/fsap-0fedcba9876543210`;

function platform() {
  const app = testApp();
  const stack = new TerraformStack(app, "platform");
  new AwsProvider(stack, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
  const network = new Network(stack, "network", { cidr: "10.90.0.0/16", namePrefix: "test" });
  const storage = new S3FilesStorage(stack, "storage", { network, namePrefix: "test" });
  const registry = new AgentRegistry(stack, "registry", { namePrefix: "test" });
  return { app, stack, storage, registry };
}

const role = (scope: TerraformStack, id: string) =>
  new IamRole(scope, id, { name: id, assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }) });

/** The one inline policy the grant attached to the role named `roleName`. */
function grantedPolicy(stack: TerraformStack, roleName: string) {
  const policies = listOf(synthStack(stack), "aws_iam_role_policy").filter((p) => String(p.role).includes(roleName));
  expect(policies).toHaveLength(1);
  return concretePolicy(policies[0]!.policy);
}

describe("S3FilesStorage.grantClientAccess", () => {
  const { stack, storage } = platform();
  storage.grantClientAccess(role(stack, "writer"));
  storage.grantClientAccess(role(stack, "reader"), { readOnly: true });
  const writer = grantedPolicy(stack, "iam_role.writer");
  const reader = grantedPolicy(stack, "iam_role.reader");
  const through = (accessPoint: string) => ({ "s3files:AccessPointArn": accessPoint });
  const fileSystemPolicy = fileSystemAccessPointOnlyPolicy({ fileSystemArn: ARNS.fileSystem, accessPointArn: ARNS.accessPoint });

  it("lets a read-write client mount and write through this access point", async () => {
    for (const action of ["s3files:ClientMount", "s3files:ClientWrite"]) {
      expect(await decide([writer], { action, resource: ARNS.fileSystem, context: through(ARNS.accessPoint) }), action).toBe("Allowed");
    }
  });

  it("lets a read-only client mount but not write", async () => {
    expect(await decide([reader], { action: "s3files:ClientMount", resource: ARNS.fileSystem, context: through(ARNS.accessPoint) })).toBe("Allowed");
    expect(await decide([reader], { action: "s3files:ClientWrite", resource: ARNS.fileSystem, context: through(ARNS.accessPoint) })).toBe("ImplicitlyDenied");
  });

  it("allows no other access point, no root access, and nothing of the bucket", async () => {
    expect(await decide([writer], { action: "s3files:ClientMount", resource: ARNS.fileSystem, context: through(OTHER_ACCESS_POINT) })).toBe("ImplicitlyDenied");
    expect(await decide([writer], { action: "s3files:ClientRootAccess", resource: ARNS.fileSystem, context: through(ARNS.accessPoint) })).toBe("ImplicitlyDenied");
    expect(await decide([writer], { action: "s3:GetObject", resource: `${ARNS.bucket}/agents/notes.txt` })).toBe("ImplicitlyDenied");
    expect(await decide([writer], { action: "s3files:DeleteFileSystem", resource: ARNS.fileSystem })).toBe("ImplicitlyDenied");
  });

  it("with the file system policy, another access point is explicitly denied even to a role allowed everything", async () => {
    const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3files:*", Resource: "*" }] };
    expect(await decide([everything], { action: "s3files:ClientMount", resource: ARNS.fileSystem, context: through(OTHER_ACCESS_POINT), resourcePolicy: fileSystemPolicy })).toBe("ExplicitlyDenied");
    expect(await decide([writer], { action: "s3files:ClientMount", resource: ARNS.fileSystem, context: through(ARNS.accessPoint), resourcePolicy: fileSystemPolicy })).toBe("Allowed");
  });

  it("lets the client read the access point and file system the mount is validated against", async () => {
    expect(await decide([reader], { action: "s3files:GetAccessPoint", resource: ARNS.accessPoint })).toBe("Allowed");
    expect(await decide([reader], { action: "s3files:GetFileSystem", resource: ARNS.fileSystem })).toBe("Allowed");
  });

  it("refuses to grant the same role twice", () => {
    const again = role(stack, "twice");
    storage.grantClientAccess(again);
    expect(() => storage.grantClientAccess(again)).toThrow(ConfigurationError);
  });
});

describe("AgentRegistry.grantPull", () => {
  const { stack, registry } = platform();
  registry.grantPull(role(stack, "puller"));
  const puller = grantedPolicy(stack, "iam_role.puller");

  it("lets the role pull from this repository and get a registry token", async () => {
    expect(await decide([puller], { action: "ecr:BatchGetImage", resource: ARNS.repository })).toBe("Allowed");
    expect(await decide([puller], { action: "ecr:GetDownloadUrlForLayer", resource: ARNS.repository })).toBe("Allowed");
    expect(await decide([puller], { action: "ecr:GetAuthorizationToken", resource: "*" })).toBe("Allowed");
  });

  it("and nothing more: no other repository, no push", async () => {
    expect(await decide([puller], { action: "ecr:BatchGetImage", resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/other-team` })).toBe("ImplicitlyDenied");
    expect(await decide([puller], { action: "ecr:PutImage", resource: ARNS.repository })).toBe("ImplicitlyDenied");
  });
});

describe("where a grant lands", () => {
  it("in the role's own stack, which then depends on the storage's (a role in a downstream stack works)", () => {
    const { app, storage } = platform();
    const consumer = new TerraformStack(app, "consumer");
    new AwsProvider(consumer, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
    storage.grantClientAccess(role(consumer, "task"));
    const json = synthStack(consumer);
    expect(Object.keys(resourcesOf(json, "aws_iam_role_policy"))).toEqual([expect.stringContaining("s3files-client-platform-storage")]);
    expect(JSON.stringify(json.data?.terraform_remote_state)).toContain("platform");
    expect(listOf(synthStack(storage.node.scope as TerraformStack), "aws_iam_role_policy").map((p) => p.name)).toEqual(["s3files-bucket-sync"]);
  });

  it("beside the grantor for a role given by name and ARN; a role given by a Terraform token is refused", () => {
    const { stack, storage } = platform();
    storage.grantClientAccess({ name: "legacy-task", arn: `arn:aws:iam::${ACCOUNT}:role/legacy-task` });
    expect(listOf(synthStack(stack), "aws_iam_role_policy").some((p) => p.role === "legacy-task")).toBe(true);
    const other = role(stack, "other");
    expect(() => storage.grantClientAccess({ name: other.name, arn: other.arn })).toThrow(
      /platform\/storage: grantClientAccess\(role\) = ".*": names the role by a Terraform token, so the grant would have no stable address\. Fix: pass the IamRole construct itself/,
    );
  });
});

/**
 * The network half of a client's access: S3 Files mount targets take NFS (TCP 2049) only from the security groups
 * their own group admits (S3 User Guide, "Creating mount targets", security groups). grantClientAccess is IAM only.
 */
describe("S3FilesStorage.allowNfsFrom", () => {
  const mountTargetGroup = "${aws_security_group.network_mount-target-security-group_";
  const ingress = (json: ReturnType<typeof synthStack>) => Object.entries(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter(([id]) => id.startsWith("storage_") || id.includes("nfs-to-"));

  it("admits TCP 2049 from a group given by id to the mount-target security group, named after the group", () => {
    const { stack, storage } = platform();
    storage.allowNfsFrom("sg-0123456789abcdef0");
    const rules = ingress(synthStack(stack));
    expect(rules.map(([id, r]) => [id.replace(/_[0-9A-F]{8}$/, ""), r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id])).toEqual([
      ["storage_nfs-from-sg-0123456789abcdef0", "tcp", 2049, 2049, "sg-0123456789abcdef0"],
    ]);
    expect(String(rules[0]![1].security_group_id)).toContain(mountTargetGroup);
  });

  it("puts the rule in the group's own stack when the group is a construct (that stack then depends on the network's)", () => {
    const { app, storage } = platform();
    const consumer = new TerraformStack(app, "consumer");
    new AwsProvider(consumer, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
    const group = new SecurityGroup(consumer, "batch", { name: "batch", vpcId: "vpc-0123456789abcdef0" });
    storage.allowNfsFrom(group);
    const json = synthStack(consumer);
    const rules = Object.entries(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(rules.map(([id, r]) => [id.replace(/_[0-9A-F]{8}$/, ""), r.from_port, r.referenced_security_group_id])).toEqual([["batch_nfs-to-platform-storage", 2049, "${aws_security_group.batch.id}"]]);
    expect(JSON.stringify(json.data?.terraform_remote_state)).toContain("platform");
  });

  it("takes a group looked up by a data source, the rule in the data source's stack", () => {
    const { app, storage } = platform();
    const consumer = new TerraformStack(app, "consumer");
    new AwsProvider(consumer, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
    const group = new DataAwsSecurityGroup(consumer, "batch", { name: "batch", vpcId: "vpc-0123456789abcdef0" });
    storage.allowNfsFrom(group);
    const rules = Object.entries(resourcesOf(synthStack(consumer), "aws_vpc_security_group_ingress_rule"));
    expect(rules.map(([id, r]) => [id.replace(/_[0-9A-F]{8}$/, ""), r.from_port, r.referenced_security_group_id])).toEqual([["batch_nfs-to-platform-storage", 2049, "${data.aws_security_group.batch.id}"]]);
  });

  it.each([
    ["a group named by a Terraform token", (s: TerraformStack) => new SecurityGroup(s, "tokened", { name: "tokened" }).id, "names the security group by a Terraform token, so the rule would have no stable address. Fix: pass the SecurityGroup construct itself, a DataAwsSecurityGroup that looks the group up, or the group's literal id."],
    ["something that is not a group id", () => "batch-sg", 'is not a security group id. Fix: pass a security group id such as "sg-0123456789abcdef0" (EC2 writes sg- and 8 or 17 hex digits).'],
  ])("refuses %s", (_case, group, problem) => {
    const { stack, storage } = platform();
    expect(() => storage.allowNfsFrom(group(stack))).toThrow(`: ${problem}`);
  });

  it("refuses the agent security group (already admitted: EC2 refuses a duplicate rule) and a group admitted twice", () => {
    const { stack, storage } = platform();
    const network = stack.node.findChild("network") as Network;
    expect(() => storage.allowNfsFrom(network.agentSecurityGroupId)).toThrow(/is the agent security group, which the mount-target security group already admits/);
    const group = new SecurityGroup(stack, "batch", { name: "batch" });
    storage.allowNfsFrom(group);
    expect(() => storage.allowNfsFrom(group)).toThrow("platform/storage: allowNfsFrom(securityGroup) = \"platform/batch\": is already allowed NFS to these mount targets (EC2 refuses a duplicate rule). Fix: call allowNfsFrom once per security group.");
  });
});
