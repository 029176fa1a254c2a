import { fail, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

const SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const resBucketPublicAccessBlocked: Rule = {
  id: "res-bucket-public-access-blocked",
  level: "error",
  group: "Resources",
  cause: "All four S3 public access block settings are on for the bucket",
  why: "One permissive ACL or policy would otherwise publish everything agents write.",
  fix: "Keep the storage module's public access block with all four settings true.",
  check(context) {
    const blocks = resources(context.stacks.storage, "aws_s3_bucket_public_access_block");
    if (blocks.length === 0) return fail("the bucket has no public access block");
    const off = SETTINGS.filter((s) => blocks.some(([, b]) => b[s] !== true));
    return off.length > 0 ? fail(`off: ${off.join(", ")}`) : pass("public access blocked");
  },
};
