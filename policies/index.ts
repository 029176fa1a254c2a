/**
 * The IAM policy documents (and the EventBridge pattern and CloudTrail selectors) the constructs attach, as pure
 * functions of ARNs (`agentcore-s3files-infra/policies`): no cdktn import, so a test or a tool can evaluate them
 * with concrete ARNs. Each statement's scope and conditions cite the service fact they rely on.
 *
 * @module agentcore-s3files-infra/policies
 */
export * from "./agent.ts";
export * from "./alert.ts";
export * from "./document.ts";
export * from "./network.ts";
export * from "./registry.ts";
export * from "./secrets.ts";
export * from "./storage.ts";
export * from "./wildcards.ts";
