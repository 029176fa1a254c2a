/**
 * A monthly estimate, per resource and in total, of synthesized stacks (cdk.tf.json): what the Terraform will
 * create, priced from lib/cost/prices.ts under the usage assumptions of lib/cost/usage.ts. It reads the
 * synthesized configuration, not the environment file, so it prices what would really be deployed (and works
 * for any app built from these constructs).
 */
import type { SynthesizedStack } from "../aws-constraints/types.ts";
import { billingOf } from "./billing.ts";
import { PRICES, pricedRegions, type PriceBasis, type PriceItem, type PriceRow } from "./prices.ts";
import type { Usage } from "./usage.ts";

export interface CostLine {
  readonly stack: string;
  /** The Terraform address the charge belongs to. */
  readonly address: string;
  readonly what: string;
  readonly item: PriceItem;
  readonly quantity: number;
  readonly unit: string;
  /** USD per `per` units; null when the table has no figure (the line is not priced). */
  readonly unitUsd: number | null;
  readonly per: number;
  readonly monthlyUsd: number | null;
  /** Charged for every hour the resource exists, used or not: teardown destroys these first. */
  readonly hourly: boolean;
  readonly basis: PriceBasis | "override";
}

export interface Estimate {
  readonly regions: readonly string[];
  readonly lines: readonly CostLine[];
  /** Sum of the priced lines. */
  readonly totalUsd: number;
  /** Of which charged by the hour, whatever the use. */
  readonly hourlyUsd: number;
  /** Lines with no published price: not in the total. */
  readonly unpriced: readonly CostLine[];
  /** Resources with no charge of their own, counted by kind ("2 subnet", "1 gateway endpoint"…). */
  readonly free: readonly string[];
  /** Resources of a kind lib/cost/billing.ts does not know: not priced, and not called free. */
  readonly unknown: readonly string[];
  /** What the estimate leaves out, and why. */
  readonly notIncluded: readonly string[];
  readonly usage: Usage;
  /** When the evidence of the prices used was observed (lib/cost/prices.ts `observed`): the oldest and newest dates, and how many rows carry none. */
  readonly pricesObserved: { readonly oldest?: string; readonly newest?: string; readonly undated: number; readonly rows: number };
}

/** The estimate cannot price these stacks (a Region the table has no rows for). */
export class CostError extends Error {
  override name = "CostError";
}

const NOT_INCLUDED = [
  "Bedrock model tokens (usually the largest line: priced per model on aws.amazon.com/bedrock/pricing)",
  "data transfer out of AWS and between AZs",
  "S3 and KMS requests, S3 Files reads and writes (no published price found), SNS email notifications (first 1,000 a month free)",
  "the CloudTrail log objects of the alert trail (a few KB a month)",
];

/** The items charged per hour of existence (see billing.ts "hourly"). */
const HOURLY_ITEMS: ReadonlySet<PriceItem> = new Set(["nat-gateway-hour", "public-ipv4-hour", "interface-endpoint-az-hour", "kms-key-month"]);

/** Resources billed one line each, by a quantity that depends only on the usage. */
const ONE_LINE: Readonly<Record<string, { readonly what: string; readonly item: PriceItem; readonly quantity: (usage: Usage) => number }>> = {
  aws_nat_gateway: { what: "NAT gateway", item: "nat-gateway-hour", quantity: (u) => u.hours },
  aws_eip: { what: "public IPv4 address (Elastic IP)", item: "public-ipv4-hour", quantity: (u) => u.hours },
  // $1 a month, prorated hourly.
  aws_kms_key: { what: "KMS key", item: "kms-key-month", quantity: (u) => u.hours / 730 },
  aws_cloudtrail: { what: "trail data events (exec commands)", item: "cloudtrail-data-events", quantity: (u) => u.commands },
  aws_ecr_repository: { what: "image storage", item: "ecr-storage-gb-month", quantity: (u) => u.gbImages },
};

type Resources = Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;

/** "${aws_cloudwatch_log_group.name.arn}" → "aws_cloudwatch_log_group.name" */
function referencedAddress(value: unknown): string | undefined {
  return typeof value === "string" ? /^\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value)?.[1] : undefined;
}

function regionOf(stack: SynthesizedStack): string {
  const region = stack.json.provider?.aws?.[0]?.region;
  if (typeof region !== "string") throw new CostError(`stack ${stack.name}: its aws provider names no region, so it cannot be priced`);
  return region;
}

export function estimateStacks(
  stacks: readonly SynthesizedStack[],
  usage: Usage,
  options: { readonly prices?: readonly PriceRow[]; readonly overrides?: Partial<Record<PriceItem, number>> } = {},
): Estimate {
  const prices = options.prices ?? PRICES;
  const overrides = options.overrides ?? {};
  const used: PriceRow[] = [];
  const lines: CostLine[] = [];
  const free = new Map<string, number>();
  const unknown: string[] = [];

  const price = (region: string, item: PriceItem): PriceRow => {
    const row = prices.find((p) => p.region === region && p.item === item);
    if (!row) {
      const known = pricedRegions(prices);
      throw new CostError(
        known.includes(region)
          ? `no price for ${item} in ${region} in lib/cost/prices.ts: add its row, with its source and when its evidence was observed`
          : `no prices for Region ${region} in lib/cost/prices.ts (it prices ${known.join(", ")}): add its rows, each with its source and when its evidence was observed`,
      );
    }
    used.push(row);
    return row;
  };

  for (const stack of stacks) {
    const region = regionOf(stack);
    const resources: Resources = stack.json.resource ?? {};
    const add = (address: string, what: string, item: PriceItem, quantity: number, perResource = true) => {
      const row = price(region, item);
      const unitUsd = overrides[item] ?? row.usd;
      const per = row.per ?? 1;
      // One per AZ (NAT gateways, their addresses): say which, from the construct id ("nat-gateway-usw2-az1").
      const az = /[a-z]{2,5}\d-az\d+/.exec(address)?.[0];
      lines.push({
        stack: stack.name,
        address,
        what: perResource && az !== undefined && !what.includes(az) ? `${what}, ${az}` : what,
        item,
        quantity,
        unit: row.unit,
        unitUsd,
        per,
        monthlyUsd: unitUsd === null ? null : (quantity / per) * unitUsd,
        hourly: HOURLY_ITEMS.has(item),
        basis: overrides[item] !== undefined ? "override" : row.basis,
      });
    };
    const each = (type: string) => Object.entries(resources[type] ?? {}).map(([name, config]) => ({ address: `${type}.${name}`, config }));

    // Log groups that receive flow logs are priced with the flow logs; the others hold the runtime's logs.
    const flowLogGroups = new Set(each("aws_flow_log").map((f) => referencedAddress(f.config.log_destination)).filter((a) => a !== undefined));
    // The bucket an S3 Files file system is built on is the environment's data.
    const dataBuckets = new Set(each("aws_s3files_file_system").map((f) => referencedAddress(f.config.bucket)).filter((a) => a !== undefined));
    const retentionOf = (address: string | undefined) => {
      const days = address ? Number(resources["aws_cloudwatch_log_group"]?.[address.split(".")[1]!]?.retention_in_days) : Number.NaN;
      // A log group without retention keeps everything: price a year of it.
      return Number.isFinite(days) && days > 0 ? days : 365;
    };
    const sessionHours = (usage.sessions * usage.sessionMinutes) / 60;

    for (const [type, byName] of Object.entries(resources)) {
      for (const [name, config] of Object.entries(byName)) {
        const address = `${type}.${name}`;
        const simple = ONE_LINE[type];
        if (simple) {
          add(address, simple.what, simple.item, simple.quantity(usage));
          continue;
        }
        switch (type) {
          case "aws_vpc_endpoint": {
            if (config.vpc_endpoint_type !== "Interface") {
              free.set("gateway endpoint", (free.get("gateway endpoint") ?? 0) + 1);
              break;
            }
            const subnets = config.subnet_ids;
            if (!Array.isArray(subnets)) throw new CostError(`${stack.name}: ${address}.subnet_ids is not a list, so its Availability Zones cannot be counted`);
            add(address, `interface endpoint ${String(config.service_name ?? "").replace(/^com\.amazonaws\.[a-z0-9-]+\./, "")}, ${subnets.length} AZ`, "interface-endpoint-az-hour", usage.hours * subnets.length);
            break;
          }
          case "aws_flow_log": {
            add(address, "VPC flow logs delivered", "logs-ingest-gb", usage.gbFlowLogs);
            const group = referencedAddress(config.log_destination);
            const days = retentionOf(group);
            add(group ?? address, `flow logs kept ${days} days`, "logs-storage-gb-month", (usage.gbFlowLogs * days) / 30);
            break;
          }
          case "aws_s3_bucket":
            if (dataBuckets.has(address)) add(address, "bucket storage (S3 Standard)", "s3-standard-gb-month", usage.gbStored);
            else free.set("bucket holding a few KB", (free.get("bucket holding a few KB") ?? 0) + 1);
            break;
          case "aws_s3files_file_system":
            add(address, "S3 Files high-performance storage", "s3files-storage-gb-month", usage.gbActive);
            break;
          case "aws_bedrockagentcore_agent_runtime":
            add(address, "runtime CPU", "agentcore-vcpu-hour", sessionHours * usage.vcpu);
            // Memory is billed at 128 MB at least (AgentCore pricing).
            add(address, "runtime memory", "agentcore-gb-hour", sessionHours * Math.max(usage.memoryGb, 0.128));
            break;
          case "aws_cloudwatch_log_group":
          case "aws_sns_topic":
            // Log groups: priced with their logs below. The alert topic: a few notifications a month (not included).
            break;
          default: {
            const billing = billingOf(type, config);
            if (billing === "free") {
              const kind = type.replace(/^aws_/, "").replace(/_/g, " ");
              free.set(kind, (free.get(kind) ?? 0) + 1);
            } else unknown.push(`${stack.name}: ${address}${billing === "unknown" ? "" : ` (billed ${billing}, not priced here)`}`);
          }
        }
      }
    }
    const runtimeGroups = Object.keys(resources["aws_cloudwatch_log_group"] ?? {})
      .map((name) => `aws_cloudwatch_log_group.${name}`)
      .filter((address) => !flowLogGroups.has(address));
    if (runtimeGroups.length > 0) {
      const days = Math.max(...runtimeGroups.map(retentionOf));
      add(runtimeGroups[0]!, `logs ingested (${runtimeGroups.length} log group${runtimeGroups.length === 1 ? "" : "s"})`, "logs-ingest-gb", usage.gbLogs);
      add(runtimeGroups[0]!, `logs kept ${days} days`, "logs-storage-gb-month", (usage.gbLogs * days) / 30);
    }
    // Data through the NAT gateways and the endpoints: once per stack, whatever their number.
    const nat = each("aws_nat_gateway")[0];
    if (nat) add(nat.address, "data through the NAT gateways", "nat-gateway-gb", usage.gbNat, false);
    const endpoint = each("aws_vpc_endpoint").find((e) => e.config.vpc_endpoint_type === "Interface");
    if (endpoint) add(endpoint.address, "data through the interface endpoints", "interface-endpoint-gb", usage.gbEndpoints, false);
  }

  const priced = lines.filter((l) => l.monthlyUsd !== null);
  return {
    regions: [...new Set(stacks.map(regionOf))],
    lines,
    totalUsd: priced.reduce((sum, l) => sum + l.monthlyUsd!, 0),
    hourlyUsd: priced.filter((l) => l.hourly).reduce((sum, l) => sum + l.monthlyUsd!, 0),
    unpriced: lines.filter((l) => l.monthlyUsd === null),
    free: [...free].map(([kind, count]) => `${count} ${kind}`),
    unknown,
    notIncluded: NOT_INCLUDED,
    usage,
    pricesObserved: observedRange(used),
  };
}

/** The stacks of one environment (`<env>-network`, `-storage`, `-registry`, `-agent`) among synthesized ones. */
export function environmentStacks(stacks: readonly SynthesizedStack[], environment: string): SynthesizedStack[] {
  const layers = ["network", "storage", "registry", "agent"];
  const mine = layers.map((layer) => stacks.find((s) => s.name === `${environment}-${layer}`)).filter((s) => s !== undefined);
  if (mine.length === 0) throw new CostError(`no synthesized stacks of environment "${environment}" (${layers.map((l) => `${environment}-${l}`).join(", ")})`);
  return mine;
}

/** The dates the used rows' evidence carries ("YYYY-MM" sorts before any day of that month), and how many carry none. */
function observedRange(rows: readonly PriceRow[]): Estimate["pricesObserved"] {
  const dated = [...new Set(rows.map((r) => r.observed).filter((d) => d !== "undated"))].sort();
  return { ...(dated.length > 0 && { oldest: dated[0], newest: dated.at(-1) }), undated: rows.filter((r) => r.observed === "undated").length, rows: rows.length };
}
