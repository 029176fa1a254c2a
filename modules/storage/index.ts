export * from "./props.ts";
export * from "./storage.ts";
