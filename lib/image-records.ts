/**
 * What the last image build produced for an environment, written by build-image and read by deploy and
 * synth (so `npx cdktn deploy <env>-agent` also runs the last built image).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ImageRecord {
  readonly environment: string;
  readonly repositoryUri: string;
  readonly tag: string;
  readonly digest: string;
  /** `<repositoryUri>@<digest>`: what the runtime runs. */
  readonly imageUri: string;
  readonly gitCommit: string;
  readonly builtAt: string;
}

export const IMAGE_RECORD_DIR = join(".build", "images");

export function writeImageRecord(record: ImageRecord, dir = IMAGE_RECORD_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.environment}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

export function readImageRecord(environment: string, dir = IMAGE_RECORD_DIR): ImageRecord | undefined {
  const file = join(dir, `${environment}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ImageRecord) : undefined;
}

/** Digest by environment name, for every record present. */
export function imageDigests(dir = IMAGE_RECORD_DIR): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ImageRecord)
      .map((r) => [r.environment, r.digest]),
  );
}
