/**
 * The commands find environments by synthesizing the app of ./cdktf.json as the cdktn CLI does (scripts/lib/app.ts).
 * The oracle is the real cdktn CLI: an app that records the environment it was started with is run once by
 * `cdktn synth` and once by synthesizeApp, and what cdktn gives an app must be what the commands give it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { SELECTION_VARIABLE } from "../../modules/environment/file/synthesize.ts";
import { loadEnvironment, readCdktfConfig, synthesizeApp } from "../../scripts/lib/app.ts";
import { ScriptError, UsageError } from "../../scripts/lib/cli.ts";
import { commandLine, npmScriptFor } from "../../lib/invocation.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const CDKTN = createRequire(import.meta.url).resolve("cdktn-cli/bundle/bin/cdktn.js");

/** An app that writes the environment it runs with to $DUMP_FILE and an empty manifest where it was told to. */
const RECORDING_APP = `
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
writeFileSync(process.env.DUMP_FILE, JSON.stringify(process.env));
mkdirSync(process.env.CDKTF_OUTDIR, { recursive: true });
writeFileSync(join(process.env.CDKTF_OUTDIR, "manifest.json"), JSON.stringify({ version: "0.24.0", stacks: {} }));
`;

function project(cdktfJson: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "app-project-"));
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify(cdktfJson));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The variables a cdktn app reads (cdktn's App, the CLI's synth), and whether a TF_VAR_ reached it. */
function appFacing(env: Record<string, string>) {
  const keys = ["CDKTF_OUTDIR", "CDKTF_CONTEXT_JSON", "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS", "SYNTH_HCL_OUTPUT", "NODE_OPTIONS", "CDKTF_TARGET_STACK_ID"];
  return { ...Object.fromEntries(keys.map((k) => [k, env[k]])), tfVars: Object.keys(env).filter((k) => k.startsWith("TF_VAR_")) };
}

describe("the app, run as cdktn runs it", () => {
  it("gets the environment `cdktn synth` gives it: output folder, context with targetVersions, no TF_VAR_*, NODE_OPTIONS", async () => {
    const dir = project(
      { language: "typescript", app: "node recording-app.mjs", output: "synth-out", context: { team: "platform" }, targetVersions: { terraform: ">=1.10.0" }, sendCrashReports: false },
      { "recording-app.mjs": RECORDING_APP },
    );
    const home = mkdtempSync(join(tmpdir(), "app-home-"));
    const base = { ...process.env, HOME: home, CHECKPOINT_DISABLE: "1", TF_VAR_secret: "not for the app" } as Record<string, string>;
    delete base.NODE_OPTIONS;
    const byCdktn = await execa(process.execPath, [CDKTN, "synth"], { cwd: dir, env: { ...base, DUMP_FILE: join(dir, "cdktn.json") }, extendEnv: false, reject: false });
    expect(byCdktn.exitCode, byCdktn.stderr).toBe(0);

    const saved = { ...process.env };
    try {
      for (const key of Object.keys(process.env)) delete process.env[key];
      Object.assign(process.env, base, { DUMP_FILE: join(dir, "ours.json") });
      await synthesizeApp({ dir });
    } finally {
      for (const key of Object.keys(process.env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    const cdktn = JSON.parse(readFileSync(join(dir, "cdktn.json"), "utf8")) as Record<string, string>;
    const ours = JSON.parse(readFileSync(join(dir, "ours.json"), "utf8")) as Record<string, string>;
    expect(appFacing(cdktn)).toMatchObject({ CDKTF_OUTDIR: "synth-out", NODE_OPTIONS: "--max-old-space-size=4096", tfVars: [] });
    expect(JSON.parse(cdktn.CDKTF_CONTEXT_JSON!)).toEqual({ team: "platform", targetVersions: { terraform: ">=1.10.0" }, cdktfRelativeModules: [] });
    expect(appFacing(ours)).toEqual(appFacing(cdktn));
    expect(ours[SELECTION_VARIABLE]).toBeUndefined();
  });

  it("asks an app for the environments a command needs", async () => {
    const dir = project({ app: "node recording-app.mjs" }, { "recording-app.mjs": RECORDING_APP });
    process.env.DUMP_FILE = join(dir, "env.json");
    try {
      await synthesizeApp({ dir, only: ["dev"] });
    } finally {
      delete process.env.DUMP_FILE;
    }
    expect(JSON.parse(readFileSync(join(dir, "env.json"), "utf8"))[SELECTION_VARIABLE]).toBe("dev");
  });

  it("refuses, before running anything, a directory without cdktf.json or a cdktf.json without an app command", () => {
    const empty = mkdtempSync(join(tmpdir(), "app-none-"));
    expect(() => readCdktfConfig(empty)).toThrow(UsageError);
    expect(() => readCdktfConfig(empty)).toThrow(/^no cdktf\.json in .*: run this in the directory of your cdktn app/);
    expect(() => readCdktfConfig(project({ language: "typescript" }))).toThrow(/has no "app" command/);
    const broken = mkdtempSync(join(tmpdir(), "app-broken-"));
    writeFileSync(join(broken, "cdktf.json"), "{ app: ");
    expect(() => readCdktfConfig(broken)).toThrow(/is not valid JSON/);
  });

  it("an app that crashes: the command fails (exit 1) with the app's own words as the hint", async () => {
    const dir = project({ app: "node crash.mjs" }, { "crash.mjs": 'console.error("ConfigurationError: research/runtime: idleTimeoutSeconds = 5: …"); process.exit(1);' });
    const failure = await synthesizeApp({ dir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ScriptError);
    expect(failure).toMatchObject({ exitCode: 1, message: "the app did not synthesize (node crash.mjs: exit status 1)", hint: expect.stringContaining("idleTimeoutSeconds = 5") });
  });

  it("an app without environment files: its AgentEnvironments are found, and an unknown name lists them", async () => {
    const modules = join(ROOT, "modules", "environment", "index.ts");
    const main = `
import { App } from ${JSON.stringify(import.meta.resolve("cdktn"))};
import { AgentEnvironment } from ${JSON.stringify(modules)};
const app = new App();
for (const [name, cidr] of [["alpha", "10.70.0.0/16"], ["beta", "10.71.0.0/16"]]) {
  new AgentEnvironment(app, name, { region: "us-west-2", network: { cidr }, agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"] } });
}
app.synth();
`;
    const dir = project({ app: `${JSON.stringify(process.execPath)} main.ts` }, { "main.ts": main });
    const found = await loadEnvironment("beta", dir);
    expect(found.environment).toMatchObject({ name: "beta", region: "us-west-2", network: { mode: "create" } });
    await expect(loadEnvironment("gamma", dir)).rejects.toThrow('unknown environment "gamma"; known: alpha, beta (the AgentEnvironments the app in cdktf.json synthesizes)');
  });
});

describe("the commands' hints name the command as it is run where the user is", () => {
  it("an npm script that runs it (this repository's), else the installed bin", () => {
    const scripts = { deploy: "node --import ./lib/compile-cache.ts scripts/cli.ts deploy", "up:dev": "agentcore-s3files deploy --env dev", lint: "eslint ." };
    expect(npmScriptFor("deploy", scripts)).toBe("deploy");
    expect(npmScriptFor("teardown", scripts)).toBeUndefined();
    expect(npmScriptFor("deploy", { "up:dev": scripts["up:dev"] })).toBe("up:dev");
    expect(npmScriptFor("deploy", { deploy: "cdktn deploy" })).toBeUndefined();
    expect(commandLine("deploy", "--env dev", ROOT)).toBe("npm run deploy -- --env dev");
    expect(commandLine("build-image", "", ROOT)).toBe("npm run build-image");
    const consumer = project({ app: "x" }, { "package.json": JSON.stringify({ name: "platform-app", scripts: { synth: "cdktn synth" } }) });
    expect(commandLine("teardown", "--env dev", consumer)).toBe("npx agentcore-s3files teardown --env dev");
  });
});
