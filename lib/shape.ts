/**
 * Type problems, before value problems: a zod schema of what each prop's type must be, and each zod issue as a
 * Problem naming the field, the value and the fix. Environment files are parsed this way; constructs check their
 * props this way too, since JavaScript callers and parsed data can pass a prop of the wrong type.
 */
import type { z } from "zod";
import { fieldPath, type Problem } from "./validation.ts";

/** A zod issue as a Problem; `docs` is where the allowed fields are described. */
export function issueProblem(issue: z.core.$ZodIssue, docs: string): Problem {
  const path = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
  const field = fieldPath(...path) || "(props)";
  switch (issue.code) {
    case "unrecognized_keys":
      return {
        field: issue.keys.map((k) => fieldPath(...path, k)).join(", "),
        value: undefined,
        problem: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`,
        fix: `remove it or correct the spelling (see ${docs})`,
      };
    case "invalid_type": {
      const missing = issue.input === undefined;
      return {
        field,
        value: issue.input,
        problem: missing ? "is required" : `must be ${article(issue.expected)}, not ${describeType(issue.input)}`,
        fix: `set ${field} to ${article(issue.expected)}`,
      };
    }
    case "invalid_value":
      return { field, value: issue.input, problem: "is not one of the allowed values", fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` };
    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options ?? [];
      const value = discriminator ? (issue.input as Record<string, unknown> | undefined)?.[discriminator] : issue.input;
      return { field, value, problem: "is not a known option", fix: options.length > 0 ? `use one of ${options.map((o) => JSON.stringify(o)).join(", ")}` : `see ${docs}` };
    }
    default:
      return { field, value: issue.input, problem: issue.message, fix: `see ${docs}` };
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

/**
 * The props' type problems, with the props stripped of every top-level key that has one (so defaults can still be
 * resolved from the rest); undefined when the types are right.
 */
export function shapeProblems<T extends object>(schema: z.ZodType, props: T, docs: string): { problems: Problem[]; rest: T } | undefined {
  const parsed = schema.safeParse(props, { reportInput: true });
  if (parsed.success) return undefined;
  const problems = parsed.error.issues.map((issue) => issueProblem(issue, docs));
  const bad = new Set(parsed.error.issues.flatMap((issue) => (issue.path.length > 0 ? [String(issue.path[0])] : issue.code === "unrecognized_keys" ? issue.keys : [])));
  const rest = props !== null && typeof props === "object" ? Object.fromEntries(Object.entries(props).filter(([key]) => !bad.has(key))) : {};
  return { problems, rest: rest as T };
}
