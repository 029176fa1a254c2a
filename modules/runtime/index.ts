export * from "./props.ts";
export * from "./runtime.ts";
