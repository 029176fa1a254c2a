/**
 * What an environment costs a month, from its synthesized stacks and a price table kept in the repository.
 *
 *   npm run cost -- --env dev [--json] [--gb-stored 200] [--sessions 5000] [--price <item>=<usd>] …
 *
 * Consumer apps can price their own synthesized output:
 *
 *   import { estimateStacks, DEFAULT_USAGE } from "agentcore-s3files-infra/lib/cost";
 *   const estimate = estimateStacks(readSynthesizedStacks("cdktf.out"), DEFAULT_USAGE);
 */
import { readSynthesizedStacks } from "../aws-constraints/check.ts";
import { CostError, environmentStacks, estimateStacks } from "./estimate.ts";
import { formatCostLine } from "./format.ts";
import { DEFAULT_USAGE } from "./usage.ts";
import { commandLine } from "../invocation.ts";

export { billingOf, describeBillable, type Billing } from "./billing.ts";
export { CostError, environmentStacks, estimateStacks, type CostLine, type Estimate } from "./estimate.ts";
export { formatCostLine, formatEstimate, formatEstimateMarkdown, usd } from "./format.ts";
export { PRICES, pricedRegions, type PriceBasis, type PriceItem, type PriceRow } from "./prices.ts";
export { DEFAULT_USAGE, parsePriceOverrides, parseUsage, USAGE_FLAGS, UsageValueError, type Usage } from "./usage.ts";

/** Synth's summary: one line per environment at the default usage; an environment the table cannot price says why. */
export function costSummary(outdir: string, environments: readonly string[]): string {
  const stacks = readSynthesizedStacks(outdir);
  const width = Math.max(...environments.map((e) => e.length));
  const lines = environments.map((name) => {
    try {
      return formatCostLine(name, estimateStacks(environmentStacks(stacks, name), DEFAULT_USAGE), width);
    } catch (error) {
      if (error instanceof CostError) return `  ${name.padEnd(width)}  not estimated: ${error.message}`;
      throw error;
    }
  });
  return [`Monthly cost at the default usage (${commandLine("cost", "--env <name>")}: every line, the assumptions, flags to change them):`, ...lines].join("\n");
}
