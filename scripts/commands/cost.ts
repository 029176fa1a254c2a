import { commandLine } from "../../lib/invocation.ts";
import { EXIT, parseCommandLine, requireEnv, ScriptError, UsageError } from "../lib/cli.ts";
import { loadEnvironment } from "../lib/app.ts";
import { parsePriceOverrides, parseUsage, PRICES, USAGE_FLAGS, UsageValueError, type PriceItem } from "../../lib/cost/index.ts";

export function usage(): string {
  return `
Usage: ${commandLine("cost", "--env <name> [--json] [--<assumption> <value>]… [--price <item>=<usd>]…")}

Estimates what the environment costs a month, per resource and in total: it synthesizes the environment and
prices every resource its Terraform creates from the price table in lib/cost/prices.ts (each price with its
AWS page and the day it was checked), under usage assumptions you can change. Needs no AWS account.

Options:
  --env <name>            an environment of the app in ./cdktf.json
  --json                  the estimate as JSON (lines, totals, assumptions, what is not priced)
  --markdown              the estimate as a Markdown table (the README's cost tables)
  --price <item>=<usd>    use this price for an item (repeatable): one the table has no published figure
                          for (s3files-storage-gb-month), or your negotiated rate
  -h, --help              show this help

Assumptions (default in brackets):
${USAGE_FLAGS.map((f) => `  --${`${f.flag} <${f.unit}>`.padEnd(26)}${f.meaning} [${f.default}]`).join("\n")}

Not included: Bedrock model tokens, data transfer, requests; the output says so. Exit status 2 for a bad
value (nothing is synthesized), 1 if the environment's Region has no prices in the table.
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    json: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
    price: { type: "string", multiple: true, default: [] },
    ...Object.fromEntries(USAGE_FLAGS.map((f) => [f.flag, { type: "string" as const }])),
  });
  const name = requireEnv(args.env);
  // Every bad value at once, before anything is synthesized.
  const problems: string[] = [];
  const attempt = <T,>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof UsageValueError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const usage = attempt(() => parseUsage(args as unknown as Record<string, string | undefined>));
  const overrides = attempt(() => parsePriceOverrides(args.price as string[], [...new Set(PRICES.map((p) => p.item))] as PriceItem[]));
  if (usage === undefined || overrides === undefined) throw new UsageError(problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.join("; ")}`);
  const { environment, outdir } = await loadEnvironment(name);
  const { estimateEnvironment } = await import("../lib/cost.ts");
  const { CostError, formatEstimate, formatEstimateMarkdown } = await import("../../lib/cost/index.ts");
  try {
    const estimate = estimateEnvironment(outdir, environment.name, usage, overrides);
    const title = `${environment.name} (${environment.region})`;
    console.log(args.json ? JSON.stringify({ environment: environment.name, ...estimate }, null, 2) : args.markdown ? formatEstimateMarkdown(estimate, title) : formatEstimate(estimate, title));
  } catch (error) {
    if (error instanceof CostError) throw new ScriptError(`cannot estimate ${environment.name}: ${error.message}`, EXIT.failed);
    throw error;
  }
  return EXIT.ok;
}
