/**
 * The scripts find environments in the app they are run in: they synthesize it exactly as the cdktn CLI does,
 * then read the environment descriptions its stacks carry (modules/environment/description.ts). Nothing here
 * imports the app's code, so the scripts work on any cdktn app whose environments are AgentEnvironments.
 *
 * How cdktn-cli 0.24 runs an app (node_modules/cdktn-cli/bundle/bin/cmds/handlers.js, bundled from
 * @cdktn/cli-core `SynthStack.synth` and `parseConfig`): the `app` command of ./cdktf.json in a shell, in the
 * project directory, with its own environment minus `TF_VAR_*`, NODE_OPTIONS `--max-old-space-size=4096` when
 * NODE_OPTIONS is unset, and CDKTF_OUTDIR (cdktf.json `output`, default "cdktf.out"),
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true, SYNTH_HCL_OUTPUT=false and CDKTF_CONTEXT_JSON: cdktf.json's
 * `context` plus `targetVersions` (when either is set; otherwise whatever CDKTF_CONTEXT_JSON already held), plus
 * `cdktfRelativeModules` (its `terraformModules` that start with ./ or ../).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import { DESCRIPTION_KEY, environmentDescriptionSchema, readEnvironmentDescriptions, type EnvironmentDescription } from "../../modules/environment/description.ts";
import { LAYERS, stackName } from "../../modules/environment/environment-stack.ts";
import { SELECTION_VARIABLE } from "../../modules/environment/file/synthesize.ts";
import { EXIT, ScriptError, UsageError } from "./cli.ts";

export interface CdktfConfig {
  /** The command that synthesizes the app. */
  readonly app: string;
  /** Where it writes, relative to the project directory. @default "cdktf.out" */
  readonly output: string;
  readonly context: Readonly<Record<string, unknown>>;
  readonly targetVersions?: Readonly<Record<string, string>>;
  readonly terraformModules: readonly (string | { readonly source: string })[];
}

/** ./cdktf.json of the project, or a usage error that says where to run the command. */
export function readCdktfConfig(dir: string): CdktfConfig {
  const file = join(dir, "cdktf.json");
  if (!existsSync(file)) throw new UsageError(`no cdktf.json in ${dir}: run this in the directory of your cdktn app (the one whose cdktf.json names its "app" command)`);
  let raw: Partial<CdktfConfig>;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Partial<CdktfConfig>;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw.app !== "string" || raw.app.trim() === "") throw new UsageError(`${file} has no "app" command: add the command that synthesizes the app, e.g. "app": "npx tsx main.ts"`);
  return {
    app: raw.app,
    output: typeof raw.output === "string" && raw.output !== "" ? raw.output : "cdktf.out",
    context: raw.context !== null && typeof raw.context === "object" ? raw.context : {},
    ...(raw.targetVersions !== undefined && { targetVersions: raw.targetVersions }),
    terraformModules: Array.isArray(raw.terraformModules) ? raw.terraformModules : [],
  };
}

/**
 * The environment cdktn gives the app command (see the top of this file), plus the environments asked for. Left
 * out: TF_PLUGIN_CACHE_DIR and TF_CLI_CONFIG_FILE, which the cdktn CLI sets for the Terraform it runs (creating
 * ~/.terraform.d/plugin-cache), not for the app.
 */
export function appProcessEnvironment(config: CdktfConfig, outdir: string, only: readonly string[] | undefined, base: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const env = Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith("TF_VAR_")));
  if (env.NODE_OPTIONS === undefined) env.NODE_OPTIONS = "--max-old-space-size=4096";
  const fromConfig = { ...config.context, ...(config.targetVersions !== undefined && { targetVersions: config.targetVersions }) };
  const context = Object.keys(fromConfig).length > 0 ? fromConfig : env.CDKTF_CONTEXT_JSON ? (JSON.parse(env.CDKTF_CONTEXT_JSON) as Record<string, unknown>) : {};
  const relativeModules = config.terraformModules.filter((m) => /^\.\.?\//.test(typeof m === "string" ? m : m.source));
  delete env[SELECTION_VARIABLE];
  return {
    ...env,
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: relativeModules }),
    SYNTH_HCL_OUTPUT: "false",
    ...(only !== undefined && { [SELECTION_VARIABLE]: only.join(",") }),
  };
}

const REFUSED = "synth refused: ";

export interface SynthesizedApp {
  readonly outdir: string;
  readonly descriptions: readonly EnvironmentDescription[];
}

/**
 * Runs the app's command as cdktn does, into `outdir` (relative to `dir`), asking for `only` these environments,
 * and reads the descriptions it wrote. An app that refuses (exit 2: its configuration, or an environment it does not
 * define) is a usage error carrying its own words; any other failure is an error with the app's output as the hint.
 */
export async function synthesizeApp(options: { readonly dir: string; readonly outdir?: string; readonly only?: readonly string[] }): Promise<SynthesizedApp> {
  const config = readCdktfConfig(options.dir);
  // As cdktn passes it: cdktf.json's `output` as written (relative to the project directory, where the app runs).
  const given = options.outdir ?? config.output;
  const outdir = isAbsolute(given) ? given : resolve(options.dir, given);
  const result = await execa(config.app, { shell: true, cwd: options.dir, env: appProcessEnvironment(config, given, options.only), extendEnv: false, reject: false, stdin: "ignore" });
  if (result.exitCode !== 0) {
    const said = String(result.stderr).trim() || String(result.stdout).trim();
    // The environment-file layer's refusals ("synth refused: …\nNothing was written.", lib/synth.ts) are already
    // one line per problem; the command says them as its own.
    const at = said.lastIndexOf(REFUSED);
    if (result.exitCode === 2 && at >= 0) throw new UsageError(said.slice(at + REFUSED.length).replace(/\nNothing was written\.$/, ""));
    throw new ScriptError(
      `the app did not synthesize (${config.app}: ${result.signal ?? `exit status ${result.exitCode ?? "unknown"}`})`,
      result.exitCode === 2 ? EXIT.usage : EXIT.failed,
      said.split("\n").slice(-40).join("\n"),
    );
  }
  if (!existsSync(join(outdir, "manifest.json"))) throw new ScriptError(`the app (${config.app}) wrote no ${join(given, "manifest.json")}: does it call app.synth()?`);
  return { outdir, descriptions: readEnvironmentDescriptions(outdir) };
}

/**
 * The one environment a command acts on, from the app synthesized into a temporary folder (its stacks stay there
 * for the command to read, e.g. to price or audit them, until the process exits). An unknown name lists the
 * environments the app defines.
 */
export async function loadEnvironment(name: string, dir: string = process.cwd()): Promise<{ environment: EnvironmentDescription; outdir: string }> {
  const app = await synthesizeApp({ dir, outdir: temporaryOutdir(), only: [name] });
  const environment = app.descriptions.find((d) => d.name === name);
  if (environment === undefined) {
    // An app that does not read SELECTION_VARIABLE (AgentEnvironments of its own) builds every environment.
    const known = app.descriptions.map((d) => d.name);
    throw new UsageError(`unknown environment "${name}"; known: ${known.length > 0 ? known.join(", ") : "none"} (the AgentEnvironments the app in cdktf.json synthesizes)`);
  }
  return { environment, outdir: app.outdir };
}

/** A folder for one synthesis, removed when the process exits. */
export function temporaryOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "agentcore-s3files-app-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "cdktf.out");
}

/**
 * An environment the app no longer defines (its file deleted), from the stack folders its last synth left in
 * `outdir` (a full synth keeps them while the environment may still be deployed: lib/stale-stacks.ts). Teardown works
 * from these: their cdk.tf.json is what Terraform destroys with, and their description is what the steps need.
 */
export function keptEnvironment(name: string, outdir: string): EnvironmentDescription | undefined {
  const descriptions: EnvironmentDescription[] = [];
  for (const layer of LAYERS) {
    const file = join(outdir, "stacks", stackName(name, layer), "cdk.tf.json");
    if (!existsSync(file)) return undefined;
    const raw = (JSON.parse(readFileSync(file, "utf8")) as { "//"?: Record<string, unknown> })["//"]?.[DESCRIPTION_KEY];
    const parsed = environmentDescriptionSchema.safeParse(raw);
    if (!parsed.success || parsed.data.name !== name) return undefined;
    descriptions.push(parsed.data);
  }
  return descriptions[0];
}
