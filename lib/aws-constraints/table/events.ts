import { model, pattern, length, oneOf, count, row } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// EventBridge
// ---------------------------------------------------------------------------------------------------

const events = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "events", shape, member, ...(element && { element }) });
const RULE_NAME = [pattern(String.raw`[\.\-_A-Za-z0-9]+`, "letters, digits and ._- only"), length(1, 64)];

export const EVENTS_ROWS: ConstraintRow[] = [
  row("aws_cloudwatch_event_rule", "name", events("PutRuleRequest", "Name"), RULE_NAME),
  row("aws_cloudwatch_event_rule", "description", events("PutRuleRequest", "Description"), [length(undefined, 512)]),
  row("aws_cloudwatch_event_rule", "event_pattern", events("PutRuleRequest", "EventPattern"), [{ kind: "policy-size", max: 4096, source: model }]),
  row("aws_cloudwatch_event_rule", "state", events("PutRuleRequest", "State"), [oneOf(["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"])]),
  row("aws_cloudwatch_event_rule", "tags{keys}", events("Tag", "Key"), [length(1, 128)]),
  row("aws_cloudwatch_event_rule", "tags{values}", events("Tag", "Value"), [length(0, 256)]),
  row("aws_cloudwatch_event_target", "rule", events("PutTargetsRequest", "Rule"), RULE_NAME),
  row("aws_cloudwatch_event_target", "target_id", events("Target", "Id"), [pattern(String.raw`[\.\-_A-Za-z0-9]+`, "letters, digits and ._- only"), length(1, 64)]),
  row("aws_cloudwatch_event_target", "arn", events("Target", "Arn"), [length(1, 1600)]),
  row("aws_cloudwatch_event_target", "input_transformer.input_paths{keys}", events("InputTransformer", "InputPathsMap", "key"), [
    pattern(String.raw`[A-Za-z0-9\_\-]+`, "letters, digits, _ and - only"),
    length(1, 256),
  ]),
  row("aws_cloudwatch_event_target", "input_transformer.input_paths{values}", events("InputTransformer", "InputPathsMap", "value"), [length(undefined, 256)]),
  row("aws_cloudwatch_event_target", "input_transformer.input_paths{count}", events("InputTransformer", "InputPathsMap"), [count(undefined, 100)]),
  row("aws_cloudwatch_event_target", "input_transformer.input_template", events("InputTransformer", "InputTemplate"), [{ kind: "policy-size", max: 8192, source: model }]),
];
