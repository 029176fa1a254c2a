/**
 * What an AgentRuntime accepts (REFERENCE.md "AgentCore Runtime"): lifecycle limits, mount paths directly under
 * /mnt and at most five file systems, plain (non-secret) environment variables, a cold-tier prefix outside the
 * file tree, exact model ids, a real authorizer, principals of its own account.
 */
import { Token } from "cdktn";
import { checkAgainstAws, checkNamePrefix, checkRetentionDays } from "../../lib/construct-checks.ts";
import { AGENTCORE_RUNTIME_REGIONS } from "../../lib/service-facts.ts";
import { shapeProblems } from "../../lib/shape.ts";
import { runtimeShape } from "../../lib/handle-shapes.ts";
import { ProblemCollector, fieldPath, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
import { secretLikeValue, secretLikeVariable } from "../../policies/secrets.ts";
import type { INetwork } from "../network/props.ts";
import type { IS3FilesStorage } from "../storage/props.ts";
import type { AgentRuntimeProps, RuntimeSettings, Workload } from "./props.ts";
import { checkJwtPrincipals, checkPrincipals, resolveAuth, resolveModels } from "./validate-access.ts";
import { checkMounts } from "./validate-mounts.ts";

/**
 * Lifecycle presets (seconds; the service allows 60..28800, defaults 900 / 28800). Interactive sessions
 * idle out after 15 minutes; batch jobs are short and release compute fast; long-running work keeps
 * sessions for the service maximum.
 */
/** A session's lifetime: how long it may sit idle and how long it may live at all (AgentCore's lifecycleConfiguration). */
export interface Lifecycle {
  /** Seconds an idle session lives (AgentCore's idleRuntimeSessionTimeout). */
  readonly idleTimeoutSeconds: number;
  /** Seconds a session lives at most (AgentCore's maxLifetime). */
  readonly maxLifetimeSeconds: number;
}

/** The lifecycle of each Workload preset (AgentCore's own defaults are 900 s idle and 28800 s at most). */
export const WORKLOAD_LIFECYCLE: Readonly<Record<Workload, Lifecycle>> = {
  interactive: { idleTimeoutSeconds: 900, maxLifetimeSeconds: 28800 },
  batch: { idleTimeoutSeconds: 300, maxLifetimeSeconds: 3600 },
  "long-running": { idleTimeoutSeconds: 3600, maxLifetimeSeconds: 28800 },
};

/** The defaults an AgentRuntime applies where its props say nothing. */
export const RUNTIME_DEFAULTS = {
  /** The container serves HTTP on port 8080. */
  protocol: "HTTP",
  /** Chat-like sessions (WORKLOAD_LIFECYCLE). */
  workload: "interactive",
  /** Session storage (hot tier). */
  sessionStorageMountPath: "/mnt/workspace",
  /** The S3 Files access point (warm tier). */
  s3FilesMountPath: "/mnt/s3data",
  /** The bucket prefix of the cold tier. */
  agentPrefix: "agent-data",
  /** Days the vended logs are kept. */
  logRetentionDays: 30,
  /** The endpoint that follows the latest version. */
  endpointName: "live",
} as const;

/** Variables the runtime sets for the agent from its own configuration; `environmentVariables` cannot override them. */
export const PROJECT_ENVIRONMENT_VARIABLES = [
  "AGENT_ENVIRONMENT",
  "AGENT_REGION",
  "AGENT_BUCKET",
  "AGENT_PREFIX",
  "AGENT_MODEL_IDS",
  "SESSION_STORAGE_PATH",
  "S3FILES_MOUNT_PATH",
] as const;

const RUNTIME = "aws_bedrockagentcore_agent_runtime";
const PROTOCOLS = ["HTTP", "MCP", "A2A"] as const;
const ENV_VAR_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
/**
 * The cold-tier prefix becomes part of IAM resource ARNs and s3:prefix conditions, where * and ? are
 * wildcards, so it takes S3's "safe characters" (S3 User Guide, "Naming Amazon S3 objects") without "*".
 */
const AGENT_PREFIX_SEGMENT = /^[A-Za-z0-9!_.'()-]+$/;
/** Object keys are at most 1,024 bytes (S3 User Guide, "Naming Amazon S3 objects"); leave room for names. */
const MAX_AGENT_PREFIX_LENGTH = 512;
/** Runtime limits (REFERENCE.md "AgentCore Runtime"). */
const LIFECYCLE_SECONDS = { min: 60, max: 28800 } as const;
const MAX_ENVIRONMENT_VARIABLES = 50;
const MAX_ENVIRONMENT_VALUE_LENGTH = 2048;

/** The props a validator reads; the handles are optional so a whole environment can be validated before they exist. */
export interface AgentRuntimeInput extends Omit<AgentRuntimeProps, "network" | "storage" | "registry"> {
  /** The network the runtime's ENIs go in. @default - none yet: the checks that need it are skipped */
  readonly network?: INetwork;
  /** What is known of the storage (e.g. its root directory before the construct exists). @default - none yet */
  readonly storage?: Partial<IS3FilesStorage>;
}

/** Validates AgentRuntime props and applies their defaults; see AgentRuntimeProps. */
export function validateAgentRuntimeProps(props: AgentRuntimeInput, context: ValidationContext = {}): ValidationResult<RuntimeSettings> {
  const types = shapeProblems(runtimeShape, props, "AgentRuntimeProps");
  if (types !== undefined) return { problems: types.problems, resolved: validateAgentRuntimeProps(types.rest, context).resolved };
  const check = new ProblemCollector(context, "the runtime");
  check.checkTemplateSequences(props, [], new Set(["network", "storage", "registry"]));
  const region = context.region;
  if (region !== undefined && !AGENTCORE_RUNTIME_REGIONS.includes(region)) {
    check.report("region", region, "does not offer Amazon Bedrock AgentCore Runtime", `deploy the stack to one of ${AGENTCORE_RUNTIME_REGIONS.join(", ")} (update lib/service-facts.ts if AWS has added the Region)`);
  }
  checkNames(check, props);
  if (props.network !== undefined) checkNetwork(check, props.network);
  const accessPointArn = props.storage?.accessPointArn;
  if (typeof accessPointArn === "string" && !Token.isUnresolved(accessPointArn)) {
    const attribute = "filesystem_configuration.s3_files_access_point.access_point_arn";
    checkAgainstAws(check, "storage.accessPointArn", accessPointArn, { resource: RUNTIME, attribute, service: "AgentCore", fix: "give the storage's S3 Files access point ARN" });
  }

  check.group = "lifecycle";
  const workload = props.workload ?? RUNTIME_DEFAULTS.workload;
  const preset = WORKLOAD_LIFECYCLE[workload] ?? WORKLOAD_LIFECYCLE.interactive;
  if (!Object.hasOwn(WORKLOAD_LIFECYCLE, workload)) check.report("workload", workload, "is not one of the allowed values", `use one of ${Object.keys(WORKLOAD_LIFECYCLE).map((w) => JSON.stringify(w)).join(", ")}`);
  const idleTimeoutSeconds = props.idleTimeoutSeconds ?? preset.idleTimeoutSeconds;
  const maxLifetimeSeconds = props.maxLifetimeSeconds ?? preset.maxLifetimeSeconds;
  checkLifecycle(check, idleTimeoutSeconds, maxLifetimeSeconds);
  check.group = "mounts";
  const sessionStorageMountPath = props.sessionStorageMountPath ?? RUNTIME_DEFAULTS.sessionStorageMountPath;
  const s3FilesMountPath = props.s3FilesMountPath ?? RUNTIME_DEFAULTS.s3FilesMountPath;
  const additionalMounts = check.list("additionalMounts", props.additionalMounts).filter((mount, i) => {
    if (mount !== null && typeof mount === "object" && (mount.type === "s3files" || mount.type === "efs")) return true;
    check.report(`additionalMounts.${i}`, mount, 'is not a mount of type "s3files" or "efs"', "write { type, accessPointArn, fileSystemArn, mountPath, mountTargetSecurityGroupId }");
    return false;
  });
  checkMounts(check, sessionStorageMountPath, s3FilesMountPath, additionalMounts);
  check.group = "logs";
  const logRetentionDays = props.logRetentionDays ?? RUNTIME_DEFAULTS.logRetentionDays;
  checkRetentionDays(check, "logRetentionDays", logRetentionDays);
  check.group = "image";
  if (props.imageDigest !== undefined && !Token.isUnresolved(props.imageDigest) && !DIGEST_PATTERN.test(props.imageDigest)) {
    check.report("imageDigest", props.imageDigest, "is not an image digest", 'use the "sha256:<64 hex>" digest build-image prints, or remove it and pass the digest at deploy time');
  }
  check.group = "agentPrefix";
  const agentPrefix = props.agentPrefix ?? RUNTIME_DEFAULTS.agentPrefix;
  checkAgentPrefix(check, agentPrefix);
  check.group = "principals";
  const operators = check.list("operators", props.operators);
  checkPrincipals(check, "operators", operators);
  const invokers = props.invokers !== undefined ? check.list("invokers", props.invokers) : undefined;
  if (invokers !== undefined) checkPrincipals(check, "invokers", invokers);
  if (invokers !== undefined && invokers.length === 0) {
    check.report("invokers", invokers, "is empty, which would deny every caller", "list the principals that may invoke the runtime, or remove the field");
  }
  check.group = "models";
  const protocol = props.protocol ?? RUNTIME_DEFAULTS.protocol;
  if (!PROTOCOLS.includes(protocol)) check.report("protocol", protocol, "is not one of the allowed values", `use one of ${PROTOCOLS.map((p) => JSON.stringify(p)).join(", ")}`);
  const models = resolveModels(check, props.models);
  check.group = "auth";
  const auth = resolveAuth(check, props.auth);
  checkJwtPrincipals(check, auth, invokers, operators);
  check.group = "environmentVariables";
  const variables = props.environmentVariables ?? {};
  const environmentVariables =
    variables !== null && typeof variables === "object" && !Array.isArray(variables)
      ? checkEnvironmentVariables(check, variables)
      : (check.report("environmentVariables", variables, "must be an object of names and values", 'write { NAME: "value" }'), {});
  const endpointName = props.endpointName ?? RUNTIME_DEFAULTS.endpointName;
  check.group = "tiers";
  if (props.storage?.rootDirectory !== undefined) checkColdTierOutsideFileTree(check, agentPrefix, props.storage.rootDirectory);
  check.group = "derived";
  checkDerivedVariables(check, { agentPrefix, sessionStorageMountPath, s3FilesMountPath, modelIds: models.map((m) => m.id), namePrefix: props.namePrefix });
  return {
    problems: check.problems,
    resolved: {
      models,
      protocol,
      auth,
      workload,
      idleTimeoutSeconds,
      maxLifetimeSeconds,
      sessionStorageMountPath,
      s3FilesMountPath,
      additionalMounts,
      agentPrefix,
      environmentVariables,
      logRetentionDays,
      endpointName,
      ...(props.imageDigest !== undefined && { imageDigest: props.imageDigest }),
      operators,
      ...(invokers !== undefined && { invokers }),
    },
  };
}

function checkNames(check: ProblemCollector, props: AgentRuntimeInput): void {
  if (props.namePrefix !== undefined) {
    checkNamePrefix(check, props.namePrefix, [...(props.runtimeName === undefined ? (["runtime"] as const) : []), "executionRole", "invokerPolicy", "operatorPolicy"]);
  }
  const fields = [
    ["runtimeName", props.runtimeName, RUNTIME, "agent_runtime_name", 'use a letter, then letters, digits or underscores, e.g. "support_agent"'],
    ["description", props.description, RUNTIME, "description", "shorten the description"],
    ["endpointName", props.endpointName, "aws_bedrockagentcore_agent_runtime_endpoint", "name", 'use a letter, then letters, digits or underscores, e.g. "live"'],
  ] as const;
  for (const [prop, value, resource, attribute, fix] of fields) {
    if (value !== undefined && !Token.isUnresolved(value)) checkAgainstAws(check, prop, value, { resource, attribute, service: "AgentCore", fix });
  }
  // Every runtime has an endpoint named DEFAULT of AgentCore's own, which follows its latest version (the runtime's
  // log groups are named after both: <id>-DEFAULT and <id>-<endpointName>).
  if (typeof props.endpointName === "string" && !Token.isUnresolved(props.endpointName) && props.endpointName.toLowerCase() === "default") {
    const problem =
      props.endpointName === "DEFAULT"
        ? "is the name of the endpoint AgentCore gives every runtime itself"
        : "differs only in case from DEFAULT, the endpoint AgentCore gives every runtime itself, and its log resources here take the same Terraform addresses (named in lower case)";
    check.report("endpointName", props.endpointName, problem, 'choose another name, e.g. "live"');
  }
}

/** VPC mode: 1 to 16 subnets and security groups (AgentCore API model, VpcConfig). */
function checkNetwork(check: ProblemCollector, network: INetwork): void {
  const subnets = check.list("network.privateSubnets", network.privateSubnets).map((s) => s?.subnetId);
  checkAgainstAws(check, "network.privateSubnets", subnets, { resource: RUNTIME, attribute: "network_configuration.network_mode_config.subnets{count}", service: "AgentCore", fix: "give a network with 1 to 16 private subnets" });
  subnets.forEach((id, i) => {
    if (!Token.isUnresolved(id)) {
      checkAgainstAws(check, `network.privateSubnets.${i}.subnetId`, id, { resource: RUNTIME, attribute: "network_configuration.network_mode_config.subnets[]", service: "AgentCore", fix: "give the subnet's id" });
    }
  });
  if (!Token.isUnresolved(network.agentSecurityGroupId)) {
    checkAgainstAws(check, "network.agentSecurityGroupId", network.agentSecurityGroupId, { resource: RUNTIME, attribute: "network_configuration.network_mode_config.security_groups[]", service: "AgentCore", fix: "give the security group's id" });
  }
}

function checkLifecycle(check: ProblemCollector, idle: number, max: number): void {
  for (const [prop, value] of [["idleTimeoutSeconds", idle], ["maxLifetimeSeconds", max]] as const) {
    if (Token.isUnresolved(value)) continue;
    if (!Number.isInteger(value) || value < LIFECYCLE_SECONDS.min || value > LIFECYCLE_SECONDS.max) {
      check.report(prop, value, `must be a whole number of seconds from ${LIFECYCLE_SECONDS.min} to ${LIFECYCLE_SECONDS.max}`, "choose a value in that range, or a workload preset");
    }
  }
  if (idle > max) {
    check.report("idleTimeoutSeconds", idle, `is longer than ${check.name("maxLifetimeSeconds")} (${max}), so sessions would end before they could idle out`, "make the idle timeout at most the maximum lifetime");
  }
}

function checkAgentPrefix(check: ProblemCollector, prefix: string): void {
  if (typeof prefix !== "string") {
    check.report("agentPrefix", prefix, "must be a string", 'use path segments such as "agent-data"');
    return;
  }
  if (Token.isUnresolved(prefix)) return;
  const segments = prefix.split("/");
  if (/[*?]/.test(prefix)) {
    check.report(
      "agentPrefix",
      prefix,
      'contains an IAM wildcard ("*" or "?"): the execution role\'s S3 grants would cover every matching key — with "*", the whole bucket, the S3 Files tree included',
      'name the prefix literally, e.g. "agent-data"',
    );
  } else if (prefix.length === 0 || segments.some((s) => s === "")) {
    check.report("agentPrefix", prefix, "has an empty path segment (empty, or a leading, trailing or double slash)", 'use path segments without leading or trailing slashes, e.g. "agent-data" or "agents/cold"');
  } else if (segments.some((s) => s === "." || s === "..")) {
    check.report("agentPrefix", prefix, 'has a "." or ".." segment, which S3 keeps literally but file tools resolve', 'use plain path segments, e.g. "agent-data"');
  } else if (!segments.every((s) => AGENT_PREFIX_SEGMENT.test(s))) {
    check.report("agentPrefix", prefix, "uses characters outside S3's safe set (letters, digits and !_.'()-)", 'use plain path segments, e.g. "agent-data"');
  } else if (prefix.length > MAX_AGENT_PREFIX_LENGTH) {
    check.report("agentPrefix", prefix, `is ${prefix.length} characters long; keep it to ${MAX_AGENT_PREFIX_LENGTH} so object keys stay within S3's 1,024 bytes`, "shorten it");
  }
}

/**
 * The access point's root directory is the key prefix of the S3 Files tree agents reach over NFS. A cold-tier
 * prefix inside it (or containing it) would let S3 API writes race the file system: on conflict S3 wins and
 * the file copy goes to lost+found (REFERENCE.md "S3 Files").
 */
function checkColdTierOutsideFileTree(check: ProblemCollector, agentPrefix: string, rootDirectory: string): void {
  if (Token.isUnresolved(agentPrefix) || Token.isUnresolved(rootDirectory)) return;
  const prefix = agentPrefix.split("/");
  const tree = rootDirectory.split("/").filter((s) => s !== "");
  if (prefix.some((s) => s === "") || tree.length === 0) return;
  const shared = Math.min(prefix.length, tree.length);
  if (prefix.slice(0, shared).every((s, i) => s === tree[i])) {
    check.report(
      "agentPrefix",
      agentPrefix,
      `overlaps ${check.name("storage.rootDirectory")} ("${rootDirectory}"), the S3 Files tree the access point exposes: objects written through the S3 API there would race the file system (S3 wins a conflict; the file copy goes to lost+found)`,
      `choose a prefix outside "${tree.join("/")}/", e.g. "agent-data"`,
    );
  }
}

function checkEnvironmentVariables(check: ProblemCollector, variables: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const names = Object.keys(variables);
  for (const name of names) {
    const field = fieldPath("environmentVariables", name);
    const value = String(variables[name] ?? "");
    if (!ENV_VAR_NAME_PATTERN.test(name) || name.length > 100) {
      check.report(field, name, "is not a valid variable name (^[a-zA-Z_][a-zA-Z0-9_]*$, at most 100 characters)", "rename it");
    } else if ((PROJECT_ENVIRONMENT_VARIABLES as readonly string[]).includes(name)) {
      check.report(field, variables[name], "is set by the project from the environment's configuration", "remove it; change the setting it comes from instead");
    } else if (!Token.isUnresolved(value) && secretLikeVariable(name, value) !== undefined) {
      check.report(
        field,
        "(value hidden)",
        `looks like a secret (${secretLikeVariable(name, value)}); runtime environment variables are plain configuration, readable by anyone who can describe the runtime`,
        "keep secrets out of the environment: use AgentCore Identity (credential providers) or Secrets Manager and read them at run time",
      );
    }
    if (value.length > MAX_ENVIRONMENT_VALUE_LENGTH) {
      check.report(field, `(${value.length} characters)`, `values are limited to ${MAX_ENVIRONMENT_VALUE_LENGTH} characters`, "shorten it");
    }
  }
  const total = names.length + PROJECT_ENVIRONMENT_VARIABLES.length;
  if (total > MAX_ENVIRONMENT_VARIABLES) {
    check.report(
      "environmentVariables",
      `${names.length} variables`,
      `with the project's ${PROJECT_ENVIRONMENT_VARIABLES.length} that makes ${total}; a runtime allows ${MAX_ENVIRONMENT_VARIABLES}`,
      `keep at most ${MAX_ENVIRONMENT_VARIABLES - PROJECT_ENVIRONMENT_VARIABLES.length}`,
    );
  }
  return variables;
}

/**
 * The settings the runtime passes to the agent as environment variables (PROJECT_ENVIRONMENT_VARIABLES) are as
 * readable as the user's own: the secret detector that guards environmentVariables (and the audit's
 * config-no-secret-env, which reads them all) applies to them too.
 */
function checkDerivedVariables(
  check: ProblemCollector,
  settings: { agentPrefix: string; sessionStorageMountPath: string; s3FilesMountPath: string; modelIds: readonly string[]; namePrefix: string | undefined },
): void {
  const derived: [prop: string, variable: string, value: string | undefined][] = [
    ["namePrefix", "AGENT_ENVIRONMENT", settings.namePrefix],
    ["agentPrefix", "AGENT_PREFIX", settings.agentPrefix],
    ["sessionStorageMountPath", "SESSION_STORAGE_PATH", settings.sessionStorageMountPath],
    ["s3FilesMountPath", "S3FILES_MOUNT_PATH", settings.s3FilesMountPath],
    ...settings.modelIds.map((id, i): [string, string, string] => [`models.${i}`, "AGENT_MODEL_IDS", id]),
  ];
  for (const [prop, variable, value] of derived) {
    if (typeof value !== "string" || Token.isUnresolved(value)) continue;
    const why = secretLikeValue(value);
    if (why !== undefined) {
      check.report(
        prop,
        "(value hidden)",
        `looks like a secret (${why}); it reaches the runtime as ${variable}, readable by anyone who can describe the runtime`,
        "use a plain value here; keep secrets in AgentCore Identity or Secrets Manager",
      );
    }
  }
}
