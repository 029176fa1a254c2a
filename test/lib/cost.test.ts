/**
 * The monthly estimate: the price table (every row sourced and dated; no invented figure), what each shipped
 * environment's synthesized Terraform is billed for, and the usage assumptions (each overridable, each bad
 * value refused with the flag, the value and the fix).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments } from "../../environments/schema.ts";
import { readSynthesizedStacks } from "../../lib/aws-constraints/check.ts";
import type { SynthesizedStack } from "../../lib/aws-constraints/types.ts";
import {
  billingOf,
  costSummary,
  CostError,
  DEFAULT_USAGE,
  environmentStacks,
  estimateStacks,
  formatEstimate,
  formatEstimateMarkdown,
  parsePriceOverrides,
  parseUsage,
  PRICES,
  USAGE_FLAGS,
  UsageValueError,
  type Estimate,
  type PriceItem,
} from "../../lib/cost/index.ts";
import { synthesize } from "../../lib/synth.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };
const outdir = join(mkdtempSync(join(tmpdir(), "cost-")), "cdktf.out");
synthesize([...environments, ...EVERY_OPTION_ENVIRONMENTS], { outdir, targetVersions: cdktfJson.targetVersions });
const stacks = readSynthesizedStacks(outdir);
const ITEMS = [...new Set(PRICES.map((p) => p.item))] as PriceItem[];

const estimate = (env: string, usage = DEFAULT_USAGE, overrides = {}) => estimateStacks(environmentStacks(stacks, env), usage, { overrides });
const linesOf = (e: Estimate, item: PriceItem) => e.lines.filter((l) => l.item === item);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const cents = (value: number) => Math.round(value * 100) / 100;

/** One stack, as synth writes it, holding exactly these resources. */
function stackOf(resources: Record<string, Record<string, Record<string, unknown>>>, region = "us-west-2"): SynthesizedStack {
  return { name: "t-network", json: { provider: { aws: [{ region }] }, resource: resources } };
}

describe("the price table", () => {
  it("has exactly one row per item in each Region the shipped environments use", () => {
    const regions = [...new Set(resolveEnvironments(environments).map((e) => e.region))];
    expect(regions.sort()).toEqual(["us-east-1", "us-west-2"]);
    for (const region of regions) {
      for (const item of ITEMS) expect(PRICES.filter((p) => p.region === region && p.item === item), `${region} ${item}`).toHaveLength(1);
    }
  });

  it("gives every row its AWS pricing page, where the figure was read, and when that evidence was observed", () => {
    for (const row of PRICES) {
      expect(row.source, `${row.region} ${row.item}`).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]+\/pricing\/$/);
      expect(row.evidence.length).toBeGreaterThan(10);
      expect(row.observed).toMatch(/^(\d{4}-\d\d(-\d\d)?|undated)$/);
      expect(["aws-pricing-page", "aws-published", "third-party", "not-found"]).toContain(row.basis);
    }
  });

  // The review's finding: every row said "checked 2026-11-21", the day the table was written, while its evidence
  // was stored copies dated months earlier. A row's date must be one its evidence carries.
  it("dates each row by its evidence: the date is written in the evidence itself (a day, or a month and year)", () => {
    const MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sep", "Oct", "Nov", "Dec"];
    for (const row of PRICES.filter((p) => p.observed !== "undated")) {
      const [year, month, day] = row.observed.split("-");
      const written = day ? row.observed : `${MONTHS[Number(month) - 1]} ${year}`;
      expect(row.evidence, `${row.region} ${row.item}`).toContain(written);
    }
    expect(PRICES.filter((p) => p.observed === "undated").length).toBeLessThan(PRICES.length);
  });

  it("invents no figure: a row has a price exactly when a source gave one, and says why when none did", () => {
    for (const row of PRICES) {
      if (row.basis === "not-found") {
        expect(row.usd, row.item).toBeNull();
        expect(row.note).toMatch(/--price/);
      } else {
        expect(row.usd, row.item).toBeGreaterThan(0);
      }
    }
    // The one AWS has not published in any copy we could read: S3 Files.
    expect(PRICES.filter((p) => p.basis === "not-found").map((p) => p.item).sort()).toEqual(["s3files-access-gb", "s3files-access-gb", "s3files-storage-gb-month", "s3files-storage-gb-month"]);
  });
});

describe("what each shipped environment is billed for (read from its synthesized Terraform)", () => {
  it("dev: one NAT gateway and its Elastic IP by the hour, no interface endpoint", () => {
    const dev = estimate("dev");
    expect(linesOf(dev, "nat-gateway-hour").map((l) => cents(l.monthlyUsd!))).toEqual([32.85]);
    expect(linesOf(dev, "public-ipv4-hour").map((l) => cents(l.monthlyUsd!))).toEqual([3.65]);
    expect(linesOf(dev, "interface-endpoint-az-hour")).toEqual([]);
    expect(linesOf(dev, "nat-gateway-hour")[0]!.address).toMatch(/^aws_nat_gateway\.network_nat-gateway-usw2-az1_/);
    expect(cents(dev.hourlyUsd)).toBe(37.5); // NAT 32.85 + IPv4 3.65 + the alert's KMS key 1.00
  });

  it("staging: five interface endpoints, each billed in both of its AZs, and no NAT gateway", () => {
    const staging = estimate("staging");
    const endpoints = linesOf(staging, "interface-endpoint-az-hour");
    expect(endpoints).toHaveLength(5);
    for (const line of endpoints) {
      expect(line.quantity).toBe(2 * 730);
      expect(cents(line.monthlyUsd!)).toBe(14.6);
    }
    expect(linesOf(staging, "nat-gateway-hour")).toEqual([]);
    expect(linesOf(staging, "public-ipv4-hour")).toEqual([]);
    // The S3 gateway endpoint carries no charge.
    expect(staging.free).toContain("1 gateway endpoint");
  });

  it("prod: a NAT gateway and an Elastic IP in each of 3 AZs, flow logs kept a year, in us-east-1 prices", () => {
    const prod = estimate("prod");
    expect(prod.regions).toEqual(["us-east-1"]);
    expect(linesOf(prod, "nat-gateway-hour")).toHaveLength(3);
    expect(linesOf(prod, "public-ipv4-hour")).toHaveLength(3);
    expect(linesOf(prod, "nat-gateway-gb")).toHaveLength(1);
    const kept = linesOf(prod, "logs-storage-gb-month").find((l) => l.what.startsWith("flow logs"))!;
    expect(kept.what).toBe("flow logs kept 365 days");
    expect(kept.quantity).toBeCloseTo((DEFAULT_USAGE.gbFlowLogs * 365) / 30);
    expect(cents(prod.hourlyUsd)).toBe(cents(3 * 32.85 + 3 * 3.65 + 1));
  });

  it("totals the priced lines, and leaves out (and lists) the ones with no published price", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const e = estimate(env);
      expect(e.totalUsd).toBeCloseTo(sum(e.lines.filter((l) => l.monthlyUsd !== null).map((l) => l.monthlyUsd!)));
      expect(e.hourlyUsd).toBeCloseTo(sum(e.lines.filter((l) => l.hourly).map((l) => l.monthlyUsd!)));
      expect(e.unpriced.map((l) => l.item)).toEqual(["s3files-storage-gb-month"]);
      expect(formatEstimate(e, env)).toContain("add --price s3files-storage-gb-month=<usd> to include it");
    }
  });

  it("knows how AWS bills every resource type the project synthesizes (a new type must be classified, not assumed free)", () => {
    const types = new Set(stacks.flatMap((s) => Object.entries(s.json.resource ?? {}).flatMap(([type, byName]) => Object.values(byName).map((config) => `${type}|${billingOf(type, config)}`))));
    expect([...types].filter((t) => t.endsWith("|unknown"))).toEqual([]);
    const everything = ["everything", "everything-imported"].map((env) => estimate(env));
    for (const e of everything) expect(e.unknown).toEqual([]);
    const unknownType = estimateStacks([stackOf({ aws_lb: { api: { name: "api" } } })], DEFAULT_USAGE);
    expect(unknownType.unknown).toEqual(["t-network: aws_lb.api"]);
    expect(unknownType.free).toEqual([]);
  });
});

describe("the README's cost tables", () => {
  it("are the estimate of each environment the README shows, at the default usage, as npm run cost -- --markdown prints it", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    // The environments the README has a table for (an environment added to environments/index.ts needs none).
    const shown = resolveEnvironments(environments).filter((env) => readme.includes(`**${env.name} (${env.region})**:`));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const env of shown) {
      const table = formatEstimateMarkdown(estimate(env.name), `${env.name} (${env.region})`);
      expect(readme.includes(table), `README table of ${env.name} (regenerate: npm run cost -- --env ${env.name} --markdown)`).toBe(true);
    }
    // And a changed estimate would not be found: the check can fail.
    expect(readme.includes(formatEstimateMarkdown(estimate("dev", { ...DEFAULT_USAGE, sessions: 7 }), "dev (us-west-2)"))).toBe(false);
  });
});

describe("rules that decide a line (each with the case that breaks it)", () => {
  it("bills an interface endpoint per AZ (its subnets), a gateway endpoint not at all", () => {
    const endpoint = (type: string, subnets: string[]) => ({ vpc_endpoint_type: type, service_name: "com.amazonaws.us-west-2.logs", subnet_ids: subnets });
    const three = estimateStacks([stackOf({ aws_vpc_endpoint: { logs: endpoint("Interface", ["${a}", "${b}", "${c}"]) } })], DEFAULT_USAGE);
    expect(three.lines.find((l) => l.item === "interface-endpoint-az-hour")!.quantity).toBe(3 * 730);
    const gateway = estimateStacks([stackOf({ aws_vpc_endpoint: { s3: endpoint("Gateway", []) } })], DEFAULT_USAGE);
    expect(gateway.lines).toEqual([]);
    expect(() => estimateStacks([stackOf({ aws_vpc_endpoint: { logs: { vpc_endpoint_type: "Interface", subnet_ids: "${var.subnets}" } } })], DEFAULT_USAGE)).toThrow(
      /aws_vpc_endpoint\.logs\.subnet_ids is not a list, so its Availability Zones cannot be counted/,
    );
  });

  it("prices only the bucket an S3 Files file system is built on as data; other buckets hold a few KB", () => {
    const resources = {
      aws_s3_bucket: { data: { bucket: "d" }, trail: { bucket: "t" } },
      aws_s3files_file_system: { fs: { bucket: "${aws_s3_bucket.data.arn}" } },
    };
    const e = estimateStacks([stackOf(resources)], DEFAULT_USAGE);
    expect(e.lines.filter((l) => l.item === "s3-standard-gb-month").map((l) => l.address)).toEqual(["aws_s3_bucket.data"]);
    expect(e.free).toContain("1 bucket holding a few KB");
  });

  it("keeps a log group without retention for a year in the estimate (it keeps everything)", () => {
    const e = estimateStacks([stackOf({ aws_cloudwatch_log_group: { app: { name: "/app" } } })], DEFAULT_USAGE);
    expect(e.lines.find((l) => l.item === "logs-storage-gb-month")!.what).toBe("logs kept 365 days");
  });

  it("refuses a Region the table has no prices for, naming it and the file to add them to", () => {
    expect(() => estimateStacks([stackOf({ aws_nat_gateway: { n: {} } }, "eu-west-1")], DEFAULT_USAGE)).toThrow(
      new CostError("no prices for Region eu-west-1 in lib/cost/prices.ts (it prices us-east-1, us-west-2): add its rows, each with its source and when its evidence was observed"),
    );
    expect(() => estimateStacks([{ name: "x", json: { resource: {} } }], DEFAULT_USAGE)).toThrow(/names no region/);
  });

  it("synth's summary says which environment it cannot price instead of failing", () => {
    const text = costSummary(outdir, ["dev", "nowhere"]);
    expect(text).toMatch(/^ {2}dev +about +\$\d+\.\d\d a month, \$37\.50 of it by the hour; not priced: S3 Files high-performance storage$/m);
    expect(text).toMatch(/^ {2}nowhere +not estimated: no synthesized stacks of environment "nowhere"/m);
  });
});

describe("usage assumptions: stated, overridable, validated", () => {
  it("changes only the lines an assumption drives", () => {
    const base = estimate("dev");
    const more = estimate("dev", { ...DEFAULT_USAGE, gbNat: DEFAULT_USAGE.gbNat * 10 });
    const changed = more.lines.filter((l, i) => l.monthlyUsd !== base.lines[i]!.monthlyUsd).map((l) => l.item);
    expect(changed).toEqual(["nat-gateway-gb"]);
    expect(estimate("dev", { ...DEFAULT_USAGE, sessions: 0 }).lines.filter((l) => l.item.startsWith("agentcore")).map((l) => l.monthlyUsd)).toEqual([0, 0]);
    const none = estimate("dev", { ...DEFAULT_USAGE, hours: 0 });
    expect(none.hourlyUsd).toBe(0);
  });

  it("bills a session's memory at 128 MB at least (AgentCore's minimum)", () => {
    const tiny = estimate("dev", { ...DEFAULT_USAGE, memoryGb: 0.01 });
    const line = tiny.lines.find((l) => l.item === "agentcore-gb-hour")!;
    expect(line.quantity).toBeCloseTo(((DEFAULT_USAGE.sessions * DEFAULT_USAGE.sessionMinutes) / 60) * 0.128);
  });

  it("prices an item the table lacks when told to, and the line joins the total", () => {
    const priced = estimate("dev", DEFAULT_USAGE, { "s3files-storage-gb-month": 0.3 });
    expect(priced.unpriced).toEqual([]);
    const line = priced.lines.find((l) => l.item === "s3files-storage-gb-month")!;
    expect(line).toMatchObject({ monthlyUsd: DEFAULT_USAGE.gbActive * 0.3, basis: "override" });
    expect(priced.totalUsd).toBeCloseTo(estimate("dev").totalUsd + DEFAULT_USAGE.gbActive * 0.3);
  });

  it("reads each flag as its number, and keeps the default for the others", () => {
    const usage = parseUsage({ "gb-stored": "200", sessions: "5000", "session-minutes": "2.5" });
    expect(usage).toEqual({ ...DEFAULT_USAGE, gbStored: 200, sessions: 5000, sessionMinutes: 2.5 });
    expect(Object.keys(DEFAULT_USAGE).sort()).toEqual(USAGE_FLAGS.map((f) => f.key).sort());
  });

  it("refuses every bad value at once, each with the flag, the value and the fix", () => {
    let caught: unknown;
    try {
      parseUsage({ "gb-nat": "lots", sessions: "1.5", hours: "800", vcpu: "-1", "gb-logs": "", "gb-stored": "0x10" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageValueError);
    expect((caught as UsageValueError).problems).toEqual([
      "--hours = 800: hours must be 0 to 744; e.g. --hours 730",
      "--gb-stored = \"0x10\": not a decimal number of GB (0 or more); e.g. --gb-stored 50",
      "--gb-nat = \"lots\": not a decimal number of GB (0 or more); e.g. --gb-nat 20",
      "--sessions = 1.5: must be a whole number of sessions; e.g. --sessions 1000",
      "--vcpu = -1: vCPU must be 0 or more; e.g. --vcpu 0.25",
      "--gb-logs = \"\": not a decimal number of GB (0 or more); e.g. --gb-logs 2",
    ]);
    for (const text of ["0x10", "0b11", "0o7", "1e3", "Infinity", "1_000"]) expect(() => parseUsage({ "gb-stored": text }), text).toThrow("not a decimal number");
    expect(parseUsage({ "gb-stored": "12.5", vcpu: ".5" })).toMatchObject({ vcpu: 0.5 });
    expect(() => parsePriceOverrides(["nat-gateway-hour=0x1"], ITEMS)).toThrow("must be a decimal number of USD");
    expect(() => parsePriceOverrides(["nat=1", "nat-gateway-hour=cheap", "kms-key-month=-2"], ITEMS)).toThrow(UsageValueError);
    expect(() => parsePriceOverrides(["nat-gateway-hour=cheap"], ITEMS)).toThrow("--price nat-gateway-hour=cheap: the price must be a decimal number of USD, 0 or more (e.g. --price nat-gateway-hour=0.30)");
    expect(parsePriceOverrides(["s3files-storage-gb-month=0.30"], ITEMS)).toEqual({ "s3files-storage-gb-month": 0.3 });
  });
});
