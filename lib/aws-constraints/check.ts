/**
 * Checks synthesized Terraform JSON against the AWS API constraints table: every resource of every stack,
 * every attribute a row names, every rule of that row. A pure function over the JSON, so a consumer app can
 * run it on its own stacks (`checkAwsConstraints(readSynthesizedStacks("cdktf.out"))`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AWS_CONSTRAINTS } from "./table/index.ts";
import type { Constraint, ConstraintRow, RuleSource, SynthesizedStack, Violation } from "./types.ts";

/**
 * Longest value a Terraform reference can stand for, by the attribute it names. Used only where the brief is
 * a size limit over a whole document (policy sizes, event patterns, input templates): a reference is counted
 * at its longest so a document that passes here also passes once Terraform fills it in. The lengths are this
 * project's upper bounds, not AWS's: account ids are 12 digits; every ARN this project builds or references
 * is under 256 characters (its names are bounded by lib/names.ts, ids by their API patterns); ids under 64;
 * names under 256. Elsewhere a reference is skipped and only the literal text around it is checked.
 */
export const WORST_CASE_REFERENCE_LENGTHS: readonly (readonly [pattern: RegExp, length: number])[] = [
  [/account_id$/, 12],
  [/partition$/, 10],
  [/agent_runtime_version$/, 5],
  [/agent_runtime_id$/, 59],
  [/repository_url$/, 320],
  [/arn$/i, 256],
  [/bucket$/, 63],
  [/id$/i, 64],
  [/name$/, 256],
];
const DEFAULT_REFERENCE_LENGTH = 256;

export function worstCaseLength(reference: string): number {
  const inner = reference.slice(2, -1);
  return WORST_CASE_REFERENCE_LENGTHS.find(([pattern]) => pattern.test(inner))?.[1] ?? DEFAULT_REFERENCE_LENGTH;
}

/** Splits a Terraform string into literal text and `${…}` references (braces inside a reference nest). */
export function splitReferences(value: string): { literals: string[]; references: string[] } {
  const literals: string[] = [];
  const references: string[] = [];
  let literal = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("${", i)) {
      let depth = 0;
      let j = i;
      for (; j < value.length; j++) {
        if (value[j] === "{") depth++;
        else if (value[j] === "}" && --depth === 0) break;
      }
      literals.push(literal);
      literal = "";
      references.push(value.slice(i, j + 1));
      i = j + 1;
    } else {
      literal += value[i];
      i++;
    }
  }
  literals.push(literal);
  return { literals, references };
}

const compiled = new Map<string, RegExp>();
/** A model pattern, anchored: AWS validates the whole value. Java-style patterns that JS rejects in `u` mode compile without it. */
export function compilePattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, "u");
    } catch {
      regex = new RegExp(`^(?:${pattern})$`);
    }
    compiled.set(pattern, regex);
  }
  return regex;
}

/** `[class]*`, `[class]+`, `^([class]+)$`: patterns a literal fragment can be checked against on its own. */
function characterClassOf(pattern: string): RegExp | undefined {
  const match = /^\^?\(?(\[(?:\\.|[^\]\\])*\])[*+]\)?\$?$/.exec(pattern);
  return match ? compilePattern(`${match[1]}*`) : undefined;
}

export function describeSource(row: ConstraintRow, source: RuleSource): string {
  const member = `${row.api.service} ${row.api.shape}.${row.api.member}${row.api.element ? ` (${row.api.element})` : ""}`;
  if (source.kind === "model") return `${member}, AWS API model`;
  if (source.kind === "model-documentation") return `${member}, AWS API model documentation: "${source.quote}"`;
  return `${member}; ${source.url}: "${source.quote}"`;
}

function describeConstraint(constraint: Constraint): string {
  switch (constraint.kind) {
    case "pattern":
      return `must be ${constraint.says} (pattern ${constraint.pattern})`;
    case "length":
      return `must be ${constraint.min ?? 0} to ${constraint.max ?? "any number of"} characters long`;
    case "enum":
      return `must be one of ${constraint.values.join(", ")}`;
    case "range":
      return `must be a number from ${constraint.min ?? "-∞"} to ${constraint.max ?? "∞"}`;
    case "count":
      return `must hold ${constraint.min ?? 0} to ${constraint.max ?? "any number of"} entries`;
    case "policy-size":
      return `must be at most ${constraint.max.toLocaleString("en-US")} characters${constraint.perRole ? " for all inline policies of the role together" : ""}, white space not counted`;
    case "prefix":
      return constraint.forbidden ? `must not start with "${constraint.text}"` : `must start with "${constraint.text}"`;
  }
}

/** Size of a JSON document as AWS counts it: white space removed, each reference at its longest. */
export function documentSize(text: string): number {
  const { literals, references } = splitReferences(text);
  return literals.join("").replace(/\s/g, "").length + references.reduce((sum, reference) => sum + worstCaseLength(reference), 0);
}

/** Whether a single value breaks a constraint; undefined when it holds or cannot be judged (a reference). */
function breaks(constraint: Constraint, value: unknown): string | undefined {
  const text = typeof value === "string" ? value : undefined;
  const parts = text !== undefined ? splitReferences(text) : undefined;
  const hasReference = (parts?.references.length ?? 0) > 0;
  switch (constraint.kind) {
    case "pattern": {
      if (text === undefined) return undefined;
      if (!hasReference) return compilePattern(constraint.pattern).test(text) ? undefined : describeConstraint(constraint);
      const characters = characterClassOf(constraint.pattern);
      const bad = characters && parts!.literals.find((literal) => !characters.test(literal));
      return bad !== undefined ? `${describeConstraint(constraint)}; the literal text "${bad}" is not` : undefined;
    }
    case "length": {
      if (text === undefined) return undefined;
      const literalLength = parts!.literals.join("").length;
      if (constraint.max !== undefined && literalLength > constraint.max) return `${describeConstraint(constraint)}, is ${literalLength}${hasReference ? " before its references are filled in" : ""}`;
      if (!hasReference && constraint.min !== undefined && text.length < constraint.min) return `${describeConstraint(constraint)}, is ${text.length}`;
      return undefined;
    }
    case "enum":
      if (hasReference || value === undefined || value === null) return undefined;
      return constraint.values.includes(String(value)) ? undefined : describeConstraint(constraint);
    case "range": {
      if (hasReference || typeof value !== "number") return undefined;
      const outside = (constraint.min !== undefined && value < constraint.min) || (constraint.max !== undefined && value > constraint.max);
      return outside ? describeConstraint(constraint) : undefined;
    }
    case "count": {
      if (typeof value !== "number") return undefined;
      const outside = (constraint.min !== undefined && value < constraint.min) || (constraint.max !== undefined && value > constraint.max);
      return outside ? `${describeConstraint(constraint)}, holds ${value}` : undefined;
    }
    case "policy-size": {
      if (text === undefined || constraint.perRole) return undefined;
      const size = documentSize(text);
      return size > constraint.max ? `${describeConstraint(constraint)}, is ${size.toLocaleString("en-US")}${hasReference ? " with its references at their longest" : ""}` : undefined;
    }
    case "prefix": {
      if (text === undefined) return undefined;
      const start = parts!.literals[0]!;
      // A reference at the start hides the prefix; only literal text can be judged.
      if (hasReference && start.length < constraint.text.length) return undefined;
      return text.startsWith(constraint.text) === !constraint.forbidden ? undefined : describeConstraint(constraint);
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

interface Selected {
  readonly label: string;
  readonly value: unknown;
}

/** The values a row's attribute path selects in one resource configuration. */
export function selectValues(config: Record<string, unknown>, attribute: string, defaultTags: Readonly<Record<string, string>> = {}): Selected[] {
  const suffix = /(\[\]|\{keys\}|\{values\}|\{count\})$/.exec(attribute)?.[1];
  const path = suffix ? attribute.slice(0, -suffix.length) : attribute;
  let nodes: unknown[] = [config];
  for (const key of path.split(".")) {
    nodes = nodes.flatMap((node) => (Array.isArray(node) ? node : [node])).flatMap((node) => (isObject(node) && node[key] !== undefined ? [node[key]] : []));
  }
  const fromDefaults = new Set<string>();
  if (path === "tags") {
    // Every resource that takes tags gets the provider's default_tags too (tags_all): AWS receives both.
    const own = isObject(nodes[0]) ? (nodes[0] as Record<string, unknown>) : {};
    for (const key of Object.keys(defaultTags)) if (!(key in own)) fromDefaults.add(key);
    const merged = { ...defaultTags, ...own };
    nodes = Object.keys(merged).length > 0 ? [merged] : [];
  }
  const tagLabel = (key: string) => `${path}["${key}"]${fromDefaults.has(key) ? " (from the provider's default_tags)" : ""}`;
  return nodes.flatMap((node): Selected[] => {
    switch (suffix) {
      case "[]":
        return Array.isArray(node) ? node.map((value, i) => ({ label: `${path}[${i}]`, value })) : [];
      case "{keys}":
        return isObject(node) ? Object.keys(node).map((key) => ({ label: tagLabel(key), value: key })) : [];
      case "{values}":
        return isObject(node) ? Object.entries(node).map(([key, value]) => ({ label: tagLabel(key), value })) : [];
      case "{count}":
        if (Array.isArray(node)) return [{ label: path, value: node.length }];
        return isObject(node) ? [{ label: path, value: Object.keys(node).length }] : [];
      default:
        return (Array.isArray(node) ? node : [node]).map((value) => ({ label: path, value }));
    }
  });
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function defaultTagsOf(stack: SynthesizedStack): Record<string, string> {
  const provider = stack.json.provider?.aws?.[0];
  const block = provider?.default_tags;
  const first = Array.isArray(block) ? block[0] : block;
  return isObject(first) && isObject(first.tags) ? (first.tags as Record<string, string>) : {};
}

/** Every value in the stacks that AWS would refuse, one entry per broken rule. */
export function checkAwsConstraints(stacks: readonly SynthesizedStack[], table: readonly ConstraintRow[] = AWS_CONSTRAINTS): Violation[] {
  const byType = new Map<string, ConstraintRow[]>();
  for (const row of table) byType.set(row.resource, [...(byType.get(row.resource) ?? []), row]);
  const violations: Violation[] = [];
  for (const stack of stacks) {
    const defaultTags = defaultTagsOf(stack);
    for (const [type, resources] of Object.entries(stack.json.resource ?? {})) {
      const typeRows = byType.get(type) ?? [];
      for (const [id, config] of Object.entries(resources)) {
        for (const row of typeRows) {
          if (row.when !== undefined && config[row.when] === undefined) continue;
          for (const { label, value } of selectValues(config, row.attribute, defaultTags)) {
            for (const constraint of row.constraints) {
              const broken = breaks(constraint, value);
              if (broken !== undefined) {
                violations.push({ stack: stack.name, address: `${type}.${id}`, attribute: label, value: show(value), rule: broken, source: describeSource(row, constraint.source) });
              }
            }
          }
        }
      }
      violations.push(...perRoleSizeViolations(stack, type, resources, typeRows));
    }
  }
  return violations;
}

/** A rule of the constraints table that a value breaks. */
export interface BrokenRule {
  /** What AWS requires, in words. */
  readonly rule: string;
  /** The API model member and where the rule is stated. */
  readonly source: string;
}

/**
 * What AWS says about one value a user supplies for a Terraform attribute, before anything is synthesized: the
 * rules of the table that the value breaks (none when it holds). Configuration checks use this so that a value
 * AWS would refuse is reported against the setting it came from, from the same table the synth check uses.
 * `attribute` is the row's path exactly (e.g. "…allowed_scopes[]" for one element of the list); `when` names the
 * attribute the resource sets that selects conditional rows (e.g. "referenced_security_group_id" for a rule's description).
 */
export function valueBreaks(resource: string, attribute: string, value: unknown, table: readonly ConstraintRow[] = AWS_CONSTRAINTS, when?: string): BrokenRule[] {
  return table
    .filter((row) => row.resource === resource && row.attribute === attribute && (row.when === undefined || row.when === when))
    .flatMap((row) =>
      row.constraints.flatMap((constraint) => {
        const broken = breaks(constraint, value);
        return broken === undefined ? [] : [{ rule: broken, source: describeSource(row, constraint.source) }];
      }),
    );
}

/** IAM's inline-policy quota is on a role's total: sum every inline policy of each role in the stack. */
function perRoleSizeViolations(stack: SynthesizedStack, type: string, resources: Readonly<Record<string, Record<string, unknown>>>, typeRows: readonly ConstraintRow[]): Violation[] {
  const violations: Violation[] = [];
  for (const row of typeRows) {
    for (const constraint of row.constraints) {
      if (constraint.kind !== "policy-size" || !constraint.perRole) continue;
      const byRole = new Map<string, [id: string, size: number][]>();
      for (const [id, config] of Object.entries(resources)) {
        const text = config[row.attribute];
        if (typeof text !== "string") continue;
        const role = String(config.role);
        byRole.set(role, [...(byRole.get(role) ?? []), [id, documentSize(text)]]);
      }
      for (const [role, policies] of byRole) {
        const total = policies.reduce((sum, [, size]) => sum + size, 0);
        if (total <= constraint.max) continue;
        violations.push({
          stack: stack.name,
          address: `${type}.${policies[0]![0]}`,
          attribute: row.attribute,
          value: `${total.toLocaleString("en-US")} characters in ${policies.length} inline polic${policies.length === 1 ? "y" : "ies"} of role ${role}`,
          rule: describeConstraint(constraint),
          source: describeSource(row, constraint.source),
        });
      }
    }
  }
  return violations;
}

/** The stacks a synth wrote, as the cdktn manifest lists them. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { name: string; synthesizedStackPath: string }> };
  return Object.values(manifest.stacks).map((entry) => ({
    name: entry.name,
    json: JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as SynthesizedStack["json"],
  }));
}

/** One line: stack, resource, attribute, value, rule, and where AWS states it. */
export function formatViolation(violation: Violation): string {
  return `${violation.stack}: ${violation.address} ${violation.attribute} = ${JSON.stringify(violation.value)}: ${violation.rule} [${violation.source}]`;
}

/** Thrown by synth when a synthesized value would be refused by AWS; nothing has been written. */
export class AwsConstraintError extends Error {
  /** Every value AWS would refuse. */
  readonly violations: readonly Violation[];
  constructor(violations: readonly Violation[]) {
    super(
      `${violations.length} value${violations.length === 1 ? "" : "s"} AWS would refuse:\n` +
        violations.map((v) => `  - ${formatViolation(v)}`).join("\n"),
    );
    this.violations = violations;
    this.name = "AwsConstraintError";
  }
}
