import { prose, pattern, length, count, row } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------------

const cloudtrail = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "cloudtrail", shape, member, ...(element && { element }) });
const OPERATOR_VALUE = [pattern(".+", "not empty"), length(1, 2048)];

export const CLOUDTRAIL_ROWS: ConstraintRow[] = [
  row("aws_cloudtrail", "name", cloudtrail("PutEventSelectorsRequest", "TrailName"), [
    pattern(
      String.raw`[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*`,
      "ASCII letters, digits and ._- only, starting and ending with a letter or digit, no adjacent ._-",
      prose("Contain only ASCII letters (a-z, A-Z), numbers (0-9), periods (.), underscores (_), or dashes (-) Start with a letter or number, and end with a letter or number"),
    ),
    length(3, 128, prose("Be between 3 and 128 characters")),
    pattern(String.raw`(?!\d+\.\d+\.\d+\.\d+$).*`, "not in IP address format", prose("Not be in IP address format (for example, 192.168.5.4)")),
  ]),
  row("aws_cloudtrail", "advanced_event_selector.name", cloudtrail("AdvancedEventSelector", "Name"), [length(0, 1000)]),
  row("aws_cloudtrail", "advanced_event_selector.field_selector.field", cloudtrail("AdvancedFieldSelector", "Field"), [pattern(String.raw`[\w|\d|\.|_]+`, "a field name"), length(1, 1000)]),
  ...["equals", "not_equals", "starts_with", "not_starts_with", "ends_with", "not_ends_with"].flatMap((operator) => {
    const member = operator.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
    return [
      row("aws_cloudtrail", `advanced_event_selector.field_selector.${operator}[]`, cloudtrail("AdvancedFieldSelector", member, "member"), OPERATOR_VALUE),
      row("aws_cloudtrail", `advanced_event_selector.field_selector.${operator}{count}`, cloudtrail("AdvancedFieldSelector", member), [count(1, undefined)]),
    ];
  }),
  row("aws_cloudtrail", "tags{keys}", cloudtrail("Tag", "Key"), [length(1, 128)]),
  row("aws_cloudtrail", "tags{values}", cloudtrail("Tag", "Value"), [length(1, 256)]),
  row("aws_cloudtrail", "tags{count}", cloudtrail("CreateTrailRequest", "TagsList"), [count(undefined, 200)]),
];
