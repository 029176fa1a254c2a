export * from "./check.ts";
export * from "./table.ts";
export * from "./types.ts";
