/**
 * The part of Terraform's language the synthesized stacks use (cdk.tf.json): resources, data sources,
 * variables with validation, outputs, provider "aws" with default_tags, backend "local"/"s3", and
 * expressions of the forms cdktn writes: "${type.name.attr}", "${data.terraform_remote_state.x.outputs.y}",
 * "${var.x}", "${terraform.workspace}", templates mixing text and those, "${can(regex(\"…\", var.x))}".
 * An expression outside that set is reported, not guessed at.
 *
 * Runs on Node's own TypeScript support (erasable syntax only; relative imports name their .ts file).
 */

export const UNKNOWN: unique symbol = Symbol("unknown (known after apply)");

export type Value = unknown;

export interface Block {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  /** Addresses this block refers to (expressions and depends_on). */
  readonly dependsOn: readonly string[];
  /** Line of the block's name in cdk.tf.json, for diagnostics ("on cdk.tf.json line N"). */
  readonly line: number;
}

export interface Variable {
  readonly name: string;
  readonly default?: unknown;
  readonly validation: readonly { readonly condition: string; readonly errorMessage: string }[];
  readonly line: number;
}

export interface Config {
  readonly file: string;
  readonly text: string;
  readonly blocks: readonly Block[];
  readonly variables: readonly Variable[];
  readonly outputs: readonly { readonly name: string; readonly value: unknown; readonly sensitive: boolean; readonly dependsOn: readonly string[] }[];
  readonly provider: { readonly region: string; readonly defaultTags: Record<string, string>; readonly allowedAccountIds?: readonly string[] };
  readonly backend: { readonly type: "local"; readonly path: string } | { readonly type: "s3"; readonly bucket: string; readonly key: string; readonly region: string };
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}

const REFERENCE = /\b(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;

function referencesIn(value: unknown): string[] {
  const text = JSON.stringify(value);
  const found = new Set<string>();
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) for (const ref of match[1]!.matchAll(REFERENCE)) found.add(ref[1]!);
  return [...found];
}

export function loadConfig(file: string, text: string): Config {
  const json = JSON.parse(text) as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, Record<string, Record<string, unknown>>>;
    variable?: Record<string, { default?: unknown; validation?: { condition: string; error_message: string }[] }>;
    output?: Record<string, { value: unknown; sensitive?: boolean; depends_on?: string[] }>;
    provider?: { aws?: { region?: string; default_tags?: { tags?: Record<string, string> }[]; allowed_account_ids?: string[] }[] };
    terraform?: { backend?: Record<string, Record<string, unknown>> };
  };
  const blocks: Block[] = [];
  for (const [mode, section] of [["managed", json.resource], ["data", json.data]] as const) {
    for (const [type, byName] of Object.entries(section ?? {})) {
      for (const [name, raw] of Object.entries(byName)) {
        const { depends_on: dependsOn, ...config } = raw as Record<string, unknown> & { depends_on?: string[] };
        delete config["//"];
        const address = mode === "managed" ? `${type}.${name}` : `data.${type}.${name}`;
        blocks.push({ address, mode, type, name, config, dependsOn: [...new Set([...referencesIn(config), ...(dependsOn ?? [])])].filter((a) => a !== address), line: lineOf(text, `"${name}": {`) });
      }
    }
  }
  const variables = Object.entries(json.variable ?? {}).map(([name, v]) => ({
    name,
    ...(v.default !== undefined && { default: v.default }),
    validation: (v.validation ?? []).map((rule) => ({ condition: rule.condition, errorMessage: rule.error_message })),
    line: lineOf(text, `"${name}": {`),
  }));
  const outputs = Object.entries(json.output ?? {}).map(([name, o]) => ({ name, value: o.value, sensitive: o.sensitive === true, dependsOn: referencesIn(o.value) }));
  const aws = json.provider?.aws?.[0] ?? {};
  const [backendType, backendConfig] = Object.entries(json.terraform?.backend ?? { local: {} })[0] ?? ["local", {}];
  const backend =
    backendType === "s3"
      ? { type: "s3" as const, bucket: String(backendConfig.bucket), key: String(backendConfig.key), region: String(backendConfig.region) }
      : { type: "local" as const, path: String(backendConfig.path ?? "terraform.tfstate") };
  return {
    file,
    text,
    blocks,
    variables,
    outputs,
    provider: { region: String(aws.region ?? "us-east-1"), defaultTags: aws.default_tags?.[0]?.tags ?? {}, ...(aws.allowed_account_ids && { allowedAccountIds: aws.allowed_account_ids }) },
    backend,
  };
}

/** Blocks in an order where each comes after everything it refers to. */
export function topologicalOrder(blocks: readonly Block[]): Block[] {
  const byAddress = new Map(blocks.map((b) => [b.address, b]));
  const done = new Set<string>();
  const order: Block[] = [];
  const visit = (block: Block, path: string[]) => {
    if (done.has(block.address)) return;
    if (path.includes(block.address)) throw new Error(`Cycle: ${[...path, block.address].join(" → ")}`);
    for (const dep of block.dependsOn) {
      const target = byAddress.get(dep);
      if (target) visit(target, [...path, block.address]);
    }
    done.add(block.address);
    order.push(block);
  };
  for (const block of blocks) visit(block, []);
  return order;
}

export class EvaluationError extends Error {
  readonly summary: string;
  readonly detail: string;

  constructor(summary: string, detail: string) {
    super(summary);
    this.summary = summary;
    this.detail = detail;
  }
}

/** What expressions can refer to. */
export interface Scope {
  readonly variables: Record<string, unknown>;
  /** Attributes of resources and data sources by address ("aws_vpc.x", "data.aws_caller_identity.y"); UNKNOWN while not yet known. */
  readonly objects: Map<string, Record<string, unknown> | typeof UNKNOWN>;
  readonly workspace: string;
}

function traverse(root: unknown, path: readonly (string | number)[], expression: string): unknown {
  let current = root;
  for (const step of path) {
    if (current === UNKNOWN) return UNKNOWN;
    if (current === null || current === undefined || typeof current !== "object") throw new EvaluationError("Unsupported attribute", `Can't access attributes on a primitive-typed value (in ${expression}).`);
    if (!(step in (current as Record<string, unknown>))) {
      const keys = Object.keys(current as Record<string, unknown>);
      throw new EvaluationError("Unsupported attribute", `This object does not have an attribute named "${String(step)}".${keys.length <= 3 ? ` (it has ${keys.length} attribute${keys.length === 1 ? "" : "s"}${keys.length ? ` ${keys.map((k) => `"${k}"`).join(", ")}` : ""})` : ""}`);
    }
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function parsePath(expression: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\["([^"]*)"\]|\./g;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = pattern.exec(expression))) {
    if (match.index !== last) throw new EvaluationError("Unsupported expression", `The stand-in Terraform does not understand "${expression}".`);
    last = pattern.lastIndex;
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[3] !== undefined) parts.push(match[3]);
  }
  if (last !== expression.length) throw new EvaluationError("Unsupported expression", `The stand-in Terraform does not understand "${expression}".`);
  return parts;
}

function evaluateReference(expression: string, scope: Scope): unknown {
  const path = parsePath(expression.trim());
  const [root, ...rest] = path;
  if (root === "var") {
    const [name, ...more] = rest;
    if (!(String(name) in scope.variables)) throw new EvaluationError("Reference to undeclared input variable", `An input variable with the name "${String(name)}" has not been declared.`);
    return traverse(scope.variables[String(name)], more, expression);
  }
  if (root === "terraform" && rest[0] === "workspace") return scope.workspace;
  const [address, more] = root === "data" ? [`data.${String(rest[0])}.${String(rest[1])}`, rest.slice(2)] : [`${String(root)}.${String(rest[0])}`, rest.slice(1)];
  const object = scope.objects.get(address);
  if (object === undefined) throw new EvaluationError("Reference to undeclared resource", `A managed resource or data source "${address}" has not been declared in the root module.`);
  if (object === UNKNOWN) return UNKNOWN;
  return traverse(object, more, expression);
}

function evaluateExpression(expression: string, scope: Scope): unknown {
  const text = expression.trim();
  const can = /^can\((.*)\)$/s.exec(text);
  if (can) {
    try {
      const value = evaluateExpression(can[1]!, scope);
      return value === UNKNOWN ? UNKNOWN : true;
    } catch {
      return false;
    }
  }
  const regex = /^regex\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*(.+)\)$/s.exec(text);
  if (regex) {
    const pattern = JSON.parse(`"${regex[1]!}"`) as string;
    const subject = evaluateExpression(regex[2]!, scope);
    if (subject === UNKNOWN) return UNKNOWN;
    const match = new RegExp(pattern).exec(String(subject));
    if (!match) throw new EvaluationError("Error in function call", `Call to function "regex" failed: pattern did not match any part of the given string.`);
    return match[0];
  }
  return evaluateReference(text, scope);
}

/** Splits "a${x}b${y}" into literal and expression parts, honouring nested braces and strings. */
function templateParts(text: string): ({ literal: string } | { expression: string })[] {
  const parts: ({ literal: string } | { expression: string })[] = [];
  let i = 0;
  let literal = "";
  while (i < text.length) {
    if (text.startsWith("${", i)) {
      let depth = 1;
      let j = i + 2;
      let inString = false;
      for (; j < text.length && depth > 0; j++) {
        const c = text[j];
        if (inString) {
          if (c === "\\") j++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{") depth++;
        else if (c === "}") depth--;
      }
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ expression: text.slice(i + 2, j - 1) });
      i = j;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** Evaluates a configuration value: strings with interpolations, lists and objects recursively. */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (typeof value === "string") {
    const parts = templateParts(value);
    if (parts.length === 1 && "expression" in parts[0]!) return evaluateExpression(parts[0].expression, scope);
    let result = "";
    for (const part of parts) {
      if ("literal" in part) result += part.literal;
      else {
        const v = evaluateExpression(part.expression, scope);
        if (v === UNKNOWN) return UNKNOWN;
        result += typeof v === "string" ? v : JSON.stringify(v);
      }
    }
    return result;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => evaluate(v, scope));
    return items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, evaluate(v, scope)]));
  }
  return value;
}

/** Whether a value contains anything not yet known. */
export function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value !== null && typeof value === "object") return Object.values(value as Record<string, unknown>).some(hasUnknown);
  return false;
}

/** Terraform's type of an output value, as state files record it ("string", ["tuple", […]], ["object", {…}]). */
export function typeOf(value: unknown): unknown {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(typeOf)];
  if (value !== null && typeof value === "object") return ["object", Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeOf(v)]))];
  return "dynamic";
}
