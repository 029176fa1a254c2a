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
import { NAME_RULES } from "../../lib/names.ts";
import { IMAGE_DIGEST_VARIABLE } from "../runtime/runtime.ts";
import { LAYERS, stackName, type Layer } from "./environment-stack.ts";
import type { Environment } from "./props.ts";

/** The key under "//" that holds the description. */
export const DESCRIPTION_KEY = "agentcore-s3files";
/** Raised when the shape below changes incompatibly; readers refuse other versions by name. */
export const DESCRIPTION_SCHEMA_VERSION = 1;
/** Stands for the account in names when the environment does not pin one (the deploying credentials' account). */
export const ACCOUNT_PLACEHOLDER = "${account}";

const stateSchema = z.discriminatedUnion("backend", [
  z.strictObject({ backend: z.literal("local") }),
  z.strictObject({ backend: z.literal("s3"), bucket: z.string(), keyPrefix: z.string(), region: z.string(), roleArn: z.string().optional() }),
]);

const layerSchema = z.enum(LAYERS);
const namesSchema = z.strictObject(Object.fromEntries(Object.keys(NAME_RULES).map((key) => [key, z.string()])) as Record<keyof typeof NAME_RULES, z.ZodString>);

export const environmentDescriptionSchema = z.strictObject({
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

export type EnvironmentDescription = z.infer<typeof environmentDescriptionSchema>;

/** The description of `environment` as its `layer` stack carries it. */
export function describeEnvironment(environment: Environment, layer: Layer): EnvironmentDescription {
  const account = environment.account ?? null;
  const names = Object.fromEntries(
    Object.entries(NAME_RULES).map(([key, rule]) => [key, rule.build({ name: environment.name, region: environment.region, accountId: account ?? ACCOUNT_PLACEHOLDER })]),
  ) as EnvironmentDescription["names"];
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
export function resourceNamesOf(description: EnvironmentDescription, accountId: string): EnvironmentDescription["names"] {
  return Object.fromEntries(Object.entries(description.names).map(([key, name]) => [key, name.split(ACCOUNT_PLACEHOLDER).join(accountId)])) as EnvironmentDescription["names"];
}

/** Writes a description into its stack's JSON under `"//"`; it creates no resource, variable or output. */
export class EnvironmentDescriptionElement extends TerraformElement {
  private readonly description: EnvironmentDescription;
  constructor(scope: Construct, id: string, description: EnvironmentDescription) {
    super(scope, id);
    this.description = description;
  }

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
