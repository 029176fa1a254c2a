/**
 * The input schema of an environment file: what `defineEnvironment({...})` may say. Shapes and types only; the
 * values are judged by the constructs' validators (through validateAgentEnvironmentProps) and by the
 * environment-file checks in resolve.ts. Each field's default is the construct's, or the stage's (stage.ts).
 */
import { z } from "zod";
import { storageShape } from "../../../lib/handle-shapes.ts";
import type { RuntimeAuth } from "../../runtime/props.ts";

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
  /** Interface endpoints to create in the imported VPC (they serve the whole VPC: see interfaceEndpointsServeWholeVpc). @default none */
  interfaceEndpoints: z.array(z.string()).optional(),
  /** Acknowledges that interface endpoints created here serve every workload of the VPC; required with interfaceEndpoints. @default false */
  interfaceEndpointsServeWholeVpc: z.boolean().optional(),
  /** Route tables to attach an S3 gateway endpoint to. @default none (the VPC already reaches S3) */
  s3GatewayRouteTableIds: z.array(z.string()).optional(),
});

/** The storage section: S3FilesStorage's props (modules/storage/props.ts documents each, and its default). */
const storageInput = storageShape.omit({ network: true, namePrefix: true, bucketName: true });

const modelInput = z.union([
  z.string(),
  z.strictObject({
    /** Foundation model id, or a cross-region inference profile id (us., eu., apac., global., ...). */
    id: z.string(),
    /** Regions the inference profile routes to. @default the geography's Regions (lib/service-facts.ts) */
    routedRegions: z.array(z.string()).optional(),
  }),
]);

const additionalMountInput = z.strictObject({
  type: z.enum(["s3files", "efs"]),
  accessPointArn: z.string(),
  /** File system the access point belongs to (EFS access point ARNs do not name it). */
  fileSystemArn: z.string(),
  mountPath: z.string(),
  /** Security group of the file system's mount targets; it must admit TCP 2049 from the agent security group. Required. */
  mountTargetSecurityGroupId: z.string().optional(),
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
      /** "create": a trail logging only this runtime's command events; or an existing trail's ARN that already does (multiRegion: true for a multi-Region trail of another Region). @default "create" */
      cloudTrail: z.union([z.literal("create"), z.strictObject({ existingTrailArn: z.string(), multiRegion: z.boolean().optional() })]).optional(),
    })
    .optional(),
});

/**
 * The shape of an environment file as a zod schema: resolveEnvironments parses every file with it before the
 * constructs' validators judge the values. Its fields are documented on EnvironmentInput.
 * @internal
 */
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

/**
 * What an environment file contains: `defineEnvironment({ name, region, network, agent, … })`. Its sections are the
 * constructs' props (README, "Environments"). (`agent.auth` is parsed after the shape, to refuse "no auth" by name.)
 */
export type EnvironmentInput = Omit<z.input<typeof environmentInputSchema>, "agent"> & {
  /** The agent section: AgentRuntime's props, with `keepImages` (AgentRegistry) and `alerts` (ShellAccessAlert). */
  readonly agent: Omit<z.input<typeof environmentInputSchema>["agent"], "auth"> & {
    /** How callers authenticate. @default { type: "AWS_IAM" } */
    readonly auth?: RuntimeAuth;
  };
};

/** Typed identity: lets an environment file get completion and type errors without validating yet. */
export function defineEnvironment(input: EnvironmentInput): EnvironmentInput {
  return input;
}
/** An environment file's content once its shape is checked (what resolveEnvironmentFile takes). */
export type EnvironmentData = z.output<typeof environmentInputSchema>;
