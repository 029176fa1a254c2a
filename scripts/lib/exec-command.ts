/**
 * Commands for InvokeAgentRuntimeCommand: a string is passed to a shell in the microVM, so strings with
 * shell metacharacters are refused; an argv array is quoted here, word by word, and can hold anything.
 */
import { EXIT, ScriptError } from "./cli";

/** What a shell would treat as more than one plain command. */
const METACHARACTERS: [RegExp, string][] = [
  [/\n|\r/, "a newline"],
  [/;/, '";"'],
  [/&&/, '"&&"'],
  [/\|\|/, '"||"'],
  [/\|/, '"|"'],
  [/`/, "a backtick"],
  [/\$\(/, '"$("'],
  [/\$\{/, '"${"'],
  [/[<>]/, "a redirection"],
  [/&/, '"&"'],
];

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command string to send: a checked string, or an argv array quoted word by word. */
export function commandToSend(input: { command?: string; argv?: readonly string[] }): string {
  if (input.argv !== undefined && input.argv.length > 0) {
    if (input.command !== undefined) throw new ScriptError("give either --command or a command after --, not both", EXIT.usage);
    return input.argv.map(shellQuote).join(" ");
  }
  const command = input.command?.trim();
  if (!command) throw new ScriptError("no command: pass --command \"…\" or the program and its arguments after --", EXIT.usage);
  const found = METACHARACTERS.filter(([pattern]) => pattern.test(command)).map(([, name]) => name);
  if (found.length > 0) {
    throw new ScriptError(
      `refusing --command with shell metacharacters (${found.join(", ")}): the string would run as more than one command in the microVM`,
      EXIT.usage,
      `pass the program and its arguments after -- instead, e.g. npm run exec -- --env dev --session last -- ls -la /mnt/s3data (each word is quoted), or run "sh -c '…'" that way if you mean it`,
    );
  }
  return command;
}
