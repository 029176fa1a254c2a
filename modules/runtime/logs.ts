import { CloudwatchLogDelivery } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery/index.js";
import { CloudwatchLogDeliveryDestination } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-destination/index.js";
import { CloudwatchLogDeliverySource } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-source/index.js";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group/index.js";
import type { Construct } from "constructs";
import { ForgetResource } from "../../lib/forget-resource.ts";

/** The runtime's vended log types (AgentCore devguide, "AgentCore generated runtime observability data"). */
export const RUNTIME_VENDED_LOG_TYPES = ["APPLICATION_LOGS", "USAGE_LOGS"] as const;

/**
 * The runtime's logs, in log groups this construct names and owns, with the configured retention.
 *
 * AgentCore itself writes the container's output to /aws/bedrock-agentcore/runtimes/<runtime id>-<endpoint>
 * and creates those groups on its own: at the first invocation according to the CDK (aws-cdk-lib
 * aws-bedrockagentcore README, "Application log group": "created by the AgentCore service on the runtime's
 * first invocation, not by CDK"), at provisioning according to other reports. Managed here, either way is
 * wrong: created at provisioning, apply fails with ResourceAlreadyExistsException; created on first
 * invocation, an early invocation breaks the apply, and after destroy the live service recreates them
 * without retention. So this construct does not manage them, and earlier versions' managed copies are
 * forgotten, not deleted (a `removed` block with destroy = false: the logs in them stay).
 *
 * What it owns instead are the runtime's vended logs (APPLICATION_LOGS: invocations with trace ids and
 * payloads; USAGE_LOGS: per-session vCPU and memory), delivered through CloudWatch Logs delivery into
 * /aws/vendedlogs/bedrock-agentcore/<runtime name>/<type>, each with the configured retention. Delivery
 * is the documented way to route AgentCore logs to a chosen group (devguide, "Add observability to your
 * Amazon Bedrock AgentCore resources"; CloudWatch Logs API PutDeliverySource/PutDeliveryDestination/
 * CreateDelivery). CloudWatch Logs adds the log-group resource policy delivery.logs.amazonaws.com needs
 * when the delivery starts, if the deploying principal may logs:PutResourcePolicy,
 * logs:DescribeResourcePolicies and logs:DescribeLogGroups (CloudWatch Logs guide, "Logs sent to CloudWatch
 * Logs", V2 permissions); a policy created here as well would collide with it (a log group takes one).
 */
export function runtimeLogDelivery(
  scope: Construct,
  props: { readonly runtimeName: string; readonly runtimeArn: string; readonly endpointName: string; readonly logRetentionDays: number },
): string[] {
  // Earlier versions managed the service's groups as these resources; forget them without deleting them.
  for (const endpoint of ["default", props.endpointName.toLowerCase()]) new ForgetResource(scope, `log-group-${endpoint}`, "aws_cloudwatch_log_group");
  return RUNTIME_VENDED_LOG_TYPES.map((logType) => {
    const suffix = logType === "APPLICATION_LOGS" ? "application" : "usage";
    const group = new CloudwatchLogGroup(scope, `${suffix}-log-group`, {
      name: `/aws/vendedlogs/bedrock-agentcore/${props.runtimeName}/${suffix}-logs`,
      retentionInDays: props.logRetentionDays,
    });
    // Delivery source and destination names: [\w-]{1,60} (CloudWatch Logs API); runtime names are ≤ 48.
    const source = new CloudwatchLogDeliverySource(scope, `${suffix}-log-delivery-source`, {
      name: `${props.runtimeName}-${suffix}`,
      logType,
      resourceArn: props.runtimeArn,
    });
    const destination = new CloudwatchLogDeliveryDestination(scope, `${suffix}-log-delivery-destination`, {
      name: `${props.runtimeName}-${suffix}`,
      deliveryDestinationType: "CWL",
      deliveryDestinationConfiguration: [{ destinationResourceArn: group.arn }],
    });
    new CloudwatchLogDelivery(scope, `${suffix}-log-delivery`, {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
    });
    return group.name;
  });
}
