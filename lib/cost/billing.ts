/**
 * How AWS bills each kind of resource this project creates. One place, used by the estimate (lib/cost) and
 * by teardown, which destroys what is billed by the hour or by use in the network stack as soon as the agent is
 * gone (scripts/lib/teardown/hourly.ts).
 *
 * - "hourly": charged for every hour it exists, whether anything uses it or not: a NAT gateway (VPC pricing),
 *   a public IPv4 address (VPC pricing, since 2024-02-01), an interface endpoint in each AZ (PrivateLink
 *   pricing), a KMS key (KMS pricing: $1/month prorated hourly).
 * - "usage": charged for what it does while it exists: VPC flow-log delivery (per GB of vended logs), a
 *   runtime (per session), a trail's data events.
 * - "stored": charged for what it keeps: a bucket, an S3 Files file system, a log group, a repository.
 * - "free": no charge of its own: the VPC, subnets, route tables and routes, security groups and their rules,
 *   an internet gateway, a gateway endpoint (VPC and PrivateLink pricing: gateway endpoints for S3 carry no
 *   charge), S3 Files mount targets and access points (S3 Files meters only storage and operations: S3 User
 *   Guide, "How S3 Files is metered"), IAM, policies, EventBridge rules on AWS service events.
 */
export type Billing = "hourly" | "usage" | "stored" | "free" | "unknown";

const BY_TYPE: Readonly<Record<string, Billing>> = {
  aws_nat_gateway: "hourly",
  aws_eip: "hourly",
  aws_kms_key: "hourly",
  aws_flow_log: "usage",
  aws_bedrockagentcore_agent_runtime: "usage",
  aws_cloudtrail: "usage",
  aws_sns_topic: "usage",
  aws_s3_bucket: "stored",
  aws_s3files_file_system: "stored",
  aws_cloudwatch_log_group: "stored",
  aws_ecr_repository: "stored",
};

/**
 * No charge of their own. A log delivery is priced as the logs it puts into its log group; an access point,
 * a mount target and a file system policy as part of the file system; an EventBridge rule on AWS service
 * events and its target carry no charge (EventBridge pricing); nor do IAM and the S3 bucket's settings.
 */
const FREE: ReadonlySet<string> = new Set([
  "aws_bedrockagentcore_agent_runtime_endpoint",
  "aws_bedrockagentcore_resource_policy",
  "aws_cloudwatch_event_rule",
  "aws_cloudwatch_event_target",
  "aws_cloudwatch_log_delivery",
  "aws_cloudwatch_log_delivery_destination",
  "aws_cloudwatch_log_delivery_source",
  "aws_default_security_group",
  "aws_ecr_lifecycle_policy",
  "aws_iam_group_policy_attachment",
  "aws_iam_policy",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_internet_gateway",
  "aws_kms_alias",
  "aws_route",
  "aws_route_table",
  "aws_route_table_association",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
  "aws_s3files_access_point",
  "aws_s3files_file_system_policy",
  "aws_s3files_mount_target",
  "aws_security_group",
  "aws_sns_topic_policy",
  "aws_sns_topic_subscription",
  "aws_subnet",
  "aws_vpc",
  "aws_vpc_security_group_egress_rule",
  "aws_vpc_security_group_ingress_rule",
]);

/**
 * How a resource of `type`, with this configuration (synthesized or from state), is billed; "unknown" for a
 * type this table does not list (the estimate then says it did not price it, rather than calling it free).
 */
export function billingOf(type: string, attributes: Readonly<Record<string, unknown>>): Billing {
  // An interface endpoint is billed per AZ-hour; a gateway endpoint (this project's S3 endpoint) is free.
  if (type === "aws_vpc_endpoint") return attributes.vpc_endpoint_type === "Interface" ? "hourly" : "free";
  return BY_TYPE[type] ?? (FREE.has(type) ? "free" : "unknown");
}

/** What a person calls it, for reports. */
export function describeBillable(type: string, attributes: Readonly<Record<string, unknown>>): string {
  switch (type) {
    case "aws_nat_gateway":
      return "NAT gateway";
    case "aws_eip":
      return "Elastic IP (public IPv4 address)";
    case "aws_vpc_endpoint":
      return attributes.vpc_endpoint_type === "Interface" ? `interface endpoint ${String(attributes.service_name ?? "")}`.trim() : "gateway endpoint";
    case "aws_flow_log":
      return "VPC flow-log delivery";
    case "aws_kms_key":
      return "KMS key";
    case "aws_cloudwatch_log_group":
      return `log group ${String(attributes.name ?? "")}`.trim();
    case "aws_s3_bucket":
      return `bucket ${String(attributes.bucket ?? "")}`.trim();
    case "aws_s3files_file_system":
      return "S3 Files file system";
    case "aws_ecr_repository":
      return `repository ${String(attributes.name ?? "")}`.trim();
    default:
      return type.replace(/^aws_/, "").replace(/_/g, " ");
  }
}
