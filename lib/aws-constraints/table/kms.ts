import { IAM_POLICY_SAYS } from "./iam.ts";
import { prose, page, pattern, length, range, row } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// KMS
// ---------------------------------------------------------------------------------------------------

const kms = (shape: string, member: string): ApiMember => ({ service: "kms", shape, member });
const KMS_QUOTAS = "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html";

export const KMS_ROWS: ConstraintRow[] = [
  row("aws_kms_key", "description", kms("CreateKeyRequest", "Description"), [length(0, 8192)]),
  row("aws_kms_key", "policy", kms("CreateKeyRequest", "Policy"), [
    pattern(String.raw`[\u0009\u000A\u000D\u0020-\u00FF]+`, IAM_POLICY_SAYS),
    length(1, 131072),
    { kind: "policy-size", max: 32768, source: page(KMS_QUOTAS, "Key policy document size: 32 KB (32,768 bytes)") },
  ]),
  row("aws_kms_key", "deletion_window_in_days", kms("ScheduleKeyDeletionRequest", "PendingWindowInDays"), [
    range(1, 365),
    range(7, 30, prose("If you include a value, it must be between 7 and 30, inclusive.")),
  ]),
  row("aws_kms_alias", "name", kms("CreateAliasRequest", "AliasName"), [
    pattern("^[a-zA-Z0-9:/_-]+$", "letters, digits and :/_- only"),
    length(1, 256),
    { kind: "prefix", text: "alias/", source: prose("This value must begin with alias/ followed by a name") },
    { kind: "prefix", text: "alias/aws/", forbidden: true, source: prose("The alias name cannot begin with alias/aws/.") },
  ]),
  row("aws_kms_key", "tags{keys}", kms("Tag", "TagKey"), [length(1, 128)]),
  row("aws_kms_key", "tags{values}", kms("Tag", "TagValue"), [length(0, 256)]),
];
