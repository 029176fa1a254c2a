/**
 * `agentcore-s3files cdktn <args>` (`npm run cdktn -- <args>`): the cdktn CLI of the project in the current
 * directory (its cdktn-cli, a peer dependency), on the Node running this command, with its checkpoint notices off
 * (scripts/lib/cdktn.ts CDKTN_QUIET_ENV). Every argument, --help included, is the CLI's; its exit status is ours.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { CDKTN_QUIET_ENV } from "../lib/cdktn.ts";
import { EXIT } from "../lib/cli.ts";

/** The cdktn CLI's entry as the project installed it (cdktn-cli's package.json "bin": {"cdktn": "bin/cdktn"}). */
export function cdktnEntry(dir: string = process.cwd()): string | undefined {
  try {
    return join(createRequire(join(dir, "package.json")).resolve("cdktn-cli/package.json"), "..", "bin", "cdktn");
  } catch {
    return undefined;
  }
}

export async function passThrough(args: readonly string[]): Promise<number> {
  const entry = cdktnEntry();
  if (entry === undefined) {
    console.error("error: no cdktn CLI in this project (cdktn-cli is a peer dependency)\nfix: npm install --save-dev cdktn-cli@0.24.0");
    return EXIT.usage;
  }
  const child = spawn(process.execPath, [entry, ...(args[0] === "--" ? args.slice(1) : args)], { stdio: "inherit", env: { ...process.env, ...CDKTN_QUIET_ENV } });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + 2 : EXIT.failed))));
}
