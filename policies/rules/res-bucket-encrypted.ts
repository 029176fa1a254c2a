import { fail, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

export const resBucketEncrypted: Rule = {
  id: "res-bucket-encrypted",
  level: "error",
  group: "Resources",
  cause: "The bucket has default encryption (SSE-S3 or SSE-KMS)",
  why: "Agent files and results are often sensitive; S3 Files supports SSE-S3 and SSE-KMS and nothing should be stored in the clear.",
  fix: "Keep the storage module's server-side encryption configuration; set storage.kmsKeyArn for a customer managed key.",
  check(context) {
    const rules = resources(context.stacks.storage, "aws_s3_bucket_server_side_encryption_configuration").flatMap(([, c]) => (c.rule as { apply_server_side_encryption_by_default?: { sse_algorithm?: string } }[]) ?? []);
    const algorithm = rules.map((r) => r.apply_server_side_encryption_by_default?.sse_algorithm).find((a) => a === "AES256" || a === "aws:kms" || a === "aws:kms:dsse");
    return algorithm ? pass(`default encryption ${algorithm}`) : fail("the bucket has no default encryption");
  },
};
