import { page, pattern, length, oneOf, count, row, rows } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// CloudWatch Logs
// ---------------------------------------------------------------------------------------------------

const logs = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "logs", shape, member, ...(element && { element }) });
const LOG_GROUPS = ["aws_cloudwatch_log_group"];
const LOGS_TAGGED = ["aws_cloudwatch_log_group", "aws_cloudwatch_log_delivery_source", "aws_cloudwatch_log_delivery_destination", "aws_cloudwatch_log_delivery"];
const LOGS_TAG_CHARACTERS = String.raw`^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$`;

export const LOGS_ROWS: ConstraintRow[] = [
  ...rows(LOG_GROUPS, "name", logs("CreateLogGroupRequest", "logGroupName"), [pattern(String.raw`[\.\-_/#A-Za-z0-9]+`, "letters, digits and ._-/# only"), length(1, 512)]),
  ...rows(LOG_GROUPS, "retention_in_days", logs("PutRetentionPolicyRequest", "retentionInDays"), [
    oneOf(
      ["1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653"],
      page(
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
        "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653.",
      ),
    ),
  ]),
  ...rows(LOGS_TAGGED, "tags{keys}", logs("CreateLogGroupRequest", "tags", "key"), [pattern(LOGS_TAG_CHARACTERS, "letters, digits, spaces and _.:/=+-@ only"), length(1, 128)]),
  ...rows(LOGS_TAGGED, "tags{values}", logs("CreateLogGroupRequest", "tags", "value"), [
    pattern(String.raw`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, "letters, digits, spaces and _.:/=+-@ only"),
    length(undefined, 256),
  ]),
  ...rows(LOGS_TAGGED, "tags{count}", logs("CreateLogGroupRequest", "tags"), [count(1, 50)]),
  row("aws_cloudwatch_log_delivery_source", "name", logs("PutDeliverySourceRequest", "name"), [pattern(String.raw`[\w-]*`, "letters, digits, _ and - only"), length(1, 60)]),
  row("aws_cloudwatch_log_delivery_source", "log_type", logs("PutDeliverySourceRequest", "logType"), [pattern(String.raw`[\w]*`, "letters, digits and _ only"), length(1, 255)]),
  row("aws_cloudwatch_log_delivery_destination", "name", logs("PutDeliveryDestinationRequest", "name"), [pattern(String.raw`[\w-]*`, "letters, digits, _ and - only"), length(1, 60)]),
  row("aws_cloudwatch_log_delivery_destination", "delivery_destination_type", logs("PutDeliveryDestinationRequest", "deliveryDestinationType"), [oneOf(["S3", "CWL", "FH", "XRAY"])]),
  row("aws_cloudwatch_log_delivery_destination", "output_format", logs("PutDeliveryDestinationRequest", "outputFormat"), [oneOf(["json", "plain", "w3c", "raw", "parquet"])]),
  row("aws_cloudwatch_log_delivery", "delivery_source_name", logs("CreateDeliveryRequest", "deliverySourceName"), [pattern(String.raw`[\w-]*`, "letters, digits, _ and - only"), length(1, 60)]),
];
