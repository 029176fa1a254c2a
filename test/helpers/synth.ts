/** Helpers that synthesize real stacks and read the Terraform JSON a user would deploy. */
import { readFileSync } from "node:fs";
import { Testing, type TerraformStack } from "cdktn";
import type { App } from "cdktn";
import { resolveEnvironments, type Environment, type EnvironmentInput } from "../../environments/schema.ts";
import { AgentEnvironment } from "../../modules/environment/agent-environment.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as {
  targetVersions: Record<string, string>;
};

export type TerraformJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: { backend?: Record<string, Record<string, unknown>>; required_providers?: unknown };
};

/** An App configured like the cdktn CLI configures it from cdktf.json. */
export function testApp(): App {
  return Testing.app({ context: { targetVersions: cdktfJson.targetVersions } });
}

/** Synthesizes one stack with cdktn's validations on, as `cdktn synth` would. */
export function synthStack(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true)) as TerraformJson;
}

/** The resources of one type, keyed by logical id. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function listOf(json: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(resourcesOf(json, type));
}

/** The Terraform reference `${type.id.attribute}` for the one resource of a type whose config matches. */
export function refTo(json: TerraformJson, type: string, match: (config: Record<string, unknown>) => boolean, attribute = "id"): string {
  const entries = Object.entries(resourcesOf(json, type)).filter(([, config]) => match(config));
  if (entries.length !== 1) throw new Error(`expected one ${type} matching, found ${entries.length}`);
  return `\${${type}.${entries[0]![0]}.${attribute}}`;
}

/** A base environment for tests; override what the test is about. */
export function environmentInput(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return {
    name: "test",
    stage: "development",
    region: "us-west-2",
    network: { mode: "create", cidr: "10.50.0.0/16" },
    agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], alerts: { emails: ["platform@example.com"] } },
    ...overrides,
  };
}

export function resolved(overrides: Partial<EnvironmentInput> = {}): Environment {
  return resolveEnvironments([environmentInput(overrides)])[0]!;
}

export function synthEnvironment(overrides: Partial<EnvironmentInput> = {}) {
  const app = testApp();
  const stacks = AgentEnvironment.fromEnvironment(app, resolved(overrides));
  return {
    stacks,
    network: () => synthStack(stacks.network),
    storage: () => synthStack(stacks.storage),
    registry: () => synthStack(stacks.registry),
    agent: () => synthStack(stacks.agent),
  };
}

export function parsePolicy(value: unknown): { Statement: Record<string, unknown>[] } {
  return JSON.parse(String(value)) as { Statement: Record<string, unknown>[] };
}
