/**
 * Problems of environment files: each names the environment, the field as the file writes it, the value, what is
 * wrong and the fix; EnvironmentConfigError lists every problem of every environment at once.
 */
import type { z } from "zod";
import { issueProblem } from "../../../lib/shape.ts";
import { formatValue } from "../../../lib/validation.ts";

/** A problem of an environment file, named by the environment and the field as the file writes it. */
export interface ConfigProblem {
  /** The environment's name (or its place in the list when it has no usable name). */
  readonly environment: string;
  /** Dotted path of the field, e.g. "network.azCount". */
  readonly field: string;
  /** The value the file gives (undefined when the field is missing). */
  readonly value: unknown;
  /** What is wrong with it. */
  readonly problem: string;
  /** What to do instead. */
  readonly fix: string;
  /** Other environments a check across environments found this problem with (an overlapping range, a shared quota). */
  readonly related?: readonly string[];
}

/** `environment "<name>": <field> = <value>: <problem>. Fix: <fix>.` */
export function formatProblem(p: ConfigProblem): string {
  return `environment "${p.environment}": ${p.field} = ${formatValue(p.value)}: ${p.problem}. Fix: ${p.fix}.`;
}

/** Every problem of every environment file at once, one line each: what synth prints before writing nothing. */
export class EnvironmentConfigError extends Error {
  /** The problems, in the order the message lists them. */
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

/**
 * The app was asked to build environments it does not define (the scripts name the one they act on, through
 * SELECTION_VARIABLE): the message lists the ones it does.
 */
export class EnvironmentSelectionError extends Error {
  /** The names asked for that no environment has. */
  readonly unknown: readonly string[];
  /** The environments the inputs define. */
  readonly known: readonly string[];
  constructor(unknown: readonly string[], known: readonly string[]) {
    const names = unknown.map((n) => JSON.stringify(n)).join(", ");
    super(`unknown environment${unknown.length === 1 ? "" : "s"} ${names}; known: ${known.length > 0 ? known.join(", ") : "none"}`);
    this.unknown = unknown;
    this.known = known;
    this.name = "EnvironmentSelectionError";
  }
}

/** How problems name an environment: its name when it is printable text, else its place in the list. */
export function labelOf(input: unknown, index: number): string {
  const name = input !== null && typeof input === "object" ? (input as { name?: unknown }).name : undefined;
  if (typeof name === "string" && /^[\x21-\x7E]([\x20-\x7E]{0,62}[\x21-\x7E])?$/.test(name)) return name;
  return typeof name === "string" && name.length > 0 ? `#${index + 1} (name ${JSON.stringify(name.slice(0, 40))})` : `#${index + 1} (no name)`;
}

/** A zod issue of an environment file's shape, as a problem of that environment. */
export function problemFromIssue(environment: string, issue: z.core.$ZodIssue): ConfigProblem {
  const { field, value, problem, fix } = issueProblem(issue, "environments/schema.ts for the fields an environment takes");
  return { environment, field: field === "(props)" ? "(environment)" : field, value, problem, fix: issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "unrecognized_keys" || issue.code === "invalid_union" ? fix : "see environments/schema.ts" };
}
