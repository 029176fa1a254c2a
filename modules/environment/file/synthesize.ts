/**
 * The main file of an app built from environment files: `synthesizeEnvironments(environments)` validates every
 * environment, builds an AgentEnvironment for each, synthesizes them, checks every value against what AWS accepts,
 * prints what it wrote, and sets the process's exit status. Configuration problems print one line each
 * ("synth refused: …") and write nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { imageDigests } from "../../../lib/image-records.ts";
import { runSynthCommand, type SynthOptions } from "../../../lib/synth.ts";

/**
 * The environment variable through which the `agentcore-s3files` commands ask an app for the environments they act
 * on (comma-separated names), so that a problem in another environment's file does not stop them. Set by hand, it
 * narrows `cdktn synth` the same way.
 */
export const SELECTION_VARIABLE = "AGENTCORE_S3FILES_ENVIRONMENTS";

/** The environment names SELECTION_VARIABLE asks for, or undefined when it is unset or empty (every environment). */
export function selectedEnvironments(env: Readonly<Record<string, string | undefined>> = process.env): string[] | undefined {
  const names = (env[SELECTION_VARIABLE] ?? "").split(",").map((name) => name.trim()).filter((name) => name.length > 0);
  return names.length > 0 ? names : undefined;
}

/** cdktf.json's `targetVersions` in the app's directory, which the cdktn CLI passes itself but a direct run must. */
function targetVersionsOf(directory: string): Record<string, string> | undefined {
  const file = join(directory, "cdktf.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { targetVersions?: Record<string, string> }).targetVersions;
}

/**
 * Synthesizes environment files (`defineEnvironment({...})` values) as `npm run synth` does, and returns the exit
 * status it also sets: 0; 2 when the configuration is refused (or SELECTION_VARIABLE names an environment the inputs
 * do not define); 1 when a value is one AWS would refuse.
 * @param options.targetVersions @default cdktf.json's, in the current directory
 * @param options.imageDigests @default the last image build of each environment (.build/images/<env>.json, written
 * by build-image)
 * @param options.only @default the environments SELECTION_VARIABLE names, else every environment
 */
export function synthesizeEnvironments(inputs: readonly unknown[], options: SynthOptions = {}): number {
  const targetVersions = options.targetVersions ?? targetVersionsOf(process.cwd());
  const only = options.only ?? selectedEnvironments();
  const status = runSynthCommand(inputs, {
    ...options,
    ...(targetVersions !== undefined && { targetVersions }),
    ...(only !== undefined && { only }),
    imageDigests: options.imageDigests ?? imageDigests(),
  });
  if (status !== 0) process.exitCode = status;
  return status;
}
export type { SynthOptions } from "../../../lib/synth.ts";
