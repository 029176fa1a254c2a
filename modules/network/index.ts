export * from "./network.ts";
export * from "./props.ts";
export * from "./validate.ts";
