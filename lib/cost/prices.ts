/**
 * AWS list prices the estimate uses, one row per Region and item, each with the page AWS publishes it on,
 * where the figure was actually read, and when that evidence was observed. Data, not code: to update a price,
 * change its row (and `observed`); to price another Region, add its rows (the estimate refuses a Region it has no
 * rows for, naming this file).
 *
 * `observed` is the date the evidence itself carries, never the day someone copied it into this table: the
 * evidence is stored copies of pages, read long after they were written. It is the newest date among the row's
 * evidence — a page's "updated"/publication date, the "last verified" date of the source lab (2026-04-09), the
 * day a transcription says it read the pricing page — at the precision given (YYYY-MM-DD, or YYYY-MM when the
 * page names only a month), or "undated" when no copy we read carries a date (AWS's pricing pages print none).
 *
 * How much to trust each row (`basis`):
 * - "aws-pricing-page": read on the AWS pricing page itself (a stored copy of it).
 * - "aws-published": read on another page or repository AWS runs (an AWS re:Post article, an AWS sample's
 *   cost model, AWS's agent toolkit), which cites the pricing page.
 * - "third-party": AWS's pricing page renders this figure per Region at view time, so no stored copy of it
 *   shows the number; the figure is the one independent guides quote from it for that Region (named in
 *   `evidence`). Check it on the page before relying on it.
 * - "not-found": no figure found in anything AWS publishes that we could read; `usd` is null, the estimate
 *   says the item is not priced (and `--price <item>=<usd>` prices it), and nothing is invented.
 *
 * Prices are USD, on-demand, without free tiers or discounts, for the first pricing tier (an environment of
 * this kind stays far below the next one).
 */

export type PriceItem =
  | "nat-gateway-hour"
  | "nat-gateway-gb"
  | "public-ipv4-hour"
  | "interface-endpoint-az-hour"
  | "interface-endpoint-gb"
  | "s3-standard-gb-month"
  | "s3files-storage-gb-month"
  | "s3files-access-gb"
  | "cloudtrail-data-events"
  | "logs-ingest-gb"
  | "logs-storage-gb-month"
  | "kms-key-month"
  | "agentcore-vcpu-hour"
  | "agentcore-gb-hour"
  | "ecr-storage-gb-month";

export type PriceBasis = "aws-pricing-page" | "aws-published" | "third-party" | "not-found";

export interface PriceRow {
  readonly region: string;
  readonly item: PriceItem;
  /** What one unit is: "hour", "GB processed", "data events", … (the item says of what). */
  readonly unit: string;
  /** USD per `per` units; null when no published figure was found. */
  readonly usd: number | null;
  /** How many units the price is for (CloudTrail prices data events per 100,000). @default 1 */
  readonly per?: number;
  /** The AWS page that publishes the price. */
  readonly source: string;
  /** Where the figure was read (the page itself, or what is named here). */
  readonly evidence: string;
  /** When the evidence was observed: the newest date the row's evidence carries (YYYY-MM-DD or YYYY-MM), or "undated". */
  readonly observed: string;
  readonly basis: PriceBasis;
  readonly note?: string;
}

const VPC = "https://aws.amazon.com/vpc/pricing/";
const PRIVATELINK = "https://aws.amazon.com/privatelink/pricing/";
const S3 = "https://aws.amazon.com/s3/pricing/";
const CLOUDTRAIL = "https://aws.amazon.com/cloudtrail/pricing/";
const CLOUDWATCH = "https://aws.amazon.com/cloudwatch/pricing/";
const KMS = "https://aws.amazon.com/kms/pricing/";
const AGENTCORE = "https://aws.amazon.com/bedrock/agentcore/pricing/";
const ECR = "https://aws.amazon.com/ecr/pricing/";

/** The source lab this project automates (shared/seeds/000_*, run in us-west-2, "last verified 2026-04-09"): its cost table. */
const LAB = "shared/seeds/000 (the source lab, us-west-2, last verified 2026-04-09): cost table";
const LAB_DATE = "2026-04-09";
const NAT_GUIDE = "cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026 (Region table: US East and US West $0.045/hour, $0.045/GB)";
const NAT_TRANSCRIPTION = "api-evangelist/amazon-vpc plans (text of aws.amazon.com/vpc/pricing read 2026-09-20: \"$0.045 per hour\", \"$0.045 per GB\")";
const NAT_TRANSCRIPTION_DATE = "2026-09-20";
const IPV4 =
  "repost.aws/articles/ARknH_OR0cTvqoTfJrVGaB8A (AWS re:Post: \"a charge of $0.005 per IP per hour for all public IPv4 addresses\", effective 2024-02-01, all Regions)";
const ENDPOINT_HOUR =
  "aws-samples.github.io/sample-autonomous-cloud-coding-agents/design/cost-model (\"$0.01/hr per endpoint per AZ\"); awsnegotiations.com/privatelink-cost-analysis.html (May 2026: $0.01/hour per AZ)";
const ENDPOINT_GB = "aws.amazon.com/privatelink/pricing (Interface Endpoint pricing: first 1 PB processed per month in a Region $0.01 per GB)";
const S3_STANDARD = "computingforgeeks.com/?p=165404 (April 2026, us-east-1: S3 Standard ~$0.023 per GB-month)";
const S3FILES_NOTE =
  "S3 Files bills GB-month on the file system's high-performance storage and, separately, reads and writes on it (AWS S3 User Guide, \"How S3 Files is metered\"). The prices are on aws.amazon.com/s3/pricing, rendered per Region; no copy we could read shows them. The source lab (seed 000) and third-party guides quote $0.30/GB-month for storage: unverified, not used. Price it with --price s3files-storage-gb-month=<usd>.";
const CLOUDTRAIL_EVIDENCE = "aws.amazon.com/cloudtrail/pricing (\"Data events … are charged at $0.10 per 100,000 events\"; for data events all deliveries are charged)";
const LOGS_EVIDENCE =
  "cloudburn.io/blog/amazon-cloudwatch-pricing (from the CloudWatch pricing page, Feb 2026, us-east-1); hykell.com (us-east-1: ingestion $0.50/GB, storage $0.03/GB-month)";
const KMS_EVIDENCE =
  "aws.amazon.com/kms/pricing (\"Each AWS KMS key that you create in AWS KMS costs $1/month (prorated hourly)\"; \"no charge for customer managed KMS keys that … are scheduled for deletion\")";
const AGENTCORE_EVIDENCE =
  "aws/agent-toolkit-for-aws, plugins/aws-agents/skills/agents-optimize/references/cost.md (AWS's own repository: \"Runtime compute … $0.0895/vCPU-hr, $0.00945/GB-hr\", citing the AgentCore pricing page)";
const ECR_EVIDENCE = "cloudburn.io/blog/amazon-ecr-pricing (from the ECR pricing page, March 2026, us-east-1: private storage $0.10 per GB-month)";

/** The same figure in each Region the shipped environments use (us-west-2, us-east-1), with the Region-specific evidence. */
type Evidence = { readonly text: string; readonly observed: string };
/** Evidence with no date in any copy we read. */
const undated = (text: string): Evidence => ({ text, observed: "undated" });

function inRegions(row: Omit<PriceRow, "region" | "evidence" | "observed">, evidence: { "us-west-2": Evidence; "us-east-1": Evidence }): PriceRow[] {
  return (["us-west-2", "us-east-1"] as const).map((region) => ({ ...row, region, evidence: evidence[region].text, observed: evidence[region].observed }));
}

export const PRICES: readonly PriceRow[] = [
  ...inRegions(
    { item: "nat-gateway-hour", unit: "hour", usd: 0.045, source: VPC, basis: "third-party", note: "Billed from creation to deletion, each partial hour as a full hour." },
    { "us-west-2": { text: `${NAT_GUIDE}; ${LAB} ("NAT Gateway $0.045/hr")`, observed: LAB_DATE }, "us-east-1": { text: `${NAT_GUIDE}; ${NAT_TRANSCRIPTION}`, observed: NAT_TRANSCRIPTION_DATE } },
  ),
  ...inRegions(
    { item: "nat-gateway-gb", unit: "GB processed", usd: 0.045, source: VPC, basis: "third-party", note: "Every GB through the gateway, in either direction, on top of data transfer." },
    { "us-west-2": { text: `${NAT_GUIDE}; ${LAB} ("NAT Gateway 数据处理 $0.045/GB")`, observed: LAB_DATE }, "us-east-1": { text: `${NAT_GUIDE}; ${NAT_TRANSCRIPTION}`, observed: NAT_TRANSCRIPTION_DATE } },
  ),
  ...inRegions(
    { item: "public-ipv4-hour", unit: "address-hour", usd: 0.005, source: VPC, basis: "aws-published", note: "Every public IPv4 address, attached or not (a NAT gateway's Elastic IP)." },
    { "us-west-2": { text: `${IPV4}; ${LAB} ("Elastic IP $0.005/hr")`, observed: LAB_DATE }, "us-east-1": undated(IPV4) },
  ),
  ...inRegions(
    { item: "interface-endpoint-az-hour", unit: "AZ-hour", usd: 0.01, source: PRIVATELINK, basis: "aws-published", note: "Billed per hour an interface endpoint is provisioned in each AZ, until it is deleted (PrivateLink pricing page)." },
    { "us-west-2": { text: ENDPOINT_HOUR, observed: "2026-05" }, "us-east-1": { text: ENDPOINT_HOUR, observed: "2026-05" } },
  ),
  ...inRegions(
    { item: "interface-endpoint-gb", unit: "GB processed", usd: 0.01, source: PRIVATELINK, basis: "aws-pricing-page", note: "First 1 PB a month in the Region, across all interface endpoints." },
    { "us-west-2": undated(ENDPOINT_GB), "us-east-1": undated(ENDPOINT_GB) },
  ),
  ...inRegions(
    { item: "s3-standard-gb-month", unit: "GB-month", usd: 0.023, source: S3, basis: "third-party", note: "First 50 TB a month." },
    { "us-west-2": { text: `${LAB} ("S3 存储 $0.023/GB")`, observed: LAB_DATE }, "us-east-1": { text: S3_STANDARD, observed: "2026-04" } },
  ),
  ...inRegions(
    { item: "s3files-storage-gb-month", unit: "GB-month", usd: null, source: S3, basis: "not-found", note: S3FILES_NOTE },
    { "us-west-2": undated("no figure found (see note)"), "us-east-1": undated("no figure found (see note)") },
  ),
  ...inRegions(
    { item: "s3files-access-gb", unit: "GB read or written", usd: null, source: S3, basis: "not-found", note: S3FILES_NOTE },
    { "us-west-2": undated("no figure found (see note)"), "us-east-1": undated("no figure found (see note)") },
  ),
  ...inRegions(
    { item: "cloudtrail-data-events", unit: "data events", per: 100_000, usd: 0.1, source: CLOUDTRAIL, basis: "aws-pricing-page", note: "The trail logs only this runtime's InvokeAgentRuntimeCommand events." },
    { "us-west-2": undated(CLOUDTRAIL_EVIDENCE), "us-east-1": undated(CLOUDTRAIL_EVIDENCE) },
  ),
  ...inRegions(
    { item: "logs-ingest-gb", unit: "GB ingested", usd: 0.5, source: CLOUDWATCH, basis: "third-party", note: "First 10 TB a month; VPC flow logs and AgentCore's vended logs are vended logs." },
    { "us-west-2": { text: `${LOGS_EVIDENCE} (us-west-2 at the us-east-1 rate: cloudburn.io lists other Regions as 10-25% higher, naming neither)`, observed: "2026-02" }, "us-east-1": { text: LOGS_EVIDENCE, observed: "2026-02" } },
  ),
  ...inRegions(
    { item: "logs-storage-gb-month", unit: "GB-month", usd: 0.03, source: CLOUDWATCH, basis: "third-party" },
    { "us-west-2": { text: `${LOGS_EVIDENCE} (us-west-2 at the us-east-1 rate)`, observed: "2026-02" }, "us-east-1": { text: LOGS_EVIDENCE, observed: "2026-02" } },
  ),
  ...inRegions(
    { item: "kms-key-month", unit: "key-month", usd: 1, source: KMS, basis: "aws-pricing-page", note: "Prorated hourly; nothing while the key is scheduled for deletion. Each automatic rotation adds $1/month." },
    { "us-west-2": undated(KMS_EVIDENCE), "us-east-1": undated(KMS_EVIDENCE) },
  ),
  ...inRegions(
    { item: "agentcore-vcpu-hour", unit: "vCPU-hour", usd: 0.0895, source: AGENTCORE, basis: "aws-published", note: "Per second of CPU actually consumed: I/O wait (waiting for the model) is not billed." },
    { "us-west-2": undated(AGENTCORE_EVIDENCE), "us-east-1": undated(AGENTCORE_EVIDENCE) },
  ),
  ...inRegions(
    { item: "agentcore-gb-hour", unit: "GB-hour", usd: 0.00945, source: AGENTCORE, basis: "aws-published", note: "Per second, at the session's peak memory so far (128 MB minimum), for the whole session." },
    { "us-west-2": undated(AGENTCORE_EVIDENCE), "us-east-1": undated(AGENTCORE_EVIDENCE) },
  ),
  ...inRegions(
    { item: "ecr-storage-gb-month", unit: "GB-month", usd: 0.1, source: ECR, basis: "third-party", note: "Pulls within the Region are free of ECR charges (not of NAT processing)." },
    { "us-west-2": { text: `${ECR_EVIDENCE} (us-west-2 at the same rate: finops.com.py/services/ecr, $0.10 per GB-month for private repositories)`, observed: "2026-03" }, "us-east-1": { text: ECR_EVIDENCE, observed: "2026-03" } },
  ),
];

/** The Regions the table prices. */
export function pricedRegions(prices: readonly PriceRow[] = PRICES): string[] {
  return [...new Set(prices.map((p) => p.region))].sort();
}
