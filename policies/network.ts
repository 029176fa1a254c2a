/** Policies for the network stack: VPC flow log delivery. */
import { policyDocument, serviceTrustPolicy, type PolicyDocument } from "./document.ts";
import type { AccountScope } from "./storage.ts";

/** VPC Flow Logs may assume the role only for this account's flow logs (the confused-deputy conditions). */
export function flowLogsTrustPolicy(scope: AccountScope): PolicyDocument {
  return serviceTrustPolicy({
    service: "vpc-flow-logs.amazonaws.com",
    accountId: scope.accountId,
    sourceArnPattern: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:vpc-flow-log/*`,
  });
}

/** What flow logs need to deliver into their log group, and nothing else. */
export function flowLogsDeliveryPermissions(props: { readonly logGroupArn: string }): PolicyDocument {
  return policyDocument({
    Sid: "DeliverToTheFlowLogGroupOnly",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
    Resource: [props.logGroupArn, `${props.logGroupArn}:*`],
  });
}
