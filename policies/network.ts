/** Policies for the network stack: VPC flow log delivery. */
import { policyDocument, serviceTrustPolicy, type PolicyDocument } from "./document.ts";
import type { AccountScope } from "./storage.ts";

export function flowLogsTrustPolicy(scope: AccountScope): PolicyDocument {
  return serviceTrustPolicy({
    service: "vpc-flow-logs.amazonaws.com",
    accountId: scope.accountId,
    sourceArnPattern: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:vpc-flow-log/*`,
  });
}

export function flowLogsDeliveryPermissions(props: { readonly logGroupArn: string }): PolicyDocument {
  return policyDocument({
    Sid: "DeliverToTheFlowLogGroupOnly",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
    Resource: [props.logGroupArn, `${props.logGroupArn}:*`],
  });
}
