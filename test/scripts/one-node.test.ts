/**
 * One Node for every script: the npm scripts and `npm run cdktn` run on the Node the project installs (node@24 as a
 * devDependency, first on an npm script's PATH) whatever Node the machine has, and an old Node is refused, with the
 * fix, before anything loads. The old Node is the real one where the machine has it; everywhere, it is also played
 * by the project's Node 24 with process.versions.node set to 20.11.0 before the guard runs (the guard reads only that).
 */
import { readFileSync } from "node:fs";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { CDKTN_QUIET_ENV, runCdktn } from "../../scripts/lib/cdktn.ts";
import { MIN_NODE, oldNodeProblem } from "../../scripts/lib/node-version.ts";
import { FakeRunner } from "../helpers/fakes.ts";

const ROOT = new URL("../..", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { scripts: Record<string, string>; engines: { node: string } };
const cdktnCli = JSON.parse(readFileSync(new URL("node_modules/cdktn-cli/package.json", ROOT), "utf8")) as { version: string; engines: { node: string } };
const PLAYS_NODE_20 = "--import=data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.11.0'})";

/** An npm script's command line, run as npm would (the project's node first on PATH), with `before` in front of its options. */
function runScriptLine(name: string, before: string[], args: string[]) {
  const [program, ...rest] = pkg.scripts[name]!.split(" ");
  expect(program, name).toBe("node");
  return execa("node_modules/.bin/node", [...before, ...rest, ...args], { cwd: ROOT, reject: false });
}

describe("npm run cdktn", () => {
  it("runs the cdktn CLI on the project's Node, whatever Node runs npm", async () => {
    const run = await execa("npm", ["run", "--silent", "cdktn", "--", "--version"], { cwd: ROOT, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    // (Terraform may add its own warnings after it, e.g. about a CLI configuration file that does not exist.)
    expect(run.stdout.split("\n")[0]).toBe(cdktnCli.version);
  });
});

describe("an old Node is refused with the fix, before anything loads", () => {
  it("every npm script that runs the app, a command, the benchmark or the cdktn CLI carries the guard first", () => {
    const guarded = Object.entries(pkg.scripts).filter(([, line]) => /\b(scripts\/cli\.ts|main\.ts|bench\/index\.ts|cdktn-cli)\b/.test(line));
    expect(guarded.map(([name]) => name)).toEqual(expect.arrayContaining(["synth", "bench", "cdktn", "preflight", "deploy", "teardown", "verify"]));
    for (const [name, line] of guarded) {
      expect(line, name).toMatch(/^node --import \.\/scripts\/require-node\.mjs /);
    }
  });

  for (const [name, args] of [["preflight", ["--env", "dev"]], ["synth", []], ["cdktn", ["--version"]]] as const) {
    it(`npm run ${name}: exit 2, naming the Node found and how to get the right one`, async () => {
      const run = await runScriptLine(name, [PLAYS_NODE_20], [...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(/^error: this needs Node >= 22\.19 \(the cdktn CLI requires it\); this is Node 20\.11\.0 \(.*node\)\.$/);
      expect(run.stderr).toContain("fix: run it through npm after `npm ci`");
      expect(run.stdout).toBe("");
    });
  }

  it("the machine's own Node, where it is older, is refused the same way", async () => {
    const machine = await execa("/usr/bin/env", ["-i", "PATH=/usr/local/bin:/usr/bin:/bin", "node", "--version"], { reject: false });
    const version = machine.stdout.trim().replace(/^v/, "");
    if (machine.exitCode !== 0 || oldNodeProblem(version) === undefined) return; // this machine's Node is new enough (a CI image with Node 24)
    const [, ...rest] = pkg.scripts.preflight!.split(" ");
    const run = await execa("/usr/bin/env", ["-i", "PATH=/usr/local/bin:/usr/bin:/bin", "node", ...rest, "--env", "dev"], { cwd: ROOT, reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain(`this is Node ${version}`);
  });

  it("the compiled bin checks too (it runs on whatever node is on PATH)", async () => {
    const run = await execa("node_modules/.bin/node", [PLAYS_NODE_20, "--import", "./lib/compile-cache.ts", "scripts/cli.ts", "--version"], { cwd: ROOT, reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("this is Node 20.11.0");
    expect(oldNodeProblem("22.18.0")).toContain("needs Node >= 22.19");
    expect(oldNodeProblem("22.19.0")).toBeUndefined();
    expect(oldNodeProblem("24.21.0")).toBeUndefined();
  });

  it("one minimum everywhere: cdktn-cli's engines, this package's engines, the guard and the bin's check", async () => {
    const guard = await import("../../scripts/require-node.mjs");
    expect(cdktnCli.engines.node).toBe(`>=${MIN_NODE.join(".")}.0`);
    expect(pkg.engines.node).toBe(cdktnCli.engines.node);
    expect(guard.MIN_NODE).toEqual([...MIN_NODE]);
  });
});

describe("the cdktn CLI's checkpoint noise", () => {
  it("is turned off in every cdktn run the scripts make, with the variables the CLI itself reads", async () => {
    const bundle = readFileSync(new URL("node_modules/cdktn-cli/bundle/bin/cdktn.js", ROOT), "utf8");
    expect(bundle).toContain("CHECKPOINT_DISABLE=!!process.env.CHECKPOINT_DISABLE");
    expect(bundle).toMatch(/DISABLE_VERSION_CHECK=(\w+)\(process\.env\.DISABLE_VERSION_CHECK\)/);
    const runner = new FakeRunner().on("npx", { exitCode: 0 });
    await runCdktn(runner, "diff", "dev-network");
    expect(runner.calls[0]!.options.env).toMatchObject(CDKTN_QUIET_ENV);
  });
});
