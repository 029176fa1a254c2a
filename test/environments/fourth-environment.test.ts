/**
 * Adding an environment exactly as the README says ("copy one of dev.ts, staging.ts, prod.ts, change name and
 * network.cidr, and add it to the list in environments/index.ts") must leave `npm test` green: no test may
 * hard-code the three shipped environments or their 12 stacks. Proven in a copy of the repository with a fourth
 * environment, running there the tests that enumerate the environments (they read environments/index.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The tests that list environments or stacks: each failed with a fourth environment before they read environments/index.ts. */
const ENUMERATING = [
  "test/app.test.ts",
  "test/scripts/cli.test.ts",
  "test/scripts/verify.test.ts",
  "test/environments/selection.test.ts",
  "test/environments/schema.test.ts",
  "test/stable-addresses.test.ts",
  "test/lib/cost.test.ts",
  "test/policies/wildcards.test.ts",
];

/** What a fresh clone has: the files git tracks (no .build/, no cdktf.out/), with this checkout's node_modules. */
async function freshClone(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { stdout } = await execa("git", ["ls-files"], { cwd: ROOT });
  for (const file of stdout.split("\n").filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

async function copyWithFourthEnvironment(): Promise<string> {
  const dir = await freshClone("fourth-environment-");
  // The README's steps: copy dev.ts, change name and network.cidr (not overlapping the others), list it.
  const dev = readFileSync(join(dir, "environments", "dev.ts"), "utf8");
  const sandbox = dev.replace('name: "dev"', 'name: "sandbox"').replace('cidr: "10.20.0.0/16"', 'cidr: "10.60.0.0/16"');
  expect(sandbox).not.toBe(dev);
  writeFileSync(join(dir, "environments", "sandbox.ts"), sandbox);
  const index = join(dir, "environments", "index.ts");
  const listed = readFileSync(index, "utf8").replace('import staging from "./staging.ts";', 'import sandbox from "./sandbox.ts";\nimport staging from "./staging.ts";').replace("[dev, staging, prod]", "[dev, staging, prod, sandbox]");
  expect(listed).toContain("[dev, staging, prod, sandbox]");
  writeFileSync(index, listed);
  return dir;
}

describe("a fourth environment, added as the README says", () => {
  it("synthesizes 16 stacks, and the tests that enumerate environments pass with it", async () => {
    const dir = await copyWithFourthEnvironment();
    // As npm runs the tests: the project's Node first on PATH (the app is synthesized through cdktf.json's `node`).
    const env = { PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}` };
    const synth = await execa(process.execPath, ["--import", "./lib/compile-cache.ts", "main.ts"], { cwd: dir, env: { ...env, CDKTF_OUTDIR: join(dir, "cdktf.out") }, reject: false });
    expect(synth.exitCode, synth.stderr).toBe(0);
    expect(synth.stdout).toMatch(/^16 stacks, \d+ resources written to /m);
    expect(synth.stdout).toMatch(/^sandbox-agent\s/m);
    const tests = await execa(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", ...ENUMERATING], { cwd: dir, env: { ...env, NO_COLOR: "1", FORCE_COLOR: "0" }, reject: false });
    expect(tests.exitCode, tests.stdout.split("\n").filter((l) => /FAIL|✗|×|AssertionError/.test(l)).join("\n")).toBe(0);
    expect(tests.stdout).toMatch(new RegExp(String.raw`Test Files\s+${ENUMERATING.length} passed \(${ENUMERATING.length}\)`));
  }, 600_000);
});

describe("a fresh clone", () => {
  it("passes the production-readiness audit of every shipped environment: audit --all exits 0", async () => {
    const dir = await freshClone("fresh-clone-");
    const env = { PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`, AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
    const audit = await execa(process.execPath, ["--import", "./lib/compile-cache.ts", "scripts/cli.ts", "audit", "--all", "--json"], { cwd: dir, env, reject: false });
    expect(audit.exitCode, audit.stderr).toBe(0);
    expect((JSON.parse(audit.stdout) as { blocking: string[] }[]).flatMap((r) => r.blocking)).toEqual([]);
  }, 120_000);
});
