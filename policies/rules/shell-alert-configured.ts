import { fail, notApplicable, pass, type Rule } from "./rule";
import { reference, resources, runtime } from "./terraform";

/** CloudTrail / EventBridge alert configured for InvokeAgentRuntimeCommand calls (checklist: Shell access). */
export const shellAlertConfigured: Rule = {
  id: "shell-alert-configured",
  level: "error",
  group: "Shell access",
  cause: "An EventBridge rule on InvokeAgentRuntimeCommand for this runtime sends to an encrypted SNS topic with at least one subscriber",
  why: "Every shell into a microVM is an exceptional, privileged event; without an alert nobody notices a misuse until the damage shows.",
  fix: "Set agent.alerts.emails (required in production); the agent stack builds the rule, the encrypted topic and the subscriptions.",
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const agent = context.stacks.agent;
    const rule = resources(agent, "aws_cloudwatch_event_rule").find(([, r]) => String(r.event_pattern).includes("InvokeAgentRuntimeCommand"));
    if (!rule) return fail("no EventBridge rule matches InvokeAgentRuntimeCommand");
    const pattern = JSON.parse(String(rule[1].event_pattern)) as { detail?: { resources?: unknown } };
    if (!JSON.stringify(pattern.detail?.resources ?? "").includes("agent_runtime_arn")) return fail("the alert rule is not limited to this runtime");
    const ruleName = reference("aws_cloudwatch_event_rule", rule[0], "name");
    const target = resources(agent, "aws_cloudwatch_event_target").find(([, t]) => t.rule === ruleName);
    const topic = target && resources(agent, "aws_sns_topic").find(([id]) => target[1].arn === reference("aws_sns_topic", id, "arn"));
    if (!topic) return fail("the alert rule has no SNS topic target");
    if (!topic[1].kms_master_key_id) return fail("the alert topic is not encrypted");
    const topicArn = reference("aws_sns_topic", topic[0], "arn");
    const subscriptions = resources(agent, "aws_sns_topic_subscription").filter(([, s]) => s.topic_arn === topicArn);
    if (subscriptions.length === 0) return fail("the alert topic has no subscriber: nobody would be told");
    return pass(`alerts ${subscriptions.map(([, s]) => String(s.endpoint)).join(", ")}`);
  },
};
