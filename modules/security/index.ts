export * from "./props.ts";
export * from "./shell-access-alert.ts";
export * from "./validate.ts";
