/**
 * Grants: what each attaches is judged by a real IAM policy evaluator (test/helpers/iam.ts) with the ARNs AWS
 * would put where Terraform references stand: it allows what the grant promises and no more.
 */
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
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
