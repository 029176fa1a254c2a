export * from "./props.ts";
export * from "./runtime.ts";
export * from "./validate.ts";
export { RUNTIME_VENDED_LOG_TYPES } from "./logs.ts";
export { PRINCIPAL_KINDS } from "./validate-access.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext } from "../../lib/validation.ts";
