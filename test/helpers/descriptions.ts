/**
 * Environments as the scripts see them: the description an environment's stacks carry (modules/environment/
 * description.ts), made here in process from environment files instead of read back from a synthesized app.
 * The scripts themselves read it from the app (scripts/lib/app.ts); tests and the benchmark call their units with it.
 */
import { environments } from "../../environments/index.ts";
import { resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { describeEnvironment, type EnvironmentDescription } from "../../modules/environment/description.ts";
import { resolved } from "./synth.ts";

/** A shipped environment (environments/index.ts), as its stacks describe it. */
export function shippedDescription(name: string): EnvironmentDescription {
  const environment = resolveEnvironments(environments).find((e) => e.name === name);
  if (environment === undefined) throw new Error(`no shipped environment ${name}`);
  return describeEnvironment(environment, "agent");
}

/** The test environment of helpers/synth.ts with `overrides`, as its stacks describe it. */
export function described(overrides: Partial<EnvironmentInput> = {}): EnvironmentDescription {
  return describeEnvironment(resolved(overrides), "agent");
}
