/**
 * The package from the outside (issue 13, "Proof from outside"): `npm pack` makes the tarball, examples/platform-app is
 * copied to a temporary directory and installs it from that tarball (its peers from the npm cache), then, all as
 * processes and as a consumer runs them: tsc type-checks the app against the package's declarations, the real cdktn
 * CLI synthesizes it, and the package's bin audits it and prints deploy's and teardown's dry runs. Nothing here points
 * into the repository's sources.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAwsConstraints, formatViolation, readSynthesizedStacks } from "../../lib/audit/index.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = join(ROOT, "examples", "platform-app");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const MINUTE = 60_000;

/** A clean environment for npm and the app: no npm_* variables of the npm running this test, Node >= 22.19 first on PATH. */
function environment(app?: string): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(npm_|NODE_OPTIONS$|VITEST|AWS_)/.test(e[0])));
  const path = [...(app !== undefined ? [join(app, "node_modules", ".bin")] : []), dirname(process.execPath), base.PATH ?? ""].join(":");
  return { ...base, PATH: path, CHECKPOINT_DISABLE: "1", npm_config_loglevel: "error", npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false", AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_PROFILE: "none" };
}

const timings: Record<string, number> = {};
async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[step] = Date.now() - started;
  }
}

const state: { tarball?: string; files?: string[]; app?: string; work?: string } = {};
const run = (file: string, args: readonly string[]): Promise<{ exitCode?: number; stdout: string; stderr: string }> =>
  execa(file, args, { cwd: state.app, env: environment(state.app), extendEnv: false, reject: false });
const bin = (...args: string[]) => run(join(state.app!, "node_modules", ".bin", "agentcore-s3files"), args);

beforeAll(async () => {
  state.work = mkdtempSync(join(tmpdir(), "platform-app-"));
  const packed = await timed("npm pack (builds dist/)", () => execa("npm", ["pack", "--json", "--pack-destination", state.work!], { cwd: ROOT, env: environment(), extendEnv: false }));
  const [manifest] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  state.tarball = join(state.work, manifest!.filename);
  state.files = manifest!.files.map((f) => f.path);

  state.app = join(state.work, "platform-app");
  cpSync(EXAMPLE, state.app, { recursive: true, filter: (src) => !/[\\/](node_modules|cdktf\.out)$/.test(src) });
  const pkg = JSON.parse(readFileSync(join(state.app, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(pkg.dependencies["agentcore-s3files-infra"], "the committed example names the published package and version").toBe(VERSION);
  pkg.dependencies["agentcore-s3files-infra"] = `file:${state.tarball}`;
  writeFileSync(join(state.app, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  const installed = await timed("npm install (from the tarball; peers from the npm cache)", () => run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"]));
  expect(installed.exitCode, installed.stderr).toBe(0);
}, 10 * MINUTE);

afterAll(() => {
  console.log(`platform-app from the tarball: ${Object.entries(timings).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(", ")}`);
  if (state.work !== undefined) rmSync(state.work, { recursive: true, force: true });
});

describe("the package a platform team installs", () => {
  it("holds the compiled modules, the bin, the reference agent, README, LICENSE and CHANGELOG, and no test, fixture, bench or example", () => {
    const files = state.files!;
    for (const required of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "dist/scripts/cli.js", "dist/modules/environment/index.js", "dist/modules/environment/index.d.ts", "dist/lib/audit/index.d.ts", "agent/Dockerfile", "agent/src/server.ts"]) {
      expect(files, required).toContain(required);
    }
    const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(modules|lib|policies|scripts)\/.+\.(js|d\.ts)|agent\/(Dockerfile|\.dockerignore|package(-lock)?\.json|tsconfig\.json|src\/[a-z-]+\.ts))$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|tests|fixtures|bench|examples|docs)\/|\.test\.|compile-cache/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".d.ts") && /from ["']\.{1,2}\/[^"']+\.ts["']/.test(readFileSync(join(state.app!, "node_modules", "agentcore-s3files-infra", f), "utf8")))).toEqual([]);
  });

  it("type-checks against the package's declarations (tsc, strict, library declarations checked too)", async () => {
    const checked = await timed("tsc", () => run(join(state.app!, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "."]));
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.exitCode).toBe(0);
  });

  it("synthesizes with the cdktn CLI: an existing VPC left alone, the extra statement and invoker in place, every value one AWS accepts", async () => {
    const synth = await timed("cdktn synth", () => run(join(state.app!, "node_modules", ".bin", "cdktn"), ["synth"]));
    expect(synth.exitCode, synth.stderr).toBe(0);
    const outdir = join(state.app!, "cdktf.out");
    const stack = (name: string) => JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.keys(stack("payments-network").resource).sort()).toEqual(["aws_security_group", "aws_vpc_endpoint", "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule"]);
    expect(Object.keys(stack("research-network").resource)).toContain("aws_vpc");
    const research = stack("research-agent").resource;
    const executionPolicy = Object.values(research.aws_iam_role_policy!).map((p) => JSON.parse(String(p.policy)) as { Statement: { Sid?: string; Resource?: unknown }[] });
    expect(executionPolicy.flatMap((p) => p.Statement).find((s) => s.Sid === "ReadExperiments")).toMatchObject({ Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/experiments" });
    expect(Object.values(research.aws_iam_role_policy_attachment!).map((a) => a.role)).toContain("research-notebooks");
    expect(checkAwsConstraints(readSynthesizedStacks(outdir)).map(formatViolation)).toEqual([]);
  });

  it("passes the audit through the installed bin", async () => {
    const audit = await timed("agentcore-s3files audit --all", () => bin("audit", "--all", "--json"));
    expect(audit.exitCode, audit.stderr).toBe(0);
    const reports = JSON.parse(audit.stdout) as { environment: string; stage: string; blocking: string[]; results: { rule: string; status: string }[] }[];
    expect(reports.map((r) => [r.environment, r.stage, r.blocking])).toEqual([["payments", "production", []], ["research", "development", []]]);
    // The statement added with addToExecutionRolePolicy is judged with the rest.
    expect(reports[1]!.results.find((r) => r.rule === "iam-wildcard-resources")).toMatchObject({ status: "pass" });
  });

  it("prints deploy's and teardown's dry runs through the installed bin, with the commands as a consumer types them", async () => {
    const [deploy, teardown, unknown, version] = await timed("deploy and teardown --dry-run", () =>
      Promise.all([bin("deploy", "--env", "research", "--dry-run"), bin("teardown", "--env", "payments", "--dry-run"), bin("deploy", "--env", "staging", "--dry-run"), bin("--version")]),
    );
    expect(deploy.exitCode, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain("Deploy plan for research (us-east-1, account 111122223333):");
    expect(deploy.stdout).toContain("npx agentcore-s3files preflight --env research");
    expect(deploy.stdout).toMatch(/npx agentcore-s3files build-image --env research --context \S+\/node_modules\/agentcore-s3files-infra\/agent$/m);
    expect(deploy.stdout).toMatch(/^Monthly cost of research \(us-east-1\): about \$\d+\.\d\d a month/m);
    expect(teardown.exitCode, teardown.stderr).toBe(0);
    expect(teardown.stdout).toContain("Teardown plan for payments (us-west-2):");
    expect(teardown.stdout).toContain("the imported VPC is never deleted");
    expect(teardown.stdout).toContain("Data: retained");
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.split("\n")[0]).toBe('error: unknown environment "staging"; known: payments, research (the AgentEnvironments the app in cdktf.json synthesizes)');
    expect(version.stdout.trim()).toBe(VERSION);
    expect(existsSync(join(state.app!, "node_modules", "agentcore-s3files-infra", "agent", "Dockerfile"))).toBe(true);
  });
});
