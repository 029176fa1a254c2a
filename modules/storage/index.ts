export * from "./props.ts";
export * from "./storage.ts";
export * from "./validate.ts";
