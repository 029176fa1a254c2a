/**
 * exec's command check over generated input (fixed seeds, bounded count), with real shells as the oracle:
 * every --command it accepts parses as one simple command whose words are the words typed, and every argv
 * array it quotes comes back from a POSIX sh word for word. The shells run with an empty environment and no
 * PATH, so nothing but builtins could run even if a check were wrong.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScriptError } from "../../scripts/lib/cli.ts";
import { commandToSend } from "../../scripts/lib/exec-command.ts";

const sandbox = mkdtempSync(join(tmpdir(), "exec-shell-"));
const shellEnv = { PATH: "/nonexistent" };

function shell(binary: "/bin/sh" | "/bin/bash", script: string, ...args: string[]) {
  const result = spawnSync(binary, ["-c", script, "shell", ...args], { cwd: sandbox, env: shellEnv, encoding: "buffer", timeout: 10_000 });
  return { status: result.status, stdout: result.stdout.toString("utf8"), stderr: result.stderr.toString("utf8") };
}

/** How bash parses a command without running it: as the body of a function, printed back by declare -f. */
function parsedBody(command: string): string[] | undefined {
  const result = shell("/bin/bash", `f() {\n${command}\n}\ndeclare -f f`);
  if (result.status !== 0) return undefined;
  return result.stdout.split("\n").slice(2, -2).map((line) => line.trim());
}

const ALPHABET = [..."abcXYZ019 _./:,@%+=-", ..."  ", ...";&|<>()$`\\\"'\n\t*?[]~#{}!", "é", "；", "\u0000", "\r"];
const typed = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 30 });

describe("--command, generated", () => {
  it("is refused (usage error), or parses as exactly one simple command of the words typed", () => {
    const accepted: string[] = [];
    fc.assert(
      fc.property(typed, (command) => {
        try {
          accepted.push(commandToSend({ command }));
          return true;
        } catch (error) {
          return error instanceof ScriptError && error.exitCode === 2;
        }
      }),
      { seed: 1337, numRuns: 400 },
    );
    expect(accepted.length).toBeGreaterThan(20);
    for (const command of accepted) {
      const body = parsedBody(command);
      // A syntax error (a reserved word out of place) runs nothing; anything else is one line: one command.
      if (body !== undefined) expect(body, JSON.stringify(command)).toEqual([command.split(/ +/).join(" ")]);
    }
  });

  it("the forms that bypassed the old refusal are refused", () => {
    for (const command of ["cat${IFS}/etc/passwd", "ls$IFS-la", "echo $'\\x3b'id", "eval ls\\;id", "sh -c ls\\;id", "ls;id", "x=1 ls"]) {
      expect(() => commandToSend({ command }), command).toThrow(ScriptError);
    }
  });
});

describe("argv after --, generated", () => {
  // Shell metacharacters, and any Unicode text (but NUL, which no argv can hold, and lone surrogates, which are no text).
  const word = fc
    .oneof(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 20 }), fc.string({ unit: "binary", maxLength: 20 }))
    .filter((w) => !w.includes("\u0000") && !/\p{Cs}/u.test(w));

  it("reaches a POSIX sh word for word, whatever the words hold", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (argv) => {
        const quoted = commandToSend({ argv });
        const result = shell("/bin/sh", 'eval "set -- $1"; for word in "$@"; do printf "%s\\0" "$word"; done', quoted);
        expect(result.status).toBe(0);
        expect(result.stdout.split("\u0000").slice(0, -1)).toEqual(argv);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it("keeps a leading NAME=value a word: the shell looks for a command of that name instead of setting a variable", () => {
    const result = shell("/bin/sh", commandToSend({ argv: ["LD_PRELOAD=/tmp/x.so", "echo", "ran"] }));
    expect(result.status).toBe(127);
    expect(result.stdout).not.toContain("ran");
    expect(result.stderr).toContain("LD_PRELOAD=/tmp/x.so: not found");
  });
});
