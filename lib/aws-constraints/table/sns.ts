import { prose, page, pattern, length, oneOf, row } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// SNS
// ---------------------------------------------------------------------------------------------------

const sns = (shape: string, member: string): ApiMember => ({ service: "sns", shape, member });
const SNS_SUBSCRIBE = "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html";

export const SNS_ROWS: ConstraintRow[] = [
  row("aws_sns_topic", "name", sns("CreateTopicInput", "Name"), [
    pattern(
      "[A-Za-z0-9_-]+(\\.fifo)?",
      "ASCII letters, digits, _ and - only (a FIFO topic ends in .fifo)",
      prose("Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."),
    ),
    length(1, 256, prose("must be between 1 and 256 characters long")),
  ]),
  row("aws_sns_topic_subscription", "protocol", sns("SubscribeInput", "Protocol"), [
    oneOf(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"], page(SNS_SUBSCRIBE, "email-json – delivery of JSON-encoded message via SMTP")),
  ]),
  row("aws_sns_topic", "tags{keys}", sns("Tag", "Key"), [length(1, 128)]),
  row("aws_sns_topic", "tags{values}", sns("Tag", "Value"), [length(0, 256)]),
];
