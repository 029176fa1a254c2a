/**
 * Drift: every stack of an environment planned against its state and the live account (stack-plan.ts), and what
 * differs, resource by resource, from `terraform show -json` of each saved plan. For a scheduled CI job: the
 * command exits with its own status when anything differs (README "Exit statuses").
 */
import { stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { IMAGE_DIGEST_VARIABLE } from "../../modules/runtime/runtime.ts";
import { commandLine } from "../../lib/invocation.ts";
import { describeChange, initStacks, planStack, type PlanDeps, type PlannedChange } from "./stack-plan.ts";
import { managedResources, readStackState, type StateBucketReader } from "./stack-state.ts";

export const DRIFT_LAYERS: readonly Layer[] = ["network", "storage", "registry", "agent"];

export interface StackDrift {
  readonly stack: string;
  /** Its state holds resources (a stack that is not deployed is not planned, and counts as changed). */
  readonly deployed: boolean;
  readonly changed: boolean;
  readonly changes: readonly PlannedChange[];
  readonly changedOutputs: readonly string[];
}

export interface DriftReport {
  readonly environment: string;
  /** in-sync: every plan is empty; drift: at least one is not. */
  readonly status: "in-sync" | "drift";
  readonly stacks: readonly StackDrift[];
  /** The digest the agent stack was planned with, and where it came from. */
  readonly image?: { readonly digest: string; readonly source: string };
}

/** Any well-formed digest lets an undeployed agent stack plan (it plans to create everything either way). */
const PLACEHOLDER_DIGEST = `sha256:${"0".repeat(64)}`;

export async function driftOf(
  environment: EnvironmentDescription,
  deps: PlanDeps & { readonly stateBucket?: StateBucketReader; readonly image?: { readonly digest: string; readonly source: string } },
): Promise<DriftReport> {
  const stacks = DRIFT_LAYERS.map((layer) => stackName(environment.name, layer));
  await initStacks(deps, stacks);
  const results: StackDrift[] = [];
  for (const [i, layer] of DRIFT_LAYERS.entries()) {
    const stack = stacks[i]!;
    const deployed = managedResources(await readStackState(deps.outdir, stack, deps.stateBucket)).length > 0;
    // Not deployed: every resource would be created; and a plan of a stack whose dependencies are gone too fails on
    // their missing outputs (terraform_remote_state), as Terraform does. Reported as such, not planned.
    if (!deployed) {
      results.push({ stack, deployed, changed: true, changes: [], changedOutputs: [] });
      continue;
    }
    const vars = layer === "agent" ? [`${IMAGE_DIGEST_VARIABLE}=${deps.image?.digest ?? PLACEHOLDER_DIGEST}`] : [];
    const plan = await planStack(deps, stack, vars);
    results.push({ stack, deployed, changed: plan.changed, changes: plan.changes, changedOutputs: plan.changedOutputs });
  }
  return { environment: environment.name, status: results.some((s) => s.changed) ? "drift" : "in-sync", stacks: results, ...(deps.image !== undefined && { image: deps.image }) };
}

export function formatDrift(report: DriftReport): string {
  const width = Math.max(...report.stacks.map((s) => s.stack.length));
  const lines = [`Drift of ${report.environment} (each stack's Terraform plan against its state and the account):`];
  for (const s of report.stacks) {
    const what = !s.deployed ? "not deployed (its state holds no resources)" : !s.changed ? "no changes" : `${s.changes.length} resource change${s.changes.length === 1 ? "" : "s"}${s.changedOutputs.length > 0 ? `, outputs: ${s.changedOutputs.join(", ")}` : ""}`;
    lines.push(`  ${s.stack.padEnd(width)}  ${what}`);
    if (s.changed && s.deployed) lines.push(...s.changes.map((c) => `      ${describeChange(c)}`));
  }
  if (report.image !== undefined) lines.push("", `The agent stack was planned with ${report.image.digest.slice(0, 19)}… from ${report.image.source}.`);
  lines.push(
    "",
    report.status === "in-sync"
      ? `${report.environment} matches its configuration.`
      : `${report.environment} differs from its configuration. ${commandLine("deploy", `--env ${report.environment} --dry-run`)} shows the plan; ${commandLine("deploy", `--env ${report.environment}`)} applies it (or change the configuration to match).`,
  );
  return lines.join("\n");
}
