/**
 * S3 general purpose bucket naming rules (S3 User Guide, "General purpose bucket naming rules",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3 to 63 characters; lowercase
 * letters, numbers, periods and hyphens; begins and ends with a letter or number; no two adjacent periods; not
 * an IP address; reserved prefixes xn--, sthree-, amzn-s3-demo-; reserved suffixes -s3alias, --ol-s3, .mrap,
 * --x-s3 and --table-s3.
 */
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** What is wrong with a bucket name, or undefined when S3 accepts it. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; bucket names are 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "may hold only lowercase letters, numbers, periods and hyphens";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "must begin and end with a letter or number";
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `must not start with "${prefix}" (reserved by S3)`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `must not end with "${suffix}" (reserved by S3)`;
  return undefined;
}
