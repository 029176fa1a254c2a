/**
 * What the estimate assumes about use: how much is stored, how much goes through the NAT gateways and the
 * endpoints, how many sessions a month. Each assumption has a flag, a default, a unit and a range; the
 * estimate prints the values it used, so a figure is never read without its assumptions.
 */
import type { PriceItem } from "./prices.ts";

export interface Usage {
  /** Hours each resource exists in the month (AWS prices a month as 730 hours). */
  readonly hours: number;
  /** GB of objects in the environment's bucket (S3 Standard). */
  readonly gbStored: number;
  /** GB of that the agents actively use through S3 Files (on the file system's high-performance storage). */
  readonly gbActive: number;
  /** GB a month through the NAT gateways (model calls, image pulls from ECR's API, anything on the internet). */
  readonly gbNat: number;
  /** GB a month through the interface endpoints, when there are any. */
  readonly gbEndpoints: number;
  /** Runtime sessions a month. */
  readonly sessions: number;
  /** Average session length, minutes (memory is billed for all of it). */
  readonly sessionMinutes: number;
  /** Average vCPUs a session actually consumes (waiting for the model costs no CPU). */
  readonly vcpu: number;
  /** Peak memory of a session, GB. */
  readonly memoryGb: number;
  /** GB of runtime logs (application and usage) ingested a month. */
  readonly gbLogs: number;
  /** GB of VPC flow logs delivered a month, where flow logs are on. */
  readonly gbFlowLogs: number;
  /** GB of agent images kept in the repository. */
  readonly gbImages: number;
  /** `exec` commands a month (each is a CloudTrail data event the alert trail delivers). */
  readonly commands: number;
}

export interface UsageFlag {
  readonly key: keyof Usage;
  readonly flag: string;
  readonly unit: string;
  readonly meaning: string;
  readonly default: number;
  readonly min: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** The defaults describe a small team's environment; change them with the flags. */
export const USAGE_FLAGS: readonly UsageFlag[] = [
  { key: "hours", flag: "hours", unit: "hours", meaning: "hours a month each resource exists (730 is a whole month)", default: 730, min: 0, max: 744 },
  { key: "gbStored", flag: "gb-stored", unit: "GB", meaning: "GB stored in the bucket (S3 Standard)", default: 50, min: 0 },
  { key: "gbActive", flag: "gb-active", unit: "GB", meaning: "GB of it in use through S3 Files (high-performance storage)", default: 5, min: 0 },
  { key: "gbNat", flag: "gb-nat", unit: "GB", meaning: "GB a month through the NAT gateways", default: 20, min: 0 },
  { key: "gbEndpoints", flag: "gb-endpoints", unit: "GB", meaning: "GB a month through the interface endpoints", default: 20, min: 0 },
  { key: "sessions", flag: "sessions", unit: "sessions", meaning: "runtime sessions a month", default: 1000, min: 0, integer: true },
  { key: "sessionMinutes", flag: "session-minutes", unit: "minutes", meaning: "average session length", default: 10, min: 0, max: 480 },
  { key: "vcpu", flag: "vcpu", unit: "vCPU", meaning: "average vCPUs a session consumes", default: 0.25, min: 0 },
  { key: "memoryGb", flag: "memory-gb", unit: "GB", meaning: "peak memory of a session (billed at 128 MB at least)", default: 1, min: 0 },
  { key: "gbLogs", flag: "gb-logs", unit: "GB", meaning: "GB of runtime logs a month", default: 2, min: 0 },
  { key: "gbFlowLogs", flag: "gb-flow-logs", unit: "GB", meaning: "GB of VPC flow logs a month (where on)", default: 2, min: 0 },
  { key: "gbImages", flag: "gb-images", unit: "GB", meaning: "GB of agent images in the repository", default: 2, min: 0 },
  { key: "commands", flag: "commands", unit: "commands", meaning: "exec commands a month (CloudTrail data events)", default: 100, min: 0, integer: true },
];

export const DEFAULT_USAGE: Usage = Object.fromEntries(USAGE_FLAGS.map((f) => [f.key, f.default])) as unknown as Usage;

export class UsageValueError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.join("; ")}`);
    this.problems = problems;
    this.name = "UsageValueError";
  }
}

/**
 * Plain decimal notation only: digits, an optional fraction, an optional sign. `Number()` alone would also take
 * "0x10" (16), "0b11", "1e3" and "Infinity", none of which a person means as a count of GB or sessions.
 */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const decimal = (text: string) => (DECIMAL.test(text) ? Number(text) : Number.NaN);

/** A flag's text as a number within its range, or the problem with it (naming the flag, the value and the fix). */
function parseValue(flag: UsageFlag, text: string): number | string {
  const trimmed = text.trim();
  const value = decimal(trimmed);
  const range = flag.max !== undefined ? `${flag.min} to ${flag.max}` : `${flag.min} or more`;
  const fix = `e.g. --${flag.flag} ${flag.default}`;
  if (!Number.isFinite(value)) return `--${flag.flag} = ${JSON.stringify(text)}: not a decimal number of ${flag.unit} (${range}); ${fix}`;
  if (value < flag.min || (flag.max !== undefined && value > flag.max)) return `--${flag.flag} = ${text}: ${flag.unit} must be ${range}; ${fix}`;
  if (flag.integer && !Number.isInteger(value)) return `--${flag.flag} = ${text}: must be a whole number of ${flag.unit}; ${fix}`;
  return value;
}

/** The usage assumptions: the defaults, with every given flag (its text) in its place. Throws UsageValueError listing every bad value. */
export function parseUsage(given: Readonly<Record<string, string | undefined>>): Usage {
  const usage: Record<string, number> = { ...DEFAULT_USAGE };
  const problems: string[] = [];
  for (const flag of USAGE_FLAGS) {
    const text = given[flag.flag];
    if (text === undefined) continue;
    const value = parseValue(flag, text);
    if (typeof value === "string") problems.push(value);
    else usage[flag.key] = value;
  }
  if (problems.length > 0) throw new UsageValueError(problems);
  return usage as unknown as Usage;
}

/** `--price <item>=<usd>`: a price the table lacks or one to replace. */
export function parsePriceOverrides(given: readonly string[], items: readonly PriceItem[]): Partial<Record<PriceItem, number>> {
  const overrides: Partial<Record<PriceItem, number>> = {};
  const problems: string[] = [];
  for (const text of given) {
    const match = /^([a-z0-9-]+)=(.*)$/.exec(text);
    const item = match?.[1] as PriceItem | undefined;
    const usd = match ? decimal(match[2]!.trim()) : Number.NaN;
    if (!match || !items.includes(item!)) {
      problems.push(`--price ${JSON.stringify(text)}: expected <item>=<usd> with an item of lib/cost/prices.ts (${items.join(", ")})`);
    } else if (match[2]!.trim() === "" || !Number.isFinite(usd) || usd < 0) {
      problems.push(`--price ${text}: the price must be a decimal number of USD, 0 or more (e.g. --price ${item}=0.30)`);
    } else overrides[item!] = usd;
  }
  if (problems.length > 0) throw new UsageValueError(problems);
  return overrides;
}
