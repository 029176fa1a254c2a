export * from "./agent-environment.ts";
export * from "./description.ts";
export * from "./environment-stack.ts";
export * from "./layers.ts";
export * from "./props.ts";
export * from "./validate.ts";
export * from "./file/index.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext } from "../../lib/validation.ts";
