import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments } from "../../environments/schema.ts";
import { AgentEnvironment } from "../../modules/environment/agent-environment.ts";
import { ALLOWED_ON_ANY_RESOURCE } from "../../policies/wildcards.ts";
import { statements as policyStatements } from "../../policies/rules/terraform.ts";
import { listOf, synthStack, testApp } from "../helpers/synth.ts";

describe("no statement grants an action on * except the few the services require", () => {
  const app = testApp();
  const all = resolveEnvironments(environments).flatMap((env) => AgentEnvironment.fromEnvironment(app, env).all);
  // One stack at a time, so each statement says which stack it is in.
  const statements = all.flatMap((stack) =>
    policyStatements({ environment: "", stage: "production", stacks: { network: {}, storage: {}, registry: {}, agent: synthStack(stack) } }).map(({ type, id, statement }) => ({
      where: `${stack.node.id} ${type}.${id}`,
      statement: statement as unknown as Record<string, unknown>,
    })),
  );

  it("finds the policies of every stack (the check is not vacuous)", () => {
    expect(statements.length).toBeGreaterThan(50);
    // Every environment of environments/index.ts: its storage and agent stacks, and its network where flow logs (an IAM role) are on.
    const expected = resolveEnvironments(environments).flatMap((env) => [
      ...(env.network.mode === "create" && env.network.flowLogs.enabled ? [`${env.name}-network`] : []),
      `${env.name}-storage`,
      `${env.name}-agent`,
    ]);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    expect(new Set(statements.map((s) => s.where.split(" ")[0]))).toEqual(new Set(expected));
  });

  it("every Allow on Resource * is in the justified list", () => {
    const offenders = statements
      .filter(({ statement }) => statement.Effect === "Allow" && [statement.Resource].flat().includes("*"))
      .flatMap(({ where, statement }) => [statement.Action].flat().filter((a) => !(String(a) in ALLOWED_ON_ANY_RESOURCE)).map((a) => `${where}: ${a}`));
    expect(offenders).toEqual([]);
  });

  it("no Allow names every action of a service outside a key policy, and no Allow has a wildcard principal", () => {
    for (const { where, statement } of statements.filter((s) => s.statement.Effect === "Allow")) {
      for (const action of [statement.Action].flat().map(String)) {
        if (action === "*" || (action.endsWith(":*") && !where.includes("aws_kms_key"))) throw new Error(`${where} allows ${action}`);
      }
      expect(JSON.stringify(statement.Principal ?? {}), where).not.toMatch(/"\*"/);
    }
  });

  it("no foundation-model or inference-profile ARN has a wildcard model id", () => {
    const modelResources = statements.flatMap(({ statement }) => [statement.Resource].flat().map(String)).filter((r) => /foundation-model|inference-profile/.test(r));
    expect(modelResources.length).toBeGreaterThan(0);
    for (const resource of modelResources) expect(resource).not.toMatch(/(foundation-model|inference-profile)\/[^/]*\*/);
  });
});

describe("the allowlist itself", () => {
  it("every entry is used somewhere (no stale exceptions)", () => {
    const app = testApp();
    const [prod] = resolveEnvironments(environments).filter((e) => e.name === "prod");
    const stacks = AgentEnvironment.fromEnvironment(app, prod!);
    const jsons = [synthStack(stacks.agent), synthStack(stacks.storage)];
    const used = new Set(
      jsons
        .flatMap((json) => ["aws_iam_role_policy", "aws_kms_key"].flatMap((t) => listOf(json, t)))
        .flatMap((c) => JSON.parse(String(c.policy)).Statement)
        .filter((s: Record<string, unknown>) => [s.Resource].flat().includes("*"))
        .flatMap((s: Record<string, unknown>) => [s.Action].flat()),
    );
    for (const action of Object.keys(ALLOWED_ON_ANY_RESOURCE)) expect(used, action).toContain(action);
  });
});
