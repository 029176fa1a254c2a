/**
 * What an environment file may say, and how it becomes an environment. An environment file adds two things to
 * AgentEnvironment's props: defaults by stage, and checks across environments (unique names, CIDR ranges that do
 * not overlap, CloudTrail's trail quota). Everything else — each value's validation and default — belongs to the
 * constructs (modules/), which resolveEnvironments runs over every environment before any stack exists, so every
 * problem of every environment is reported at once as `environment "<name>": <field> = <value>: <problem>. Fix: …`.
 *
 * The implementation lives in modules/environment/file/; this module is the name environment files import.
 */
export { defineEnvironment, environmentInputSchema, type EnvironmentData, type EnvironmentInput } from "../modules/environment/file/input.ts";
export { EnvironmentConfigError, formatProblem, type ConfigProblem } from "../modules/environment/file/problems.ts";
export { resolveEnvironmentFile, resolveEnvironments } from "../modules/environment/file/resolve.ts";
export { propsFromFile, STAGE_DEFAULTS } from "../modules/environment/file/stage.ts";
export {
  ENVIRONMENT_TAG_KEY,
  type AgentSettings,
  type AuditSuppression,
  type Environment,
  type Stage,
  type StateBackend,
} from "../modules/environment/props.ts";
export type { CreatedNetwork, EgressMode, ImportedNetwork } from "../modules/network/props.ts";
export type { StorageSettings } from "../modules/storage/props.ts";
export type { ResolvedRuntimeAuth as AgentAuth, RuntimeModel as ModelAccess, RuntimeMount as AdditionalMount, Workload } from "../modules/runtime/props.ts";
export { PROJECT_ENVIRONMENT_VARIABLES, WORKLOAD_LIFECYCLE } from "../modules/runtime/validate.ts";
export { LOG_RETENTION_DAYS } from "../lib/construct-checks.ts";
export { fieldPath } from "../lib/validation.ts";
