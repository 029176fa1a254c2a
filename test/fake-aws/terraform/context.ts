/** The stand-in terraform's run context: its options (argv and TF_CLI_ARGS), the stack's configuration and variables, its line to the world, data sources. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { evaluate, loadConfig, type Block, type Config, type Scope } from "./config.ts";
import { sourceLine, type Diagnostic } from "./format.ts";
import type { Remote, TypeSchema } from "./remote.ts";
import { type State } from "./state.ts";

/** Where the stand-in runs: its folder, its line to the world, its output streams, its input. */
export interface Io {
  readonly cwd: string;
  readonly remote: Remote;
  out(text: string): void;
  err(text: string): void;
  /** One line of standard input; undefined at its end. */
  readLine(): Promise<string | undefined>;
  /** The process environment (TF_CLI_ARGS, TF_CLI_ARGS_<command>). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const CONFIG_FILE = "cdk.tf.json";

export const say = (where: { io: Io }, line = "") => where.io.out(`${line}\n`);
export const POLL_MS = 10_000;

export interface Options {
  readonly vars: Record<string, string>;
  readonly out?: string;
  readonly destroy: boolean;
  readonly detailedExitcode: boolean;
  readonly color: boolean;
  readonly positional: string[];
  /** -target=<address> (repeatable). */
  readonly targets: string[];
}

export function parseOptions(args: readonly string[]): Options {
  const vars: Record<string, string> = {};
  const positional: string[] = [];
  let out: string | undefined;
  let destroy = false;
  let detailedExitcode = false;
  let color = true;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith("-var=")) {
      const [name, ...value] = arg.slice(5).split("=");
      vars[name!] = value.join("=");
    } else if (arg === "-out") out = args[++i];
    else if (arg.startsWith("-out=")) out = arg.slice(5);
    else if (arg === "-destroy") destroy = true;
    else if (arg === "-detailed-exitcode") detailedExitcode = true;
    else if (arg === "-no-color") color = false;
    else if (arg.startsWith("-target=")) targets.push(arg.slice("-target=".length));
    else if (arg === "-target") targets.push(args[++i] ?? "");
    else if (arg.startsWith("-")) continue;
    else positional.push(arg);
  }
  return { vars, ...(out !== undefined && { out }), destroy, detailedExitcode, color, positional, targets };
}

/**
 * The words of TF_CLI_ARGS and TF_CLI_ARGS_<command>, split as a shell splits them (Terraform uses
 * mattn/go-shellwords): on blanks, with single and double quotes grouping.
 */
export function envArgs(command: string, env: Readonly<Record<string, string | undefined>> = {}): string[] {
  const words = (text: string | undefined) => [...(text ?? "").matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return [...words(env[`TF_CLI_ARGS_${command}`]), ...words(env.TF_CLI_ARGS)];
}


export class Failure extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics[0]?.summary ?? "failed");
    this.diagnostics = diagnostics;
  }
}

export function blockSource(config: Config, block: Block): Diagnostic["source"] {
  return { file: CONFIG_FILE, line: block.line, context: `${block.mode === "data" ? "data" : "resource"}.${block.type}.${block.name}`, code: sourceLine(config.text, block.line) };
}

export async function variables(config: Config, given: Record<string, string>, io: Io): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const variable of config.variables) {
    let value: unknown = given[variable.name] ?? variable.default;
    if (value === undefined) {
      // Without -input=false Terraform prompts (cdktn does not pass it to apply/destroy, and detects the prompt).
      io.out(`var.${variable.name}\n  Enter a value: `);
      value = await io.readLine();
      if (value === undefined) {
        throw new Failure([
          {
            summary: "No value for required variable",
            detail: `The root module input variable "${variable.name}" is not set, and has no default value.\nUse a -var or -var-file command line argument to provide a value for this\nvariable.`,
            source: { file: CONFIG_FILE, line: variable.line, context: "variable", code: sourceLine(config.text, variable.line) },
          },
        ]);
      }
    }
    values[variable.name] = value;
  }
  for (const variable of config.variables) {
    for (const rule of variable.validation) {
      const ok = evaluate(rule.condition, { variables: values, objects: new Map(), workspace: "default" });
      if (ok === false) {
        throw new Failure([
          {
            summary: "Invalid value for variable",
            detail: `${rule.errorMessage}\n\nThis was checked by the validation rule at ${CONFIG_FILE}:${variable.line}.`,
            source: { file: CONFIG_FILE, line: variable.line, context: "variable", code: sourceLine(config.text, variable.line) },
          },
        ]);
      }
    }
  }
  return values;
}

export interface Context {
  readonly io: Io;
  readonly config: Config;
  readonly schema: Record<string, TypeSchema>;
  readonly account: string;
  readonly scope: Scope;
}

export async function prepare(options: Options, io: Io): Promise<Context> {
  const file = resolve(io.cwd, CONFIG_FILE);
  if (!existsSync(file)) throw new Failure([{ summary: "No configuration files", detail: "Apply requires configuration to be present." }]);
  const config = loadConfig(CONFIG_FILE, readFileSync(file, "utf8"));
  const vars = await variables(config, options.vars, io);
  const { account, types } = await io.remote.provider<{ account: string; types: Record<string, TypeSchema> }>("schema");
  if (config.provider.allowedAccountIds && !config.provider.allowedAccountIds.includes(account)) {
    throw new Failure([{ summary: `AWS account ID not allowed: ${account}`, detail: "" }]);
  }
  return { io, config, schema: types, account, scope: { variables: vars, objects: new Map(), workspace: "default" } };
}

export function schemaOf(ctx: Context, type: string): TypeSchema {
  return ctx.schema[type] ?? { label: type, service: "AWS", createOperation: "Create", deleteOperation: "Delete", forceNew: [] };
}

/** Reads a data source; terraform_remote_state reads the other stack's state through its backend. */
export async function readData(ctx: Context, block: Block): Promise<Record<string, unknown>> {
  const config = evaluate(block.config, ctx.scope) as Record<string, unknown>;
  if (block.type === "terraform_remote_state") {
    const backendConfig = (config.config ?? {}) as Record<string, unknown>;
    let text: string | undefined;
    if (config.backend === "local") {
      const file = resolve(ctx.io.cwd, String(backendConfig.path ?? "terraform.tfstate"));
      text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    } else {
      text = await ctx.io.remote.getObject(String(backendConfig.bucket), String(backendConfig.key));
    }
    if (text === undefined || text.trim() === "") {
      throw new Failure([{ summary: "Unable to find remote state", detail: "No stored state was found for the given workspace in the given backend.", address: block.address, source: blockSource(ctx.config, block) }]);
    }
    const state = JSON.parse(text) as State;
    return { ...config, outputs: Object.fromEntries(Object.entries(state.outputs).map(([k, v]) => [k, v.value])) };
  }
  const answer = await ctx.io.remote.provider("data", { type: block.type, region: ctx.config.provider.region, config });
  if (answer.error) throw new Failure([{ summary: `reading ${block.type}: ${answer.error.message}`, address: block.address, source: blockSource(ctx.config, block) }]);
  return { ...config, ...answer.attributes };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function tagsOf(ctx: Context, config: Record<string, unknown>): Record<string, string> {
  return { ...ctx.config.provider.defaultTags, ...((config.tags as Record<string, string> | undefined) ?? {}) };
}
