import { fail, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

export const resBucketVersioned: Rule = {
  id: "res-bucket-versioned",
  level: "error",
  group: "Resources",
  cause: "The S3 Files bucket has versioning enabled",
  why: "S3 Files requires it, and versions are what make a bad write or a sync conflict recoverable.",
  fix: "Keep the storage module's aws_s3_bucket_versioning with status Enabled.",
  check(context) {
    const versioning = resources(context.stacks.storage, "aws_s3_bucket_versioning");
    const enabled = versioning.filter(([, v]) => (v.versioning_configuration as { status?: string } | undefined)?.status === "Enabled");
    return enabled.length > 0 ? pass("versioning enabled") : fail(versioning.length === 0 ? "the bucket has no versioning configuration" : "versioning is not Enabled");
  },
};
