/**
 * The ECR repository of the agent image: immutable tags, scan on push, encryption and a lifecycle policy
 * (`AgentRegistry`).
 *
 * @module agentcore-s3files-infra/registry
 */
export * from "./props.ts";
export * from "./registry.ts";
export * from "./validate.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
