/** The estimate for people: a table per resource, the total, what is not priced or not included, and the assumptions. */
import type { CostLine, Estimate } from "./estimate.ts";
import { USAGE_FLAGS } from "./usage.ts";

export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** "$0.045", "$0.10 per 100,000": at least cents, and every digit the table has. */
function unitPrice(line: CostLine): string {
  if (line.unitUsd === null) return "not published";
  const decimals = Math.max(2, (String(line.unitUsd).split(".")[1] ?? "").length);
  return `$${line.unitUsd.toFixed(decimals)}${line.per !== 1 ? ` per ${line.per.toLocaleString("en-US")}` : ""}`;
}

function quantity(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

function table(rows: readonly string[][], alignRight: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (alignRight.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ")}`.trimEnd());
}

export function formatAssumptions(estimate: Estimate): string {
  return USAGE_FLAGS.map((f) => `--${f.flag} ${estimate.usage[f.key]}`).join(", ");
}

/** `compact`: the table, the total and what is not priced; the rest is one line pointing at `hint` (deploy's plan). */
export function formatEstimate(estimate: Estimate, title: string, options: { readonly compact?: boolean; readonly hint?: string } = {}): string {
  const rows = [
    ["stack", "what", "quantity", "unit", "unit price", "a month", "", "resource"],
    ...estimate.lines
      .filter((l) => l.monthlyUsd !== null)
      .map((l) => [l.stack, l.what, quantity(l.quantity), l.unit, unitPrice(l), usd(l.monthlyUsd!), l.hourly ? "hourly" : "", l.address]),
  ];
  const lines = [
    `${title}: about ${usd(estimate.totalUsd)} a month, ${usd(estimate.hourlyUsd)} of it billed by the hour whether used or not`,
    `(prices: lib/cost/prices.ts, ${observedNote(estimate.pricesObserved)}, on-demand, no free tier; ${options.compact ? "at the default usage" : "at the usage assumed below"})`,
    "",
    ...table(rows, new Set([2, 4, 5])),
    "",
    `  total ${usd(estimate.totalUsd)} a month, ${usd(estimate.hourlyUsd)} of it hourly (billed for every hour the resource exists)`,
  ];
  if (estimate.unpriced.length > 0) {
    lines.push("", "Not priced (no AWS-published price found; not in the total):");
    for (const line of estimate.unpriced) lines.push(`  ${line.stack}  ${line.what}, ${quantity(line.quantity)} ${line.unit} (${line.address}): add --price ${line.item}=<usd> to include it`);
  }
  if (estimate.unknown.length > 0) lines.push("", `Not priced (lib/cost/billing.ts does not know how AWS bills them): ${estimate.unknown.join(", ")}.`);
  if (options.compact) {
    lines.push("", `Not included: Bedrock model tokens, data transfer, requests.${options.hint ? ` The assumptions, and flags to change them: ${options.hint}` : ""}`);
    return lines.join("\n");
  }
  if (estimate.free.length > 0) {
    const count = estimate.free.reduce((sum, f) => sum + Number(f.split(" ")[0]), 0);
    lines.push("", `No charge of their own: ${count} more resources (${estimate.free.map((f) => f.replace(/^\d+ /, "")).join(", ")}).`);
  }
  lines.push("", `Not included: ${estimate.notIncluded.join("; ")}.`);
  lines.push("", `Assumed (change any with its flag): ${formatAssumptions(estimate)}.`);
  return lines.join("\n");
}

/** One line for synth's summary. */
export function formatCostLine(environment: string, estimate: Estimate, width: number): string {
  const unpriced = [...new Set(estimate.unpriced.map((l) => l.what))];
  return `  ${environment.padEnd(width)}  about ${usd(estimate.totalUsd).padStart(9)} a month, ${usd(estimate.hourlyUsd)} of it by the hour${unpriced.length > 0 ? `; not priced: ${unpriced.join(", ")}` : ""}`;
}

/** The estimate as a Markdown table (the README's cost tables are these, and a test keeps them equal). */
export function formatEstimateMarkdown(estimate: Estimate, title: string): string {
  const rows = estimate.lines
    .filter((l) => l.monthlyUsd !== null)
    .map((l) => `| ${l.stack} | ${l.what} | ${quantity(l.quantity)} ${l.unit} | ${unitPrice(l)} | ${usd(l.monthlyUsd!)}${l.hourly ? " (hourly)" : ""} |`);
  const unpriced = estimate.unpriced.map((l) => `${l.what} (${quantity(l.quantity)} ${l.unit}): no AWS-published price found, not in the total`);
  return [
    `**${title}**: about ${usd(estimate.totalUsd)} a month, ${usd(estimate.hourlyUsd)} of it billed by the hour whether used or not.`,
    "",
    "| stack | what | quantity | unit price | a month |",
    "|---|---|---:|---:|---:|",
    ...rows,
    `| | **total** | | | **${usd(estimate.totalUsd)}** |`,
    ...(unpriced.length > 0 ? ["", `Not priced: ${unpriced.join("; ")}.`] : []),
  ].join("\n");
}
/** When the evidence behind the prices was observed, as its own dates say (never the day the table was written). */
function observedNote({ oldest, newest, undated, rows }: Estimate["pricesObserved"]): string {
  const range = oldest === undefined ? "no evidence dated" : oldest === newest ? `evidence dated ${oldest}` : `evidence dated ${oldest} to ${newest}`;
  return undated > 0 && oldest !== undefined ? `${range}, ${undated} of ${rows} prices from undated evidence` : range;
}
