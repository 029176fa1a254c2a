/** What a ShellAccessAlert accepts: email addresses, and a trail ARN of the runtime's own partition. */
import { Token } from "cdktn";
import { arnParts } from "../../lib/arns.ts";
import { checkNamePrefix } from "../../lib/construct-checks.ts";
import { shapeProblems } from "../../lib/shape.ts";
import { alertShape } from "../../lib/handle-shapes.ts";
import { ProblemCollector, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
import type { AlertSettings, ShellAccessAlertProps } from "./props.ts";

/** The defaults a ShellAccessAlert applies where its props say nothing. */
export const ALERT_DEFAULTS = {
  /** A trail of the alert's own, logging only this runtime's command data events. */
  cloudTrail: "create",
  /** Days the created trail's bucket keeps its logs. */
  trailLogRetentionDays: 30,
} as const;

const TRAIL_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):cloudtrail:[a-z0-9-]+:\d{12}:trail\/[\w.-]+$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The props a validator reads; the runtime handle is optional so a whole environment can be validated before it exists. */
export interface ShellAccessAlertInput extends Omit<ShellAccessAlertProps, "runtime"> {
  /** The runtime watched. @default - none yet: the checks that need it are skipped */
  readonly runtime?: ShellAccessAlertProps["runtime"];
}

/** Validates ShellAccessAlert props and applies their defaults; see ShellAccessAlertProps. */
export function validateShellAccessAlertProps(
  props: ShellAccessAlertInput,
  context: ValidationContext = {},
): ValidationResult<AlertSettings> {
  const types = shapeProblems(alertShape, props, "ShellAccessAlertProps");
  if (types !== undefined) return { problems: types.problems, resolved: validateShellAccessAlertProps(types.rest, context).resolved };
  const check = new ProblemCollector(context, "the runtime");
  check.group = "alerts";
  check.checkTemplateSequences(props, [], new Set(["runtime"]));
  const cloudTrail = props.cloudTrail ?? ALERT_DEFAULTS.cloudTrail;
  if (props.namePrefix !== undefined) {
    checkNamePrefix(check, props.namePrefix, ["alertRule", "alertTopic", "alertKeyAlias", ...(cloudTrail === "create" ? (["trail", "trailBucket"] as const) : [])]);
  }
  const emails = check.list("emails", props.emails);
  emails.forEach((email, i) => {
    if (typeof email !== "string" || (!Token.isUnresolved(email) && !EMAIL_PATTERN.test(email))) check.report(`emails.${i}`, email, "is not an email address", "correct the address");
  });
  if (cloudTrail !== "create") {
    const arn = typeof cloudTrail === "object" && cloudTrail !== null ? cloudTrail.existingTrailArn : undefined;
    if (typeof arn !== "string") {
      check.report("cloudTrail", cloudTrail, 'is neither "create" nor { existingTrailArn }', 'use "create", or { existingTrailArn: "<ARN of a trail that logs this runtime\'s command data events>" }');
    } else if (Token.isUnresolved(arn)) {
      // A trail of this app, known at plan time.
    } else if (!TRAIL_ARN_PATTERN.test(arn)) {
      check.report(
        "cloudTrail.existingTrailArn",
        arn,
        "is not a CloudTrail trail ARN",
        'use the ARN of a trail that logs this runtime\'s InvokeAgentRuntimeCommand data events, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail", or "create"',
      );
    } else if (context.partition !== undefined && arnParts(arn)?.partition !== context.partition) {
      check.report(
        "cloudTrail.existingTrailArn",
        arn,
        `is in partition ${arnParts(arn)?.partition}, but the runtime's Region is in ${context.partition}, where its events are recorded`,
        `name a trail of the ${context.partition} partition`,
      );
    } else if (context.region !== undefined && arnParts(arn)?.region !== context.region && (cloudTrail as { multiRegion?: boolean }).multiRegion !== true) {
      // A trail logs only the events of the Region it is created in unless it is a multi-Region trail (CloudTrail
      // User Guide, "Using the create-trail command to create a trail"), and an EventBridge rule sees the CloudTrail
      // events of its own Region only (EventBridge User Guide, "Tutorial: Create an Amazon EventBridge rule for AWS
      // CloudTrail API calls"), so a single-Region trail elsewhere never feeds this Region's rule.
      check.report(
        "cloudTrail.existingTrailArn",
        arn,
        `is a trail of ${arnParts(arn)?.region}, but the runtime's command events happen in ${context.region}; a trail that is not multi-Region logs only its own Region's events, so the alert would never fire`,
        `name a trail of ${context.region}, or, if this trail is a multi-Region trail, say so with multiRegion: true`,
      );
    }
  }
  const trailLogRetentionDays = props.trailLogRetentionDays ?? ALERT_DEFAULTS.trailLogRetentionDays;
  if (!Token.isUnresolved(trailLogRetentionDays) && (!Number.isInteger(trailLogRetentionDays) || trailLogRetentionDays < 1)) {
    // S3 lifecycle Expiration Days: "The value must be a non-zero positive integer." (S3 API model, LifecycleExpiration)
    check.report("trailLogRetentionDays", trailLogRetentionDays, "must be a whole number of days, at least 1", "set how many days the trail's logs are kept, e.g. 30");
  }
  return { problems: check.problems, resolved: { emails, cloudTrail, trailLogRetentionDays } };
}
