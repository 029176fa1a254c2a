#!/usr/bin/env node
/**
 * `agentcore-s3files <command> [options]`: the commands that deploy, check, use and tear down the environments of
 * the cdktn app in the current directory (found through its ./cdktf.json, see scripts/lib/app.ts). This repository's
 * npm scripts run the same entry (`npm run deploy -- --env dev` is `agentcore-s3files deploy --env dev`).
 * Each command loads only its own modules.
 */
import { EXIT, runScript, type Command } from "./lib/cli.ts";
import { BIN, packageVersion } from "../lib/invocation.ts";
import { oldNodeProblem } from "./lib/node-version.ts";

/** Every command, in the order a user meets them, with what it does in a few words. */
export const COMMANDS: Readonly<Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>> = {
  preflight: { summary: "check this machine and these credentials can deploy the environment", load: () => import("./commands/preflight.ts") },
  cost: { summary: "what the environment costs a month, per resource (no AWS account needed)", load: () => import("./commands/cost.ts") },
  audit: { summary: "the production-readiness checklist over the synthesized environment (no AWS account needed)", load: () => import("./commands/audit.ts") },
  "build-image": { summary: "build the agent image for linux/arm64, push it to the environment's repository", load: () => import("./commands/build-image.ts") },
  deploy: { summary: "deploy the environment's stacks in dependency order, with the image", load: () => import("./commands/deploy.ts") },
  invoke: { summary: "call the environment's agent runtime", load: () => import("./commands/invoke.ts") },
  exec: { summary: "run a command in a live session's microVM (alerted)", load: () => import("./commands/exec.ts") },
  drift: { summary: "plan every stack against the account and list what differs (exit 5 on drift)", load: () => import("./commands/drift.ts") },
  verify: { summary: "check a deployed environment's promises end to end", load: () => import("./commands/verify.ts") },
  teardown: { summary: "remove the environment in the order AWS accepts", load: () => import("./commands/teardown.ts") },
  "deployer-policy": { summary: "the IAM policy deploy, teardown and build-image need for the environment (no AWS call)", load: () => import("./commands/deployer-policy.ts") },
};

/** Commands that hand every argument to another program (so `--help` is that program's). */
export const PASS_THROUGH: Readonly<Record<string, { readonly summary: string; readonly run: (args: readonly string[]) => Promise<number> }>> = {
  cdktn: { summary: "the project's cdktn CLI, on this Node, without its checkpoint notices (every argument is cdktn's)", run: async (args) => (await import("./commands/cdktn.ts")).passThrough(args) },
};

export function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `Usage: ${BIN} <command> --env <name> [options]`,
    "",
    "Deploys, checks, uses and tears down the environments (AgentEnvironments) of the cdktn app in the current",
    "directory: the app is synthesized as `cdktn synth` runs it (the \"app\" command of ./cdktf.json), asked for the",
    "one environment a command acts on.",
    "",
    "Commands:",
    ...Object.entries({ ...COMMANDS, ...PASS_THROUGH }).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    `${BIN} <command> --help shows a command's options. ${BIN} --version prints the version.`,
    "Exit statuses: 0 success; 1 failed; 2 bad arguments or configuration (nothing touched); 3 resumable (teardown); 4 not confirmed; 5 drift (drift); 130 interrupted (Ctrl-C: running steps finished, nothing new started).",
  ].join("\n");
}

const oldNode = oldNodeProblem();
if (oldNode !== undefined) {
  console.error(oldNode);
  process.exit(EXIT.usage);
}

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name === "--help" || name === "-h" || name === "help") {
  console.log(overview());
  process.exit(name === undefined ? EXIT.usage : EXIT.ok);
}
if (name === "--version" || name === "-v") {
  console.log(packageVersion());
  process.exit(EXIT.ok);
}
if (Object.hasOwn(PASS_THROUGH, name)) process.exit(await PASS_THROUGH[name]!.run(rest));
const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
if (entry === undefined) {
  console.error(`error: unknown command ${JSON.stringify(name)}; the commands are ${[...Object.keys(COMMANDS), ...Object.keys(PASS_THROUGH)].join(", ")}\nRun ${BIN} --help for what each does.`);
  process.exit(EXIT.usage);
}
const command = await entry.load();
await runScript(command.usage(), command.run, rest);
