import { prose, page, pattern, length, oneOf, range, row, rows } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------------

const S3_BUCKET_NAMING = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";
const s3Member = (shape: string, member: string): ApiMember => ({ service: "s3", shape, member });
const S3_BUCKETS = ["aws_s3_bucket"];

export const S3_ROWS: ConstraintRow[] = [
  ...rows(S3_BUCKETS, "bucket", s3Member("CreateBucketRequest", "Bucket"), [
    length(3, 63, page(S3_BUCKET_NAMING, "Bucket names must be between 3 (min) and 63 (max) characters long.")),
    pattern(
      String.raw`[a-z0-9][a-z0-9.-]*[a-z0-9]`,
      "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit",
      page(S3_BUCKET_NAMING, "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-). Bucket names must begin and end with a letter or number."),
    ),
    pattern(String.raw`(?!.*\.\.).*`, "no two adjacent periods", page(S3_BUCKET_NAMING, "Bucket names must not contain two adjacent periods.")),
    pattern(String.raw`(?!\d+\.\d+\.\d+\.\d+$).*`, "not formatted as an IP address", page(S3_BUCKET_NAMING, "Bucket names must not be formatted as an IP address (for example, 192.168.5.4).")),
    pattern(String.raw`(?!xn--|sthree-|amzn-s3-demo-).*`, "no reserved prefix (xn--, sthree-, amzn-s3-demo-)", page(S3_BUCKET_NAMING, "Bucket names must not start with the prefix xn--.")),
    pattern(
      String.raw`(?!.*(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$).*`,
      "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)",
      page(S3_BUCKET_NAMING, "Bucket names must not end with the suffix -s3alias."),
    ),
  ]),
  row("aws_s3_bucket_policy", "policy", s3Member("PutBucketPolicyRequest", "Policy"), [
    { kind: "policy-size", max: 20480, source: page("https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html", "Bucket policies are limited to 20 KB in size.") },
  ]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.id", s3Member("LifecycleRule", "ID"), [length(undefined, 255, prose("The value cannot be longer than 255 characters."))]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.status", s3Member("LifecycleRule", "Status"), [oneOf(["Enabled", "Disabled"])]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.noncurrent_version_expiration.noncurrent_days", s3Member("NoncurrentVersionExpiration", "NoncurrentDays"), [
    range(1, undefined, prose("The value must be a non-zero positive integer.")),
  ]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.expiration.days", s3Member("LifecycleExpiration", "Days"), [range(1, undefined, prose("The value must be a non-zero positive integer."))]),
  row("aws_s3_bucket_versioning", "versioning_configuration.status", s3Member("VersioningConfiguration", "Status"), [oneOf(["Enabled", "Suspended"])]),
  row("aws_s3_bucket_server_side_encryption_configuration", "rule.apply_server_side_encryption_by_default.sse_algorithm", s3Member("ServerSideEncryptionByDefault", "SSEAlgorithm"), [
    oneOf(["AES256", "aws:fsx", "aws:backup", "aws:kms", "aws:kms:dsse"]),
  ]),
  row("aws_s3_bucket_ownership_controls", "rule.object_ownership", s3Member("OwnershipControlsRule", "ObjectOwnership"), [oneOf(["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"])]),
  row("aws_s3_bucket", "tags{keys}", s3Member("Tag", "Key"), [length(1, undefined)]),
];
