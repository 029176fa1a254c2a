/**
 * The estimate of one environment as the commands print it (cost, deploy's plan): priced from the stacks the app
 * synthesized for the command (scripts/lib/app.ts, in a temporary folder), so it prices the configuration as it is
 * now and leaves cdktf.out/ alone.
 */
import { readSynthesizedStacks } from "../../lib/aws-constraints/check.ts";
import { CostError, DEFAULT_USAGE, environmentStacks, estimateStacks, formatEstimate, type Estimate, type PriceItem, type Usage } from "../../lib/cost/index.ts";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { stackName } from "../../modules/environment/environment-stack.ts";
import { commandLine } from "../../lib/invocation.ts";

/** The estimate of an environment's stacks (or only its agent stack), from the app synthesized into `outdir`. */
export function estimateEnvironment(
  outdir: string,
  environment: string,
  usage: Usage,
  overrides: Partial<Record<PriceItem, number>> = {},
  only: "all" | "agent" = "all",
): Estimate {
  const stacks = environmentStacks(readSynthesizedStacks(outdir), environment).filter((s) => only === "all" || s.name === stackName(environment, "agent"));
  return estimateStacks(stacks, usage, { overrides });
}

/** Deploy's plan: the monthly cost at the default usage, before anything is created (never a reason to fail the plan). */
export function costPreview(outdir: string, environment: EnvironmentDescription, only: "all" | "agent"): string {
  try {
    const estimate = estimateEnvironment(outdir, environment.name, DEFAULT_USAGE, {}, only);
    const title = only === "agent" ? `${stackName(environment.name, "agent")} (${environment.region}), on top of the network and storage already running` : `${environment.name} (${environment.region})`;
    return formatEstimate(estimate, `Monthly cost of ${title}`, { compact: true, hint: commandLine("cost", `--env ${environment.name}`) });
  } catch (error) {
    if (error instanceof CostError) return `Monthly cost of ${environment.name}: not estimated: ${error.message}`;
    throw error;
  }
}
