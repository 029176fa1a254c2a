/**
 * What Terraform would change in one synthesized stack, from its real state and the live account: `terraform
 * plan -detailed-exitcode` in the stack's folder (DESIGN.md decision 7). Deploy applies a stack only when its
 * plan is not empty; drift lists every change the plans of an environment's stacks show.
 *
 *   terraform init -input=false                       once per stack, one at a time (the provider plugin
 *                                                     cache is not safe for concurrent init: hashicorp/terraform#31964)
 *   terraform plan -input=false -detailed-exitcode -out=plan [-var=…]
 *                                                     exit 0: no changes; 2: changes; 1: error (Terraform CLI docs,
 *                                                     "plan": -detailed-exitcode). Root output changes count
 *                                                     (internal/plans/changes.go `Changes.Empty`).
 *   terraform show -json plan                         the saved plan in Terraform's JSON format (format_version 1.x:
 *                                                     resource_changes[].change.actions, replace_paths; output_changes)
 */
import { join } from "node:path";
import { CDKTN_QUIET_ENV, stackCommandError } from "./cdktn.ts";
import { runChecked, type ProcessRunner } from "./runner.ts";
import { stackDirectory } from "./stack-state.ts";

/** One resource the plan changes ("no-op" and data-source reads are left out). */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  /** Terraform's actions: ["create"], ["update"], ["delete"], ["delete","create"] / ["create","delete"] (replace). */
  readonly actions: readonly string[];
}

/** A resource the plan replaces (Terraform JSON plan: actions ["delete","create"] or ["create","delete"]). */
export interface PlannedReplacement {
  readonly address: string;
  readonly type: string;
  /** Attributes whose change forces the replacement (`replace_paths`). */
  readonly because: readonly string[];
}

export interface StackPlan {
  readonly stack: string;
  /** `-detailed-exitcode` said 2: applying would change something (a resource or a root output). */
  readonly changed: boolean;
  readonly changes: readonly PlannedChange[];
  readonly replacements: readonly PlannedReplacement[];
  readonly changedOutputs: readonly string[];
}

/** The plan file's name in the stack's folder. */
export const PLAN_FILE = "plan";

/** Reads `terraform show -json <plan>`. */
export function readPlan(json: string): Pick<StackPlan, "changes" | "replacements" | "changedOutputs"> {
  const plan = JSON.parse(json) as {
    resource_changes?: { address: string; type: string; mode?: string; change: { actions: string[]; replace_paths?: (string | number)[][] } }[];
    output_changes?: Record<string, { actions: string[] }>;
  };
  const managed = (plan.resource_changes ?? []).filter((r) => (r.mode ?? "managed") === "managed");
  const changes = managed.filter((r) => !r.change.actions.every((a) => a === "no-op" || a === "read")).map((r) => ({ address: r.address, type: r.type, actions: r.change.actions }));
  const replacements = managed
    .filter((r) => r.change.actions.includes("delete") && r.change.actions.includes("create"))
    .map((r) => ({ address: r.address, type: r.type, because: (r.change.replace_paths ?? []).map((p) => p.join(".")) }));
  const changedOutputs = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => !change.actions.every((a) => a === "no-op"))
    .map(([name]) => name);
  return { changes, replacements, changedOutputs };
}

/** How a change reads in a list: "aws_vpc.main (update)", "aws_s3files_access_point.ap (replace)". */
export function describeChange(change: PlannedChange): string {
  const action = change.actions.includes("delete") && change.actions.includes("create") ? "replace" : change.actions.join("+");
  return `${change.address} (${action})`;
}

export interface PlanDeps {
  readonly runner: ProcessRunner;
  readonly outdir: string;
  /** TERRAFORM_BINARY_NAME, as cdktn reads it. @default "terraform" */
  readonly terraformBinary?: string;
  readonly onLine?: (line: string) => void;
}

// Terraform reads CHECKPOINT_DISABLE too (its version check, hashicorp/go-checkpoint).
const AUTOMATION = { TF_IN_AUTOMATION: "1", ...CDKTN_QUIET_ENV };

/** `terraform init` in each stack's folder, one after the other. */
export async function initStacks(deps: PlanDeps, stacks: readonly string[]): Promise<void> {
  for (const stack of stacks) {
    const result = await deps.runner.run(deps.terraformBinary ?? "terraform", ["init", "-input=false", "-no-color"], { cwd: stackDirectory(deps.outdir, stack), env: AUTOMATION });
    if (result.exitCode !== 0) throw stackCommandError("init", stack, result);
  }
}

/** Plans one stack (its folder must be initialized); `vars` as `name=value`. */
export async function planStack(deps: PlanDeps, stack: string, vars: readonly string[] = []): Promise<StackPlan> {
  const binary = deps.terraformBinary ?? "terraform";
  const cwd = stackDirectory(deps.outdir, stack);
  const args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${PLAN_FILE}`, ...vars.map((v) => `-var=${v}`)];
  const result = await deps.runner.run(binary, args, { cwd, env: AUTOMATION, ...(deps.onLine !== undefined && { onLine: deps.onLine }) });
  if (result.exitCode === 0) return { stack, changed: false, changes: [], replacements: [], changedOutputs: [] };
  if (result.exitCode !== 2) throw stackCommandError("plan", stack, result);
  const shown = await runChecked(deps.runner, binary, ["show", "-json", PLAN_FILE], { cwd });
  return { stack, changed: true, ...readPlan(shown.stdout) };
}

/** Where a stack's saved plan is, for messages. */
export function planFile(outdir: string, stack: string): string {
  return join(stackDirectory(outdir, stack), PLAN_FILE);
}
