/**
 * Problems of environment files: each names the environment, the field as the file writes it, the value, what is
 * wrong and the fix; EnvironmentConfigError lists every problem of every environment at once.
 */
import type { z } from "zod";
import { fieldPath, formatValue } from "../../../lib/validation.ts";

export interface ConfigProblem {
  readonly environment: string;
  /** Dotted path of the field, e.g. "network.azCount". */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `environment "${p.environment}": ${p.field} = ${formatValue(p.value)}: ${p.problem}. Fix: ${p.fix}.`;
}

export class EnvironmentConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const environments = new Set(problems.map((p) => p.environment));
    super(
      `${problems.length} configuration problem${problems.length === 1 ? "" : "s"} in ` +
        `${environments.size} environment${environments.size === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.problems = problems;
    this.name = "EnvironmentConfigError";
  }
}

/** How problems name an environment: its name when it is printable text, else its place in the list. */
export function labelOf(input: unknown, index: number): string {
  const name = input !== null && typeof input === "object" ? (input as { name?: unknown }).name : undefined;
  if (typeof name === "string" && /^[\x21-\x7E]([\x20-\x7E]{0,62}[\x21-\x7E])?$/.test(name)) return name;
  return typeof name === "string" && name.length > 0 ? `#${index + 1} (name ${JSON.stringify(name.slice(0, 40))})` : `#${index + 1} (no name)`;
}

export function problemFromIssue(environment: string, issue: z.core.$ZodIssue): ConfigProblem {
  const field = fieldPath(...issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment))) || "(environment)";
  switch (issue.code) {
    case "unrecognized_keys": {
      const parent = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
      return {
        environment,
        field: issue.keys.map((k) => fieldPath(...parent, k)).join(", "),
        value: undefined,
        problem: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`,
        fix: "remove it or correct the spelling (see environments/schema.ts for the fields an environment takes)",
      };
    }
    case "invalid_type": {
      const missing = issue.input === undefined;
      return {
        environment,
        field,
        value: issue.input,
        problem: missing ? "is required" : `must be ${article(issue.expected)}, not ${describeType(issue.input)}`,
        fix: `set ${field} to ${article(issue.expected)}`,
      };
    }
    case "invalid_value":
      return {
        environment,
        field,
        value: issue.input,
        problem: "is not one of the allowed values",
        fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options ?? [];
      const value = discriminator ? (issue.input as Record<string, unknown> | undefined)?.[discriminator] : issue.input;
      return {
        environment,
        field,
        value,
        problem: "is not a known option",
        fix: `use one of ${options.map((o) => JSON.stringify(o)).join(", ")}`,
      };
    }
    default:
      return { environment, field, value: issue.input, problem: issue.message, fix: "see environments/schema.ts" };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}
