/**
 * What the last image build produced for an environment, written by build-image and read by deploy and
 * synth (so `npx cdktn deploy <env>-agent` also runs the last built image). A cache on one machine: what is
 * deployed is read from the agent stack's state or the account (scripts/lib/deployed-image.ts).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
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

/** A record as written: every field a string, the digest in ECR's form. */
function isImageRecord(value: unknown): value is ImageRecord {
  const r = value as Partial<Record<keyof ImageRecord, unknown>> | null;
  return (
    typeof r === "object" && r !== null &&
    (["environment", "repositoryUri", "tag", "digest", "imageUri", "gitCommit", "builtAt"] as const).every((k) => typeof r[k] === "string") &&
    /^sha256:[0-9a-f]{64}$/.test(r.digest as string)
  );
}

const warnOnStderr = (message: string) => console.warn(`warning: ${message}`);

/**
 * Written atomically (a temporary file in the same folder, then rename(2), which replaces the target in one
 * step): a crash mid-write leaves the old record or the new one, never half of one.
 */
export function writeImageRecord(record: ImageRecord, dir = IMAGE_RECORD_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.environment}.json`);
  const temporary = join(dir, `.${record.environment}.json.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

/** A cache, never a decision: an unreadable record is reported through `warn` and treated as absent. */
function readRecordFile(file: string, warn: (message: string) => void): ImageRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (isImageRecord(parsed)) return parsed;
    warn(`${file} is not an image record (ignored; build-image writes a new one)`);
  } catch (error) {
    warn(`${file} could not be read (${(error as Error).message}; ignored; build-image writes a new one)`);
  }
  return undefined;
}

export function readImageRecord(environment: string, dir = IMAGE_RECORD_DIR, warn: (message: string) => void = warnOnStderr): ImageRecord | undefined {
  return readRecordFile(join(dir, `${environment}.json`), warn);
}

/** Digest by environment name, for every readable record present (one unreadable record affects no other environment). */
export function imageDigests(dir = IMAGE_RECORD_DIR, warn: (message: string) => void = warnOnStderr): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(".json") && !f.startsWith("."))
      .flatMap((f) => {
        const record = readRecordFile(join(dir, f), warn);
        return record !== undefined ? [[record.environment, record.digest] as const] : [];
      }),
  );
}
