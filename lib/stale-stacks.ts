/**
 * Stack folders the app no longer writes (an environment removed from the app, or renamed) stay in the output
 * folder after a synth, and cdktn still lists them. A full synth removes them, unless the stack may still be
 * deployed: its local state holds resources, or its state is remote (synth has no AWS access to check). Those
 * are kept, and the summary says how to tear them down (teardown of an environment the app no longer defines
 * works from these folders: scripts/commands/teardown.ts).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { commandLine } from "./invocation.ts";

export interface StaleStacks {
  readonly removed: readonly string[];
  readonly kept: readonly { readonly stack: string; readonly why: string }[];
}

/** Whether a synthesized stack's state may still hold resources, and where that state is. */
function mayBeDeployed(stackDir: string): string | undefined {
  let config: { terraform?: { backend?: Record<string, { path?: string; bucket?: string; key?: string }> } };
  try {
    config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as typeof config;
  } catch {
    return undefined;
  }
  const [type, backend] = Object.entries(config.terraform?.backend ?? { local: {} })[0] ?? ["local", {}];
  if (type !== "local") return `its state is in a ${type} backend${backend.bucket ? ` (s3://${backend.bucket}/${backend.key ?? ""})` : ""}, which synth cannot read`;
  const file = resolve(stackDir, backend.path ?? "terraform.tfstate");
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as { resources?: { mode?: string; instances?: unknown[] }[] };
    const held = (state.resources ?? []).filter((r) => r.mode === "managed" && (r.instances?.length ?? 0) > 0).length;
    return held > 0 ? `its state ${file} holds ${held} resource${held === 1 ? "" : "s"}` : undefined;
  } catch {
    return `its state ${file} could not be read`;
  }
}

/** Removes the folders of `outdir`/stacks that `written` does not name, keeping those that may still be deployed. */
export function removeStaleStacks(outdir: string, written: ReadonlySet<string>): StaleStacks {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return { removed: [], kept: [] };
  const removed: string[] = [];
  const kept: { stack: string; why: string }[] = [];
  const stale = readdirSync(stacksDir).filter((s) => !written.has(s)).sort();
  // An environment's stacks go together or stay together: teardown needs every one of them.
  const environmentOf = (stack: string) => stack.replace(/-(network|storage|registry|agent)$/, "");
  const reasons = new Map(stale.map((stack) => [stack, mayBeDeployed(join(stacksDir, stack))]));
  for (const stack of stale) {
    const siblings = stale.filter((s) => environmentOf(s) === environmentOf(stack));
    const why = reasons.get(stack) ?? siblings.map((s) => reasons.get(s)).find((r) => r !== undefined);
    if (why !== undefined) kept.push({ stack, why: reasons.get(stack) ?? `another stack of its environment may be deployed (${why})` });
    else {
      rmSync(join(stacksDir, stack), { recursive: true, force: true });
      removed.push(stack);
    }
  }
  return { removed, kept };
}

export function formatStaleStacks(stale: StaleStacks, outdir: string): string[] {
  const lines: string[] = [];
  if (stale.removed.length > 0) lines.push(`Removed ${stale.removed.length} stack folder${stale.removed.length === 1 ? "" : "s"} the app no longer writes: ${stale.removed.join(", ")}.`);
  for (const { stack, why } of stale.kept) {
    const environment = stack.replace(/-(network|storage|registry|agent)$/, "");
    lines.push(`Kept ${outdir}/stacks/${stack}: the app no longer defines it, but ${why}. Tear it down with: ${commandLine("teardown", `--env ${environment}`)} (it works from this folder).`);
  }
  return lines;
}
