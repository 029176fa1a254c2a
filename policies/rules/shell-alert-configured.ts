import { fail, notApplicable, pass, type Rule, type TerraformJson } from "./rule.ts";
import { reference, resources, runtime, type Entry } from "./terraform.ts";

/** The alert rule on this runtime's InvokeAgentRuntimeCommand calls, and the SNS topic it sends to. */
export function alertTopic(agent: TerraformJson): { rule?: Entry; topic?: Entry; problem?: string } {
  const rule = resources(agent, "aws_cloudwatch_event_rule").find(([, r]) => String(r.event_pattern).includes("InvokeAgentRuntimeCommand"));
  if (!rule) return { problem: "no EventBridge rule matches InvokeAgentRuntimeCommand" };
  const pattern = JSON.parse(String(rule[1].event_pattern)) as { detail?: { resources?: unknown } };
  if (!JSON.stringify(pattern.detail?.resources ?? "").includes("agent_runtime_arn")) return { rule, problem: "the alert rule is not limited to this runtime" };
  const ruleName = reference("aws_cloudwatch_event_rule", rule[0], "name");
  const target = resources(agent, "aws_cloudwatch_event_target").find(([, t]) => t.rule === ruleName);
  const topic = target && resources(agent, "aws_sns_topic").find(([id]) => target[1].arn === reference("aws_sns_topic", id, "arn"));
  if (!topic) return { rule, problem: "the alert rule has no SNS topic target" };
  return { rule, topic };
}

/** CloudTrail / EventBridge alert configured for InvokeAgentRuntimeCommand calls (checklist: Shell access). */
export const shellAlertConfigured: Rule = {
  id: "shell-alert-configured",
  level: "error",
  group: "Shell access",
  cause: "An EventBridge rule on InvokeAgentRuntimeCommand for this runtime sends to an encrypted SNS topic",
  why: "Every shell into a microVM is an exceptional, privileged event; without an alert nobody notices a misuse until the damage shows.",
  fix: "Keep the agent stack's shell-access alert (the EventBridge rule, its KMS-encrypted topic and the target between them).",
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const { topic, problem } = alertTopic(context.stacks.agent);
    if (!topic) return fail(problem!);
    if (!topic[1].kms_master_key_id) return fail("the alert topic is not encrypted");
    return pass(`the rule sends to the encrypted topic ${String(topic[1].name)}`);
  },
};

/**
 * Someone is told: the alert topic has a subscriber. The stage table makes recipients optional in
 * development and required in production, so this is an error only there.
 */
export const shellAlertRecipients: Rule = {
  id: "shell-alert-recipients",
  level: { production: "error", development: "warning" },
  group: "Shell access",
  cause: "The shell-access alert topic has at least one subscriber",
  why: "An alert nobody receives is no alert: a shell into a production microVM would go unnoticed.",
  fix: "Set agent.alerts.emails (required in production; each address must confirm the subscription AWS sends).",
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const { topic, problem } = alertTopic(context.stacks.agent);
    if (!topic) return notApplicable(`no alert topic to subscribe to (${problem}; see shell-alert-configured)`);
    const topicArn = reference("aws_sns_topic", topic[0], "arn");
    const subscriptions = resources(context.stacks.agent, "aws_sns_topic_subscription").filter(([, s]) => s.topic_arn === topicArn);
    if (subscriptions.length === 0) return fail("the alert topic has no subscriber: nobody would be told");
    return pass(`alerts ${subscriptions.map(([, s]) => String(s.endpoint)).join(", ")}`);
  },
};
