import { authInboundNotNone } from "./auth-inbound-not-none";
import { authJwtComplete } from "./auth-jwt-complete";
import { configImageByDigest } from "./config-image-by-digest";
import { configNoSecretEnv } from "./config-no-secret-env";
import { iamBedrockModelScoped } from "./iam-bedrock-model-scoped";
import { iamEcrRepositoryScoped } from "./iam-ecr-repository-scoped";
import { iamTrustScoped } from "./iam-trust-scoped";
import { iamWildcardResources } from "./iam-wildcard-resources";
import { obsLogRetention } from "./obs-log-retention";
import { obsTracingPermitted } from "./obs-tracing-permitted";
import { perfEndpointFollowsVersion } from "./perf-endpoint-follows-version";
import { perfLifecycleExplicit } from "./perf-lifecycle-explicit";
import { resBucketEncrypted } from "./res-bucket-encrypted";
import { resBucketPublicAccessBlocked } from "./res-bucket-public-access-blocked";
import { resBucketTlsOnly } from "./res-bucket-tls-only";
import { resBucketVersioned } from "./res-bucket-versioned";
import { resDataRetainedInProduction } from "./res-data-retained-in-production";
import { resMountTargetSg } from "./res-mount-target-sg";
import type { Rule } from "./rule";
import { shellAlertConfigured, shellAlertRecipients } from "./shell-alert-configured";
import { shellCloudtrailSelectsCommands } from "./shell-cloudtrail-selects-commands";
import { shellNamedOperatorsOnly } from "./shell-named-operators-only";
import { shellSeparatePolicy } from "./shell-separate-policy";

export * from "./rule";

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  iamBedrockModelScoped,
  iamEcrRepositoryScoped,
  iamTrustScoped,
  iamWildcardResources,
  authInboundNotNone,
  authJwtComplete,
  shellSeparatePolicy,
  shellNamedOperatorsOnly,
  shellAlertConfigured,
  shellAlertRecipients,
  shellCloudtrailSelectsCommands,
  configNoSecretEnv,
  configImageByDigest,
  obsLogRetention,
  obsTracingPermitted,
  perfLifecycleExplicit,
  perfEndpointFollowsVersion,
  resBucketVersioned,
  resBucketEncrypted,
  resBucketTlsOnly,
  resBucketPublicAccessBlocked,
  resMountTargetSg,
  resDataRetainedInProduction,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
