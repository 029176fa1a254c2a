/**
 * A stand-in `terraform` for tests: the commands and flags cdktn-cli 0.24 runs (read in node_modules/
 * cdktn-cli, bundled source @cdktn/cli-core/src/lib/models/terraform-cli.ts and deploy-machine.ts):
 *
 *   version -json | -v           (cdktn's checks)
 *   init [-upgrade] [-no-color] [-migrate-state]
 *   providers lock -platform=linux_amd64
 *   apply -auto-approve [-var=k=v]…            (cdktn deploy; then `output -json`)
 *   destroy -auto-approve [-var=k=v]… [-target=<address>]…   (cdktn destroy; -target from TF_CLI_ARGS_destroy)
 *   plan -input=false -out plan [-destroy] [-var=…] [-detailed-exitcode]   (cdktn diff; issue 14's drift)
 *   show -json <plan>
 *   output -json
 *
 * It applies the synthesized cdk.tf.json of the stack folder it runs in against the fake AWS world, through
 * the same rules the world's SDK-facing services use (provider.ts), in dependency order; keeps state in
 * Terraform's format where the backend says (local file or S3 backend object); persists state after each
 * change, so a failure leaves it consistent; and fails the way Terraform does: its diagnostics on stderr,
 * exit status 1, a prompt for a missing variable (cdktn detects it), a lock error when the state is locked.
 *
 * TF_CLI_ARGS and TF_CLI_ARGS_<command> are read as Terraform reads them: their words are inserted right after
 * the subcommand (Terraform CLI docs, "Environment Variables"; hashicorp/terraform main.go `mergeEnvArgs`). That is
 * how teardown narrows the `terraform destroy` cdktn runs (cdktn passes its own environment to Terraform:
 * @cdktn/cli-core deploy-machine.ts `createAndStartDestroyService`, `env: process.env`).
 *
 * Runs on Node's built-in TypeScript support (no build step): erasable syntax only.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { EvaluationError, UNKNOWN, evaluate, hasUnknown, loadConfig, topologicalOrder, typeOf, type Block, type Config, type Scope } from "./config.ts";
import { elapsed, formatDiagnostic, sdkError, sourceLine, type Diagnostic } from "./format.ts";
import type { ProviderAnswer, Remote, TypeSchema } from "./remote.ts";
import { acquireLock, addressOf, emptyState, findResource, putResource, readState, removeResource, TERRAFORM_VERSION, writeState, type State, type StateResource } from "./state.ts";

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

const CONFIG_FILE = "cdk.tf.json";

const say = (where: { io: Io }, line = "") => where.io.out(`${line}\n`);
const POLL_MS = 10_000;

interface Options {
  readonly vars: Record<string, string>;
  readonly out?: string;
  readonly destroy: boolean;
  readonly detailedExitcode: boolean;
  readonly color: boolean;
  readonly positional: string[];
  /** -target=<address> (repeatable). */
  readonly targets: string[];
}

function parseOptions(args: readonly string[]): Options {
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


class Failure extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics[0]?.summary ?? "failed");
    this.diagnostics = diagnostics;
  }
}

function blockSource(config: Config, block: Block): Diagnostic["source"] {
  return { file: CONFIG_FILE, line: block.line, context: `${block.mode === "data" ? "data" : "resource"}.${block.type}.${block.name}`, code: sourceLine(config.text, block.line) };
}

async function variables(config: Config, given: Record<string, string>, io: Io): Promise<Record<string, unknown>> {
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

interface Context {
  readonly io: Io;
  readonly config: Config;
  readonly schema: Record<string, TypeSchema>;
  readonly account: string;
  readonly scope: Scope;
}

async function prepare(options: Options, io: Io): Promise<Context> {
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

function schemaOf(ctx: Context, type: string): TypeSchema {
  return ctx.schema[type] ?? { label: type, service: "AWS", createOperation: "Create", deleteOperation: "Delete", forceNew: [] };
}

/** Reads a data source; terraform_remote_state reads the other stack's state through its backend. */
async function readData(ctx: Context, block: Block): Promise<Record<string, unknown>> {
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

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function tagsOf(ctx: Context, config: Record<string, unknown>): Record<string, string> {
  return { ...ctx.config.provider.defaultTags, ...((config.tags as Record<string, string> | undefined) ?? {}) };
}

type Action = "create" | "update" | "replace" | "no-op" | "delete";

interface Planned {
  readonly address: string;
  readonly block?: Block;
  readonly action: Action;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  readonly replacePaths: string[];
}

/** What changes, like `terraform plan`: create, in-place update, replace (a ForceNew attribute changed), delete. */
async function computePlan(ctx: Context, state: State, destroy: boolean): Promise<{ changes: Planned[]; outputs: Record<string, { before: unknown; after: unknown; actions: string[] }> }> {
  const changes: Planned[] = [];
  const objects = ctx.scope.objects;
  for (const resource of state.resources) if (resource.mode === "managed") objects.set(addressOf(resource), resource.instances[0]!.attributes);
  if (destroy) {
    for (const resource of state.resources.filter((r) => r.mode === "managed")) changes.push({ address: addressOf(resource), action: "delete", before: resource.instances[0]!.attributes, replacePaths: [] });
    return { changes, outputs: Object.fromEntries(Object.entries(state.outputs).map(([k, v]) => [k, { before: v.value, after: null, actions: ["delete"] }])) };
  }
  for (const block of topologicalOrder(ctx.config.blocks)) {
    if (block.mode === "data") {
      try {
        objects.set(block.address, await readData(ctx, block));
      } catch (error) {
        if (error instanceof EvaluationError) throw new Failure([{ summary: error.summary, detail: error.detail, address: block.address, source: blockSource(ctx.config, block) }]);
        throw error;
      }
      continue;
    }
    let config: Record<string, unknown>;
    try {
      config = evaluate(block.config, ctx.scope) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof EvaluationError) throw new Failure([{ summary: error.summary, detail: error.detail, source: blockSource(ctx.config, block) }]);
      throw error;
    }
    const prior = findResource(state, block.address)?.instances[0]?.attributes;
    if (!prior) {
      changes.push({ address: block.address, block, action: "create", after: config, replacePaths: [] });
      objects.set(block.address, UNKNOWN);
      continue;
    }
    const schema = schemaOf(ctx, block.type);
    const changed = Object.keys(config).filter((k) => k !== "tags" && k !== "timeouts" && (hasUnknown(config[k]) || !deepEqual(config[k], prior[k])));
    const tagsChanged = !deepEqual(tagsOf(ctx, config), prior.tags_all ?? {});
    const forcing = schema.forceNew === "all" ? changed : changed.filter((k) => (schema.forceNew as readonly string[]).includes(k));
    if (forcing.length > 0) {
      changes.push({ address: block.address, block, action: "replace", before: prior, after: config, replacePaths: forcing });
      objects.set(block.address, UNKNOWN);
    } else if (changed.length > 0 || tagsChanged) {
      changes.push({ address: block.address, block, action: "update", before: prior, after: { ...prior, ...config }, replacePaths: [] });
      objects.set(block.address, changed.some((k) => hasUnknown(config[k])) ? UNKNOWN : { ...prior, ...config });
    } else {
      changes.push({ address: block.address, block, action: "no-op", before: prior, after: prior, replacePaths: [] });
    }
  }
  const inConfig = new Set(ctx.config.blocks.map((b) => b.address));
  for (const resource of state.resources) {
    if (resource.mode === "managed" && !inConfig.has(addressOf(resource))) changes.push({ address: addressOf(resource), action: "delete", before: resource.instances[0]!.attributes, replacePaths: [] });
  }
  const outputs: Record<string, { before: unknown; after: unknown; actions: string[] }> = {};
  for (const output of ctx.config.outputs) {
    let after: unknown;
    try {
      after = evaluate(output.value, ctx.scope);
    } catch (error) {
      if (error instanceof EvaluationError) throw new Failure([{ summary: error.summary, detail: error.detail, source: { file: CONFIG_FILE, line: 1, context: `output.${output.name}`, code: "" } }]);
      throw error;
    }
    const before = state.outputs[output.name]?.value;
    const actions = before === undefined ? ["create"] : hasUnknown(after) || !deepEqual(before, after) ? ["update"] : ["no-op"];
    outputs[output.name] = { before: before ?? null, after, actions };
  }
  return { changes, outputs };
}

async function refresh(ctx: Context, state: State): Promise<void> {
  for (const resource of [...state.resources]) {
    if (resource.mode !== "managed") continue;
    const id = String(resource.instances[0]?.attributes.id ?? "");
    ctx.io.out(`${addressOf(resource)}: Refreshing state... [id=${id}]\n`);
    const answer = await ctx.io.remote.provider("read", { type: resource.type, region: ctx.config.provider.region, id });
    if (answer.gone) removeResource(state, addressOf(resource));
    else if (answer.attributes) resource.instances[0]!.attributes = { ...resource.instances[0]!.attributes, ...answer.attributes };
  }
}

function providerFailure(ctx: Context, verb: "creating" | "updating" | "deleting", type: string, id: string | undefined, address: string, answer: ProviderAnswer, block?: Block): Diagnostic {
  const schema = schemaOf(ctx, type);
  const operation = verb === "deleting" ? schema.deleteOperation : verb === "creating" ? schema.createOperation : schema.createOperation.replace(/^(Create|Put)/, "Update");
  return {
    summary: `${verb} ${schema.label}${id ? ` (${id})` : ""}: ${sdkError(schema.service, operation, answer.error!, randomUUID())}`,
    address,
    ...(block && { source: blockSource(ctx.config, block) }),
  };
}

/** Waits for a slow operation on virtual time, printing Terraform's "Still …" lines every 10 s. */
async function waitOut(ctx: Context, address: string, verb: string, ms: number, started: number, id?: string): Promise<void> {
  let left = ms;
  while (left > 0) {
    const step = Math.min(POLL_MS, left);
    await ctx.io.remote.sleep(step);
    left -= step;
    if (left > 0) say(ctx, `${address}: Still ${verb}... [${id ? `id=${id}, ` : ""}${elapsed(ctx.io.remote.now() - started)} elapsed]`);
  }
}

async function deleteResource(ctx: Context, type: string, id: string, address: string, block?: Block): Promise<Diagnostic | undefined> {
  const schema = schemaOf(ctx, type);
  const started = ctx.io.remote.now();
  say(ctx, `${address}: Destroying... [id=${id}]`);
  for (;;) {
    const answer = await ctx.io.remote.provider("delete", { type, region: ctx.config.provider.region, id });
    if (!answer.error) {
      if ((answer.waitMs ?? 0) > 0) await waitOut(ctx, address, "destroying", answer.waitMs!, started, id);
      say(ctx, `${address}: Destruction complete after ${elapsed(ctx.io.remote.now() - started)}`);
      return undefined;
    }
    // The provider retries these errors until its delete timeout (see provider.ts for each type's source).
    if (schema.deleteRetryOn?.includes(answer.error.code) && ctx.io.remote.now() - started < (schema.deleteTimeoutMs ?? 0)) {
      await ctx.io.remote.sleep(POLL_MS);
      say(ctx, `${address}: Still destroying... [id=${id}, ${elapsed(ctx.io.remote.now() - started)} elapsed]`);
      continue;
    }
    return providerFailure(ctx, "deleting", type, id, address, answer, block);
  }
}

async function createResource(ctx: Context, block: Block, state: State): Promise<Diagnostic | undefined> {
  const config = evaluate(block.config, ctx.scope) as Record<string, unknown>;
  const started = ctx.io.remote.now();
  say(ctx, `${block.address}: Creating...`);
  const answer = await ctx.io.remote.provider("create", { type: block.type, region: ctx.config.provider.region, config, tags: tagsOf(ctx, config) });
  if (answer.error) return providerFailure(ctx, "creating", block.type, undefined, block.address, answer, block);
  const attributes = answer.attributes!;
  if ((answer.waitMs ?? 0) > 0) await waitOut(ctx, block.address, "creating", answer.waitMs!, started);
  putResource(state, "managed", block.type, block.name, attributes, block.dependsOn.filter((d) => !d.startsWith("data.")));
  ctx.scope.objects.set(block.address, attributes);
  await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
  say(ctx, `${block.address}: Creation complete after ${elapsed(ctx.io.remote.now() - started)} [id=${String(attributes.id)}]`);
  return undefined;
}

async function updateResource(ctx: Context, block: Block, state: State, id: string): Promise<Diagnostic | undefined> {
  const config = evaluate(block.config, ctx.scope) as Record<string, unknown>;
  const started = ctx.io.remote.now();
  say(ctx, `${block.address}: Modifying... [id=${id}]`);
  const answer = await ctx.io.remote.provider("update", { type: block.type, region: ctx.config.provider.region, id, config, tags: tagsOf(ctx, config) });
  if (answer.error || answer.gone) return providerFailure(ctx, "updating", block.type, id, block.address, answer.error ? answer : { error: { code: "NotFound", message: "gone", status: 404 } }, block);
  putResource(state, "managed", block.type, block.name, answer.attributes!, block.dependsOn.filter((d) => !d.startsWith("data.")));
  ctx.scope.objects.set(block.address, answer.attributes!);
  await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
  say(ctx, `${block.address}: Modifications complete after ${elapsed(ctx.io.remote.now() - started)} [id=${id}]`);
  return undefined;
}

function outputValues(ctx: Context, state: State): void {
  state.outputs = {};
  for (const output of ctx.config.outputs) {
    const value = evaluate(output.value, ctx.scope);
    if (hasUnknown(value)) continue;
    state.outputs[output.name] = { value, type: typeOf(value), ...(output.sensitive && { sensitive: true }) };
  }
}

/** Runs `work` holding the state lock, as Terraform does for apply and destroy. */
async function locked<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const lock = acquireLock(ctx.config, "OperationTypeApply", ctx.io.cwd);
  if ("error" in lock) throw new Failure([{ summary: "Error acquiring the state lock", detail: lock.error }]);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

async function apply(options: Options, io: Io): Promise<number> {
  const ctx = await prepare(options, io);
  return locked(ctx, async () => {
    const state = (await readState(ctx.config, ctx.io.cwd, ctx.io.remote)) ?? emptyState();
    await refresh(ctx, state);
    const plan = await computePlan(ctx, state, false);
    const count = (a: Action) => plan.changes.filter((c) => c.action === a).length;
    say(ctx, "");
    say(ctx, `Plan: ${count("create") + count("replace")} to add, ${count("update")} to change, ${count("delete") + count("replace")} to destroy.`);
    say(ctx, "");
    const diagnostics: Diagnostic[] = [];
    const failed = new Set<string>();
    const stats = { added: 0, changed: 0, destroyed: 0 };
    // Resources no longer in the configuration go first, dependents before what they depend on.
    for (const change of plan.changes.filter((c) => c.action === "delete").reverse()) {
      const resource = findResource(state, change.address)!;
      const problem = await deleteResource(ctx, resource.type, String(change.before?.id), change.address);
      if (problem) diagnostics.push(problem);
      else {
        removeResource(state, change.address);
        stats.destroyed += 1;
        await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
      }
    }
    // Then the configuration in dependency order; with the real values known as each resource is done.
    for (const block of topologicalOrder(ctx.config.blocks)) {
      if (block.dependsOn.some((d) => failed.has(d))) {
        failed.add(block.address);
        continue;
      }
      if (block.mode === "data") {
        const attributes = await readData(ctx, block);
        ctx.scope.objects.set(block.address, attributes);
        putResource(state, "data", block.type, block.name, attributes, []);
        continue;
      }
      const change = plan.changes.find((c) => c.address === block.address)!;
      const prior = findResource(state, block.address)?.instances[0]?.attributes;
      // Recomputed with real values: a dependency replaced a moment ago may force a replacement here too.
      const config = evaluate(block.config, ctx.scope) as Record<string, unknown>;
      const schema = schemaOf(ctx, block.type);
      let action: Action = change.action;
      if (prior && action !== "replace") {
        const changed = Object.keys(config).filter((k) => k !== "tags" && k !== "timeouts" && !deepEqual(config[k], prior[k]));
        const forcing = schema.forceNew === "all" ? changed : changed.filter((k) => (schema.forceNew as readonly string[]).includes(k));
        action = forcing.length > 0 ? "replace" : changed.length > 0 || !deepEqual(tagsOf(ctx, config), prior.tags_all ?? {}) ? "update" : "no-op";
      }
      let problem: Diagnostic | undefined;
      if (action === "create") {
        problem = await createResource(ctx, block, state);
        if (!problem) stats.added += 1;
      } else if (action === "replace") {
        problem = await deleteResource(ctx, block.type, String(prior!.id), block.address, block);
        if (!problem) {
          removeResource(state, block.address);
          await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
          stats.destroyed += 1;
          problem = await createResource(ctx, block, state);
          if (!problem) stats.added += 1;
        }
      } else if (action === "update") {
        problem = await updateResource(ctx, block, state, String(prior!.id));
        if (!problem) stats.changed += 1;
      } else {
        ctx.scope.objects.set(block.address, prior!);
      }
      if (problem) {
        diagnostics.push(problem);
        failed.add(block.address);
      }
    }
    if (diagnostics.length === 0) outputValues(ctx, state);
    await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
    if (diagnostics.length > 0) throw new Failure(diagnostics);
    say(ctx, "");
    say(ctx, `Apply complete! Resources: ${stats.added} added, ${stats.changed} changed, ${stats.destroyed} destroyed.`);
    const shown = Object.entries(state.outputs);
    if (shown.length > 0) {
      say(ctx, "");
      say(ctx, "Outputs:");
      say(ctx, "");
      for (const [name, output] of shown) say(ctx, `${name} = ${output.sensitive ? "<sensitive>" : JSON.stringify(output.value)}`);
    }
    return 0;
  });
}

/**
 * With -target, Terraform destroys the targets and everything that depends on them (transitively), and
 * nothing else; the outputs are left as they were ("may not be fully updated"). Checked against Terraform
 * 1.11.4: fixtures/terraform-1.11.4/targeted-destroy.stdout and targeted-destroy-state.json.
 */
function targeted(state: State, targets: readonly string[]): StateResource[] {
  const managed = state.resources.filter((r) => r.mode === "managed");
  if (targets.length === 0) return managed;
  const chosen = new Set(managed.map(addressOf).filter((a) => targets.includes(a)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const resource of managed) {
      const address = addressOf(resource);
      if (!chosen.has(address) && (resource.instances[0]?.dependencies ?? []).some((d) => chosen.has(d))) {
        chosen.add(address);
        grew = true;
      }
    }
  }
  return managed.filter((r) => chosen.has(addressOf(r)));
}

const TARGETING_WARNINGS: readonly Diagnostic[] = [
  {
    summary: "Resource targeting is in effect",
    detail:
      "You are creating a plan with the -target option, which means that the\nresult of this plan may not represent all of the changes requested by the\ncurrent configuration.\n\nThe -target option is not for routine use, and is provided only for\nexceptional situations such as recovering from errors or mistakes, or when\nTerraform specifically suggests to use it as part of an error message.",
  },
  {
    summary: "Applied changes may be incomplete",
    detail:
      "The plan was created with the -target option in effect, so some changes\nrequested in the configuration may have been ignored and the output values\nmay not be fully updated. Run the following command to verify that no other\nchanges are pending:\n    terraform plan\n\nNote that the -target option is not suitable for routine use, and is\nprovided only for exceptional situations such as recovering from errors or\nmistakes, or when Terraform specifically suggests to use it as part of an\nerror message.",
  },
];

async function destroy(options: Options, io: Io): Promise<number> {
  const ctx = await prepare(options, io);
  return locked(ctx, async () => {
    const state = (await readState(ctx.config, ctx.io.cwd, ctx.io.remote)) ?? emptyState();
    await refresh(ctx, state);
    const managed = targeted(state, options.targets);
    const warnTargeting = () => {
      // Terraform prints these on stdout, after the destroy (fixture targeted-destroy.stdout; its stderr is empty).
      if (options.targets.length > 0) for (const warning of TARGETING_WARNINGS) io.out(formatDiagnostic(warning, options.color, "warning"));
    };
    if (managed.length === 0) {
      if (options.targets.length > 0) {
        say(ctx, "");
        say(ctx, "No changes. No objects need to be destroyed.");
        warnTargeting();
        say(ctx, "");
        say(ctx, "Destroy complete! Resources: 0 destroyed.");
        return 0;
      }
      state.outputs = {};
      state.resources = [];
      if (state.serial > 0) await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
      say(ctx, "");
      say(ctx, "No changes. No objects need to be destroyed.");
      say(ctx, "");
      say(ctx, "Either you have not created any objects yet or the existing objects were");
      say(ctx, "already deleted outside of Terraform.");
      say(ctx, "");
      say(ctx, "Destroy complete! Resources: 0 destroyed.");
      return 0;
    }
    say(ctx, "");
    say(ctx, `Plan: 0 to add, 0 to change, ${managed.length} to destroy.`);
    say(ctx, "");
    const diagnostics: Diagnostic[] = [];
    const blocked = new Set<string>();
    let destroyed = 0;
    const remaining = new Map(managed.map((r) => [addressOf(r), r]));
    // Dependents first: a resource is destroyed once nothing left in state depends on it.
    for (;;) {
      const ready = [...remaining.values()].filter((r) => ![...remaining.values()].some((other) => other !== r && (other.instances[0]?.dependencies ?? []).includes(addressOf(r))));
      const next = ready.find((r) => !blocked.has(addressOf(r)));
      if (!next) break;
      const address = addressOf(next);
      const block = ctx.config.blocks.find((b) => b.address === address);
      const problem = await deleteResource(ctx, next.type, String(next.instances[0]!.attributes.id), address, block);
      if (problem) {
        diagnostics.push(problem);
        // What it depends on cannot go before it.
        const stack = [...(next.instances[0]?.dependencies ?? [])];
        blocked.add(address);
        while (stack.length > 0) {
          const dep = stack.pop()!;
          if (blocked.has(dep)) continue;
          blocked.add(dep);
          stack.push(...(remaining.get(dep)?.instances[0]?.dependencies ?? []));
        }
        remaining.delete(address);
        continue;
      }
      remaining.delete(address);
      removeResource(state, address);
      destroyed += 1;
      await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
    }
    if (state.resources.every((r) => r.mode === "data")) {
      state.resources = [];
      state.outputs = {};
    }
    await writeState(ctx.config, state, ctx.io.cwd, ctx.io.remote);
    if (diagnostics.length > 0) throw new Failure(diagnostics);
    warnTargeting();
    say(ctx, "");
    say(ctx, `Destroy complete! Resources: ${destroyed} destroyed.`);
    return 0;
  });
}

interface PlanFile {
  readonly format: "stand-in-terraform-plan";
  readonly destroy: boolean;
  readonly changes: Planned[];
  readonly outputs: Record<string, { before: unknown; after: unknown; actions: string[] }>;
  readonly variables: Record<string, unknown>;
}

function unknownMask(value: unknown): unknown {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.map(unknownMask);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, unknownMask(v)]).filter(([, v]) => v !== false));
  return false;
}

function known(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.map(known);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== UNKNOWN).map(([k, v]) => [k, known(v)]));
  return value;
}

async function plan(options: Options, io: Io): Promise<number> {
  const ctx = await prepare(options, io);
  const state = (await readState(ctx.config, ctx.io.cwd, ctx.io.remote)) ?? emptyState();
  await refresh(ctx, state);
  const computed = await computePlan(ctx, state, options.destroy);
  const actions = computed.changes.filter((c) => c.action !== "no-op");
  if (actions.length === 0 && Object.values(computed.outputs).every((o) => o.actions[0] === "no-op")) {
    say(ctx, "");
    say(ctx, "No changes. Your infrastructure matches the configuration.");
  } else {
    say(ctx, "");
    say(ctx, "Terraform will perform the following actions:");
    say(ctx, "");
    for (const change of actions) {
      const verb = { create: "will be created", update: "will be updated in-place", replace: "must be replaced", delete: "will be destroyed", "no-op": "" }[change.action];
      say(ctx, `  # ${change.address} ${verb}`);
    }
    const count = (a: Action) => computed.changes.filter((c) => c.action === a).length;
    say(ctx, "");
    say(ctx, `Plan: ${count("create") + count("replace")} to add, ${count("update")} to change, ${count("delete") + count("replace")} to destroy.`);
  }
  if (options.out) {
    const file: PlanFile = { format: "stand-in-terraform-plan", destroy: options.destroy, changes: computed.changes, outputs: computed.outputs, variables: ctx.scope.variables };
    writeFileSync(resolve(io.cwd, options.out), JSON.stringify(file, (_k, v: unknown) => (v === UNKNOWN ? { __unknown: true } : v)));
    say(ctx, "");
    say(ctx, `Saved the plan to: ${options.out}`);
  }
  return options.detailedExitcode && actions.length > 0 ? 2 : 0;
}

/** `terraform show -json <plan>`: Terraform's JSON plan format 1.2 (resource_changes, output_changes; see fixtures). */
function show(options: Options, io: Io): number {
  const ctx = { io };
  const file = options.positional[0] === undefined ? undefined : resolve(io.cwd, options.positional[0]);
  if (!file || !existsSync(file)) throw new Failure([{ summary: "Failed to read the given file as a state or plan file", detail: `${file ?? "(none)"}: no such file` }]);
  const parsed = JSON.parse(readFileSync(file, "utf8"), (_k, v: unknown) => (v !== null && typeof v === "object" && (v as { __unknown?: boolean }).__unknown === true ? UNKNOWN : v)) as PlanFile;
  const actionsOf = (a: Action): string[] => (a === "replace" ? ["delete", "create"] : [a]);
  const json = {
    format_version: "1.2",
    terraform_version: TERRAFORM_VERSION,
    variables: Object.fromEntries(Object.entries(parsed.variables).map(([k, v]) => [k, { value: v }])),
    resource_changes: parsed.changes.map((c) => {
      const [type, name] = c.address.split(".");
      return {
        address: c.address,
        mode: "managed",
        type,
        name,
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: {
          actions: actionsOf(c.action),
          before: c.before ?? null,
          after: c.action === "delete" ? null : (known(c.after) ?? null),
          after_unknown: c.action === "delete" ? {} : (unknownMask(c.after ?? {}) as Record<string, unknown>),
          before_sensitive: c.before ? {} : false,
          after_sensitive: c.action === "delete" ? false : {},
          ...(c.action === "replace" && { replace_paths: c.replacePaths.map((p) => [p]) }),
        },
        ...(c.action === "replace" && { action_reason: "replace_because_cannot_update" }),
      };
    }),
    output_changes: Object.fromEntries(
      Object.entries(parsed.outputs).map(([name, o]) => [
        name,
        { actions: o.actions, before: o.before, ...(hasUnknown(o.after) ? { after_unknown: true } : { after: o.after, after_unknown: false }), before_sensitive: false, after_sensitive: false },
      ]),
    ),
  };
  say(ctx, JSON.stringify(json));
  return 0;
}

async function output(io: Io): Promise<number> {
  const ctx = { io };
  const config = loadConfig(CONFIG_FILE, readFileSync(resolve(io.cwd, CONFIG_FILE), "utf8"));
  const state = await readState(config, io.cwd, io.remote);
  const outputs = Object.fromEntries(Object.entries(state?.outputs ?? {}).map(([k, v]) => [k, { sensitive: v.sensitive === true, type: v.type, value: v.value }]));
  say(ctx, JSON.stringify(outputs, null, 2));
  return 0;
}

function init(io: Io): number {
  const ctx = { io };
  mkdirSync(resolve(io.cwd, ".terraform"), { recursive: true });
  say(ctx, "");
  say(ctx, "Initializing the backend...");
  say(ctx, "");
  say(ctx, "Initializing provider plugins...");
  say(ctx, "- Reusing previous version of hashicorp/aws from the dependency lock file");
  say(ctx, "- Using previously-installed hashicorp/aws v6.66.0");
  say(ctx, "");
  say(ctx, "Terraform has been successfully initialized!");
  return 0;
}

/** `providers lock`: the lock file cdktn checks for (TerraformProviderLock reads provider blocks and their version). */
function providersLock(io: Io): number {
  const ctx = { io };
  const config = JSON.parse(readFileSync(resolve(io.cwd, CONFIG_FILE), "utf8")) as { terraform?: { required_providers?: Record<string, { source: string; version?: string }> } };
  const blocks = Object.values(config.terraform?.required_providers ?? {}).map(
    (p) => `provider "registry.terraform.io/${p.source}" {\n  version     = "${p.version ?? "0.0.0"}"\n  constraints = "${p.version ?? ""}"\n  hashes = [\n    "h1:standInTerraformFakeHash=",\n  ]\n}\n`,
  );
  writeFileSync(resolve(io.cwd, ".terraform.lock.hcl"), `# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n\n${blocks.join("\n")}`);
  say(ctx, "- Fetching hashicorp/aws for linux_amd64...");
  say(ctx, "- Obtained hashicorp/aws checksums for linux_amd64; All checksums for this platform were already tracked in the lock file");
  say(ctx, "");
  say(ctx, "Success! Terraform has validated the lock file and found no need for changes.");
  return 0;
}

/** Runs one `terraform <args>` and returns its exit status. */
export async function terraform(args: readonly string[], io: Io): Promise<number> {
  const ctx = { io };
  const [command = "", ...given] = args;
  const rest = [...envArgs(command, io.env), ...given];
  const options = parseOptions(rest);
  try {
    switch (command) {
      case "version":
        if (rest.includes("-json")) say(ctx, JSON.stringify({ terraform_version: TERRAFORM_VERSION, platform: "linux_amd64", provider_selections: {}, terraform_outdated: false }, null, 2));
        else say(ctx, `Terraform v${TERRAFORM_VERSION}\non linux_amd64`);
        return 0;
      case "-v":
      case "-version":
      case "--version":
        say(ctx, `Terraform v${TERRAFORM_VERSION}\non linux_amd64`);
        return 0;
      case "init":
        return init(io);
      case "providers":
        return providersLock(io);
      case "apply":
        return await apply(options, io);
      case "destroy":
        return await destroy(options, io);
      case "plan":
        return await plan(options, io);
      case "show":
        return show(options, io);
      case "output":
        return await output(io);
      default:
        io.err(`Terraform has no command named "${command}".\n\nTo see all of Terraform's top-level commands, run:\n  terraform -help\n\n`);
        return 1;
    }
  } catch (error) {
    if (error instanceof Failure) {
      for (const diagnostic of error.diagnostics) io.err(formatDiagnostic(diagnostic, options.color));
      return 1;
    }
    io.err(`stand-in terraform crashed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
