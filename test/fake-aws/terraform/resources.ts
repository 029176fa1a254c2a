/** The stand-in terraform's plan and its resource operations: create, update, replace and delete through the fake provider, waits on virtual time, the state lock. */
import { randomUUID } from "node:crypto";
import { EvaluationError, UNKNOWN, evaluate, hasUnknown, topologicalOrder, typeOf, type Block } from "./config.ts";
import { elapsed, sdkError, type Diagnostic } from "./format.ts";
import type { ProviderAnswer } from "./remote.ts";
import { acquireLock, addressOf, findResource, putResource, removeResource, writeState, type State } from "./state.ts";
import { blockSource, CONFIG_FILE, deepEqual, Failure, POLL_MS, readData, say, schemaOf, tagsOf, type Context } from "./context.ts";

export type Action = "create" | "update" | "replace" | "no-op" | "delete";

export interface Planned {
  readonly address: string;
  readonly block?: Block;
  readonly action: Action;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  readonly replacePaths: string[];
}

/** What changes, like `terraform plan`: create, in-place update, replace (a ForceNew attribute changed), delete. */
export async function computePlan(ctx: Context, state: State, destroy: boolean): Promise<{ changes: Planned[]; outputs: Record<string, { before: unknown; after: unknown; actions: string[] }> }> {
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

export async function refresh(ctx: Context, state: State): Promise<void> {
  for (const resource of [...state.resources]) {
    if (resource.mode !== "managed") continue;
    const id = String(resource.instances[0]?.attributes.id ?? "");
    ctx.io.out(`${addressOf(resource)}: Refreshing state... [id=${id}]\n`);
    const answer = await ctx.io.remote.provider("read", { type: resource.type, region: ctx.config.provider.region, id });
    if (answer.gone) removeResource(state, addressOf(resource));
    else if (answer.attributes) resource.instances[0]!.attributes = { ...resource.instances[0]!.attributes, ...answer.attributes };
  }
}

export function providerFailure(ctx: Context, verb: "creating" | "updating" | "deleting", type: string, id: string | undefined, address: string, answer: ProviderAnswer, block?: Block): Diagnostic {
  const schema = schemaOf(ctx, type);
  const operation = verb === "deleting" ? schema.deleteOperation : verb === "creating" ? schema.createOperation : schema.createOperation.replace(/^(Create|Put)/, "Update");
  return {
    summary: `${verb} ${schema.label}${id ? ` (${id})` : ""}: ${sdkError(schema.service, operation, answer.error!, randomUUID())}`,
    address,
    ...(block && { source: blockSource(ctx.config, block) }),
  };
}

/** Waits for a slow operation on virtual time, printing Terraform's "Still …" lines every 10 s. */
export async function waitOut(ctx: Context, address: string, verb: string, ms: number, started: number, id?: string): Promise<void> {
  let left = ms;
  while (left > 0) {
    const step = Math.min(POLL_MS, left);
    await ctx.io.remote.sleep(step);
    left -= step;
    if (left > 0) say(ctx, `${address}: Still ${verb}... [${id ? `id=${id}, ` : ""}${elapsed(ctx.io.remote.now() - started)} elapsed]`);
  }
}

export async function deleteResource(ctx: Context, type: string, id: string, address: string, block?: Block): Promise<Diagnostic | undefined> {
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

export async function createResource(ctx: Context, block: Block, state: State): Promise<Diagnostic | undefined> {
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

export async function updateResource(ctx: Context, block: Block, state: State, id: string): Promise<Diagnostic | undefined> {
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

export function outputValues(ctx: Context, state: State): void {
  state.outputs = {};
  for (const output of ctx.config.outputs) {
    const value = evaluate(output.value, ctx.scope);
    if (hasUnknown(value)) continue;
    state.outputs[output.name] = { value, type: typeOf(value), ...(output.sensitive && { sensitive: true }) };
  }
}

/** Runs `work` holding the state lock, as Terraform does for apply and destroy. */
export async function locked<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const lock = acquireLock(ctx.config, "OperationTypeApply", ctx.io.cwd);
  if ("error" in lock) throw new Failure([{ summary: "Error acquiring the state lock", detail: lock.error }]);
  try {
    return await work();
  } finally {
    lock.release();
  }
}
