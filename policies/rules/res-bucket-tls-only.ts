import type { PolicyStatement } from "../document.ts";
import { fail, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

export const resBucketTlsOnly: Rule = {
  id: "res-bucket-tls-only",
  level: "error",
  group: "Resources",
  cause: "The S3 Files bucket's policy denies every request made without TLS",
  why: "Without the deny, a misconfigured client can send agent data in plain HTTP.",
  fix: "Keep the bucket policy's DenyInsecureTransport statement (aws:SecureTransport false → Deny s3:*).",
  check(context) {
    // The storage stack's bucket only: the alert trail's bucket policy (agent stack) does not count.
    const denies = resources(context.stacks.storage, "aws_s3_bucket_policy")
      .flatMap(([, p]) => (JSON.parse(String(p.policy)) as { Statement: PolicyStatement[] }).Statement)
      .filter((s) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":false') && [s.Action].flat().includes("s3:*"));
    return denies.length > 0 ? pass("the bucket policy denies non-TLS access") : fail("no bucket policy denies requests without TLS");
  },
};
