/**
 * Commands for InvokeAgentRuntimeCommand: the string runs in a shell in the microVM. A --command is accepted
 * only from an allow-list of characters that no POSIX shell expands or treats as an operator, so it is one
 * plain command whatever the shell; an argv array is sent with every word single-quoted, so it can hold
 * anything and reaches the program literally (a first word such as LD_PRELOAD=… stays a word, not an
 * environment assignment).
 */
import { EXIT, ScriptError } from "./cli.ts";
import { quoteAlways } from "./shell.ts";
import { commandLine } from "../../lib/invocation.ts";

/**
 * Letters, digits, space and _ . / : , @ % + - =. Left out: everything POSIX sh gives a meaning (; & | < > ( )
 * $ ` \ " ' newline tab, * ? [ ] globbing, ~ tilde expansion, # comments, { } ! and anything outside ASCII),
 * which closes $IFS, $'\x3b', backslash escapes fed to eval or sh -c, and the like.
 */
const ALLOWED = /^[A-Za-z0-9 _./:,@%+=-]$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function describeCharacter(c: string): string {
  if (c === "\n") return "a newline";
  if (c === "\r") return "a carriage return";
  if (c === "\t") return "a tab";
  const code = c.codePointAt(0)!;
  return code < 0x20 || code === 0x7f || code > 0x7e ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : JSON.stringify(c);
}

const ARGV_HINT =
  `pass the program and its arguments after -- instead, e.g. ${commandLine("exec", "--env dev --session last -- ls -la /mnt/s3data")} (each word is quoted), or run "sh -c '…'" that way if you mean it`;

/** The command string to send: a checked --command, or an argv array quoted word by word. */
export function commandToSend(input: { command?: string; argv?: readonly string[] }): string {
  if (input.argv !== undefined && input.argv.length > 0) {
    if (input.command !== undefined) throw new ScriptError("give either --command or a command after --, not both", EXIT.usage);
    return input.argv.map(quoteAlways).join(" ");
  }
  const command = input.command?.trim();
  if (!command) throw new ScriptError('no command: pass --command "…" or the program and its arguments after --', EXIT.usage);
  const refused = [...new Set([...command].filter((c) => !ALLOWED.test(c)))];
  if (refused.length > 0) {
    throw new ScriptError(
      `refusing --command with characters outside its allow-list (${refused.slice(0, 5).map(describeCharacter).join(", ")}${refused.length > 5 ? ", …" : ""}): it takes letters, digits, spaces and _ . / : , @ % + - = only, so that it runs as one plain command and nothing in it expands`,
      EXIT.usage,
      ARGV_HINT,
    );
  }
  if (ASSIGNMENT.test(command)) {
    throw new ScriptError(
      `refusing --command that starts with an environment assignment (${command.split(" ")[0]!.split("=")[0]}=…): the shell would run the next word with it set`,
      EXIT.usage,
      ARGV_HINT,
    );
  }
  return command;
}
