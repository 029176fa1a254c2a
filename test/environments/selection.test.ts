/**
 * One environment's file no longer stops the commands for every other environment: the commands ask the app for the
 * environment they act on (SELECTION_VARIABLE), and the environment-file layer then refuses only for the problems of
 * that environment, and for the checks across environments that involve it (issue 14's friction, issue 13).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { EnvironmentConfigError, resolveEnvironments } from "../../environments/schema.ts";
import { EnvironmentSelectionError } from "../../modules/environment/file/problems.ts";
import { selectedEnvironments, SELECTION_VARIABLE } from "../../modules/environment/file/synthesize.ts";
import { environmentInput } from "../helpers/synth.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const valid = environmentInput({ name: "alpha", network: { mode: "create", cidr: "10.60.0.0/16" } });
const broken = environmentInput({ name: "beta", network: { mode: "create", cidr: "10.61.0.0/16", azCount: 1 } });

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.problems.map((p) => `${p.environment}: ${p.field}`);
    throw error;
  }
  return [];
}

describe("resolveEnvironments with `only`", () => {
  it("returns the environments asked for, though another environment is invalid", () => {
    expect(problemsOf(() => resolveEnvironments([valid, broken]))).toEqual(["beta: network.azCount"]);
    expect(resolveEnvironments([valid, broken], { only: ["alpha"] }).map((e) => e.name)).toEqual(["alpha"]);
    expect(problemsOf(() => resolveEnvironments([valid, broken], { only: ["beta"] }))).toEqual(["beta: network.azCount"]);
  });

  it("refuses a check across environments that involves one asked for, and only then", () => {
    const overlapping = environmentInput({ name: "gamma", network: { mode: "create", cidr: "10.60.0.0/17" } });
    const unrelated = environmentInput({ name: "delta", network: { mode: "create", cidr: "10.62.0.0/16" } });
    // gamma's range overlaps alpha's: the problem is gamma's, and it involves alpha.
    expect(problemsOf(() => resolveEnvironments([valid, overlapping, unrelated], { only: ["alpha"] }))).toEqual(["gamma: network.cidr"]);
    expect(problemsOf(() => resolveEnvironments([valid, overlapping, unrelated], { only: ["gamma"] }))).toEqual(["gamma: network.cidr"]);
    expect(resolveEnvironments([valid, overlapping, unrelated], { only: ["delta"] }).map((e) => e.name)).toEqual(["delta"]);
  });

  it("an environment the inputs do not define: refused, naming the ones they do (an invalid one too)", () => {
    expect(() => resolveEnvironments([valid, broken], { only: ["omega"] })).toThrow(EnvironmentSelectionError);
    expect(() => resolveEnvironments([valid, broken], { only: ["omega"] })).toThrow('unknown environment "omega"; known: alpha, beta');
    expect(() => resolveEnvironments([], { only: ["omega", "psi"] })).toThrow('unknown environments "omega", "psi"; known: none');
  });

  it("reads the selection from SELECTION_VARIABLE: comma-separated names; empty means every environment", () => {
    expect(selectedEnvironments({ [SELECTION_VARIABLE]: "dev" })).toEqual(["dev"]);
    expect(selectedEnvironments({ [SELECTION_VARIABLE]: " dev, prod ," })).toEqual(["dev", "prod"]);
    expect(selectedEnvironments({ [SELECTION_VARIABLE]: " , " })).toBeUndefined();
    expect(selectedEnvironments({})).toBeUndefined();
  });
});

/** A copy of this repository's app whose staging environment file is broken. */
function appWithBrokenStaging(): string {
  const dir = mkdtempSync(join(tmpdir(), "selection-app-"));
  for (const entry of ["environments", "lib", "modules", "policies", "scripts", "main.ts", "cdktf.json", "package.json"]) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const staging = join(dir, "environments", "staging.ts");
  writeFileSync(staging, readFileSync(staging, "utf8").replace("azCount: 2,", "azCount: 1,"));
  return dir;
}

describe("the commands on an app with one broken environment file", () => {
  it("synth with the selection builds only that environment; a command on another environment works, one on the broken one is refused with its problem", async () => {
    const dir = appWithBrokenStaging();
    const env = { PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}` };
    const [all, devOnly, unknown] = await Promise.all([
      execa(process.execPath, ["main.ts"], { cwd: dir, reject: false, env: { ...env, CDKTF_OUTDIR: join(dir, "all") } }),
      execa(process.execPath, ["main.ts"], { cwd: dir, reject: false, env: { ...env, CDKTF_OUTDIR: join(dir, "dev-only"), [SELECTION_VARIABLE]: "dev" } }),
      execa(process.execPath, ["main.ts"], { cwd: dir, reject: false, env: { ...env, CDKTF_OUTDIR: join(dir, "unknown"), [SELECTION_VARIABLE]: "qa" } }),
    ]);
    expect(all.exitCode).toBe(2);
    expect(all.stderr).toContain('environment "staging": network.azCount = 1');
    expect(devOnly.exitCode, devOnly.stderr).toBe(0);
    expect(readdirSync(join(dir, "dev-only", "stacks")).sort()).toEqual(["dev-agent", "dev-network", "dev-registry", "dev-storage"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe(`synth refused: unknown environment "qa"; known: ${environments.map((e) => e.name).join(", ")}\nNothing was written.`);

    const cli = (...args: string[]) => execa(process.execPath, ["scripts/cli.ts", ...args], { cwd: dir, reject: false, env: { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_PROFILE: "none" } });
    const [dev, staging] = await Promise.all([cli("teardown", "--env", "dev", "--dry-run"), cli("teardown", "--env", "staging", "--dry-run")]);
    expect(dev.exitCode, dev.stderr).toBe(0);
    expect(dev.stdout).toContain("Teardown plan for dev (us-west-2):");
    expect(staging.exitCode).toBe(2);
    expect(staging.stderr.split("\n").slice(0, 2)).toEqual(["error: 1 configuration problem in 1 environment:", expect.stringContaining('  - environment "staging": network.azCount = 1: must be a whole number of at least 2')]);
  });
});
