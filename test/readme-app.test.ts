/**
 * README "Use it in your own app" is code that works: each example runs as its own Node process (the package's
 * entry points mapped to this repository's modules), synthesizes what AWS accepts, and the error it shows is the
 * error a mistake gives.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { checkAwsConstraints, formatViolation, readSynthesizedStacks } from "../lib/aws-constraints/index.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const section = README.slice(README.indexOf("## Use it in your own app"), README.indexOf("## Deploying an environment"));
const [wholeEnvironment, oneByOne] = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const errorLines = /```\n([\s\S]*?)```/.exec(section.slice(section.indexOf("A mistake throws")))![1]!.trim().split("\n");

/** The package's entries (package.json `exports`) as this repository's source files. */
const ENTRIES = Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, string | { import: string }> }).exports)
    .filter((entry): entry is [string, { import: string }] => typeof entry[1] === "object")
    .map(([name, target]) => [`agentcore-s3files-infra${name.slice(1)}`, join(ROOT, target.import.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"))]),
);

/** The example as a runnable file: package imports point into this repository, the app writes into `outdir`. */
function runnable(code: string, outdir: string): string {
  return code
    .replace(/from "(agentcore-s3files-infra\/\w+)"/g, (_, entry: string) => `from ${JSON.stringify(ENTRIES[entry] ?? `no such entry: ${entry}`)}`)
    .replace(/from "(cdktn|@cdktn\/provider-aws\/[^"]+)"/g, (_, specifier: string) => `from ${JSON.stringify(import.meta.resolve(specifier))}`)
    .replace("new App()", `new App({ outdir: ${JSON.stringify(outdir)} })`);
}

async function run(code: string) {
  const dir = mkdtempSync(join(tmpdir(), "readme-app-"));
  const outdir = join(dir, "cdktf.out");
  const file = join(dir, "main.ts");
  writeFileSync(file, runnable(code, outdir));
  const result = await execa(process.execPath, [file], { cwd: dir, reject: false });
  return { result, outdir };
}

describe("README: the package's imports", () => {
  it("every import of the package in the README names an entry of package.json and names it exports", async () => {
    const imports = [...README.matchAll(/import \{([^}]+)\} from "(agentcore-s3files-infra[^"]*)"/g)].map((m) => ({ names: m[1]!.split(",").map((n) => n.trim()).filter(Boolean), entry: m[2]! }));
    expect(imports.length).toBeGreaterThanOrEqual(7);
    for (const { names, entry } of imports) {
      expect(ENTRIES, `README imports ${entry}`).toHaveProperty([entry]);
      const module = (await import(ENTRIES[entry]!)) as Record<string, unknown>;
      expect(names.filter((name) => !(name in module)), `${entry} exports`).toEqual([]);
    }
  });
});

describe("README: Use it in your own app", () => {
  it("has the two examples and the error it shows", () => {
    expect(wholeEnvironment).toContain("new AgentEnvironment(app, \"support\"");
    expect(oneByOne).toContain("new AgentRuntime(stack, \"runtime\"");
    expect(errorLines).toHaveLength(2);
  });

  it("one whole environment: four stacks, every value one AWS accepts, the extra statement and invoker in place", async () => {
    const { result, outdir } = await run(wholeEnvironment!);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["support-agent", "support-network", "support-registry", "support-storage"]);
    expect(checkAwsConstraints(readSynthesizedStacks(outdir)).map(formatViolation)).toEqual([]);
    const agent = readFileSync(join(outdir, "stacks", "support-agent", "cdk.tf.json"), "utf8");
    expect(agent).toContain("ReadTheTicketsTable");
    expect(agent).toContain('"role": "support-frontend"');
  });

  it("the constructs one by one, in an existing VPC", async () => {
    const { result, outdir } = await run(oneByOne!);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(checkAwsConstraints(readSynthesizedStacks(outdir)).map(formatViolation)).toEqual([]);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "research", "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.keys(json.resource)).not.toContain("aws_vpc");
    expect(Object.values(json.resource.aws_iam_role_policy!).map((p) => p.role)).toContain("research-batch");
    // In one stack the runtime waits for the mount targets AgentCore checks when it creates it.
    const mountTargets = Object.keys(json.resource.aws_s3files_mount_target!).map((id) => `aws_s3files_mount_target.${id}`);
    expect(mountTargets).toHaveLength(2);
    expect(Object.values(json.resource.aws_bedrockagentcore_agent_runtime!)[0]!.depends_on).toEqual(expect.arrayContaining(mountTargets));
  });

  it("a mistake gives the lines the README shows", async () => {
    const broken = oneByOne!.replace('models: ["us.anthropic.claude-haiku-4-5-20251001-v1:0"]', 'models: ["anthropic.*"], idleTimeoutSeconds: 5');
    expect(broken).not.toBe(oneByOne);
    const { result } = await run(broken);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(`ConfigurationError: ${errorLines.join("\n")}`);
  });
});
