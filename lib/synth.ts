import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktn";
import { resolveEnvironments, type Environment } from "../environments/schema";
import { LAYERS, stackName } from "../stacks/environment-stack";
import { EnvironmentStacks, IMAGE_DIGEST_VARIABLE } from "../stacks/environment-stacks";
import { resourceNames } from "./names";

export interface SynthOptions {
  /** Output folder. @default "cdktf.out" (or CDKTF_OUTDIR when the cdktn CLI runs the app) */
  readonly outdir?: string;
  /** cdktf.json `targetVersions`; the cdktn CLI passes it itself, a direct run must. */
  readonly targetVersions?: Record<string, string>;
  /** Image digests by environment (the last image builds); an environment's own imageDigest wins. */
  readonly imageDigests?: Readonly<Record<string, string>>;
}

export interface StackSummary {
  readonly stack: string;
  readonly resources: number;
  readonly dataSources: number;
  readonly outputs: number;
  readonly backend: string;
}

/**
 * Validates every environment, then synthesizes all of them. Validation runs before the App exists, so an
 * invalid environment writes nothing at all (the App creates its output folder on construction).
 */
export function synthesize(inputs: readonly unknown[], options: SynthOptions = {}): { environments: Environment[]; stacks: StackSummary[]; outdir: string } {
  const environments = resolveEnvironments(inputs).map((env) => {
    const built = options.imageDigests?.[env.name];
    return env.agent.imageDigest === undefined && built !== undefined ? { ...env, agent: { ...env.agent, imageDigest: built } } : env;
  });
  const app = new App({
    ...(options.outdir !== undefined && { outdir: options.outdir }),
    ...(options.targetVersions !== undefined && { context: { targetVersions: options.targetVersions } }),
  });
  for (const environment of environments) new EnvironmentStacks(app, environment);
  app.synth();
  const order = environments.flatMap((e) => LAYERS.map((layer) => stackName(e.name, layer)));
  const stacks = summarizeOutput(app.outdir).sort((a, b) => order.indexOf(a.stack) - order.indexOf(b.stack));
  return { environments, stacks, outdir: app.outdir };
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
    (i) => `  ${i.stack.padEnd(width)}  ${i.image}${i.pinned ? "" : `   (no image built yet: npm run build-image, or -var ${IMAGE_DIGEST_VARIABLE}=sha256:… at deploy)`}`,
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
