/**
 * The cold tier: the bucket under agent.agentPrefix, through the S3 API. The prefix becomes part of IAM
 * resource ARNs and s3:prefix conditions, so it must be literal, and it must stay out of the S3 Files tree.
 * Decisions come from a real policy evaluator over the synthesized execution role.
 */
import { describe, expect, it } from "vitest";
import { EnvironmentConfigError, resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { ACCOUNT, ARNS, concretePolicy, decide, decideUnvalidated, defaultKeyPolicy } from "../helpers/iam.ts";
import { configProblems } from "../helpers/problems.ts";
import { environmentInput, listOf, synthEnvironment } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

const problems = (agentPrefix: string, storage: EnvironmentInput["storage"] = {}) => configProblems(environmentInput({ storage, agent: { models: [HAIKU], agentPrefix } }));

describe("agent.agentPrefix: refused where it would widen the execution role or reach the S3 Files tree", () => {
  it.each([
    ["*", 'contains an IAM wildcard ("*" or "?"): the execution role\'s S3 grants would cover every matching key — with "*", the whole bucket, the S3 Files tree included'],
    ["agent-*", "contains an IAM wildcard"],
    ["agent?data", "contains an IAM wildcard"],
    ["..", 'has a "." or ".." segment'],
    ["agent-data/../agents", 'has a "." or ".." segment'],
    ["./agent-data", 'has a "." or ".." segment'],
    ["", "has an empty path segment"],
    ["/agent-data", "has an empty path segment"],
    ["agent-data/", "has an empty path segment"],
    ["agent//data", "has an empty path segment"],
    ["agent data", "uses characters outside S3's safe set"],
    ["${aws:username}", 'contains "${" or "%{", which Terraform would evaluate'],
    ["agent$data", "uses characters outside S3's safe set"],
    ["a".repeat(513), "is 513 characters long"],
  ])("%j", (prefix, problem) => {
    const found = problems(prefix);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^agent\.agentPrefix = /);
    expect(found[0]).toContain(problem);
  });

  it("refuses a prefix inside or around storage.rootDirectory (the tree the access point exposes)", () => {
    expect(problems("agents")).toEqual([
      'agent.agentPrefix = "agents": overlaps storage.rootDirectory ("/agents"), the S3 Files tree the access point exposes: objects written through the S3 API there would race the file system (S3 wins a conflict; the file copy goes to lost+found). Fix: choose a prefix outside "agents/", e.g. "agent-data".',
    ]);
    expect(problems("agents/cold")).toHaveLength(1);
    expect(problems("tenants", { rootDirectory: "/tenants/agents" })).toHaveLength(1);
    expect(problems("tenants/agents/cold", { rootDirectory: "/tenants/agents" })).toHaveLength(1);
  });

  it("accepts siblings of the tree, which only share characters with it", () => {
    expect(problems("agents-cold")).toEqual([]);
    expect(problems("agent-data")).toEqual([]);
    expect(problems("tenants/cold", { rootDirectory: "/tenants/agents" })).toEqual([]);
  });
});

describe("the execution role lists only <prefix>/ and what lies below it", () => {
  const role = concretePolicy(listOf(synthEnvironment({ account: ACCOUNT, agent: { models: [HAIKU] } }).agent(), "aws_iam_role_policy")[0]!.policy);
  const list = (prefix: string) => decide([role], { action: "s3:ListBucket", resource: ARNS.bucket, context: { "s3:prefix": prefix } });

  it("may list the prefix as a folder and anything under it", async () => {
    expect(await list("agent-data/")).toBe("Allowed");
    expect(await list("agent-data/run-1/")).toBe("Allowed");
  });

  it("may not list the bare prefix, which also matches sibling prefixes such as agent-data-secret/", async () => {
    expect(await list("agent-data")).toBe("ImplicitlyDenied");
    expect(await list("agent-data-secret/")).toBe("ImplicitlyDenied");
    expect(await list("agents/")).toBe("ImplicitlyDenied");
    expect(await list("")).toBe("ImplicitlyDenied");
  });

  it("may not read or write a sibling prefix's objects", async () => {
    expect(await decide([role], { action: "s3:GetObject", resource: `${ARNS.bucket}/agent-data-secret/key.pem` })).toBe("ImplicitlyDenied");
    expect(await decide([role], { action: "s3:PutObject", resource: `${ARNS.bucket}/agent-data/out.json` })).toBe("Allowed");
  });
});

describe("the cold tier with a customer managed key (storage.kmsKeyArn)", () => {
  const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const synthesized = synthEnvironment({ account: ACCOUNT, storage: { kmsKeyArn: KEY }, agent: { models: [HAIKU] } });
  const role = concretePolicy(listOf(synthesized.agent(), "aws_iam_role_policy")[0]!.policy);
  const viaS3 = { "kms:ViaService": "s3.us-west-2.amazonaws.com" };
  // kms:EncryptionContext:aws:s3:arn is a templated KMS key the validating entry point drops (see decideUnvalidated).
  // The customer's key is assumed to carry AWS's default key policy, which lets IAM policies decide.
  const kms = async (action: string, context: Record<string, string>, resource = KEY) => decideUnvalidated([role], { action, resource, context, resourcePolicy: defaultKeyPolicy() });

  it("may decrypt and generate data keys for this bucket, through S3 in the bucket's Region (S3 Bucket Key context: the bucket ARN)", async () => {
    expect(await kms("kms:Decrypt", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": ARNS.bucket })).toBe("Allowed");
    expect(await kms("kms:GenerateDataKey", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": ARNS.bucket })).toBe("Allowed");
    expect(await kms("kms:Decrypt", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": `${ARNS.bucket}/agent-data/run-1/out.json` })).toBe("Allowed");
  });

  it("may not use the key directly, through another service or Region, for another bucket or another prefix, or use another key", async () => {
    expect(await kms("kms:Decrypt", { "kms:EncryptionContext:aws:s3:arn": ARNS.bucket })).toBe("ImplicitlyDenied");
    expect(await kms("kms:Decrypt", { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": ARNS.bucket })).toBe("ImplicitlyDenied");
    expect(await kms("kms:Decrypt", { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": ARNS.bucket })).toBe("ImplicitlyDenied");
    expect(await kms("kms:Decrypt", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::someone-elses-bucket" })).toBe("ImplicitlyDenied");
    expect(await kms("kms:Decrypt", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": `${ARNS.bucket}/agents/notes.txt` })).toBe("ImplicitlyDenied");
    expect(await kms("kms:Decrypt", { ...viaS3 })).toBe("ImplicitlyDenied");
    expect(await kms("kms:Decrypt", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": ARNS.bucket }, `arn:aws:kms:us-west-2:${ACCOUNT}:key/ffffffff-12ab-34cd-56ef-1234567890ab`)).toBe("ImplicitlyDenied");
    expect(await kms("kms:Encrypt", { ...viaS3, "kms:EncryptionContext:aws:s3:arn": ARNS.bucket })).toBe("ImplicitlyDenied");
  });

  it("gets no KMS permission when the bucket uses SSE-S3", () => {
    const plain = concretePolicy(listOf(synthEnvironment({ account: ACCOUNT, agent: { models: [HAIKU] } }).agent(), "aws_iam_role_policy")[0]!.policy);
    expect(JSON.stringify(plain)).not.toContain("kms:");
  });

  it("refuses a key of another account or partition", () => {
    const refused = (kmsKeyArn: string, account?: string) => {
      try {
        resolveEnvironments([environmentInput({ ...(account !== undefined && { account }), storage: { kmsKeyArn }, agent: { models: [HAIKU] } })]);
      } catch (error) {
        return (error as EnvironmentConfigError).problems.map((p) => `${p.field}: ${p.problem}`);
      }
      return [];
    };
    expect(refused("arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab", ACCOUNT)).toEqual([
      "storage.kmsKeyArn: is in account 999999999999, not the environment's account 123456789012: the execution role and the S3 Files service role are granted its use in their own account only",
    ]);
    expect(refused("arn:aws-cn:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toEqual(["storage.kmsKeyArn: is in partition aws-cn, but the Region is in aws"]);
  });

  it("without an account in the environment, the storage and registry plans check the key is in the deploying account", () => {
    const other = synthEnvironment({ storage: { kmsKeyArn: KEY.replace(ACCOUNT, "999999999999") }, agent: { models: [HAIKU] } });
    const guarded = [listOf(other.storage(), "aws_s3_bucket_server_side_encryption_configuration")[0]!, listOf(other.registry(), "aws_ecr_repository")[0]!];
    for (const config of guarded) {
      expect(config.lifecycle).toEqual({
        precondition: [{ condition: '${(data.aws_caller_identity.caller-identity.account_id == "999999999999")}', error_message: expect.stringContaining("KMS key") }],
      });
    }
  });
});
