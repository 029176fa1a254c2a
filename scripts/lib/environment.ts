import { environments } from "../../environments/index.ts";
import { resolveEnvironments, type Environment } from "../../environments/schema.ts";
import { resourceNames, type ResourceNames } from "../../lib/names.ts";
import { UsageError } from "./cli.ts";

/** The named environment, validated; an unknown name lists the known ones. */
export function loadEnvironment(name: string, inputs: readonly unknown[] = environments): Environment {
  const all = resolveEnvironments(inputs);
  const found = all.find((e) => e.name === name);
  if (!found) throw new UsageError(`unknown environment "${name}"; known: ${all.map((e) => e.name).join(", ")} (environments/index.ts)`);
  return found;
}

/** Resource names with the account id resolved (the account may come from credentials at run time). */
export function namesOf(environment: Environment, accountId: string): ResourceNames {
  return resourceNames({ name: environment.name, region: environment.region, accountId });
}
