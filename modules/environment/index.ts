/**
 * A whole environment, its four stacks wired together (`AgentEnvironment`); the description every stack carries for
 * the `agentcore-s3files` commands (`readEnvironmentDescriptions`); and environment files (`defineEnvironment`,
 * `synthesizeEnvironments`: stage defaults, checks across environments).
 *
 * @module agentcore-s3files-infra/environment
 */
export * from "./agent-environment.ts";
export * from "./description.ts";
export * from "./environment-stack.ts";
export * from "./layers.ts";
export * from "./props.ts";
export * from "./validate.ts";
export * from "./file/index.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
export type { ResourceNames } from "../../lib/names.ts";
