export * from "./props.ts";
export * from "./registry.ts";
export * from "./validate.ts";
