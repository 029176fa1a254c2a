export * from "./network.ts";
export * from "./props.ts";
