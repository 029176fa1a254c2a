/**
 * The estimate of one environment as the scripts print it (npm run cost, deploy's plan): synthesized afresh
 * into a temporary folder, so it prices the configuration as it is now and leaves cdktf.out/ alone.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSynthesizedStacks } from "../../lib/aws-constraints/check.ts";
import type { Environment } from "../../environments/schema.ts";
import { CostError, DEFAULT_USAGE, environmentStacks, estimateStacks, formatEstimate, type Estimate, type PriceItem, type Usage } from "../../lib/cost/index.ts";
import { synthesize } from "../../lib/synth.ts";
import { stackName } from "../../stacks/environment-stack.ts";

/** The estimate of an environment's stacks (or only its agent stack), synthesized afresh. */
export function estimateEnvironment(
  inputs: readonly unknown[],
  environment: string,
  usage: Usage,
  overrides: Partial<Record<PriceItem, number>> = {},
  only: "all" | "agent" = "all",
): Estimate {
  const dir = mkdtempSync(join(tmpdir(), "agentcore-cost-"));
  try {
    const targetVersions = (JSON.parse(readFileSync("cdktf.json", "utf8")) as { targetVersions?: Record<string, string> }).targetVersions;
    const { outdir } = synthesize(inputs, { outdir: join(dir, "cdktf.out"), ...(targetVersions !== undefined && { targetVersions }) });
    const stacks = environmentStacks(readSynthesizedStacks(outdir), environment).filter((s) => only === "all" || s.name === stackName(environment, "agent"));
    return estimateStacks(stacks, usage, { overrides });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deploy's plan: the monthly cost at the default usage, before anything is created (never a reason to fail the plan). */
export function costPreview(inputs: readonly unknown[], environment: Environment, only: "all" | "agent"): string {
  try {
    const estimate = estimateEnvironment(inputs, environment.name, DEFAULT_USAGE, {}, only);
    const title = only === "agent" ? `${stackName(environment.name, "agent")} (${environment.region}), on top of the network and storage already running` : `${environment.name} (${environment.region})`;
    return formatEstimate(estimate, `Monthly cost of ${title}`, { compact: true, hint: `npm run cost -- --env ${environment.name}` });
  } catch (error) {
    if (error instanceof CostError) return `Monthly cost of ${environment.name}: not estimated: ${error.message}`;
    throw error;
  }
}
