import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { allResources, resources, runtime } from "./terraform.ts";

/** Log groups AgentCore creates and owns for a runtime's container output. */
const SERVICE_LOG_GROUP_PREFIX = "/aws/bedrock-agentcore/runtimes/";

/** CloudWatch log retention policy set (checklist: Observability). */
export const obsLogRetention: Rule = {
  id: "obs-log-retention",
  level: "warning",
  group: "Observability",
  cause: "Every log group the environment creates has a retention period, and the runtime's logs are delivered into one of them; AgentCore's own log groups are left to AgentCore",
  why: "Log groups without retention keep everything forever. AgentCore creates /aws/bedrock-agentcore/runtimes/<id>-<endpoint> itself: managing it in Terraform fails the apply or leaves it recreated without retention after destroy.",
  fix: "Set agent.logRetentionDays (and network.flowLogs.retentionDays); keep the runtime's log delivery (modules/runtime); set retention on AgentCore's own groups after the first invocation (agentcore-s3files verify reports it).",
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const groups = allResources(context, "aws_cloudwatch_log_group");
    const serviceOwned = groups.filter(([, g]) => String(g.name).startsWith(SERVICE_LOG_GROUP_PREFIX));
    if (serviceOwned.length > 0) {
      return fail(`manages AgentCore's own log groups ${serviceOwned.map(([, g]) => String(g.name)).join(", ")}: AgentCore creates them itself, so apply or destroy goes wrong`);
    }
    const unbounded = groups.filter(([, g]) => !(typeof g.retention_in_days === "number" && g.retention_in_days > 0));
    if (unbounded.length > 0) return fail(`no retention on ${unbounded.map(([, g]) => String(g.name)).join(", ")}`);
    const agent = context.stacks.agent;
    const sources = resources(agent, "aws_cloudwatch_log_delivery_source").filter(([, s]) => s.log_type === "APPLICATION_LOGS" && String(s.resource_arn).includes("agent_runtime_arn"));
    const delivered = sources.some(([sourceId]) =>
      resources(agent, "aws_cloudwatch_log_delivery").some(([, d]) => {
        if (!String(d.delivery_source_name).includes(`.${sourceId}.`)) return false;
        const destination = resources(agent, "aws_cloudwatch_log_delivery_destination").find(([id]) => String(d.delivery_destination_arn).includes(`.${id}.`))?.[1];
        const target = (destination?.delivery_destination_configuration as { destination_resource_arn?: string }[] | undefined)?.[0]?.destination_resource_arn;
        return destination?.delivery_destination_type === "CWL" && groups.some(([groupId]) => String(target).includes(`aws_cloudwatch_log_group.${groupId}.`));
      }),
    );
    if (!delivered) return fail("the runtime's application logs are not delivered to a log group of this environment, so nothing of them has a retention period");
    return pass(`${groups.length} log groups, retention ${[...new Set(groups.map(([, g]) => g.retention_in_days))].join("/")} days; the runtime's application logs are delivered into one of them`);
  },
};
