/**
 * A private network for an agent: a VPC with the egress AgentCore needs (NAT, or interface endpoints only), an S3
 * gateway endpoint and two security groups, or the security groups alone in an existing VPC (`Network`).
 *
 * @module agentcore-s3files-infra/network
 */
export * from "./network.ts";
export * from "./props.ts";
export * from "./validate.ts";
export { ConfigurationError, formatProblemLine, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
