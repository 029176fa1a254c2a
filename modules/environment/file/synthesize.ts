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

/** cdktf.json's `targetVersions` in the app's directory, which the cdktn CLI passes itself but a direct run must. */
function targetVersionsOf(directory: string): Record<string, string> | undefined {
  const file = join(directory, "cdktf.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { targetVersions?: Record<string, string> }).targetVersions;
}

/**
 * Synthesizes environment files (`defineEnvironment({...})` values) as `npm run synth` does, and returns the exit
 * status it also sets (0, or 1 when synth refused). @param options.targetVersions @default cdktf.json's, in the
 * current directory. @param options.imageDigests @default the last image build of each environment
 * (.build/images/<env>.json, written by build-image)
 */
export function synthesizeEnvironments(inputs: readonly unknown[], options: SynthOptions = {}): number {
  const targetVersions = options.targetVersions ?? targetVersionsOf(process.cwd());
  const status = runSynthCommand(inputs, {
    ...options,
    ...(targetVersions !== undefined && { targetVersions }),
    imageDigests: options.imageDigests ?? imageDigests(),
  });
  if (status !== 0) process.exitCode = status;
  return status;
}
