/**
 * The shell-access alert: every InvokeAgentRuntimeCommand on the runtime reaches an EventBridge rule (through a
 * CloudTrail trail selecting those data events) and an encrypted SNS topic that emails its recipients
 * (`ShellAccessAlert`).
 *
 * @module agentcore-s3files-infra/security
 */
export * from "./props.ts";
export * from "./shell-access-alert.ts";
export * from "./validate.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
