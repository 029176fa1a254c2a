/** `terraform apply` and `terraform destroy` (with -target) of the stand-in. */
import { evaluate, topologicalOrder } from "./config.ts";
import { formatDiagnostic, type Diagnostic } from "./format.ts";
import { addressOf, emptyState, findResource, putResource, readState, removeResource, writeState, type State, type StateResource } from "./state.ts";
import { deepEqual, Failure, prepare, readData, say, schemaOf, tagsOf, type Io, type Options } from "./context.ts";
import { computePlan, createResource, deleteResource, locked, outputValues, refresh, updateResource, type Action } from "./resources.ts";

export async function apply(options: Options, io: Io): Promise<number> {
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
export function targeted(state: State, targets: readonly string[]): StateResource[] {
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

export const TARGETING_WARNINGS: readonly Diagnostic[] = [
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

export async function destroy(options: Options, io: Io): Promise<number> {
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

