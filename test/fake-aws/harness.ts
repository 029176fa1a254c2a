/**
 * The end-to-end harness: a fake AWS world on loopback HTTP, stand-in `terraform` and `docker` executables
 * first on PATH, and a throw-away copy of this project to run the real scripts in (as processes, with the
 * real cdktn CLI), pointed at the fake world through AWS_ENDPOINT_URL_<SERVICE> and sharing its virtual
 * clock through AGENTCORE_INFRA_CLOCK_FILE. See README.md in this folder.
 */
import { execFile } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CLOCK_FILE_VARIABLE } from "../../scripts/lib/clock.ts";
import { LAYERS, stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import { serveWorld, SERVICE_ENDPOINT_VARIABLES } from "./server.ts";
import { FakeAwsWorld, type WorldOptions } from "./world.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FakeAws {
  readonly world: FakeAwsWorld;
  readonly url: string;
  /** Holds the stand-in `terraform` and `docker`. */
  readonly binDir: string;
  /** The environment a process needs to see the fake world (and only it) as AWS. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

function standIn(dir: string, name: string, script: string): void {
  const file = join(dir, name);
  // The absolute Node of the test run (>= 22.19, see package.json devDependencies) runs the TypeScript directly.
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" --no-warnings "${script}" "$@"\n`);
  chmodSync(file, 0o755);
}

export async function startFakeAws(options: Partial<WorldOptions> = {}): Promise<FakeAws> {
  // The stand-ins run on Node's own TypeScript support, and the cdktn CLI needs Node >= 22.19.
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 19)) {
    throw new Error(`the fake AWS harness needs Node >= 22.19, this is ${process.version}: run the tests with npm test (it uses the project's node devDependency)`);
  }
  const world = new FakeAwsWorld(options);
  const server = await serveWorld(world);
  const binDir = mkdtempSync(join(tmpdir(), "fake-aws-bin-"));
  standIn(binDir, "terraform", join(HERE, "terraform", "main.ts"));
  standIn(binDir, "docker", join(HERE, "docker", "main.ts"));
  const home = mkdtempSync(join(tmpdir(), "fake-aws-home-"));
  return {
    world,
    url: server.url,
    binDir,
    env(extra = {}) {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|TF_|TERRAFORM_BINARY_NAME|FORCE_COLOR|NO_COLOR|NODE_OPTIONS|VITEST|npm_)/.test(k)));
      return {
        ...base,
        PATH: `${binDir}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
        HOME: home,
        CDKTF_HOME: join(home, ".cdktf"),
        CHECKPOINT_DISABLE: "1",
        AWS_ACCESS_KEY_ID: "AKIAFAKEWORLD0000000",
        AWS_SECRET_ACCESS_KEY: "fake-world-secret",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_MAX_ATTEMPTS: "3",
        FAKE_AWS_WORLD_URL: server.url,
        [CLOCK_FILE_VARIABLE]: world.clockFile,
        ...Object.fromEntries(SERVICE_ENDPOINT_VARIABLES.map((v) => [v, server.url])),
        ...extra,
      };
    },
    close: () => server.close(),
  };
}

export function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolveRun) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 180_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1) : 0;
      resolveRun({ exitCode: code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The parts of the repository a user's checkout has; environments/ is copied so a test can change one. */
const COPIED = ["environments", "lib", "modules", "policies", "scripts", "agent", "main.ts", "cdktf.json", "package.json", "tsconfig.json"];

export interface Project {
  readonly dir: string;
  /** Its cdktf.out/ (after synth). */
  readonly outdir: string;
  /** Forgets every deployment: state files, locks, .build/ (the synthesized stacks stay). */
  reset(): void;
  /** Runs `npm run <script> -- …` the way npm runs it (Node 24, which strips the types), as a process, against the fake world. */
  script(name: "teardown" | "deploy" | "build-image" | "preflight" | "drift", args: readonly string[], extraEnv?: Record<string, string>): Promise<RunResult>;
  /** Synthesizes every environment into the project's cdktf.out/. */
  synth(): Promise<void>;
  /** The stand-in terraform in a stack's folder (to arrange a deployed environment quickly). */
  terraform(stack: string, args: readonly string[]): Promise<RunResult>;
  /** Applies an environment's stacks in dependency order directly with the stand-in terraform (a precondition, not the behaviour under test). */
  deployDirectly(environment: string, digest?: string): Promise<void>;
  stateFile(stack: string): string;
  state(stack: string): { resources: { mode: string; type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[]; outputs: Record<string, { value: unknown }> } | undefined;
  writeFile(path: string, text: string): void;
  readFile(path: string): string;
}

export function createProject(fake: FakeAws): Project {
  const dir = mkdtempSync(join(tmpdir(), "agentcore-project-"));
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (src) => !src.includes("node_modules") });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const env = fake.env();
  const project: Project = {
    dir,
    outdir: join(dir, "cdktf.out"),
    reset() {
      for (const entry of readdirSync(dir)) if (/^\.?terraform\..*\.tfstate/.test(entry)) rmSync(join(dir, entry), { force: true });
      rmSync(join(dir, ".build"), { recursive: true, force: true });
    },
    script: (name, args, extraEnv = {}) => run(process.execPath, ["scripts/cli.ts", name, ...args], { cwd: dir, env: { ...env, ...extraEnv } }),
    async synth() {
      const result = await run(process.execPath, ["main.ts"], { cwd: dir, env });
      if (result.exitCode !== 0) throw new Error(`synth failed: ${result.stderr}${result.stdout}`);
    },
    terraform: (stack, args) => run(join(fake.binDir, "terraform"), args, { cwd: join(dir, "cdktf.out", "stacks", stack), env }),
    async deployDirectly(environment, digest = `sha256:${"a".repeat(64)}`) {
      if (!existsSync(join(dir, "cdktf.out"))) await project.synth();
      for (const layer of ["network", "storage", "registry", "agent"] satisfies Layer[]) {
        const stack = stackName(environment, layer);
        const result = await project.terraform(stack, ["apply", "-auto-approve", ...(layer === "agent" ? [`-var=agent_image_digest=${digest}`] : [])]);
        if (result.exitCode !== 0) throw new Error(`arranging ${stack} failed:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
      }
    },
    stateFile: (stack) => join(dir, `terraform.${stack}.tfstate`),
    state(stack) {
      const file = project.stateFile(stack);
      return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
    },
    writeFile(path, text) {
      const file = resolve(dir, path);
      mkdirSync(resolve(file, ".."), { recursive: true });
      writeFileSync(file, text);
    },
    readFile: (path) => readFileSync(resolve(dir, path), "utf8"),
  };
  return project;
}

/** A project whose agent/ is a committed git work tree (build-image tags images with the commit). */
export async function commitAgent(project: Project): Promise<void> {
  const git = (args: string[]) => run("git", args, { cwd: project.dir, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
  await git(["init", "-q"]);
  await git(["add", "agent"]);
  await git(["commit", "-q", "-m", "agent"]);
}

export function removeProject(project: Project): void {
  rmSync(project.dir, { recursive: true, force: true });
}

export { LAYERS };
