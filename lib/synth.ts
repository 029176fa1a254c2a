import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { App } from "cdktn";
import { AgentEnvironment } from "../modules/environment/agent-environment.ts";
import { LAYERS, stackName } from "../modules/environment/environment-stack.ts";
import { EnvironmentConfigError, EnvironmentSelectionError } from "../modules/environment/file/problems.ts";
import { resolveEnvironments } from "../modules/environment/file/resolve.ts";
import type { Environment } from "../modules/environment/props.ts";
import { IMAGE_DIGEST_VARIABLE } from "../modules/runtime/runtime.ts";
import { AwsConstraintError, checkAwsConstraints, readSynthesizedStacks, type ConstraintRow } from "./aws-constraints/index.ts";
import { costSummary } from "./cost/index.ts";
import { resourceNames } from "./names.ts";
import { ConfigurationError } from "./validation.ts";
import { commandLine } from "./invocation.ts";
import { formatStaleStacks, removeStaleStacks, type StaleStacks } from "./stale-stacks.ts";

/** How synthesizeEnvironments (and `npm run synth`) synthesizes environment files. */
export interface SynthOptions {
  /** Output folder. @default "cdktf.out" (or CDKTF_OUTDIR when the cdktn CLI runs the app) */
  readonly outdir?: string;
  /** cdktf.json `targetVersions`; the cdktn CLI passes it itself, a direct run must. */
  readonly targetVersions?: Record<string, string>;
  /** Image digests by environment (the last image builds); an environment's own imageDigest wins. */
  readonly imageDigests?: Readonly<Record<string, string>>;
  /** The AWS API constraints every synthesized value is checked against. @default AWS_CONSTRAINTS */
  readonly constraints?: readonly ConstraintRow[];
  /** Synthesize only these environments (see resolveEnvironments' `only`). @default every environment */
  readonly only?: readonly string[];
}

export interface StackSummary {
  readonly stack: string;
  readonly resources: number;
  readonly dataSources: number;
  readonly outputs: number;
  readonly backend: string;
}

/**
 * Validates every environment, synthesizes all of them, and checks every synthesized value against what AWS
 * accepts (lib/aws-constraints) before anything reaches the output folder.
 *
 * Validation runs before the App exists, so an invalid environment writes nothing at all. The App then writes
 * into a staging folder beside the output folder (same depth, so the relative local-state paths are the same);
 * only when every value passes are its files copied over the output folder's, the way a synth overwrites them
 * (files Terraform keeps there, such as .terraform/ and lock files, are left alone). A value AWS would refuse
 * throws AwsConstraintError and leaves the output folder as it was.
 */
export function synthesize(inputs: readonly unknown[], options: SynthOptions = {}): { environments: Environment[]; stacks: StackSummary[]; outdir: string; stale: StaleStacks } {
  const environments = resolveEnvironments(inputs, options.only !== undefined ? { only: options.only } : {}).map((env) => {
    const built = options.imageDigests?.[env.name];
    return env.agent.imageDigest === undefined && built !== undefined ? { ...env, agent: { ...env.agent, imageDigest: built } } : env;
  });
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const staging = join(dirname(outdir), `.${basename(outdir)}.staging-${process.pid}`);
  let stale: StaleStacks = { removed: [], kept: [] };
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({
      outdir: staging,
      ...(options.targetVersions !== undefined && { context: { targetVersions: options.targetVersions } }),
    });
    for (const environment of environments) AgentEnvironment.fromEnvironment(app, environment);
    app.synth();
    const violations = checkAwsConstraints(readSynthesizedStacks(staging), options.constraints);
    if (violations.length > 0) throw new AwsConstraintError(violations);
    const previous = readManifest(outdir);
    cpSync(staging, outdir, { recursive: true, force: true });
    // A full synth knows every stack of the app: the folders of stacks it no longer writes go (unless still deployed).
    if (options.only === undefined) {
      stale = removeStaleStacks(outdir, new Set(readdirSync(join(staging, "stacks"))));
      keepInManifest(outdir, previous, stale.kept.map((k) => k.stack));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const order = environments.flatMap((e) => LAYERS.map((layer) => stackName(e.name, layer)));
  // Stacks the app no longer defines but kept (still deployed) come last.
  const rank = (stack: string) => (order.includes(stack) ? order.indexOf(stack) : order.length);
  const stacks = summarizeOutput(outdir).sort((a, b) => rank(a.stack) - rank(b.stack));
  return { environments, stacks, outdir, stale };
}

type RawManifest = { stacks?: Record<string, unknown> } & Record<string, unknown>;

function readManifest(outdir: string): RawManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as RawManifest;
  } catch {
    return undefined;
  }
}

/** Kept stacks stay in cdktn's manifest (cdktn finds stacks there): `cdktn destroy <stack>` of a kept one still works. */
function keepInManifest(outdir: string, previous: RawManifest | undefined, kept: readonly string[]): void {
  const entries = kept.flatMap((stack) => (previous?.stacks?.[stack] !== undefined ? [[stack, previous.stacks[stack]] as const] : []));
  if (entries.length === 0) return;
  const manifest = readManifest(outdir) ?? {};
  writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ ...manifest, stacks: { ...manifest.stacks, ...Object.fromEntries(entries) } }, null, 2));
}

/**
 * `npm run synth`: synthesizes, prints the summary and the images the agent stacks expect, and returns the exit
 * status. Invalid configuration (of an environment file, or of a construct) or an unknown environment asked for
 * prints one line per problem and returns 2; a value AWS would refuse prints one line per value and returns 1;
 * either way nothing is written. Any other error is a bug and is thrown.
 */
export function runSynthCommand(
  inputs: readonly unknown[],
  options: SynthOptions,
  output: { readonly log: (line: string) => void; readonly error: (line: string) => void } = console,
): number {
  try {
    const result = synthesize(inputs, options);
    output.log(formatSummary(result.stacks, result.outdir));
    const stale = formatStaleStacks(result.stale, result.outdir);
    if (stale.length > 0) output.log(`\n${stale.join("\n")}`);
    output.log(`\n${formatExpectedImages(expectedImages(result.environments))}`);
    output.log(`\n${costSummary(result.outdir, result.environments.map((e) => e.name))}`);
    return 0;
  } catch (error) {
    if (error instanceof EnvironmentConfigError || error instanceof ConfigurationError || error instanceof EnvironmentSelectionError || error instanceof AwsConstraintError) {
      output.error(`synth refused: ${error.message}\nNothing was written.`);
      return error instanceof AwsConstraintError ? 1 : 2;
    }
    throw error;
  }
}

/** The image each agent stack will run: the repository it expects, and the digest if the environment pins one. */
export function expectedImages(environments: readonly Environment[]): { stack: string; image: string; pinned: boolean }[] {
  // (An environment's imageDigest here is either pinned in its file or taken from its last image build.)
  return environments.map((env) => {
    const names = resourceNames({ name: env.name, region: env.region, accountId: env.account ?? "<account>" });
    const registry = `${env.account ?? "<account>"}.dkr.ecr.${env.region}.amazonaws.com/${names.repository}`;
    const digest = env.agent.imageDigest;
    return { stack: stackName(env.name, "agent"), image: `${registry}@${digest ?? "<digest>"}`, pinned: digest !== undefined };
  });
}

export function formatExpectedImages(images: ReturnType<typeof expectedImages>): string {
  const width = Math.max(...images.map((i) => i.stack.length));
  const lines = images.map(
    (i) => `  ${i.stack.padEnd(width)}  ${i.image}${i.pinned ? "" : `   (no image built yet: ${commandLine("build-image")}, or --var=${IMAGE_DIGEST_VARIABLE}=sha256:… at deploy)`}`,
  );
  return ["Images the agent runtimes expect (by digest; the runtime never re-pulls a tag):", ...lines].join("\n");
}

interface Manifest {
  readonly stacks: Record<string, { readonly name: string; readonly synthesizedStackPath: string }>;
}

interface TerraformJson {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
  readonly terraform?: { readonly backend?: Record<string, unknown> };
}

/** Reads what synth wrote, so the summary reports the files, not our intentions. */
export function summarizeOutput(outdir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  return Object.values(manifest.stacks).map((entry) => {
    const config = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as TerraformJson;
    const count = (blocks?: Record<string, Record<string, unknown>>) =>
      Object.values(blocks ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    return {
      stack: entry.name,
      resources: count(config.resource),
      dataSources: count(config.data),
      outputs: Object.keys(config.output ?? {}).length,
      backend: Object.keys(config.terraform?.backend ?? {})[0] ?? "local",
    };
  });
}

export function formatSummary(stacks: readonly StackSummary[], outdir: string): string {
  const header = ["stack", "resources", "data sources", "outputs", "backend"];
  const rows = stacks.map((s) => [s.stack, String(s.resources), String(s.dataSources), String(s.outputs), s.backend]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const total = stacks.reduce((sum, s) => sum + s.resources, 0);
  return [line(header), ...rows.map(line), "", `${stacks.length} stacks, ${total} resources written to ${outdir}/stacks/`].join("\n");
}
