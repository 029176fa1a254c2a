import { authInboundNotNone } from "./auth-inbound-not-none.ts";
import { authJwtComplete } from "./auth-jwt-complete.ts";
import { configImageByDigest } from "./config-image-by-digest.ts";
import { configNoSecretEnv } from "./config-no-secret-env.ts";
import { iamBedrockModelScoped } from "./iam-bedrock-model-scoped.ts";
import { iamEcrRepositoryScoped } from "./iam-ecr-repository-scoped.ts";
import { iamTrustScoped } from "./iam-trust-scoped.ts";
import { iamWildcardResources } from "./iam-wildcard-resources.ts";
import { obsLogRetention } from "./obs-log-retention.ts";
import { obsTracingPermitted } from "./obs-tracing-permitted.ts";
import { perfEndpointFollowsVersion } from "./perf-endpoint-follows-version.ts";
import { perfLifecycleExplicit } from "./perf-lifecycle-explicit.ts";
import { resBucketEncrypted } from "./res-bucket-encrypted.ts";
import { resBucketPublicAccessBlocked } from "./res-bucket-public-access-blocked.ts";
import { resBucketTlsOnly } from "./res-bucket-tls-only.ts";
import { resBucketVersioned } from "./res-bucket-versioned.ts";
import { resDataRetainedInProduction } from "./res-data-retained-in-production.ts";
import { resMountTargetSg } from "./res-mount-target-sg.ts";
import type { Rule } from "./rule.ts";
import { shellAlertConfigured, shellAlertRecipients } from "./shell-alert-configured.ts";
import { shellCloudtrailSelectsCommands } from "./shell-cloudtrail-selects-commands.ts";
import { shellIamAuthorizesCommands } from "./shell-iam-authorizes-commands.ts";
import { shellNamedOperatorsOnly } from "./shell-named-operators-only.ts";
import { shellSeparatePolicy } from "./shell-separate-policy.ts";

export * from "./rule.ts";

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
  shellIamAuthorizesCommands,
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

/** Every rule's id (what an audit suppression names). */
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
