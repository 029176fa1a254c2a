/**
 * Checks more than one construct makes: the name prefix (and the names built from it), CloudWatch Logs
 * retention periods, KMS key ARNs, Availability Zone IDs.
 */
import { TerraformStack, Token } from "cdktn";
import type { IConstruct } from "constructs";
import { valueBreaks } from "./aws-constraints/index.ts";
import { ACCOUNT_ID_PLACEHOLDER, NAME_RULES } from "./names.ts";
import { agentCoreVpcAzIds, AZ_ID_PATTERN } from "./service-facts.ts";
import type { ProblemCollector } from "./validation.ts";

/** Lowercase letters, digits and single hyphens, starting with a letter: it goes into bucket, role and stack names. */
/** EC2 resource ids: the prefix, then 8 or 17 hexadecimal characters (Amazon EC2 User Guide, "Resource IDs"); as modules/network checks VPC and subnet ids. */
export const SECURITY_GROUP_ID_PATTERN = /^sg-[0-9a-f]{8,17}$/;
export const NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const KMS_KEY_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/[a-zA-Z0-9-]+$/;

/** The default name prefix of a construct: the id of its stack. */
export function stackIdOf(scope: IConstruct): string {
  return TerraformStack.of(scope).node.id;
}

/**
 * A construct's path as one name ("dev-storage/storage" → "dev-storage-storage"), in the characters IAM names
 * allow ([\w+=,.@-]): stable for as long as the construct ids are, which they must be anyway.
 */
export function pathName(scope: IConstruct): string {
  return scope.node.path.replace(/\//g, "-").replace(/[^\w+=,.@-]/g, "_");
}

/**
 * The prefix must read as a name, and every name built from it (NAME_RULES `rules`) must fit its service's limit.
 * Names that include the Region are measured only when the Region is known; an unknown account counts 12 digits.
 */
export function checkNamePrefix(check: ProblemCollector, prefix: string, rules: readonly (keyof typeof NAME_RULES)[]): void {
  if (Token.isUnresolved(prefix)) {
    check.report("namePrefix", prefix, "is a Terraform token; names are built and measured at synth", "give a literal prefix");
    return;
  }
  if (!NAME_PATTERN.test(prefix)) {
    check.report(
      "namePrefix",
      prefix,
      "must start with a lowercase letter and contain only lowercase letters, digits and single hyphens (it names buckets, roles and security groups)",
      'use a prefix like "dev" or "agents-prod" (the default is the stack\'s id, which may not read as a name)',
    );
    return;
  }
  const region = check.context.region;
  for (const key of rules) {
    const rule = NAME_RULES[key];
    const naming = (r: string) => rule.build({ name: prefix, region: r, accountId: check.context.accountId ?? ACCOUNT_ID_PLACEHOLDER });
    if (region === undefined && naming("a") !== naming("b")) continue;
    const built = naming(region ?? "");
    if (built.length > rule.maxLength) {
      check.report(
        "namePrefix",
        prefix,
        `makes the ${rule.resource} name "${built}" ${built.length} characters long (limit ${rule.maxLength})`,
        `shorten namePrefix to at most ${prefix.length - (built.length - rule.maxLength)} characters`,
      );
    }
  }
}

export function checkRetentionDays(check: ProblemCollector, prop: string, days: number): void {
  if (Token.isUnresolved(days)) return;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    check.report(prop, days, "is not a retention period CloudWatch Logs accepts", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
}

/**
 * A customer managed key of the construct's own partition, Region and (when known at synth) account: the roles
 * that use it are granted its use in their own account only, and S3, ECR and S3 Files use keys of their Region.
 * `what` names the resource the key encrypts ("the bucket").
 */
export function checkKmsKeyArn(check: ProblemCollector, prop: string, arn: string, what: string): void {
  if (Token.isUnresolved(arn)) return;
  const { region, partition, accountId } = check.context;
  const match = KMS_KEY_ARN_PATTERN.exec(arn);
  if (!match) {
    check.report(prop, arn, "is not a KMS key ARN", 'use the key ARN (not an alias), e.g. "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"');
  } else if (partition !== undefined && match[1] !== partition) {
    check.report(prop, arn, `is in partition ${match[1]}, but the Region is in ${partition}`, `use a key in ${region}`);
  } else if (region !== undefined && match[2] !== region) {
    check.report(prop, arn, `is in ${match[2]}, but ${what} is in ${region}`, `use a key in ${region}`);
  } else if (accountId !== undefined && match[3] !== accountId) {
    check.report(
      prop,
      arn,
      `is in account ${match[3]}, not ${check.owner}'s account ${accountId}: the execution role and the S3 Files service role are granted its use in their own account only`,
      `use a key of account ${accountId} (without ${check.accountSetting} set, the plan checks the key is in the deploying account)`,
    );
  }
}

/**
 * AZ IDs that exist in the Region's AgentCore VPC table (when this project has one), at least two, all distinct:
 * the runtime and the mount targets must survive the loss of one zone.
 */
export function checkAvailabilityZoneIds(check: ProblemCollector, prop: string, ids: readonly string[]): void {
  const region = check.context.region;
  const supported = region !== undefined ? agentCoreVpcAzIds(region) : undefined;
  ids.forEach((id, i) => {
    if (Token.isUnresolved(id)) return;
    if (!AZ_ID_PATTERN.test(id)) {
      check.report(`${prop}.${i}`, id, "is not an Availability Zone ID", 'use a zone ID such as "usw2-az1" (not a zone name such as "us-west-2a")');
    } else if (supported && !supported.includes(id)) {
      check.report(`${prop}.${i}`, id, `is not an AZ where AgentCore supports VPC mode in ${region}`, `use one of ${supported.join(", ")} (update lib/service-facts.ts if AWS has added the zone)`);
    }
  });
  const distinct = new Set(ids);
  if (distinct.size < 2) {
    check.report(
      prop,
      ids,
      distinct.size === ids.length
        ? "needs at least 2 Availability Zones so the runtime survives the loss of one"
        : "names the same Availability Zone more than once; every subnet must be in a different one",
      "list at least two distinct AZ IDs",
    );
  } else if (distinct.size !== ids.length) {
    check.report(prop, ids, "names the same Availability Zone more than once", "list each AZ ID once");
  }
}

/**
 * Reports each rule of the AWS constraints table (lib/aws-constraints, the table synth checks the whole output
 * against) that a value supplied for `resource`.`attribute` breaks; true when it breaks none. Construct checks
 * that give a more specific message run first; this one is the floor, so the table stays the one source of truth.
 */
export function checkAgainstAws(check: ProblemCollector, prop: string, value: unknown, where: { resource: string; attribute: string; service: string; fix: string }): boolean {
  const broken = valueBreaks(where.resource, where.attribute, value);
  for (const b of broken) check.report(prop, value, `is not accepted by ${where.service}: ${b.rule} (${b.source})`, where.fix);
  return broken.length === 0;
}
