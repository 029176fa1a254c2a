export * from "./shell-access-alert";
