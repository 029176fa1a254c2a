/**
 * The environment schema: what an environment file may say, the defaults each stage implies, and the
 * validation that turns a mistake into one message per problem (environment, field, value, fix) before
 * anything is synthesized.
 */
import { z } from "zod";
import {
  cidrsOverlap,
  isCidr,
  isPrivateRange,
  MAX_VPC_PREFIX_LENGTH,
  MIN_VPC_PREFIX_LENGTH,
  parseCidr,
  planSubnets,
  SUBNET_LAYOUT,
  type Ipv4Cidr,
} from "../lib/cidr.ts";
import { arnParts, parseIamPrincipalArn, principalIdentity, type PrincipalKind } from "../lib/arns.ts";
import { ACCOUNT_ID_PLACEHOLDER, NAME_RULES } from "../lib/names.ts";
import type { RuntimeAuth, RuntimeModel, RuntimeMount } from "../modules/runtime/props.ts";
import { RULE_IDS } from "../policies/rules/index.ts";
import { secretLikeValue, secretLikeVariable } from "../policies/secrets.ts";
import { trailQuotaProblems } from "../lib/trail-quota.ts";
import { valueBreaks } from "../lib/aws-constraints/index.ts";
import {
  INFERENCE_PROFILE_REGIONS,
  inferenceProfileGeography,
  AGENTCORE_RUNTIME_REGIONS,
  agentCoreVpcAzIds,
  AZ_ID_PATTERN,
  DEFAULT_INTERFACE_ENDPOINTS,
  partitionOf,
  REGION_PATTERN,
} from "../lib/service-facts.ts";

// ---------------------------------------------------------------------------------------------------
// Input shape (what an environment file contains)
// ---------------------------------------------------------------------------------------------------

const EGRESS_MODES = ["nat-single", "nat-per-az", "endpoints-only"] as const;
const STAGES = ["development", "production"] as const;

const localStateInput = z.strictObject({ backend: z.literal("local") });
const s3StateInput = z.strictObject({
  backend: z.literal("s3"),
  /** Existing bucket that holds Terraform state (versioned, encrypted). */
  bucket: z.string(),
  /** Key prefix; each stack's state is `<keyPrefix>/<stack>.tfstate`. @default "agentcore-s3files/<name>" */
  keyPrefix: z.string().optional(),
  /** Region of the state bucket. @default the environment's region */
  region: z.string().optional(),
  /** Role to assume for state access. @default the caller's credentials */
  roleArn: z.string().optional(),
});

const createdNetworkInput = z.strictObject({
  mode: z.literal("create"),
  /** IPv4 range of the VPC, /16 to /22, RFC 1918. */
  cidr: z.string(),
  /** How many Availability Zones (one private subnet and one mount target each). @default 2 (development), 3 (production) */
  azCount: z.number().optional(),
  /** Exact AZ IDs to use. @default the first `azCount` AZ IDs where AgentCore supports VPC mode */
  availabilityZoneIds: z.array(z.string()).optional(),
  /** @default "nat-single" (development), "nat-per-az" (production) */
  egress: z.enum(EGRESS_MODES).optional(),
  /** Interface endpoints (service suffixes such as "ecr.api"). @default ecr.api, ecr.dkr, logs, bedrock-runtime, sts with endpoints-only; none with NAT */
  interfaceEndpoints: z.array(z.string()).optional(),
  flowLogs: z
    .strictObject({
      /** @default false (development), true (production) */
      enabled: z.boolean().optional(),
      /** @default 30 (development), 365 (production) */
      retentionDays: z.number().optional(),
    })
    .optional(),
});

const importedNetworkInput = z.strictObject({
  mode: z.literal("import"),
  vpcId: z.string(),
  /** At least two private subnets in distinct AZs, each with its AZ ID (checked again at plan time). */
  privateSubnets: z.array(z.strictObject({ subnetId: z.string(), availabilityZoneId: z.string() })),
  /** Interface endpoints to create in the imported VPC. @default none */
  interfaceEndpoints: z.array(z.string()).optional(),
  /** Route tables to attach an S3 gateway endpoint to. @default none (the VPC already reaches S3) */
  s3GatewayRouteTableIds: z.array(z.string()).optional(),
});

const storageInput = z.strictObject({
  /** POSIX user the access point maps every client to. @default 1000 */
  posixUid: z.number().optional(),
  /** @default 1000 */
  posixGid: z.number().optional(),
  secondaryGids: z.array(z.number()).optional(),
  /** Access point root directory; S3 Files creates it with `rootDirectoryPermissions`. @default "/agents" */
  rootDirectory: z.string().optional(),
  /** Octal mode for the root directory when S3 Files creates it. @default "750" */
  rootDirectoryPermissions: z.string().optional(),
  /** Keep the bucket and its objects when the environment is torn down. @default false (development), true (production) */
  retainDataOnTeardown: z.boolean().optional(),
  /** Customer managed KMS key for the bucket and file system. @default SSE-S3 */
  kmsKeyArn: z.string().optional(),
  /** Days before non-current object versions expire (versioning is mandatory for S3 Files). @default 7 (development), 90 (production) */
  noncurrentVersionExpirationDays: z.number().optional(),
});

const modelInput = z.union([
  z.string(),
  z.strictObject({
    /** Foundation model id, or a cross-region inference profile id (us., eu., apac., global., ...). */
    id: z.string(),
    /** Regions the inference profile routes to. @default the geography's Regions (lib/service-facts.ts) */
    routedRegions: z.array(z.string()).optional(),
  }),
]);

const authInput = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("AWS_IAM") }),
  z.strictObject({
    type: z.literal("CUSTOM_JWT"),
    /** OIDC discovery URL, ending in /.well-known/openid-configuration. */
    discoveryUrl: z.string(),
    allowedAudience: z.array(z.string()).optional(),
    allowedClients: z.array(z.string()).optional(),
    allowedScopes: z.array(z.string()).optional(),
  }),
]);

const additionalMountInput = z.strictObject({
  type: z.enum(["s3files", "efs"]),
  accessPointArn: z.string(),
  /** File system the access point belongs to (EFS access point ARNs do not name it). */
  fileSystemArn: z.string(),
  mountPath: z.string(),
});

const agentInput = z.strictObject({
  /** Bedrock models the agent may call; nothing else is granted. */
  models: z.array(modelInput),
  /** @default "HTTP" */
  protocol: z.enum(["HTTP", "MCP", "A2A"]).optional(),
  /** Inbound auth. There is deliberately no way to configure none. @default { type: "AWS_IAM" } */
  auth: z.unknown().optional(),
  /** Lifecycle preset. @default "interactive" */
  workload: z.enum(["interactive", "batch", "long-running"]).optional(),
  /** Overrides the preset. 60..28800. */
  idleTimeoutSeconds: z.number().optional(),
  /** Overrides the preset. 60..28800. */
  maxLifetimeSeconds: z.number().optional(),
  /** @default "/mnt/workspace" */
  sessionStorageMountPath: z.string().optional(),
  /** @default "/mnt/s3data" */
  s3FilesMountPath: z.string().optional(),
  /** More file systems to mount (another team's S3 Files or EFS access point). @default none */
  additionalMounts: z.array(additionalMountInput).optional(),
  /** Bucket prefix the agent reads and writes through the S3 API (cold tier). @default "agent-data" */
  agentPrefix: z.string().optional(),
  /** Plain configuration for the agent; never secrets. */
  environmentVariables: z.record(z.string(), z.string()).optional(),
  /** @default 30 (development), 365 (production) */
  logRetentionDays: z.number().optional(),
  /** Images the registry keeps (untagged images expire after a day). @default 30 */
  keepImages: z.number().optional(),
  /** Pin an image digest here instead of passing it at deploy time. */
  imageDigest: z.string().optional(),
  /** IAM roles, users or groups that get the operator policy (InvokeAgentRuntimeCommand). @default none */
  operators: z.array(z.string()).optional(),
  /** When set, a runtime resource policy denies invocation to every other principal. @default - identity policies decide */
  invokers: z.array(z.string()).optional(),
  alerts: z
    .strictObject({
      /** Email addresses told when someone runs a command in the runtime. Required in production. */
      emails: z.array(z.string()).optional(),
      /** "create": a trail logging only this runtime's command events; or an existing trail's ARN that already does. @default "create" */
      cloudTrail: z.union([z.literal("create"), z.strictObject({ existingTrailArn: z.string() })]).optional(),
    })
    .optional(),
});

export const environmentInputSchema = z.strictObject({
  /** Lowercase letters, digits and hyphens; prefixes every stack and resource name. */
  name: z.string(),
  /** Drives the defaults: development is cheap, production is resilient. @default "production" */
  stage: z.enum(STAGES).optional(),
  /** 12-digit account id. Optional for synth; when set, the provider refuses any other account. */
  account: z.string().optional(),
  region: z.string(),
  /** Role the AWS provider assumes (multi-account deploys). */
  deployRoleArn: z.string().optional(),
  /** @default { backend: "local" } */
  state: z.discriminatedUnion("backend", [localStateInput, s3StateInput]).optional(),
  network: z.discriminatedUnion("mode", [createdNetworkInput, importedNetworkInput]),
  storage: storageInput.optional(),
  agent: agentInput,
  /** Production-readiness audit settings. */
  audit: z
    .strictObject({
      /** Rules not to fail on, each with the written reason the report shows. */
      suppress: z.array(z.strictObject({ rule: z.string(), reason: z.string() })).optional(),
    })
    .optional(),
  /** Extra tags on every resource, through the provider's default_tags. */
  tags: z.record(z.string(), z.string()).optional(),
});

type SchemaInput = z.input<typeof environmentInputSchema>;
/** What an environment file contains. (`agent.auth` is parsed after the shape, to refuse "no auth" by name.) */
export type EnvironmentInput = Omit<SchemaInput, "agent"> & {
  readonly agent: Omit<SchemaInput["agent"], "auth"> & { readonly auth?: z.input<typeof authInput> };
};

/** Typed identity: lets an environment file get completion and type errors without validating yet. */
export function defineEnvironment(input: EnvironmentInput): EnvironmentInput {
  return input;
}

// ---------------------------------------------------------------------------------------------------
// Resolved environment (what modules are built from)
// ---------------------------------------------------------------------------------------------------

export type Stage = (typeof STAGES)[number];
export type EgressMode = (typeof EGRESS_MODES)[number];

export type StateBackend =
  | { readonly backend: "local" }
  | { readonly backend: "s3"; readonly bucket: string; readonly keyPrefix: string; readonly region: string; readonly roleArn?: string };

export interface CreatedNetwork {
  readonly mode: "create";
  readonly cidr: string;
  readonly availabilityZoneIds: readonly string[];
  readonly egress: EgressMode;
  readonly interfaceEndpoints: readonly string[];
  readonly flowLogs: { readonly enabled: boolean; readonly retentionDays: number };
  /** Planned subnet ranges, index-aligned with `availabilityZoneIds`. */
  readonly subnets: { readonly private: readonly string[]; readonly public: readonly string[] };
}

export interface ImportedNetwork {
  readonly mode: "import";
  readonly vpcId: string;
  readonly privateSubnets: readonly { readonly subnetId: string; readonly availabilityZoneId: string }[];
  readonly interfaceEndpoints: readonly string[];
  readonly s3GatewayRouteTableIds: readonly string[];
}

export interface StorageSettings {
  readonly posixUid: number;
  readonly posixGid: number;
  readonly secondaryGids: readonly number[];
  readonly rootDirectory: string;
  readonly rootDirectoryPermissions: string;
  readonly retainDataOnTeardown: boolean;
  readonly kmsKeyArn?: string;
  readonly noncurrentVersionExpirationDays: number;
}

export type AgentAuth = RuntimeAuth;
export type ModelAccess = RuntimeModel;
export type AdditionalMount = RuntimeMount;

export interface AgentSettings {
  readonly models: readonly ModelAccess[];
  readonly protocol: "HTTP" | "MCP" | "A2A";
  readonly auth: AgentAuth;
  readonly workload: Workload;
  readonly idleTimeoutSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly sessionStorageMountPath: string;
  readonly s3FilesMountPath: string;
  readonly additionalMounts: readonly AdditionalMount[];
  readonly agentPrefix: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly keepImages: number;
  readonly imageDigest?: string;
  readonly operators: readonly string[];
  readonly invokers?: readonly string[];
  readonly alertEmails: readonly string[];
  readonly cloudTrail: "create" | { readonly existingTrailArn: string };
}

export type Workload = "interactive" | "batch" | "long-running";

/**
 * Lifecycle presets (seconds; the service allows 60..28800, defaults 900 / 28800). Interactive sessions
 * idle out after 15 minutes; batch jobs are short and release compute fast; long-running work keeps
 * sessions for the service maximum.
 */
export const WORKLOAD_LIFECYCLE: Readonly<Record<Workload, { idleTimeoutSeconds: number; maxLifetimeSeconds: number }>> = {
  interactive: { idleTimeoutSeconds: 900, maxLifetimeSeconds: 28800 },
  batch: { idleTimeoutSeconds: 300, maxLifetimeSeconds: 3600 },
  "long-running": { idleTimeoutSeconds: 3600, maxLifetimeSeconds: 28800 },
};

export interface Environment {
  readonly name: string;
  readonly stage: Stage;
  readonly account?: string;
  readonly region: string;
  readonly partition: string;
  readonly deployRoleArn?: string;
  readonly state: StateBackend;
  readonly network: CreatedNetwork | ImportedNetwork;
  readonly storage: StorageSettings;
  readonly agent: AgentSettings;
  /** Audit rules suppressed for this environment, each with its reason. */
  readonly auditSuppressions: readonly { readonly rule: string; readonly reason: string }[];
  /** Every tag the provider applies: the project's own plus the environment's. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The tag teardown's final sweep looks for; reserved so no environment can override it. */
export const ENVIRONMENT_TAG_KEY = "agentcore-s3files:environment";

export const STAGE_DEFAULTS = {
  development: {
    egress: "nat-single",
    azCount: 2,
    retainDataOnTeardown: false,
    flowLogsEnabled: false,
    flowLogRetentionDays: 30,
    noncurrentVersionExpirationDays: 7,
    logRetentionDays: 30,
  },
  production: {
    egress: "nat-per-az",
    azCount: 3,
    retainDataOnTeardown: true,
    flowLogsEnabled: true,
    flowLogRetentionDays: 365,
    noncurrentVersionExpirationDays: 90,
    logRetentionDays: 365,
  },
} as const satisfies Record<Stage, unknown>;

// ---------------------------------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------------------------------

export interface ConfigProblem {
  readonly environment: string;
  /** Dotted path of the field, e.g. "network.azCount". */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `environment "${p.environment}": ${p.field} = ${showValue(p.value)}: ${p.problem}. Fix: ${p.fix}.`;
}

export class EnvironmentConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const environments = new Set(problems.map((p) => p.environment));
    super(
      `${problems.length} configuration problem${problems.length === 1 ? "" : "s"} in ` +
        `${environments.size} environment${environments.size === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.problems = problems;
    this.name = "EnvironmentConfigError";
  }
}

/**
 * A field's dotted path, as people write it: `agent.operators.0`, `tags.CostCenter`; a key that would not read
 * as one segment (empty, spaces, dots, quotes, control characters) is written in brackets: `tags[""]`.
 */
export function fieldPath(...segments: readonly (string | number)[]): string {
  return segments
    .map((segment, i) => {
      const text = String(segment);
      if (typeof segment === "string" && !/^[\w:@+=,/-]+$/.test(text)) return `[${JSON.stringify(text)}]`;
      return i === 0 ? text : `.${text}`;
    })
    .join("");
}

function showValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

/**
 * Validates every environment and resolves their defaults. Throws one EnvironmentConfigError listing
 * every problem in every environment, so a user fixes them in one pass.
 */
export function resolveEnvironments(inputs: readonly unknown[]): Environment[] {
  const problems: ConfigProblem[] = [];
  const resolved: Environment[] = [];
  inputs.forEach((input, index) => {
    const label = labelOf(input, index);
    const parsed = environmentInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => problemFromIssue(label, issue)));
      return;
    }
    const check = new EnvironmentChecker(label);
    const environment = check.resolve(parsed.data);
    problems.push(...check.problems);
    if (check.problems.length === 0) resolved.push(environment);
  });
  problems.push(...crossEnvironmentProblems(resolved));
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
  return resolved;
}

/** How problems name an environment: its name when it is printable text, else its place in the list. */
function labelOf(input: unknown, index: number): string {
  const name = input !== null && typeof input === "object" ? (input as { name?: unknown }).name : undefined;
  if (typeof name === "string" && /^[\x21-\x7E]([\x20-\x7E]{0,62}[\x21-\x7E])?$/.test(name)) return name;
  return typeof name === "string" && name.length > 0 ? `#${index + 1} (name ${JSON.stringify(name.slice(0, 40))})` : `#${index + 1} (no name)`;
}

function problemFromIssue(environment: string, issue: z.core.$ZodIssue): ConfigProblem {
  const field = fieldPath(...issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment))) || "(environment)";
  switch (issue.code) {
    case "unrecognized_keys": {
      const parent = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
      return {
        environment,
        field: issue.keys.map((k) => fieldPath(...parent, k)).join(", "),
        value: undefined,
        problem: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`,
        fix: "remove it or correct the spelling (see environments/schema.ts for the fields an environment takes)",
      };
    }
    case "invalid_type": {
      const missing = issue.input === undefined;
      return {
        environment,
        field,
        value: issue.input,
        problem: missing ? "is required" : `must be ${article(issue.expected)}, not ${describeType(issue.input)}`,
        fix: `set ${field} to ${article(issue.expected)}`,
      };
    }
    case "invalid_value":
      return {
        environment,
        field,
        value: issue.input,
        problem: "is not one of the allowed values",
        fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options ?? [];
      const value = discriminator ? (issue.input as Record<string, unknown> | undefined)?.[discriminator] : issue.input;
      return {
        environment,
        field,
        value,
        problem: "is not a known option",
        fix: `use one of ${options.map((o) => JSON.stringify(o)).join(", ")}`,
      };
    }
    default:
      return { environment, field, value: issue.input, problem: issue.message, fix: "see environments/schema.ts" };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}

const NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const ACCOUNT_PATTERN = /^\d{12}$/;
const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const KMS_KEY_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/[a-zA-Z0-9-]+$/;
const STATE_BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const STATE_KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const VPC_ID_PATTERN = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]{8,17}$/;
const ROUTE_TABLE_ID_PATTERN = /^rtb-[0-9a-f]{8,17}$/;
const ENDPOINT_SERVICE_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;
const ROOT_DIRECTORY_PATTERN = /^(\/[A-Za-z0-9._-]+)+$/;
const PERMISSIONS_PATTERN = /^[0-7]{3,4}$/;
/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
const REQUIRED_ENDPOINTS_WITHOUT_NAT = ["ecr.api", "ecr.dkr", "logs"];
const MAX_POSIX_ID = 4294967294;

type EnvironmentData = z.output<typeof environmentInputSchema>;

/** Semantic checks over one parsed environment; collects problems instead of throwing. */
class EnvironmentChecker {
  readonly problems: ConfigProblem[] = [];

  private readonly environment: string;
  constructor(environment: string) {
    this.environment = environment;
  }

  /** Fields already refused for a Terraform template sequence: one problem per field is enough. */
  private readonly templated = new Set<string>();

  private report(field: string, value: unknown, problem: string, fix: string): void {
    if (this.templated.has(field)) return;
    this.problems.push({ environment: this.environment, field, value, problem, fix });
  }

  resolve(data: EnvironmentData): Environment {
    this.checkTemplateSequences(data);
    const stage = data.stage ?? "production";
    const defaults = STAGE_DEFAULTS[stage];
    this.checkName(data.name);
    if (data.account !== undefined && !ACCOUNT_PATTERN.test(data.account)) {
      this.report("account", data.account, "is not a 12-digit AWS account id", 'write the id as a string of 12 digits, e.g. "123456789012"');
    }
    this.checkRegion(data.region);
    const partition = partitionOf(data.region);
    if (data.deployRoleArn !== undefined) this.checkRoleArn("deployRoleArn", data.deployRoleArn, data.account, partition);
    this.checkNameLengths(data.name, data.region, data.account);
    const tags = this.resolveTags(data);
    const state = this.resolveState(data);
    const network =
      data.network.mode === "create"
        ? this.resolveCreatedNetwork(data.network, data.region, defaults)
        : this.resolveImportedNetwork(data.network, data.region);
    const storage = this.resolveStorage(data.storage ?? {}, data.region, data.account, defaults);
    const agent = this.resolveAgent(data.agent, data.region, data.account, stage, defaults);
    this.checkColdTierOutsideFileTree(agent.agentPrefix, storage.rootDirectory);
    this.checkDerivedVariables(data.name, agent);
    const auditSuppressions = this.resolveSuppressions(data.audit?.suppress ?? []);
    // The audit requires production data to survive teardown (res-data-retained-in-production, error level):
    // turning that off is a reviewed exception, written down as a suppression with its reason.
    if (stage === "production" && !storage.retainDataOnTeardown && !auditSuppressions.some((s) => s.rule === "res-data-retained-in-production")) {
      this.report(
        "storage.retainDataOnTeardown",
        false,
        "is false in a production environment: one teardown would delete the bucket with every object and version the agents wrote",
        'keep it true, or, if this production environment\'s data is disposable, say why in audit.suppress: { rule: "res-data-retained-in-production", reason: "…" }',
      );
    }
    return {
      name: data.name,
      stage,
      ...(data.account !== undefined && { account: data.account }),
      region: data.region,
      partition,
      ...(data.deployRoleArn !== undefined && { deployRoleArn: data.deployRoleArn }),
      state,
      network,
      storage,
      agent,
      auditSuppressions,
      tags,
    };
  }

  /**
   * The access point's root directory is the key prefix of the S3 Files tree agents reach over NFS. A cold-tier
   * prefix inside it (or containing it) would let S3 API writes race the file system: on conflict S3 wins and
   * the file copy goes to lost+found (REFERENCE.md "S3 Files").
   */
  private checkColdTierOutsideFileTree(agentPrefix: string, rootDirectory: string): void {
    const prefix = agentPrefix.split("/");
    const tree = rootDirectory.split("/").filter((s) => s !== "");
    if (prefix.some((s) => s === "") || tree.length === 0) return;
    const shared = Math.min(prefix.length, tree.length);
    if (prefix.slice(0, shared).every((s, i) => s === tree[i])) {
      this.report(
        "agent.agentPrefix",
        agentPrefix,
        `overlaps storage.rootDirectory ("${rootDirectory}"), the S3 Files tree the access point exposes: objects written through the S3 API there would race the file system (S3 wins a conflict; the file copy goes to lost+found)`,
        `choose a prefix outside "${tree.join("/")}/", e.g. "agent-data"`,
      );
    }
  }

  /**
   * Settings the project passes to the agent as environment variables (PROJECT_ENVIRONMENT_VARIABLES) are as
   * readable as the user's own: the secret detector that guards agent.environmentVariables (and the audit's
   * config-no-secret-env, which reads them all) applies to them too.
   */
  private checkDerivedVariables(name: string, agent: AgentSettings): void {
    const derived: [field: string, variable: string, value: string][] = [
      ["name", "AGENT_ENVIRONMENT", name],
      ["agent.agentPrefix", "AGENT_PREFIX", agent.agentPrefix],
      ["agent.sessionStorageMountPath", "SESSION_STORAGE_PATH", agent.sessionStorageMountPath],
      ["agent.s3FilesMountPath", "S3FILES_MOUNT_PATH", agent.s3FilesMountPath],
      ...agent.models.map((m, i): [string, string, string] => [`agent.models.${i}`, "AGENT_MODEL_IDS", m.id]),
    ];
    for (const [field, variable, value] of derived) {
      const why = secretLikeValue(value);
      if (why !== undefined) {
        this.report(
          field,
          "(value hidden)",
          `looks like a secret (${why}); it reaches the runtime as ${variable}, readable by anyone who can describe the runtime`,
          "use a plain value here; keep secrets in AgentCore Identity or Secrets Manager",
        );
      }
    }
  }

  /**
   * Every string of the environment reaches the synthesized Terraform JSON as written, where "${" and "%{"
   * start an expression or a template directive (Terraform language, "Strings and Templates"): a value such as
   * an environment variable's would be evaluated, not passed on. (Audit reasons stay out of Terraform.)
   */
  private checkTemplateSequences(value: unknown, path: (string | number)[] = []): void {
    if (typeof value === "string") {
      if (/[$%]\{/.test(value)) {
        this.report(fieldPath(...path), value, 'contains "${" or "%{", which Terraform would evaluate as an expression instead of passing the text on', "remove the sequence (these settings take plain text)");
        this.templated.add(fieldPath(...path));
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkTemplateSequences(item, [...path, i]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (path.length === 0 && key === "audit") continue;
        if (/[$%]\{/.test(key)) this.report(fieldPath(...path, key), key, 'has "${" or "%{" in its name, which Terraform would evaluate', "rename it");
        this.checkTemplateSequences(item, [...path, key]);
      }
    }
  }

  private checkName(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      this.report(
        "name",
        name,
        "must start with a lowercase letter and contain only lowercase letters, digits and single hyphens (it names stacks, buckets and roles)",
        'use a name like "dev", "staging" or "prod-eu"',
      );
    }
  }

  private checkRegion(region: string): void {
    if (!REGION_PATTERN.test(region)) {
      this.report("region", region, "is not an AWS Region code", 'use a Region code such as "us-west-2"');
    } else if (!AGENTCORE_RUNTIME_REGIONS.includes(region)) {
      this.report(
        "region",
        region,
        "does not offer Amazon Bedrock AgentCore Runtime",
        `choose one of ${AGENTCORE_RUNTIME_REGIONS.join(", ")} (update lib/service-facts.ts if AWS has added the Region)`,
      );
    }
  }

  private checkRoleArn(field: string, arn: string, account: string | undefined, partition: string): void {
    const match = ROLE_ARN_PATTERN.exec(arn);
    if (!match) {
      this.report(field, arn, "is not an IAM role ARN", 'use the form "arn:aws:iam::123456789012:role/deploy"');
      return;
    }
    if (match[1] !== partition) {
      this.report(field, arn, `is in partition ${match[1]} but the Region is in ${partition}`, `use a role in the ${partition} partition`);
    }
    if (field === "deployRoleArn" && account !== undefined && match[2] !== account) {
      this.report(
        field,
        arn,
        `is in account ${match[2]}, not the environment's account ${account}`,
        "use a deploy role in the account the environment deploys to, or correct `account`",
      );
    }
  }

  private checkNameLengths(name: string, region: string, account: string | undefined): void {
    if (!NAME_PATTERN.test(name)) return;
    const naming = { name, region, accountId: account ?? ACCOUNT_ID_PLACEHOLDER };
    for (const rule of Object.values(NAME_RULES)) {
      const built = rule.build(naming);
      if (built.length > rule.maxLength) {
        const allowed = name.length - (built.length - rule.maxLength);
        this.report(
          "name",
          name,
          `makes the ${rule.resource} name "${built}" ${built.length} characters long (limit ${rule.maxLength})`,
          `shorten the environment name to at most ${allowed} characters`,
        );
      }
    }
  }

  private resolveTags(data: EnvironmentData): Record<string, string> {
    const userTags = data.tags ?? {};
    for (const [key, value] of Object.entries(userTags)) {
      const field = fieldPath("tags", key);
      if (key.length === 0 || key.length > 128) {
        this.report(field, key, "tag keys must be 1 to 128 characters", "shorten the tag key");
      } else if (key.toLowerCase().startsWith("aws:")) {
        this.report(field, key, 'the "aws:" prefix is reserved for AWS', "choose a key without the aws: prefix");
      } else if (key === ENVIRONMENT_TAG_KEY) {
        this.report(field, value, "is set by the project to the environment name (teardown finds resources by it)", "remove this tag");
      }
      if (value.length > 256) this.report(field, value, "tag values must be at most 256 characters", "shorten the tag value");
    }
    return {
      Project: "agentcore-s3files",
      Environment: data.name,
      ManagedBy: "cdktn",
      ...userTags,
      [ENVIRONMENT_TAG_KEY]: data.name,
    };
  }

  private resolveState(data: EnvironmentData): StateBackend {
    const state = data.state ?? { backend: "local" };
    if (state.backend === "local") return state;
    if (!STATE_BUCKET_PATTERN.test(state.bucket)) {
      this.report("state.bucket", state.bucket, "is not a valid S3 bucket name", "use 3-63 lowercase letters, digits, dots or hyphens");
    }
    const keyPrefix = state.keyPrefix ?? `agentcore-s3files/${data.name}`;
    if (!STATE_KEY_PREFIX_PATTERN.test(keyPrefix)) {
      this.report(
        "state.keyPrefix",
        keyPrefix,
        "is not a usable S3 key prefix",
        'use path segments without leading or trailing slashes, e.g. "terraform/agents"',
      );
    }
    const region = state.region ?? data.region;
    if (!REGION_PATTERN.test(region)) this.report("state.region", region, "is not an AWS Region code", 'use a Region code such as "us-east-1"');
    if (state.roleArn !== undefined) this.checkRoleArn("state.roleArn", state.roleArn, undefined, partitionOf(region));
    return {
      backend: "s3",
      bucket: state.bucket,
      keyPrefix,
      region,
      ...(state.roleArn !== undefined && { roleArn: state.roleArn }),
    };
  }

  private resolveCreatedNetwork(
    network: Extract<EnvironmentData["network"], { mode: "create" }>,
    region: string,
    defaults: (typeof STAGE_DEFAULTS)[Stage],
  ): CreatedNetwork {
    const cidr = this.checkVpcCidr(network.cidr);
    const availabilityZoneIds = this.resolveAvailabilityZones(network, region, defaults.azCount);
    const egress = network.egress ?? defaults.egress;
    const interfaceEndpoints =
      network.interfaceEndpoints ?? (egress === "endpoints-only" ? [...DEFAULT_INTERFACE_ENDPOINTS] : []);
    this.checkEndpoints("network.interfaceEndpoints", interfaceEndpoints);
    if (egress === "endpoints-only") {
      const missing = REQUIRED_ENDPOINTS_WITHOUT_NAT.filter((service) => !interfaceEndpoints.includes(service));
      if (missing.length > 0) {
        this.report(
          "network.interfaceEndpoints",
          interfaceEndpoints,
          `lacks ${missing.join(", ")}, without which a VPC with no NAT cannot pull the agent image or ship its logs`,
          `add ${missing.map((m) => `"${m}"`).join(", ")} or choose a NAT egress mode`,
        );
      }
    }
    const retentionDays = network.flowLogs?.retentionDays ?? defaults.flowLogRetentionDays;
    this.checkRetention("network.flowLogs.retentionDays", retentionDays);
    const subnets =
      cidr && availabilityZoneIds.length <= SUBNET_LAYOUT.maxAvailabilityZones
        ? planSubnets(cidr, availabilityZoneIds.length)
        : { private: [], public: [] };
    return {
      mode: "create",
      cidr: network.cidr,
      availabilityZoneIds,
      egress,
      interfaceEndpoints,
      flowLogs: { enabled: network.flowLogs?.enabled ?? defaults.flowLogsEnabled, retentionDays },
      subnets,
    };
  }

  private checkVpcCidr(text: string): Ipv4Cidr | undefined {
    const parsed = parseCidr(text);
    if (!isCidr(parsed)) {
      this.report("network.cidr", text, parsed.error, 'use a network address with a prefix length, e.g. "10.20.0.0/16"');
      return undefined;
    }
    if (parsed.prefixLength < MIN_VPC_PREFIX_LENGTH || parsed.prefixLength > MAX_VPC_PREFIX_LENGTH) {
      this.report(
        "network.cidr",
        text,
        `has a /${parsed.prefixLength} prefix; a VPC here must be /${MIN_VPC_PREFIX_LENGTH} to /${MAX_VPC_PREFIX_LENGTH} (the smallest public subnet AWS allows is /28)`,
        `choose a prefix length between /${MIN_VPC_PREFIX_LENGTH} and /${MAX_VPC_PREFIX_LENGTH}`,
      );
      return undefined;
    }
    if (!isPrivateRange(parsed)) {
      this.report(
        "network.cidr",
        text,
        "is not inside a private (RFC 1918) range, so the VPC would shadow public addresses",
        "choose a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
      );
      return undefined;
    }
    return parsed;
  }

  private resolveAvailabilityZones(
    network: Extract<EnvironmentData["network"], { mode: "create" }>,
    region: string,
    defaultCount: number,
  ): string[] {
    const supported = agentCoreVpcAzIds(region);
    const azCount = network.azCount;
    if (azCount !== undefined && (!Number.isInteger(azCount) || azCount < 2)) {
      this.report(
        "network.azCount",
        azCount,
        "must be a whole number of at least 2, so the runtime and the S3 Files mount targets survive the loss of one Availability Zone",
        "set network.azCount to 2 or 3",
      );
      return [];
    }
    if (network.availabilityZoneIds !== undefined) {
      const ids = network.availabilityZoneIds;
      this.checkAvailabilityZoneIds("network.availabilityZoneIds", ids, region);
      if (azCount !== undefined && azCount !== ids.length) {
        this.report(
          "network.azCount",
          azCount,
          `disagrees with network.availabilityZoneIds, which lists ${ids.length}`,
          "remove network.azCount or make it match the list",
        );
      }
      if (ids.length > SUBNET_LAYOUT.maxAvailabilityZones) {
        this.report(
          "network.availabilityZoneIds",
          ids,
          `lists ${ids.length} zones; the subnet layout holds at most ${SUBNET_LAYOUT.maxAvailabilityZones}`,
          `list at most ${SUBNET_LAYOUT.maxAvailabilityZones}`,
        );
      }
      return ids;
    }
    if (!supported) {
      if (AGENTCORE_RUNTIME_REGIONS.includes(region)) {
        this.report(
          "network.availabilityZoneIds",
          undefined,
          `this project has no list of the AZ IDs where AgentCore supports VPC mode in ${region}`,
          'list them (e.g. ["euw2-az1", "euw2-az2"]) from the AgentCore devguide\'s "Supported Availability Zones" table',
        );
      }
      return [];
    }
    const count = azCount ?? Math.min(defaultCount, supported.length);
    if (count > supported.length) {
      this.report(
        "network.azCount",
        count,
        `${region} has ${supported.length} Availability Zones where AgentCore supports VPC mode (${supported.join(", ")})`,
        `set network.azCount to at most ${supported.length}`,
      );
      return [];
    }
    return supported.slice(0, count);
  }

  private checkAvailabilityZoneIds(field: string, ids: readonly string[], region: string): void {
    const supported = agentCoreVpcAzIds(region);
    ids.forEach((id, i) => {
      if (!AZ_ID_PATTERN.test(id)) {
        this.report(`${field}.${i}`, id, "is not an Availability Zone ID", 'use a zone ID such as "usw2-az1" (not a zone name such as "us-west-2a")');
      } else if (supported && !supported.includes(id)) {
        this.report(
          `${field}.${i}`,
          id,
          `is not an AZ where AgentCore supports VPC mode in ${region}`,
          `use one of ${supported.join(", ")} (update lib/service-facts.ts if AWS has added the zone)`,
        );
      }
    });
    const distinct = new Set(ids);
    if (distinct.size < 2) {
      this.report(
        field,
        ids,
        distinct.size === ids.length
          ? "needs at least 2 Availability Zones so the runtime survives the loss of one"
          : "names the same Availability Zone more than once; every subnet must be in a different one",
        "list at least two distinct AZ IDs",
      );
    } else if (distinct.size !== ids.length) {
      this.report(field, ids, "names the same Availability Zone more than once", "list each AZ ID once");
    }
  }

  private resolveImportedNetwork(
    network: Extract<EnvironmentData["network"], { mode: "import" }>,
    region: string,
  ): ImportedNetwork {
    if (!VPC_ID_PATTERN.test(network.vpcId)) {
      this.report("network.vpcId", network.vpcId, "is not a VPC id", 'use the id of an existing VPC, e.g. "vpc-0a1b2c3d4e5f67890"');
    }
    const subnets = network.privateSubnets;
    subnets.forEach((subnet, i) => {
      if (!SUBNET_ID_PATTERN.test(subnet.subnetId)) {
        this.report(`network.privateSubnets.${i}.subnetId`, subnet.subnetId, "is not a subnet id", 'use an id such as "subnet-0a1b2c3d4e5f67890"');
      }
    });
    if (new Set(subnets.map((s) => s.subnetId)).size !== subnets.length) {
      this.report("network.privateSubnets", subnets.map((s) => s.subnetId), "lists the same subnet more than once", "list each subnet once");
    }
    if (subnets.length < 2) {
      this.report(
        "network.privateSubnets",
        subnets.map((s) => s.subnetId),
        `lists ${subnets.length} subnet${subnets.length === 1 ? "" : "s"}; the runtime and the S3 Files mount targets need at least 2 in distinct Availability Zones`,
        "add private subnets in other Availability Zones",
      );
    } else {
      this.checkAvailabilityZoneIds("network.privateSubnets[*].availabilityZoneId", subnets.map((s) => s.availabilityZoneId), region);
    }
    const interfaceEndpoints = network.interfaceEndpoints ?? [];
    this.checkEndpoints("network.interfaceEndpoints", interfaceEndpoints);
    const routeTables = network.s3GatewayRouteTableIds ?? [];
    routeTables.forEach((id, i) => {
      if (!ROUTE_TABLE_ID_PATTERN.test(id)) {
        this.report(`network.s3GatewayRouteTableIds.${i}`, id, "is not a route table id", 'use an id such as "rtb-0a1b2c3d4e5f67890"');
      }
    });
    return {
      mode: "import",
      vpcId: network.vpcId,
      privateSubnets: subnets,
      interfaceEndpoints,
      s3GatewayRouteTableIds: routeTables,
    };
  }

  private checkEndpoints(field: string, services: readonly string[]): void {
    services.forEach((service, i) => {
      if (!ENDPOINT_SERVICE_PATTERN.test(service) || service.startsWith("com.amazonaws")) {
        this.report(`${field}.${i}`, service, "is not a service suffix", 'write the part after "com.amazonaws.<region>.", e.g. "ecr.api"');
      } else if (service === "s3") {
        this.report(`${field}.${i}`, service, "S3 always gets a gateway endpoint (free); an interface endpoint is not needed", 'remove "s3"');
      }
    });
    if (new Set(services).size !== services.length) this.report(field, services, "lists a service more than once", "list each service once");
  }

  private checkRetention(field: string, days: number): void {
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
      this.report(field, days, "is not a retention period CloudWatch Logs accepts", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
  }

  private resolveSuppressions(suppressions: { rule: string; reason: string }[]): { rule: string; reason: string }[] {
    suppressions.forEach((suppression, i) => {
      if (!RULE_IDS.includes(suppression.rule)) {
        this.report(`audit.suppress.${i}.rule`, suppression.rule, "is not an audit rule", `use one of ${RULE_IDS.join(", ")}`);
      }
      if (suppression.reason.trim().length < 20) {
        this.report(`audit.suppress.${i}.reason`, suppression.reason, "is too short to tell a reviewer why the rule does not apply", "write at least a sentence (20 characters or more)");
      }
    });
    const ids = suppressions.map((s) => s.rule);
    if (new Set(ids).size !== ids.length) this.report("audit.suppress", ids, "suppresses a rule more than once", "keep one entry per rule");
    return suppressions;
  }

  private resolveAgent(
    agent: AgentData,
    region: string,
    account: string | undefined,
    stage: Stage,
    defaults: (typeof STAGE_DEFAULTS)[Stage],
  ): AgentSettings {
    return new AgentChecker((field, value, problem, fix) => this.report(field, value, problem, fix)).resolve(agent, region, account, stage, defaults);
  }

  private resolveStorage(
    storage: NonNullable<EnvironmentData["storage"]>,
    region: string,
    account: string | undefined,
    defaults: (typeof STAGE_DEFAULTS)[Stage],
  ): StorageSettings {
    const posixUid = storage.posixUid ?? 1000;
    const posixGid = storage.posixGid ?? 1000;
    for (const [field, id] of [["storage.posixUid", posixUid], ["storage.posixGid", posixGid]] as const) {
      if (!Number.isInteger(id) || id < 1 || id > MAX_POSIX_ID) {
        this.report(
          field,
          id,
          id === 0 ? "0 is root; root access through S3 Files needs s3files:ClientRootAccess, which this project does not grant" : `must be a whole number from 1 to ${MAX_POSIX_ID}`,
          "use the non-root uid/gid your agent container runs as, e.g. 1000",
        );
      }
    }
    const secondaryGids = storage.secondaryGids ?? [];
    secondaryGids.forEach((gid, i) => {
      if (gid === 0) {
        this.report(`storage.secondaryGids.${i}`, gid, "is the root group: every client of the access point would act with gid 0 on the file system", "remove it; use the group ids your agent's files need, e.g. 1000");
      } else if (!Number.isInteger(gid) || gid < 1 || gid > MAX_POSIX_ID) {
        this.report(`storage.secondaryGids.${i}`, gid, `must be a whole number from 1 to ${MAX_POSIX_ID}`, "correct the group id");
      }
    });
    if (secondaryGids.length > 16) {
      this.report("storage.secondaryGids", secondaryGids, "lists more than the 16 secondary groups an access point allows", "list at most 16");
    }
    const rootDirectory = storage.rootDirectory ?? "/agents";
    if (!ROOT_DIRECTORY_PATTERN.test(rootDirectory) || rootDirectory.split("/").some((part) => part === "." || part === "..") || rootDirectory.length > 100) {
      this.report(
        "storage.rootDirectory",
        rootDirectory,
        'must be an absolute path below "/" of at most 100 characters, without "." or ".." segments or a trailing slash',
        'use a path such as "/agents"',
      );
    }
    const rootDirectoryPermissions = storage.rootDirectoryPermissions ?? "750";
    if (!PERMISSIONS_PATTERN.test(rootDirectoryPermissions)) {
      this.report("storage.rootDirectoryPermissions", rootDirectoryPermissions, "is not an octal file mode", 'use three or four octal digits, e.g. "750"');
    }
    if (storage.kmsKeyArn !== undefined) {
      const match = KMS_KEY_ARN_PATTERN.exec(storage.kmsKeyArn);
      if (!match) {
        this.report(
          "storage.kmsKeyArn",
          storage.kmsKeyArn,
          "is not a KMS key ARN",
          'use the key ARN (not an alias), e.g. "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
        );
      } else if (match[1] !== partitionOf(region)) {
        this.report("storage.kmsKeyArn", storage.kmsKeyArn, `is in partition ${match[1]}, but the Region is in ${partitionOf(region)}`, `use a key in ${region}`);
      } else if (match[2] !== region) {
        this.report("storage.kmsKeyArn", storage.kmsKeyArn, `is in ${match[2]}, but the bucket is in ${region}`, `use a key in ${region}`);
      } else if (account !== undefined && match[3] !== account) {
        this.report(
          "storage.kmsKeyArn",
          storage.kmsKeyArn,
          `is in account ${match[3]}, not the environment's account ${account}: the execution role and the S3 Files service role are granted its use in their own account only`,
          `use a key of account ${account} (without account set, the plan checks the key is in the deploying account)`,
        );
      }
    }
    const noncurrentVersionExpirationDays = storage.noncurrentVersionExpirationDays ?? defaults.noncurrentVersionExpirationDays;
    if (!Number.isInteger(noncurrentVersionExpirationDays) || noncurrentVersionExpirationDays < 1) {
      this.report(
        "storage.noncurrentVersionExpirationDays",
        noncurrentVersionExpirationDays,
        "must be a whole number of days, at least 1",
        "set it to the number of days old object versions are kept, e.g. 30",
      );
    }
    return {
      posixUid,
      posixGid,
      secondaryGids,
      rootDirectory,
      rootDirectoryPermissions,
      retainDataOnTeardown: storage.retainDataOnTeardown ?? defaults.retainDataOnTeardown,
      ...(storage.kmsKeyArn !== undefined && { kmsKeyArn: storage.kmsKeyArn }),
      noncurrentVersionExpirationDays,
    };
  }
}

const MODEL_ID_PATTERN = /^[a-z0-9-]+\.[a-zA-Z0-9._:-]+$/;
const MOUNT_PATH_PATTERN = /^\/mnt\/[a-zA-Z0-9._-]+\/?$/;
const ENV_VAR_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TRAIL_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):cloudtrail:[a-z0-9-]+:\d{12}:trail\/[\w.-]+$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
/**
 * The cold-tier prefix becomes part of IAM resource ARNs and s3:prefix conditions, where * and ? are
 * wildcards, so it takes S3's "safe characters" (S3 User Guide, "Naming Amazon S3 objects") without "*".
 */
const AGENT_PREFIX_SEGMENT = /^[A-Za-z0-9!_.'()-]+$/;
/** Object keys are at most 1,024 bytes (S3 User Guide, "Naming Amazon S3 objects"); leave room for names. */
const MAX_AGENT_PREFIX_LENGTH = 512;
const S3FILES_ACCESS_POINT_ARN = /^arn:aws[-a-z]*:s3files:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{17,40}\/access-point\/fsap-[0-9a-f]{17,40}$/;
const S3FILES_FILE_SYSTEM_ARN = /^arn:aws[-a-z]*:s3files:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{17,40}$/;
const EFS_ACCESS_POINT_ARN = /^arn:aws[-a-z]*:elasticfilesystem:[a-z0-9-]+:\d{12}:access-point\/fsap-[0-9a-f]{8,40}$/;
const EFS_FILE_SYSTEM_ARN = /^arn:aws[-a-z]*:elasticfilesystem:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{8,40}$/;
/** Runtime limits (REFERENCE.md "AgentCore Runtime"). */
const LIFECYCLE_SECONDS = { min: 60, max: 28800 } as const;
const MOUNT_LIMITS = { total: 5, s3files: 2, efs: 2 } as const;
const MAX_ENVIRONMENT_VARIABLES = 50;
const MAX_ENVIRONMENT_VALUE_LENGTH = 2048;
/** Variables the project sets for the agent (see stacks/agent-stack.ts); environments cannot override them. */
export const PROJECT_ENVIRONMENT_VARIABLES = [
  "AGENT_ENVIRONMENT",
  "AGENT_REGION",
  "AGENT_BUCKET",
  "AGENT_PREFIX",
  "AGENT_MODEL_IDS",
  "SESSION_STORAGE_PATH",
  "S3FILES_MOUNT_PATH",
] as const;

type AgentData = EnvironmentData["agent"];

/** Extends the checker with the agent section; kept apart so each section reads on its own. */
class AgentChecker {
  private readonly report: (field: string, value: unknown, problem: string, fix: string) => void;
  constructor(report: (field: string, value: unknown, problem: string, fix: string) => void) {
    this.report = report;
  }

  resolve(agent: AgentData, region: string, account: string | undefined, stage: Stage, defaults: (typeof STAGE_DEFAULTS)[Stage]): AgentSettings {
    const workload = agent.workload ?? "interactive";
    const preset = WORKLOAD_LIFECYCLE[workload];
    const idleTimeoutSeconds = agent.idleTimeoutSeconds ?? preset.idleTimeoutSeconds;
    const maxLifetimeSeconds = agent.maxLifetimeSeconds ?? preset.maxLifetimeSeconds;
    this.checkLifecycle(idleTimeoutSeconds, maxLifetimeSeconds);
    const sessionStorageMountPath = agent.sessionStorageMountPath ?? "/mnt/workspace";
    const s3FilesMountPath = agent.s3FilesMountPath ?? "/mnt/s3data";
    const additionalMounts = agent.additionalMounts ?? [];
    this.checkMounts(sessionStorageMountPath, s3FilesMountPath, additionalMounts, region);
    const logRetentionDays = agent.logRetentionDays ?? defaults.logRetentionDays;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
      this.report("agent.logRetentionDays", logRetentionDays, "is not a retention period CloudWatch Logs accepts", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const keepImages = agent.keepImages ?? 30;
    if (!Number.isInteger(keepImages) || keepImages < 1 || keepImages > 1000) {
      this.report("agent.keepImages", keepImages, "must be a whole number from 1 to 1000", "set how many recent images the registry keeps, e.g. 30");
    }
    if (agent.imageDigest !== undefined && !DIGEST_PATTERN.test(agent.imageDigest)) {
      this.report("agent.imageDigest", agent.imageDigest, "is not an image digest", 'use the "sha256:<64 hex>" digest build-image prints, or remove it and pass the digest at deploy time');
    }
    const agentPrefix = agent.agentPrefix ?? "agent-data";
    this.checkAgentPrefix(agentPrefix);
    const alertEmails = agent.alerts?.emails ?? [];
    alertEmails.forEach((email, i) => {
      if (!EMAIL_PATTERN.test(email)) this.report(`agent.alerts.emails.${i}`, email, "is not an email address", "correct the address");
    });
    if (stage === "production" && alertEmails.length === 0) {
      this.report(
        "agent.alerts.emails",
        alertEmails,
        "is empty, but shell access into a production runtime (InvokeAgentRuntimeCommand) must alert someone",
        "add at least one address that is watched, e.g. the platform team's on-call list",
      );
    }
    const cloudTrail = agent.alerts?.cloudTrail ?? "create";
    if (cloudTrail !== "create" && !TRAIL_ARN_PATTERN.test(cloudTrail.existingTrailArn)) {
      this.report(
        "agent.alerts.cloudTrail.existingTrailArn",
        cloudTrail.existingTrailArn,
        "is not a CloudTrail trail ARN",
        'use the ARN of a trail that logs this runtime\'s InvokeAgentRuntimeCommand data events, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail", or "create"',
      );
    } else if (cloudTrail !== "create" && arnParts(cloudTrail.existingTrailArn)?.partition !== partitionOf(region)) {
      this.report(
        "agent.alerts.cloudTrail.existingTrailArn",
        cloudTrail.existingTrailArn,
        `is in partition ${arnParts(cloudTrail.existingTrailArn)?.partition}, but the runtime's Region is in ${partitionOf(region)}, where its events are recorded`,
        `name a trail of the ${partitionOf(region)} partition`,
      );
    }
    const operators = agent.operators ?? [];
    this.checkPrincipals("agent.operators", operators, { account, partition: partitionOf(region), kinds: ["role", "user", "group"] });
    const invokers = agent.invokers;
    if (invokers !== undefined) this.checkPrincipals("agent.invokers", invokers, { account, partition: partitionOf(region), kinds: ["role", "user"] });
    if (invokers !== undefined && invokers.length === 0) {
      this.report("agent.invokers", invokers, "is empty, which would deny every caller", "list the principals that may invoke the runtime, or remove the field");
    }
    return {
      models: this.resolveModels(agent.models, region),
      protocol: agent.protocol ?? "HTTP",
      auth: this.resolveAuth(agent.auth),
      workload,
      idleTimeoutSeconds,
      maxLifetimeSeconds,
      sessionStorageMountPath,
      s3FilesMountPath,
      additionalMounts,
      agentPrefix,
      environmentVariables: this.checkEnvironmentVariables(agent.environmentVariables ?? {}),
      logRetentionDays,
      keepImages,
      ...(agent.imageDigest !== undefined && { imageDigest: agent.imageDigest }),
      operators,
      ...(invokers !== undefined && { invokers }),
      alertEmails,
      cloudTrail,
    };
  }

  private checkAgentPrefix(prefix: string): void {
    const field = "agent.agentPrefix";
    const segments = prefix.split("/");
    if (/[*?]/.test(prefix)) {
      this.report(
        field,
        prefix,
        'contains an IAM wildcard ("*" or "?"): the execution role\'s S3 grants would cover every matching key — with "*", the whole bucket, the S3 Files tree included',
        'name the prefix literally, e.g. "agent-data"',
      );
    } else if (prefix.length === 0 || segments.some((s) => s === "")) {
      this.report(field, prefix, "has an empty path segment (empty, or a leading, trailing or double slash)", 'use path segments without leading or trailing slashes, e.g. "agent-data" or "agents/cold"');
    } else if (segments.some((s) => s === "." || s === "..")) {
      this.report(field, prefix, 'has a "." or ".." segment, which S3 keeps literally but file tools resolve', 'use plain path segments, e.g. "agent-data"');
    } else if (!segments.every((s) => AGENT_PREFIX_SEGMENT.test(s))) {
      this.report(field, prefix, "uses characters outside S3's safe set (letters, digits and !_.'()-)", 'use plain path segments, e.g. "agent-data"');
    } else if (prefix.length > MAX_AGENT_PREFIX_LENGTH) {
      this.report(field, prefix, `is ${prefix.length} characters long; keep it to ${MAX_AGENT_PREFIX_LENGTH} so object keys stay within S3's 1,024 bytes`, "shorten it");
    }
  }

  /**
   * Operators get the operator policy attached by name, and invokers are matched on aws:PrincipalArn, so each
   * must be exactly one principal of the account the environment deploys to. With `account` unset, the agent
   * stack checks the account at plan time instead (a precondition on the caller identity).
   */
  private checkPrincipals(
    field: "agent.operators" | "agent.invokers",
    arns: readonly string[],
    scope: { account: string | undefined; partition: string; kinds: readonly PrincipalKind[] },
  ): void {
    const seen = new Map<string, number>();
    arns.forEach((arn, i) => {
      const at = `${field}.${i}`;
      const parsed = parseIamPrincipalArn(arn);
      if (!parsed.ok) return this.report(at, arn, parsed.problem, parsed.fix);
      const principal = parsed.value;
      if (principal.kind === "root") {
        return field === "agent.operators"
          ? this.report(at, arn, "is the account root; the operator policy is attached to named roles, users or groups", "list the roles, users or groups that may run commands")
          : this.report(
              at,
              arn,
              "is the account root: the runtime policy matches callers on aws:PrincipalArn, which for a role or user is its own ARN, so this would admit only the root user and lock out every role and user of that account",
              "list the roles and users that may invoke the runtime",
            );
      }
      if (!scope.kinds.includes(principal.kind)) {
        return this.report(at, arn, "is a group; a resource policy cannot name a group as a principal", "list the roles and users that may invoke the runtime");
      }
      if (principal.partition !== scope.partition) {
        return this.report(at, arn, `is in partition ${principal.partition}, but the environment's Region is in ${scope.partition}`, `use a principal of the ${scope.partition} partition`);
      }
      if (scope.account !== undefined && principal.accountId !== scope.account) {
        return this.report(
          at,
          arn,
          field === "agent.operators"
            ? `is in account ${principal.accountId}; the operator policy is attached by name in ${scope.account}, so it would go to whichever ${principal.kind} of that name exists there`
            : `is in account ${principal.accountId}, not the environment's account ${scope.account}`,
          "list principals of the environment's account (people of other accounts assume a role there)",
        );
      }
      const identity = principalIdentity(principal);
      const first = seen.get(identity);
      if (first !== undefined) {
        return this.report(
          at,
          arn,
          `names the same IAM ${principal.kind} as ${field}.${first} (IAM names are unique in an account whatever the path, and not case-sensitive)`,
          "list each principal once",
        );
      }
      seen.set(identity, i);
    });
  }

  private resolveModels(models: AgentData["models"], region: string): ModelAccess[] {
    if (models.length === 0) {
      this.report("agent.models", models, "is empty; the agent could not call any model", 'list the model or inference profile ids it uses, e.g. "us.anthropic.claude-sonnet-4-5-20250929-v1:0"');
    }
    return models.map((model, i) => {
      const field = typeof model === "string" ? `agent.models.${i}` : `agent.models.${i}.id`;
      const id = typeof model === "string" ? model : model.id;
      if (id.includes("*") || !MODEL_ID_PATTERN.test(id)) {
        this.report(
          field,
          id,
          id.includes("*") ? "is a wildcard; the execution role is scoped to the exact models the agent uses" : "is not a Bedrock model or inference profile id",
          'name each model exactly, e.g. "anthropic.claude-sonnet-4-5-20250929-v1:0" or "us.anthropic.claude-sonnet-4-5-20250929-v1:0"',
        );
        return { id, routedRegions: [] };
      }
      const geography = inferenceProfileGeography(id);
      if (geography === undefined) {
        if (typeof model !== "string" && model.routedRegions !== undefined) {
          this.report(`agent.models.${i}.routedRegions`, model.routedRegions, "applies only to inference profiles (ids with a geography prefix such as us. or global.)", "remove routedRegions");
        }
        return { id, routedRegions: [] };
      }
      const routedRegions = (typeof model !== "string" ? model.routedRegions : undefined) ?? INFERENCE_PROFILE_REGIONS[geography]!;
      routedRegions.forEach((r, j) => {
        if (r !== "*" && !REGION_PATTERN.test(r)) {
          this.report(`agent.models.${i}.routedRegions.${j}`, r, "is not an AWS Region code", 'use Region codes such as "us-east-1"');
        }
      });
      if (!routedRegions.includes(region) && !routedRegions.includes("*")) {
        this.report(
          field,
          id,
          `is an inference profile that does not route through ${region}, where the agent runs`,
          "use a profile of the environment's geography, or list routedRegions including it",
        );
      }
      return { id, routedRegions };
    });
  }

  private resolveAuth(auth: unknown): AgentAuth {
    if (auth === undefined) return { type: "AWS_IAM" };
    const parsed = authInput.safeParse(auth);
    if (!parsed.success) {
      const type = (auth as { type?: unknown } | null)?.type;
      const none = typeof type === "string" && /^none$/i.test(type);
      this.report(
        none ? "agent.auth.type" : "agent.auth",
        none ? type : auth,
        none
          ? "an AgentCore runtime without inbound auth is not something this project will deploy: anyone who can reach the endpoint could run the agent"
          : "is not a valid auth configuration",
        'use { type: "AWS_IAM" } (SigV4, the default) or { type: "CUSTOM_JWT", discoveryUrl, allowedAudience or allowedClients }',
      );
      return { type: "AWS_IAM" };
    }
    const value = parsed.data;
    if (value.type === "AWS_IAM") return value;
    if (!/^https:\/\/[^\s]+\/\.well-known\/openid-configuration$/.test(value.discoveryUrl)) {
      this.report("agent.auth.discoveryUrl", value.discoveryUrl, "must be an https URL ending in /.well-known/openid-configuration", "use your identity provider's OIDC discovery URL");
    }
    const allowedAudience = value.allowedAudience ?? [];
    const allowedClients = value.allowedClients ?? [];
    if (allowedAudience.length === 0 && allowedClients.length === 0) {
      this.report(
        "agent.auth",
        value,
        "accepts any token the issuer signs, for any application, because it names no audience and no client",
        "set allowedAudience or allowedClients",
      );
    }
    const allowedScopes = value.allowedScopes ?? [];
    for (const [field, list] of [["allowedAudience", allowedAudience], ["allowedClients", allowedClients], ["allowedScopes", allowedScopes]] as const) {
      const attribute = `authorizer_configuration.custom_jwt_authorizer.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}[]`;
      list.forEach((entry, i) => {
        for (const broken of valueBreaks("aws_bedrockagentcore_agent_runtime", attribute, entry)) {
          this.report(`agent.auth.${field}.${i}`, entry, `is not accepted by AgentCore: ${broken.rule} (${broken.source})`, "use the value your identity provider issues");
        }
      });
    }
    return { type: "CUSTOM_JWT", discoveryUrl: value.discoveryUrl, allowedAudience, allowedClients, allowedScopes };
  }

  private checkLifecycle(idle: number, max: number): void {
    for (const [field, value] of [["agent.idleTimeoutSeconds", idle], ["agent.maxLifetimeSeconds", max]] as const) {
      if (!Number.isInteger(value) || value < LIFECYCLE_SECONDS.min || value > LIFECYCLE_SECONDS.max) {
        this.report(field, value, `must be a whole number of seconds from ${LIFECYCLE_SECONDS.min} to ${LIFECYCLE_SECONDS.max}`, "choose a value in that range, or a workload preset");
      }
    }
    if (idle > max) {
      this.report("agent.idleTimeoutSeconds", idle, `is longer than agent.maxLifetimeSeconds (${max}), so sessions would end before they could idle out`, "make the idle timeout at most the maximum lifetime");
    }
  }

  private checkMounts(session: string, s3Files: string, additional: readonly AdditionalMount[], region: string): void {
    const paths: [string, string][] = [
      ["agent.sessionStorageMountPath", session],
      ["agent.s3FilesMountPath", s3Files],
      ...additional.map((m, i): [string, string] => [`agent.additionalMounts.${i}.mountPath`, m.mountPath]),
    ];
    const seen = new Map<string, string>();
    for (const [field, path] of paths) {
      if (!MOUNT_PATH_PATTERN.test(path) || path.length < 6 || path.length > 200) {
        this.report(field, path, "must be a single directory directly under /mnt (^/mnt/[a-zA-Z0-9._-]+/?$)", 'use a path such as "/mnt/data"');
        continue;
      }
      // AgentCore's pattern accepts "." and ".." as the name (MountPath, bedrock-agentcore-control model), but
      // they resolve to /mnt itself and to /.
      if (/^\/mnt\/\.{1,2}\/?$/.test(path)) {
        this.report(field, path, `resolves to ${path.startsWith("/mnt/..") ? "/ (the root of the container)" : "/mnt itself"}, not a directory of its own under /mnt`, 'use a named directory such as "/mnt/data"');
        continue;
      }
      const normalized = path.replace(/\/$/, "");
      const other = seen.get(normalized);
      if (other !== undefined) this.report(field, path, `is also used by ${other}; mount paths must be distinct`, "give each mount its own path");
      seen.set(normalized, field);
    }
    additional.forEach((mount, i) => {
      const [apPattern, fsPattern] = mount.type === "s3files" ? [S3FILES_ACCESS_POINT_ARN, S3FILES_FILE_SYSTEM_ARN] : [EFS_ACCESS_POINT_ARN, EFS_FILE_SYSTEM_ARN];
      const at = `agent.additionalMounts.${i}`;
      const apValid = apPattern.test(mount.accessPointArn);
      const fsValid = fsPattern.test(mount.fileSystemArn);
      if (!apValid) {
        this.report(`${at}.accessPointArn`, mount.accessPointArn, `is not ${mount.type === "s3files" ? "an S3 Files" : "an EFS"} access point ARN`, "copy the access point ARN from the console or the owning stack's outputs");
      }
      if (!fsValid) {
        this.report(`${at}.fileSystemArn`, mount.fileSystemArn, `is not ${mount.type === "s3files" ? "an S3 Files" : "an EFS"} file system ARN`, "copy the file system ARN the access point belongs to");
      }
      // The runtime reaches file systems through mount targets in its own VPC: same partition and Region.
      for (const [key, arn, valid] of [["accessPointArn", mount.accessPointArn, apValid], ["fileSystemArn", mount.fileSystemArn, fsValid]] as const) {
        const parts = valid ? arnParts(arn) : undefined;
        if (parts !== undefined && (parts.partition !== partitionOf(region) || parts.region !== region)) {
          this.report(`${at}.${key}`, arn, `is in ${parts.partition}/${parts.region}, but the runtime is in ${partitionOf(region)}/${region}`, `mount a file system of ${region}`);
        }
      }
      if (mount.type === "s3files" && apValid && fsValid && !mount.accessPointArn.startsWith(`${mount.fileSystemArn}/access-point/`)) {
        this.report(`${at}.accessPointArn`, mount.accessPointArn, `belongs to another file system than ${mount.fileSystemArn}`, "give the file system the access point belongs to (its ARN is the access point ARN up to /access-point/)");
      }
    });
    const s3FilesCount = 1 + additional.filter((m) => m.type === "s3files").length;
    const efsCount = additional.filter((m) => m.type === "efs").length;
    const total = 2 + additional.length;
    const problems = [
      total > MOUNT_LIMITS.total && `${total} file systems in all (session storage, this environment's S3 Files, ${additional.length} more); a runtime allows ${MOUNT_LIMITS.total}`,
      s3FilesCount > MOUNT_LIMITS.s3files && `${s3FilesCount} S3 Files access points; a runtime allows ${MOUNT_LIMITS.s3files}`,
      efsCount > MOUNT_LIMITS.efs && `${efsCount} EFS access points; a runtime allows ${MOUNT_LIMITS.efs}`,
    ].filter((p): p is string => typeof p === "string");
    for (const problem of problems) {
      this.report("agent.additionalMounts", additional.map((m) => m.mountPath), `adds up to ${problem}`, "remove mounts");
    }
  }

  private checkEnvironmentVariables(variables: Record<string, string>): Record<string, string> {
    const names = Object.keys(variables);
    for (const name of names) {
      const field = fieldPath("agent", "environmentVariables", name);
      if (!ENV_VAR_NAME_PATTERN.test(name) || name.length > 100) {
        this.report(field, name, "is not a valid variable name (^[a-zA-Z_][a-zA-Z0-9_]*$, at most 100 characters)", "rename it");
      } else if ((PROJECT_ENVIRONMENT_VARIABLES as readonly string[]).includes(name)) {
        this.report(field, variables[name], "is set by the project from the environment's configuration", "remove it; change the setting it comes from instead");
      } else if (secretLikeVariable(name, variables[name] ?? "") !== undefined) {
        this.report(
          field,
          "(value hidden)",
          `looks like a secret (${secretLikeVariable(name, variables[name] ?? "")}); runtime environment variables are plain configuration, readable by anyone who can describe the runtime`,
          "keep secrets out of the environment: use AgentCore Identity (credential providers) or Secrets Manager and read them at run time",
        );
      }
      if ((variables[name] ?? "").length > MAX_ENVIRONMENT_VALUE_LENGTH) {
        this.report(field, `(${variables[name]!.length} characters)`, `values are limited to ${MAX_ENVIRONMENT_VALUE_LENGTH} characters`, "shorten it");
      }
    }
    const total = names.length + PROJECT_ENVIRONMENT_VARIABLES.length;
    if (total > MAX_ENVIRONMENT_VARIABLES) {
      this.report("agent.environmentVariables", `${names.length} variables`, `with the project's ${PROJECT_ENVIRONMENT_VARIABLES.length} that makes ${total}; a runtime allows ${MAX_ENVIRONMENT_VARIABLES}`, `keep at most ${MAX_ENVIRONMENT_VARIABLES - PROJECT_ENVIRONMENT_VARIABLES.length}`);
    }
    return variables;
  }
}

function crossEnvironmentProblems(environments: readonly Environment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, Environment>();
  for (const env of environments) {
    if (seen.has(env.name)) {
      problems.push({
        environment: env.name,
        field: "name",
        value: env.name,
        problem: "is used by another environment too; stack and resource names would collide",
        fix: "give each environment a unique name",
      });
    }
    seen.set(env.name, env);
  }
  const created = environments.filter((e): e is Environment & { network: CreatedNetwork } => e.network.mode === "create");
  created.forEach((env, i) => {
    const mine = parseCidr(env.network.cidr) as Ipv4Cidr;
    for (const other of created.slice(0, i)) {
      if (cidrsOverlap(mine, parseCidr(other.network.cidr) as Ipv4Cidr)) {
        problems.push({
          environment: env.name,
          field: "network.cidr",
          value: env.network.cidr,
          problem: `overlaps environment "${other.name}" (${other.network.cidr}), which would prevent peering or Transit Gateway routing between them`,
          fix: "give each environment its own range, e.g. 10.20.0.0/16, 10.30.0.0/16, 10.40.0.0/16",
        });
      }
    }
  });
  problems.push(...trailQuotaProblems(environments));
  return problems;
}
