/** Policies of the registry: pulling the agent image. Facts: shared/REFERENCE.md "AgentCore Runtime". */
import type { PolicyStatement } from "./document.ts";

/**
 * Pull images from one repository: the layer and manifest reads on its ARN, and a registry token, which ECR
 * issues for the whole registry (ecr:GetAuthorizationToken has no resource-level permissions; Service
 * Authorization Reference, Amazon ECR).
 */
export function ecrPullStatements(props: { readonly repositoryArn: string }): PolicyStatement[] {
  return [
    {
      // ECR issues registry tokens for the whole registry: the action has no resource-level permissions.
      Sid: "GetRegistryToken",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      Resource: "*",
    },
    {
      Sid: "PullTheAgentImageOnly",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: props.repositoryArn,
    },
  ];
}
