/**
 * How the user runs a command where they are, for the usage lines and every "run this next" hint: in a project
 * whose package.json has an npm script that runs this command (this repository's `npm run deploy`, or a
 * consumer's own), `npm run <script> -- <args>`; otherwise the installed bin, `npx agentcore-s3files <command> <args>`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The name of the package's bin. */
export const BIN = "agentcore-s3files";
export const PACKAGE_NAME = "agentcore-s3files-infra";

const scriptsByDir = new Map<string, Readonly<Record<string, string>>>();

/** The npm scripts of the package.json in `dir` (none when there is none, or it cannot be read). */
function npmScripts(dir: string): Readonly<Record<string, string>> {
  const known = scriptsByDir.get(dir);
  if (known !== undefined) return known;
  const file = join(dir, "package.json");
  let scripts: Record<string, string> = {};
  try {
    if (existsSync(file)) scripts = (JSON.parse(readFileSync(file, "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch {
    // An unreadable package.json has no scripts to suggest.
  }
  scriptsByDir.set(dir, scripts);
  return scripts;
}

/** The npm script of the project that runs `command` of this CLI, if there is one. */
export function npmScriptFor(command: string, packageScripts: Readonly<Record<string, string>>): string | undefined {
  const runs = (line: string) => new RegExp(`(?:\\b${BIN}|scripts/cli\\.[jt]s)\\s+${command}(?:\\s|$)`).test(line);
  if (packageScripts[command] !== undefined && runs(packageScripts[command])) return command;
  return Object.keys(packageScripts).find((name) => runs(packageScripts[name]!));
}

/** `command` with `args` as the user types it here. */
export function commandLine(command: string, args = "", dir: string = process.cwd()): string {
  const script = npmScriptFor(command, npmScripts(dir));
  if (script !== undefined) return args ? `npm run ${script} -- ${args}` : `npm run ${script}`;
  return args ? `npx ${BIN} ${command} ${args}` : `npx ${BIN} ${command}`;
}

/** The installed package's own folder (this repository in a checkout): where the reference agent and package.json are. */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/** The package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
