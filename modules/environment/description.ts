/**
 * A machine-readable description of an environment, written into every one of its stacks' synthesized JSON
 * under the Terraform comment key: `"//": { "agentcore-s3files": { … } }`. Terraform ignores "//" properties in
 * JSON configuration (Terraform language, "JSON Configuration Syntax", comment properties; cdktn itself keeps its
 * stack metadata there), so the description changes nothing that is deployed. The scripts read it to find a
 * consumer app's environments: what they need of an environment without running the app's code again.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformElement } from "cdktn";
import type { Construct } from "constructs";
import { z } from "zod";
import { NAME_RULES, type ResourceNames } from "../../lib/names.ts";
import { IMAGE_DIGEST_VARIABLE } from "../runtime/runtime.ts";
import { LAYERS, stackName, type Layer } from "./environment-stack.ts";
import type { AuditSuppression, Environment, Stage, StateBackend } from "./props.ts";

/** The key under "//" that holds the description. */
export const DESCRIPTION_KEY = "agentcore-s3files";
/** Raised when the shape below changes incompatibly; readers refuse other versions by name. */
export const DESCRIPTION_SCHEMA_VERSION = 1;
/** Stands for the account in names when the environment does not pin one (the deploying credentials' account). */
export const ACCOUNT_PLACEHOLDER = "${account}";

/**
 * What the scripts know of an environment without running the app's code again, as every one of its stacks carries
 * it (schema version 1).
 */
export interface EnvironmentDescription {
  /** DESCRIPTION_SCHEMA_VERSION of the package that wrote it; readers refuse other versions. */
  readonly schemaVersion: typeof DESCRIPTION_SCHEMA_VERSION;
  /** The environment's name. */
  readonly name: string;
  /** What it is for (the audit's rule levels depend on it). */
  readonly stage: Stage;
  /** Its Region. */
  readonly region: string;
  /** The pinned account, or null: the deploying credentials' account. */
  readonly account: string | null;
  /** The Region's partition. */
  readonly partition: string;
  /** The role the provider assumes, if any. */
  readonly deployRoleArn?: string;
  /** Where the stacks keep their Terraform state, defaults applied. */
  readonly state: StateBackend;
  /** The layer of the stack this copy was read from. */
  readonly layer: Layer;
  /** The four stacks' names. */
  readonly stacks: Readonly<Record<Layer, string>>;
  /** Every name the environment gives a resource, with ACCOUNT_PLACEHOLDER where the account is not pinned. */
  readonly names: ResourceNames;
  /** A VPC the network creates, or the existing one it uses. */
  readonly network: DescribedNetwork;
  /** What teardown needs of the storage. */
  readonly storage: DescribedStorage;
  /** What the commands need of the agent. */
  readonly agent: DescribedAgent;
  /** Audit rules the environment suppresses, with their reasons. */
  readonly auditSuppressions: readonly AuditSuppression[];
}

/** The network, as the commands see it: teardown never deletes an existing VPC, and finds its ENIs by it. */
export type DescribedNetwork = DescribedCreatedVpc | DescribedExistingVpc;

/** A VPC the environment's network stack creates (and teardown deletes). */
export interface DescribedCreatedVpc {
  /** The network stack owns the VPC. */
  readonly mode: "create";
}

/** An existing VPC the environment uses. */
export interface DescribedExistingVpc {
  /** The VPC exists outside the environment. */
  readonly mode: "import";
  /** Its id. */
  readonly vpcId: string;
}

/** The storage, as the commands see it. */
export interface DescribedStorage {
  /** Whether teardown keeps the bucket and its objects. */
  readonly retainDataOnTeardown: boolean;
  /** The access point's root directory: the key prefix of the file tree in the bucket. */
  readonly rootDirectory: string;
}

/** The agent, as the commands see it. */
export interface DescribedAgent {
  /** The models the execution role may invoke (a geography prefix marks an inference profile). */
  readonly modelIds: readonly string[];
  /** The endpoint that follows the latest version. */
  readonly endpointName: string;
  /** Where the runtime mounts the S3 Files access point. */
  readonly s3FilesMountPath: string;
  /** Days the runtime's logs are kept. */
  readonly logRetentionDays: number;
  /** The digest the agent stack pins, if any (else it is passed at deploy through `imageDigestVariable`). */
  readonly imageDigest?: string;
  /** The agent stack's Terraform variable that takes the image digest. */
  readonly imageDigestVariable: string;
}

const stateSchema = z.discriminatedUnion("backend", [
  z.strictObject({ backend: z.literal("local") }),
  z.strictObject({ backend: z.literal("s3"), bucket: z.string(), keyPrefix: z.string(), region: z.string(), roleArn: z.string().optional() }),
]);

const layerSchema = z.enum(LAYERS);
const namesSchema = z.strictObject(Object.fromEntries(Object.keys(NAME_RULES).map((key) => [key, z.string()])) as Record<keyof typeof NAME_RULES, z.ZodString>);

/** The zod schema a description is read back with (readEnvironmentDescriptions). */
export const environmentDescriptionSchema: z.ZodType<EnvironmentDescription> = z.strictObject({
  schemaVersion: z.literal(DESCRIPTION_SCHEMA_VERSION),
  name: z.string(),
  stage: z.enum(["development", "production"]),
  region: z.string(),
  /** null: the deploying credentials' account. */
  account: z.string().nullable(),
  partition: z.string(),
  deployRoleArn: z.string().optional(),
  state: stateSchema,
  /** The layer of the stack this copy was read from. */
  layer: layerSchema,
  stacks: z.strictObject({ network: z.string(), storage: z.string(), registry: z.string(), agent: z.string() }),
  /** Every name lib/names.ts builds, with ACCOUNT_PLACEHOLDER for an unpinned account. */
  names: namesSchema,
  network: z.discriminatedUnion("mode", [z.strictObject({ mode: z.literal("create") }), z.strictObject({ mode: z.literal("import"), vpcId: z.string() })]),
  storage: z.strictObject({ retainDataOnTeardown: z.boolean(), rootDirectory: z.string() }),
  agent: z.strictObject({
    modelIds: z.array(z.string()),
    endpointName: z.string(),
    s3FilesMountPath: z.string(),
    logRetentionDays: z.number(),
    imageDigest: z.string().optional(),
    imageDigestVariable: z.string(),
  }),
  auditSuppressions: z.array(z.strictObject({ rule: z.string(), reason: z.string() })),
});

/** The description of `environment` as its `layer` stack carries it. */
export function describeEnvironment(environment: Environment, layer: Layer): EnvironmentDescription {
  const account = environment.account ?? null;
  const names = Object.fromEntries(
    Object.entries(NAME_RULES).map(([key, rule]) => [key, rule.build({ name: environment.name, region: environment.region, accountId: account ?? ACCOUNT_PLACEHOLDER })]),
  ) as unknown as ResourceNames;
  const agent = environment.agent;
  return {
    schemaVersion: DESCRIPTION_SCHEMA_VERSION,
    name: environment.name,
    stage: environment.stage,
    region: environment.region,
    account,
    partition: environment.partition,
    ...(environment.deployRoleArn !== undefined && { deployRoleArn: environment.deployRoleArn }),
    state: environment.state,
    layer,
    stacks: Object.fromEntries(LAYERS.map((l) => [l, stackName(environment.name, l)])) as EnvironmentDescription["stacks"],
    names,
    network: environment.network.mode === "import" ? { mode: "import", vpcId: environment.network.vpcId } : { mode: "create" },
    storage: { retainDataOnTeardown: environment.storage.retainDataOnTeardown, rootDirectory: environment.storage.rootDirectory },
    agent: {
      modelIds: agent.models.map((m) => m.id),
      endpointName: agent.endpointName,
      s3FilesMountPath: agent.s3FilesMountPath,
      logRetentionDays: agent.logRetentionDays,
      ...(agent.imageDigest !== undefined && { imageDigest: agent.imageDigest }),
      imageDigestVariable: IMAGE_DIGEST_VARIABLE,
    },
    auditSuppressions: environment.auditSuppressions.map((s) => ({ rule: s.rule, reason: s.reason })),
  };
}

/** Every resource name of the environment, for the account `accountId` where the description has no account. */
export function resourceNamesOf(description: EnvironmentDescription, accountId: string): ResourceNames {
  return Object.fromEntries(Object.entries(description.names).map(([key, name]) => [key, name.split(ACCOUNT_PLACEHOLDER).join(accountId)])) as unknown as ResourceNames;
}

/** Writes a description into its stack's JSON under `"//"`; it creates no resource, variable or output. */
export class EnvironmentDescriptionElement extends TerraformElement {
  private readonly description: EnvironmentDescription;
  constructor(scope: Construct, id: string, description: EnvironmentDescription) {
    super(scope, id);
    this.description = description;
  }

  /** The stack's JSON gets `"//": { "agentcore-s3files": <description> }`. */
  override toTerraform(): Record<string, unknown> {
    return { "//": { [DESCRIPTION_KEY]: this.description } };
  }
}

/** A synthesized stack without a readable description, or with one this version cannot read. */
export class EnvironmentDescriptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvironmentDescriptionError";
  }
}

interface Manifest {
  readonly stacks: Record<string, { readonly name: string; readonly synthesizedStackPath: string }>;
}

/**
 * The environments an app synthesized into `outdir`: reads manifest.json, then each stack's JSON, and returns one
 * description per environment, in the manifest's order (cdktn lists the stacks by name; stacks without a
 * description belong to something else and are skipped). Throws
 * EnvironmentDescriptionError naming the stack when a description is of another schema version or malformed, or
 * when an environment's stacks disagree.
 */
export function readEnvironmentDescriptions(outdir: string): EnvironmentDescription[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const byName = new Map<string, EnvironmentDescription[]>();
  for (const entry of Object.values(manifest.stacks)) {
    const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as { "//"?: Record<string, unknown> };
    const raw = json["//"]?.[DESCRIPTION_KEY];
    if (raw === undefined) continue;
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== DESCRIPTION_SCHEMA_VERSION) {
      throw new EnvironmentDescriptionError(
        `stack ${entry.name}: its environment description has schemaVersion ${JSON.stringify(version)}, but this version of agentcore-s3files-infra reads ${DESCRIPTION_SCHEMA_VERSION}; synthesize the app with the same version of the package as the scripts`,
      );
    }
    const parsed = environmentDescriptionSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EnvironmentDescriptionError(`stack ${entry.name}: its environment description is malformed at ${issue.path.join(".") || "(root)"}: ${issue.message}; synthesize the app again`);
    }
    byName.set(parsed.data.name, [...(byName.get(parsed.data.name) ?? []), parsed.data]);
  }
  return [...byName.entries()].map(([name, copies]) => {
    const [first] = copies as [EnvironmentDescription, ...EnvironmentDescription[]];
    const strip = ({ layer: _layer, ...rest }: EnvironmentDescription) => JSON.stringify(rest);
    const differing = copies.find((c) => strip(c) !== strip(first));
    if (differing !== undefined) {
      throw new EnvironmentDescriptionError(`environment ${name}: its ${first.layer} and ${differing.layer} stacks describe it differently; synthesize all its stacks together`);
    }
    return first;
  });
}
