export * from "./grants.ts";
export * from "./logs.ts";
export * from "./props.ts";
export * from "./runtime.ts";
export * from "./validate.ts";
export { checkPrincipals, PRINCIPAL_KINDS, resolveAuth, resolveModels } from "./validate-access.ts";
