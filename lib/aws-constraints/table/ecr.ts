import { prose, pattern, length, oneOf, row } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// ECR
// ---------------------------------------------------------------------------------------------------

const ecr = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "ecr", shape, member, ...(element && { element }) });
const ECR_TAG_LIMITS = "Tag keys can have a maximum character length of 128 characters, and tag values can have a maximum length of 256 characters.";

export const ECR_ROWS: ConstraintRow[] = [
  row("aws_ecr_repository", "name", ecr("CreateRepositoryRequest", "repositoryName"), [
    pattern(String.raw`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, "lowercase path segments of letters and digits joined by . _ __ or -"),
    length(2, 256),
  ]),
  row("aws_ecr_repository", "image_tag_mutability", ecr("CreateRepositoryRequest", "imageTagMutability"), [oneOf(["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"])]),
  row("aws_ecr_repository", "image_tag_mutability_exclusion_filter.filter", ecr("ImageTagMutabilityExclusionFilter", "filter"), [pattern("^[0-9a-zA-Z._*-]{1,128}$", "1 to 128 letters, digits or ._*-"), length(1, 128)]),
  row("aws_ecr_repository", "image_tag_mutability_exclusion_filter.filter_type", ecr("ImageTagMutabilityExclusionFilter", "filterType"), [oneOf(["WILDCARD"])]),
  row("aws_ecr_repository", "encryption_configuration.encryption_type", ecr("EncryptionConfiguration", "encryptionType"), [oneOf(["AES256", "KMS", "KMS_DSSE"])]),
  row("aws_ecr_repository", "encryption_configuration.kms_key", ecr("EncryptionConfiguration", "kmsKey"), [length(1, 2048)]),
  row("aws_ecr_repository", "tags{keys}", ecr("CreateRepositoryRequest", "tags"), [length(undefined, 128, prose(ECR_TAG_LIMITS))]),
  row("aws_ecr_repository", "tags{values}", ecr("CreateRepositoryRequest", "tags"), [length(undefined, 256, prose(ECR_TAG_LIMITS))]),
  row("aws_ecr_lifecycle_policy", "repository", ecr("PutLifecyclePolicyRequest", "repositoryName"), [length(2, 256)]),
  row("aws_ecr_lifecycle_policy", "policy", ecr("PutLifecyclePolicyRequest", "lifecyclePolicyText"), [length(100, 30720)]),
];
