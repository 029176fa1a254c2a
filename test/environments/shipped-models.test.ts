import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments } from "../../environments/schema.ts";
import { INFERENCE_PROFILE_ONLY_MODELS } from "../../lib/service-facts.ts";
import { AgentEnvironment } from "../../modules/environment/agent-environment.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";
import { listOf, synthStack, testApp } from "../helpers/synth.ts";

/** Foundation-model ARNs an execution role may invoke without going through an inference profile. */
function onDemandModels(policy: string): string[] {
  const statements = (JSON.parse(policy) as { Statement: { Action: string | string[]; Resource?: string | string[]; Condition?: unknown }[] }).Statement;
  return statements
    .filter((s) => [s.Action].flat().includes("bedrock:InvokeModel") && s.Condition === undefined)
    .flatMap((s) => [s.Resource ?? []].flat())
    .filter((r) => r.includes(":foundation-model/"))
    .map((r) => r.slice(r.indexOf(":foundation-model/") + ":foundation-model/".length));
}

describe("models Bedrock serves only through an inference profile are never listed by their bare id", () => {
  const resolved = resolveEnvironments([...environments, ...EVERY_OPTION_ENVIRONMENTS]);

  it.each(resolved.map((env) => [env.name, env] as const))("%s", (_, env) => {
    const bare = env.agent.models.filter((m) => m.routedRegions.length === 0).map((m) => m.id);
    expect(bare.filter((id) => id in INFERENCE_PROFILE_ONLY_MODELS)).toEqual([]);
    const role = listOf(synthStack(AgentEnvironment.fromEnvironment(testApp(), env).agent), "aws_iam_role_policy")[0]!;
    expect(onDemandModels(String(role.policy)).filter((id) => id in INFERENCE_PROFILE_ONLY_MODELS)).toEqual([]);
  });

  it("prod calls Claude Haiku 4.5 through its US inference profile", () => {
    const prod = resolved.find((e) => e.name === "prod")!;
    expect(prod.agent.models.map((m) => m.id)).toContain("us.anthropic.claude-haiku-4-5-20251001-v1:0");
  });

  it("the check finds a bare profile-only model (it can fail)", () => {
    const role = JSON.stringify({ Statement: [{ Action: ["bedrock:InvokeModel"], Resource: ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"] }] });
    expect(onDemandModels(role).filter((id) => id in INFERENCE_PROFILE_ONLY_MODELS)).toEqual(["anthropic.claude-haiku-4-5-20251001-v1:0"]);
  });
});
