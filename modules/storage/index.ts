/**
 * S3 Files storage: a versioned, encrypted, TLS-only bucket exposed as an NFS file system, a mount target per
 * private subnet and an access point that pins the POSIX user (`S3FilesStorage`); roles mount it through the access
 * point only (`grantClientAccess`).
 *
 * @module agentcore-s3files-infra/storage
 */
export * from "./props.ts";
export * from "./storage.ts";
export * from "./validate.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
