/**
 * The cold tier: the bucket under agent.agentPrefix, through the S3 API. The prefix becomes part of IAM
 * resource ARNs and s3:prefix conditions, so it must be literal, and it must stay out of the S3 Files tree.
 * Decisions come from a real policy evaluator over the synthesized execution role.
 */
import { describe, expect, it } from "vitest";
import { EnvironmentConfigError, resolveEnvironments, type EnvironmentInput } from "../../environments/schema";
import { ACCOUNT, ARNS, concretePolicy, decide } from "../helpers/iam";
import { environmentInput, listOf, synthEnvironment } from "../helpers/synth";

const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";

function problems(agentPrefix: string, storage: EnvironmentInput["storage"] = {}): string[] {
  try {
    resolveEnvironments([environmentInput({ storage, agent: { models: [HAIKU], agentPrefix } })]);
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.problems.map((p) => `${p.field} = ${JSON.stringify(p.value)}: ${p.problem}. Fix: ${p.fix}.`);
    throw error;
  }
  return [];
}

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
    ["${aws:username}", "uses characters outside S3's safe set"],
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
