/** `terraform plan -out` and `terraform show -json` of the stand-in: Terraform's JSON plan format. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UNKNOWN, hasUnknown } from "./config.ts";
import { emptyState, readState, TERRAFORM_VERSION } from "./state.ts";
import { Failure, prepare, say, type Io, type Options } from "./context.ts";
import { computePlan, refresh, type Action, type Planned } from "./resources.ts";

export interface PlanFile {
  readonly format: "stand-in-terraform-plan";
  readonly destroy: boolean;
  readonly changes: Planned[];
  readonly outputs: Record<string, { before: unknown; after: unknown; actions: string[] }>;
  readonly variables: Record<string, unknown>;
}

export function unknownMask(value: unknown): unknown {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.map(unknownMask);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, unknownMask(v)]).filter(([, v]) => v !== false));
  return false;
}

export function known(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.map(known);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== UNKNOWN).map(([k, v]) => [k, known(v)]));
  return value;
}

export async function plan(options: Options, io: Io): Promise<number> {
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
  // -detailed-exitcode: 2 when the plan is not empty, and root output changes count (hashicorp/terraform
  // internal/plans/changes.go `Changes.Empty`: any resource action but NoOp, or any root output action but NoOp).
  const empty = actions.length === 0 && Object.values(computed.outputs).every((o) => o.actions[0] === "no-op");
  return options.detailedExitcode && !empty ? 2 : 0;
}

/** `terraform show -json <plan>`: Terraform's JSON plan format 1.2 (resource_changes, output_changes; see fixtures). */
export function show(options: Options, io: Io): number {
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

