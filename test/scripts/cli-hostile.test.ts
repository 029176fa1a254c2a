/**
 * Script arguments chosen to hurt: values that a printed command would run when pasted, a tag the build
 * cache owns, a build context docker would read as an option, and a tampered session file. Every refusal is
 * a usage error before anything is touched; every printed command, read back by a real /bin/sh, gives exactly
 * the words the script means.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { resolveSession } from "../../scripts/lib/agent-client.ts";
import { checkContext, checkTag } from "../../scripts/lib/build-image.ts";
import { ScriptError } from "../../scripts/lib/cli.ts";
import { deployPlan } from "../../scripts/lib/deploy.ts";
import { shellCommand } from "../../scripts/lib/shell.ts";
import { described } from "../helpers/descriptions.ts";

const ROOT = new URL("../..", import.meta.url);
const HOSTILE = "x $(touch PWNED) `id` ; rm -rf ~ 'q' \"d\"";

/** The words a POSIX sh makes of a command line, without running it (eval of `set --` under an empty PATH). */
function wordsOf(line: string): string[] {
  const cwd = mkdtempSync(join(tmpdir(), "words-"));
  const result = spawnSync("/bin/sh", ["-c", 'eval "set -- $1"; for w in "$@"; do printf "%s\\0" "$w"; done', "sh", line], { cwd, env: { PATH: "/nonexistent" }, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split("\u0000").slice(0, -1);
}

function script(file: string, ...args: string[]) {
  return execa(process.execPath, [file, ...args], {
    cwd: ROOT,
    reject: false,
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "no-such-profile", AWS_EC2_METADATA_DISABLED: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  });
}

describe("--dry-run prints commands a shell reads back word for word", () => {
  it("deploy's plan quotes the build context and the placeholder", () => {
    const steps = deployPlan(described(), { context: HOSTILE });
    const image = steps.find((s) => s.id === "image")!;
    expect(wordsOf(image.command)).toEqual(["npm", "run", "build-image", "--", "--env", "test", "--context", HOSTILE]);
    const agent = steps.find((s) => s.id === "agent")!;
    expect(wordsOf(agent.command).at(-1)).toBe("--var=agent_image_digest=<digest from the image step>");
  });

  it("build-image's dry run quotes the context directory, however it is named", async () => {
    const context = join(mkdtempSync(join(tmpdir(), "ctx-")), HOSTILE);
    mkdirSync(context);
    writeFileSync(join(context, "Dockerfile"), "FROM scratch\n");
    const run = await script("scripts/cli.ts", "build-image", "--env", "dev", "--dry-run", "--tag", "v1", "--context", context);
    expect(run.exitCode, run.stderr).toBe(0);
    const build = run.stdout.split("\n").find((line) => line.startsWith("  docker buildx"))!;
    const words = wordsOf(build);
    expect(words.slice(0, 3)).toEqual(["docker", "buildx", "build"]);
    expect(words.at(-1)).toBe(context);
  });

  it("quotes a first word that would be an environment assignment", () => {
    expect(shellCommand(["LD_PRELOAD=/tmp/x.so", "ls"])).toBe("'LD_PRELOAD=/tmp/x.so' ls");
    expect(wordsOf(shellCommand(["a b", "it's", "$HOME", "", "plain-word=1"]))).toEqual(["a b", "it's", "$HOME", "", "plain-word=1"]);
  });
});

describe("build-image arguments", () => {
  it.each([
    ["buildcache", "is the registry build cache's tag"],
    ["", "is not an image tag"],
    ["-v1", "is not an image tag"],
    [".hidden", "is not an image tag"],
    ["v1:latest", "is not an image tag"],
    ["v1 $(id)", "is not an image tag"],
    ["a".repeat(129), "is not an image tag"],
  ])("refuses --tag %j", (tag, problem) => {
    expect(() => checkTag(tag)).toThrow(problem);
    try {
      checkTag(tag);
    } catch (error) {
      expect((error as ScriptError).exitCode).toBe(2);
    }
  });

  it("accepts the tags people use", () => {
    for (const tag of ["v1.2.0", "0a1b2c3d4e5f", "0a1b2c3d4e5f-dirty-20261120101500", "release_2026.11", "A".repeat(128)]) expect(() => checkTag(tag), tag).not.toThrow();
  });

  it("refuses a --context that docker would read as an option", () => {
    expect(() => checkContext("--file=/etc/passwd")).toThrow('--context "--file=/etc/passwd" starts with "-", so docker would read it as an option');
  });

  it("refuses both from the command line with exit status 2, before touching anything", async () => {
    const [tag, context] = await Promise.all([
      script("scripts/cli.ts", "build-image", "--env", "dev", "--tag", "buildcache"),
      script("scripts/cli.ts", "build-image", "--env", "dev", "--context=-q", "--dry-run"),
    ]);
    expect([tag.exitCode, context.exitCode]).toEqual([2, 2]);
    expect(tag.stderr.split("\n")[0]).toBe('error: --tag "buildcache" is the registry build cache\'s tag, the one tag the next build overwrites');
    expect(context.stderr.split("\n")[0]).toBe('error: --context "-q" starts with "-", so docker would read it as an option');
  });
});

describe("--session last", () => {
  it("sends only a session id: a session file holding anything else is refused", () => {
    const file = join(mkdtempSync(join(tmpdir(), "sessions-")), "dev.txt");
    for (const content of ["short\n", `${"a".repeat(40)}\n--qualifier DEFAULT`, `${"a".repeat(40)};id`, "", "a".repeat(32), "a".repeat(257)]) {
      writeFileSync(file, content);
      expect(() => resolveSession("last", file), JSON.stringify(content)).toThrow(`--session last: ${file} does not hold a runtime session id`);
    }
    writeFileSync(file, `${"a".repeat(40)}\n`);
    expect(resolveSession("last", file)).toEqual({ id: "a".repeat(40), reused: true });
    // AgentCore's SessionType is 33 to 256 characters (bedrock-agentcore model); the scripts once capped it at 100.
    for (const id of ["a".repeat(33), `${"a".repeat(150)}-${"b".repeat(105)}`]) expect(resolveSession(id, file)).toEqual({ id, reused: true });
  });
});
