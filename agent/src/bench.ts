/**
 * Write/read latency per storage tier, in the shape of the source lab's table (shared/REFERENCE.md
 * "Measured in the source lab"), so a deployed environment can be compared with it.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ObjectStore {
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  remove(key: string): Promise<void>;
}

export interface TierTiming {
  readonly writeMs: number;
  readonly readMs: number;
}

export type TierResult = TierTiming | { readonly error: string };

export interface BenchRow {
  readonly size: string;
  readonly bytes: number;
  readonly session: TierResult;
  readonly s3files: TierResult;
  readonly s3api: TierResult;
}

export const DEFAULT_SIZES = ["1KB", "100KB", "1MB", "10MB"];
/** Largest size a benchmark may write: session storage holds 1 GB in all. */
export const MAX_BENCH_BYTES = 64 * 1024 ** 2;
/**
 * The sizes of one benchmark add up to at most this. Sizes run one after another and each file is removed
 * before the next, so a tier holds one size at a time; memory holds about three copies of the largest
 * (the data, the file read back, the object read back).
 */
export const MAX_BENCH_TOTAL_BYTES = 128 * 1024 ** 2;

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2 };

/** "1KB", "100 KB", "10MB" or a number of bytes → bytes; undefined if not a size. */
export function parseSize(size: unknown): number | undefined {
  if (typeof size === "number") return Number.isInteger(size) && size > 0 ? size : undefined;
  if (typeof size !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB)$/i.exec(size.trim());
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!);
  return bytes > 0 ? bytes : undefined;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} B`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 100) / 100;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Median of `repeat` write+read rounds; a tier that fails reports its error instead of timings. */
async function measure(repeat: number, write: () => Promise<unknown>, read: () => Promise<unknown>, cleanup: () => Promise<unknown>): Promise<TierResult> {
  try {
    const writes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < repeat; i++) {
      writes.push(await timed(write));
      reads.push(await timed(read));
    }
    return { writeMs: median(writes), readMs: median(reads) };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { error: e.code ?? e.name ?? "failed" };
  } finally {
    await cleanup().catch(() => {});
  }
}

export async function storageBench(options: {
  readonly sizes: readonly number[];
  readonly sessionPath: string;
  readonly s3FilesPath: string;
  readonly store: ObjectStore;
  readonly prefix: string;
  readonly repeat?: number;
}): Promise<BenchRow[]> {
  const repeat = options.repeat ?? 3;
  const rows: BenchRow[] = [];
  for (const bytes of options.sizes) {
    const data = randomBytes(bytes);
    const name = `bench-${bytes}-${process.pid}.bin`;
    const onDisk = async (root: string) => {
      const dir = join(root, ".storage-bench");
      const file = join(dir, name);
      return measure(
        repeat,
        async () => {
          await mkdir(dir, { recursive: true });
          // writeFile closes the file, which is when an NFS client flushes to the server (close-to-open).
          await writeFile(file, data);
        },
        () => readFile(file),
        () => rm(file, { force: true }),
      );
    };
    const key = `${options.prefix}/.storage-bench/${name}`;
    rows.push({
      size: formatSize(bytes),
      bytes,
      session: await onDisk(options.sessionPath),
      s3files: await onDisk(options.s3FilesPath),
      s3api: await measure(repeat, () => options.store.put(key, data), () => options.store.get(key), () => options.store.remove(key)),
    });
  }
  return rows;
}
