export * from "./props.ts";
export * from "./shell-access-alert.ts";
export * from "./validate.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext } from "../../lib/validation.ts";
