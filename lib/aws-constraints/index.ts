export * from "./check.ts";
export * from "./table/index.ts";
export * from "./types.ts";
