export * from "./input.ts";
export * from "./problems.ts";
export * from "./resolve.ts";
export * from "./stage.ts";
export * from "./synthesize.ts";
