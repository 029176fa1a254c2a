/**
 * The four stacks of an environment are built by AgentEnvironment (modules/environment). This module re-exports
 * what the scripts still import from here, until they read the environments' descriptions instead.
 */
export { IMAGE_DIGEST_VARIABLE } from "../modules/runtime/runtime.ts";
