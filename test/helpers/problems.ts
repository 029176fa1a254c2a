/** The configuration problems the schema reports for environment inputs, as `field = value: problem. Fix: fix.` lines. */
import { EnvironmentConfigError, resolveEnvironments } from "../../environments/schema.ts";

export function configProblems(...inputs: unknown[]): string[] {
  try {
    resolveEnvironments(inputs);
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.problems.map((p) => `${p.field} = ${JSON.stringify(p.value)}: ${p.problem}. Fix: ${p.fix}.`);
    throw error;
  }
  return [];
}
