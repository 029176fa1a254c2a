/**
 * An Amazon Bedrock AgentCore runtime in VPC mode with session storage and the S3 Files access point mounted, an
 * execution role scoped to the listed models, the repository, the access point and the bucket prefix, an endpoint,
 * vended logs, and invoker and operator policies (`AgentRuntime`: `grantInvoke`, `grantOperate`,
 * `addToExecutionRolePolicy`).
 *
 * @module agentcore-s3files-infra/runtime
 */
export * from "./props.ts";
export * from "./runtime.ts";
export * from "./validate.ts";
export { RUNTIME_VENDED_LOG_TYPES } from "./logs.ts";
export { PRINCIPAL_KINDS } from "./validate-access.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
