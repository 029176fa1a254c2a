export * from "./shell-access-alert.ts";
