/**
 * What an AgentEnvironment accepts: its own settings (name, account, Region, deploy role, state, tags, audit
 * suppressions), and each section as the construct it becomes accepts it — the constructs' own validators run
 * over the sections, with the environment's Region and account, and their problems are named by the section's
 * field (Network `azCount` → `network.azCount`, ShellAccessAlert `emails` → `agent.alerts.emails`).
 */
import { z } from "zod";
import { AWS_CONSTRAINTS, valueBreaks } from "../../lib/aws-constraints/index.ts";
import { ACCOUNT_ID_PLACEHOLDER, NAME_RULES } from "../../lib/names.ts";
import { shapeProblems } from "../../lib/shape.ts";
import { NAME_PATTERN } from "../../lib/construct-checks.ts";
import { AGENTCORE_RUNTIME_REGIONS, partitionOf, REGION_PATTERN } from "../../lib/service-facts.ts";
import { fieldPath, orderProblems, ProblemCollector, type Problem, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
import { RULE_IDS } from "../../policies/rules/index.ts";
import { secretLikeValue } from "../../policies/secrets.ts";
import { validateNetworkProps } from "../network/validate.ts";
import { validateAgentRegistryProps } from "../registry/validate.ts";
import { validateAgentRuntimeProps } from "../runtime/validate.ts";
import { validateShellAccessAlertProps } from "../security/validate.ts";
import { validateS3FilesStorageProps } from "../storage/validate.ts";
import { ENVIRONMENT_TAG_KEY, type AgentEnvironmentProps, type AuditSuppression, type Environment, type StateBackend } from "./props.ts";

const ACCOUNT_PATTERN = /^\d{12}$/;
const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const STATE_BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const STATE_KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const MIN_SUPPRESSION_REASON = 20;
/** Resources whose tags the API constraints table judges: the environment's tags reach each of them. */
const TAGGED_RESOURCES = [...new Set(AWS_CONSTRAINTS.filter((row) => row.attribute === "tags{values}").map((row) => row.resource))];

/** The types of AgentEnvironment's own props (the sections' are the constructs'); all optional, see lib/shape.ts. */
const ENVIRONMENT_SHAPE = z.strictObject({
  region: z.string().optional(),
  account: z.string().optional(),
  deployRoleArn: z.string().optional(),
  state: z
    .discriminatedUnion("backend", [
      z.strictObject({ backend: z.literal("local") }),
      z.strictObject({ backend: z.literal("s3"), bucket: z.string(), keyPrefix: z.string().optional(), region: z.string().optional(), roleArn: z.string().optional() }),
    ])
    .optional(),
  tags: z.record(z.string(), z.string()).optional(),
  stage: z.enum(["development", "production"]).optional(),
  auditSuppressions: z.array(z.strictObject({ rule: z.string(), reason: z.string() })).optional(),
  network: z.looseObject({}).optional(),
  storage: z.looseObject({}).optional(),
  agent: z.looseObject({}).optional(),
});

/**
 * The order an environment's problems are listed in, by the check that found them (Problem.group): the
 * environment's own settings, then each section as its fields are checked.
 */
export const PROBLEM_ORDER = [
  "template", "environment", "network", "storage",
  "lifecycle", "mounts", "logs", "registry", "image", "agentPrefix", "alerts", "principals", "models", "auth", "environmentVariables",
  "tiers", "derived-name", "derived", "suppressions", "stage",
] as const;

/** A construct field the environment does not report: it checks the same value itself, or under another name. */
const DROP = null;
type FieldMap = (prop: string) => string | typeof DROP;

/** Validates AgentEnvironment props and applies every default; problems are named by the props' own field paths. */
export function validateAgentEnvironmentProps(name: string, props: AgentEnvironmentProps): ValidationResult<Environment> {
  const types = shapeProblems(ENVIRONMENT_SHAPE, props, "AgentEnvironmentProps");
  if (types !== undefined) return { problems: types.problems, resolved: validateAgentEnvironmentProps(name, types.rest).resolved };
  const check = new ProblemCollector({ owner: "the environment" }, "the environment");
  check.group = "environment";
  if (props.region === undefined) check.report("region", undefined, "is required", 'set region to a Region with AgentCore Runtime, e.g. "us-west-2"');
  props = { ...props, region: props.region ?? "", network: props.network ?? {}, agent: props.agent ?? {} };
  check.checkTemplateSequences({ name, ...props }, [], new Set(["network", "storage", "agent", "auditSuppressions"]));
  checkName(check, name);
  if (props.account !== undefined && !ACCOUNT_PATTERN.test(props.account)) {
    check.report("account", props.account, "is not a 12-digit AWS account id", 'write the id as a string of 12 digits, e.g. "123456789012"');
  }
  checkRegion(check, props.region);
  const partition = partitionOf(props.region);
  if (props.deployRoleArn !== undefined) checkRoleArn(check, "deployRoleArn", props.deployRoleArn, props.account, partition);
  checkNameLengths(check, name, props.region, props.account);
  const tags = resolveTags(check, name, props.tags ?? {});
  const state = resolveState(check, name, props);

  const account = props.account !== undefined && ACCOUNT_PATTERN.test(props.account) ? props.account : undefined;
  // A malformed Region is reported above; the sections are still judged against it, as written.
  const context: ValidationContext = {
    region: props.region,
    partition,
    ...(account !== undefined && { accountId: account }),
    owner: "the environment",
    accountSetting: "account",
  };
  const report = (map: FieldMap, problems: readonly Problem[], group?: string) => {
    for (const p of problems) {
      const field = map(p.field);
      if (field !== DROP) check.report(field, p.value, p.problem, p.fix, p.group === "template" ? "template" : (group ?? p.group));
    }
  };
  const section = (prefix: string, drop: readonly string[]): FieldMap => (prop) => (drop.includes(prop) ? DROP : `${prefix}.${prop}`);
  const naming = (map: FieldMap) => ({ ...context, fieldName: (prop: string) => map(prop) ?? prop });

  const networkMap = section("network", ["namePrefix"]);
  const network = validateNetworkProps({ ...props.network, namePrefix: name }, naming(networkMap));
  report(networkMap, network.problems, "network");
  const storageMap = section("storage", ["namePrefix"]);
  const storage = validateS3FilesStorageProps({ ...props.storage, namePrefix: name }, naming(storageMap));
  report(storageMap, storage.problems, "storage");
  const { keepImages, alerts, ...runtimeProps } = props.agent;
  const agentMap: FieldMap = (prop) => (prop === "namePrefix" || prop === "region" ? DROP : prop.startsWith("storage.") ? prop : `agent.${prop}`);
  const runtime = validateAgentRuntimeProps({ ...runtimeProps, namePrefix: name, storage: { rootDirectory: storage.resolved.rootDirectory } }, naming(agentMap));
  report(agentMap, runtime.problems);
  // The registry is encrypted with the storage's key (storage.kmsKeyArn, checked there).
  const registryMap: FieldMap = (prop) => (prop === "keepImages" ? "agent.keepImages" : DROP);
  const registry = validateAgentRegistryProps({ namePrefix: name, ...(keepImages !== undefined && { keepImages }), ...(props.storage?.kmsKeyArn !== undefined && { kmsKeyArn: props.storage.kmsKeyArn }) }, naming(registryMap));
  report(registryMap, registry.problems);
  const alertMap: FieldMap = (prop) => (prop === "namePrefix" || prop === "trailLogRetentionDays" ? DROP : `agent.alerts.${prop}`);
  const alert = validateShellAccessAlertProps({ ...alerts, namePrefix: name, trailLogRetentionDays: runtime.resolved.logRetentionDays }, naming(alertMap));
  report(alertMap, alert.problems);

  check.group = "derived-name";
  const why = NAME_PATTERN.test(name) ? secretLikeValue(name) : undefined;
  if (why !== undefined) {
    check.report("name", "(value hidden)", `looks like a secret (${why}); it reaches the runtime as AGENT_ENVIRONMENT, readable by anyone who can describe the runtime`, "use a plain value here; keep secrets in AgentCore Identity or Secrets Manager");
  }
  check.group = "suppressions";
  const auditSuppressions = checkSuppressions(check, props.auditSuppressions ?? []);
  return {
    problems: orderProblems(check.problems, PROBLEM_ORDER),
    resolved: {
      name,
      stage: props.stage ?? "production",
      ...(props.account !== undefined && { account: props.account }),
      region: props.region,
      partition,
      ...(props.deployRoleArn !== undefined && { deployRoleArn: props.deployRoleArn }),
      state,
      network: network.resolved,
      storage: storage.resolved,
      agent: { ...runtime.resolved, keepImages: registry.resolved.keepImages, alertEmails: alert.resolved.emails, cloudTrail: alert.resolved.cloudTrail },
      auditSuppressions,
      tags,
    },
  };
}

function checkName(check: ProblemCollector, name: string): void {
  if (!NAME_PATTERN.test(name)) {
    check.report(
      "name",
      name,
      "must start with a lowercase letter and contain only lowercase letters, digits and single hyphens (it names stacks, buckets and roles)",
      'use a name like "dev", "staging" or "prod-eu"',
    );
  }
}

function checkRegion(check: ProblemCollector, region: string): void {
  if (!REGION_PATTERN.test(region)) {
    check.report("region", region, "is not an AWS Region code", 'use a Region code such as "us-west-2"');
  } else if (!AGENTCORE_RUNTIME_REGIONS.includes(region)) {
    check.report("region", region, "does not offer Amazon Bedrock AgentCore Runtime", `choose one of ${AGENTCORE_RUNTIME_REGIONS.join(", ")} (update lib/service-facts.ts if AWS has added the Region)`);
  }
}

function checkRoleArn(check: ProblemCollector, field: string, arn: string, account: string | undefined, partition: string): void {
  const match = ROLE_ARN_PATTERN.exec(arn);
  if (!match) {
    check.report(field, arn, "is not an IAM role ARN", 'use the form "arn:aws:iam::123456789012:role/deploy"');
    return;
  }
  if (match[1] !== partition) check.report(field, arn, `is in partition ${match[1]} but the Region is in ${partition}`, `use a role in the ${partition} partition`);
  if (field === "deployRoleArn" && account !== undefined && match[2] !== account) {
    check.report(field, arn, `is in account ${match[2]}, not the environment's account ${account}`, "use a deploy role in the account the environment deploys to, or correct `account`");
  }
}

/** Every name built from the environment's name (lib/names.ts) must fit its service's limit. */
function checkNameLengths(check: ProblemCollector, name: string, region: string, account: string | undefined): void {
  if (!NAME_PATTERN.test(name)) return;
  const naming = { name, region, accountId: account ?? ACCOUNT_ID_PLACEHOLDER };
  for (const rule of Object.values(NAME_RULES)) {
    const built = rule.build(naming);
    if (built.length > rule.maxLength) {
      check.report("name", name, `makes the ${rule.resource} name "${built}" ${built.length} characters long (limit ${rule.maxLength})`, `shorten the environment name to at most ${name.length - (built.length - rule.maxLength)} characters`);
    }
  }
}

function resolveTags(check: ProblemCollector, name: string, userTags: Readonly<Record<string, string>>): Record<string, string> {
  for (const [key, value] of Object.entries(userTags)) {
    const field = fieldPath("tags", key);
    const before = check.problems.length;
    if (key.length === 0 || key.length > 128) {
      check.report(field, key, "tag keys must be 1 to 128 characters", "shorten the tag key");
    } else if (key.toLowerCase().startsWith("aws:")) {
      check.report(field, key, 'the "aws:" prefix is reserved for AWS', "choose a key without the aws: prefix");
    } else if (key === ENVIRONMENT_TAG_KEY) {
      check.report(field, value, "is set by the project to the environment name (teardown finds resources by it)", "remove this tag");
    }
    if (value.length > 256) check.report(field, value, "tag values must be at most 256 characters", "shorten the tag value");
    if (check.problems.length > before) continue;
    // Every taggable resource gets these tags (the provider's default_tags), so every service's tag rules apply:
    // the characters AgentCore, IAM, CloudWatch Logs, S3 Files … accept (API constraints table).
    for (const [part, text, attribute] of [["key", key, "tags{keys}"], ["value", value, "tags{values}"]] as const) {
      const refusal = TAGGED_RESOURCES.flatMap((resource) => valueBreaks(resource, attribute, text))[0];
      if (refusal !== undefined) {
        check.report(field, text, `is refused by AWS as a tag ${part} on the environment's resources: ${refusal.rule} (${refusal.source})`, "use letters, digits, spaces and ._:/=+@- in tag keys and values");
        break;
      }
    }
  }
  return { Project: "agentcore-s3files", Environment: name, ManagedBy: "cdktn", ...userTags, [ENVIRONMENT_TAG_KEY]: name };
}

function resolveState(check: ProblemCollector, name: string, props: AgentEnvironmentProps): StateBackend {
  const state = props.state ?? { backend: "local" };
  if (state.backend === "local") return state;
  if (!STATE_BUCKET_PATTERN.test(state.bucket)) check.report("state.bucket", state.bucket, "is not a valid S3 bucket name", "use 3-63 lowercase letters, digits, dots or hyphens");
  const keyPrefix = state.keyPrefix ?? `agentcore-s3files/${name}`;
  if (!STATE_KEY_PREFIX_PATTERN.test(keyPrefix)) {
    check.report("state.keyPrefix", keyPrefix, "is not a usable S3 key prefix", 'use path segments without leading or trailing slashes, e.g. "terraform/agents"');
  }
  const region = state.region ?? props.region;
  if (!REGION_PATTERN.test(region)) check.report("state.region", region, "is not an AWS Region code", 'use a Region code such as "us-east-1"');
  if (state.roleArn !== undefined) checkRoleArn(check, "state.roleArn", state.roleArn, undefined, partitionOf(region));
  return { backend: "s3", bucket: state.bucket, keyPrefix, region, ...(state.roleArn !== undefined && { roleArn: state.roleArn }) };
}

function checkSuppressions(check: ProblemCollector, suppressions: readonly AuditSuppression[]): readonly AuditSuppression[] {
  suppressions.forEach((suppression, i) => {
    if (!RULE_IDS.includes(suppression.rule)) check.report(`auditSuppressions.${i}.rule`, suppression.rule, "is not an audit rule", `use one of ${RULE_IDS.join(", ")}`);
    if (suppression.reason.trim().length < MIN_SUPPRESSION_REASON) {
      check.report(`auditSuppressions.${i}.reason`, suppression.reason, "is too short to tell a reviewer why the rule does not apply", `write at least a sentence (${MIN_SUPPRESSION_REASON} characters or more)`);
    }
  });
  const ids = suppressions.map((s) => s.rule);
  if (new Set(ids).size !== ids.length) check.report("auditSuppressions", ids, "suppresses a rule more than once", "keep one entry per rule");
  return suppressions;
}
