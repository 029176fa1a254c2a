/**
 * Stack names and layers now live with AgentEnvironment (modules/environment). This module re-exports them for
 * the scripts, which read environments/index.ts until they read the environments' descriptions instead.
 */
export { EnvironmentStack, LAYERS, stackName, type Layer } from "../modules/environment/environment-stack.ts";
