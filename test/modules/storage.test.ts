import { describe, expect, it } from "vitest";
import { decide } from "../helpers/iam.ts";
import { listOf, parsePolicy, refTo, resourcesOf, synthEnvironment, type TerraformJson } from "../helpers/synth.ts";

const ACCOUNT = "${data.aws_caller_identity.caller-identity.account_id}";

function only(json: TerraformJson, type: string): Record<string, unknown> {
  const all = listOf(json, type);
  expect(all, type).toHaveLength(1);
  return all[0]!;
}

describe("S3 Files storage (development defaults)", () => {
  const env = synthEnvironment();
  const json = env.storage();
  const bucketArn = refTo(json, "aws_s3_bucket", () => true, "arn");
  const bucketId = refTo(json, "aws_s3_bucket", () => true);

  it("names the bucket after environment, account and region, and lets Terraform empty it (data not retained)", () => {
    expect(only(json, "aws_s3_bucket")).toMatchObject({ bucket: `test-files-${ACCOUNT}-us-west-2`, force_destroy: true });
  });

  it("enables versioning, and the file system depends on it so destroy removes the file system first", () => {
    expect(only(json, "aws_s3_bucket_versioning")).toMatchObject({ bucket: bucketId, versioning_configuration: { status: "Enabled" } });
    const versioning = `aws_s3_bucket_versioning.${Object.keys(resourcesOf(json, "aws_s3_bucket_versioning"))[0]}`;
    expect(only(json, "aws_s3files_file_system")).toMatchObject({
      bucket: bucketArn,
      accept_bucket_warning: true,
      depends_on: expect.arrayContaining([versioning]),
    });
  });

  it("blocks public access, enforces bucket-owner objects and encrypts with SSE-S3", () => {
    expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, "aws_s3_bucket_ownership_controls")).toMatchObject({ rule: { object_ownership: "BucketOwnerEnforced" } });
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  it("denies every request that is not TLS 1.2+", () => {
    const policy = parsePolicy(only(json, "aws_s3_bucket_policy").policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": false } } }),
      expect.objectContaining({ Effect: "Deny", Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } }),
    ]);
  });

  it("expires non-current versions after the stage's retention", () => {
    expect(only(json, "aws_s3_bucket_lifecycle_configuration")).toMatchObject({
      rule: [expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 7 }] })],
    });
  });

  it("the S3 Files service role trusts elasticfilesystem.amazonaws.com for this account's file systems only", () => {
    const trust = parsePolicy(only(json, "aws_iam_role").assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: "TrustServiceForThisAccountOnly",
        Effect: "Allow",
        Principal: { Service: "elasticfilesystem.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:s3files:us-west-2:${ACCOUNT}:file-system/*` },
        },
      },
    ]);
  });

  it("the service role may touch this bucket and the S3 Files rules only, and no KMS without a CMK", () => {
    const permissions = parsePolicy(only(json, "aws_iam_role_policy").policy);
    const resources = permissions.Statement.flatMap((s) => [s.Resource].flat());
    expect(resources).toEqual([
      bucketArn,
      `${bucketArn}/*`,
      `arn:aws:events:us-west-2:${ACCOUNT}:rule/DO-NOT-DELETE-S3-Files*`,
      `arn:aws:events:us-west-2:${ACCOUNT}:rule/*`,
      "*",
    ]);
    expect(JSON.stringify(permissions)).not.toContain("kms:");
  });

  it("the service role can list EventBridge rules: actions without resource-level permissions are granted on *, where IAM evaluates them", async () => {
    // The account is a plan-time reference here; put a concrete one in to evaluate the policy.
    const permissions = JSON.parse(String(only(json, "aws_iam_role_policy").policy).replaceAll(ACCOUNT, "123456789012")) as { Statement: Record<string, unknown>[] };
    // The Service Authorization Reference lists no resource type for these two actions, so the request's resource is "*".
    for (const action of ["events:ListRules", "events:ListRuleNamesByTarget"]) {
      expect(await decide([permissions], { action, resource: "*" }), action).toBe("Allowed");
    }
    expect(await decide([permissions], { action: "events:DescribeRule", resource: "arn:aws:events:us-west-2:123456789012:rule/DO-NOT-DELETE-S3-Files-abc" })).toBe("Allowed");
    // The statement on * holds nothing else.
    const onAny = permissions.Statement.filter((s) => s.Resource === "*");
    expect(onAny.map((s) => s.Action)).toEqual([["events:ListRuleNamesByTarget", "events:ListRules"]]);
  });

  it("creates one mount target per private subnet, in the mount-target security group", () => {
    const mountTargets = Object.entries(resourcesOf(json, "aws_s3files_mount_target"));
    expect(mountTargets.map(([id]) => id.match(/usw2-az\d/)![0]).sort()).toEqual(["usw2-az1", "usw2-az2"]);
    for (const [, mountTarget] of mountTargets) {
      expect(mountTarget).toMatchObject({
        file_system_id: refTo(json, "aws_s3files_file_system", () => true),
        subnet_id: expect.stringMatching(/cross-stack-reference-input-test-network\.outputs\..*private-subnet-usw2-az\d/),
        security_groups: [expect.stringMatching(/cross-stack-reference-input-test-network\.outputs\..*mount-target-security-group/)],
      });
    }
  });

  it("the access point pins the POSIX user and lets S3 Files create the root directory", () => {
    expect(only(json, "aws_s3files_access_point")).toMatchObject({
      posix_user: [{ uid: 1000, gid: 1000 }],
      root_directory: [{ path: "/agents", creation_permissions: [{ owner_uid: 1000, owner_gid: 1000, permissions: "750" }] }],
    });
  });

  it("the file system policy refuses any mount that is not through the access point, and root access", () => {
    const accessPoint = refTo(json, "aws_s3files_access_point", () => true, "arn");
    const policy = parsePolicy(only(json, "aws_s3files_file_system_policy").policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Action: ["s3files:ClientMount", "s3files:ClientWrite", "s3files:ClientRootAccess"],
        Condition: { ArnNotEquals: { "s3files:AccessPointArn": accessPoint } },
      }),
      expect.objectContaining({ Effect: "Deny", Action: "s3files:ClientRootAccess" }),
    ]);
  });

  it("no policy anywhere allows a wildcard principal", () => {
    const policies = [
      ...listOf(json, "aws_s3_bucket_policy").map((p) => p.policy),
      ...listOf(json, "aws_s3files_file_system_policy").map((p) => p.policy),
      ...listOf(json, "aws_iam_role").map((p) => p.assume_role_policy),
    ].map(parsePolicy);
    for (const statement of policies.flatMap((p) => p.Statement)) {
      if (statement.Effect !== "Allow") continue;
      expect(JSON.stringify(statement.Principal ?? {})).not.toContain('"*"');
    }
  });
});

describe("S3 Files storage with a customer managed key and retained data", () => {
  const key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const json = synthEnvironment({ account: "123456789012", storage: { kmsKeyArn: key, retainDataOnTeardown: true } }).storage();

  it("keeps a non-empty bucket on destroy and uses the pinned account in names", () => {
    expect(only(json, "aws_s3_bucket")).toMatchObject({ bucket: "test-files-123456789012-us-west-2", force_destroy: false });
    expect(json.data?.aws_caller_identity).toBeUndefined();
  });

  it("encrypts bucket and file system with the key, and lets S3 Files use it only via S3 for this bucket", () => {
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true }],
    });
    expect(only(json, "aws_s3files_file_system")).toMatchObject({ kms_key_id: key });
    const kms = parsePolicy(only(json, "aws_iam_role_policy").policy).Statement.find((s) => s.Sid === "UseTheBucketKeyThroughS3Only");
    expect(kms).toMatchObject({ Resource: key, Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } });
  });
});
