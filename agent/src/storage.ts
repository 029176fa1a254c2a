/** What is mounted where, how full it is, and whether session storage is close to its limit. */
import { constants } from "node:fs";
import { access, lstat, readdir, stat, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AgentConfig } from "./config.js";

/** Warn when session storage passes this share of its limit. */
export const SESSION_WARNING_RATIO = 0.8;

export interface MountReport {
  readonly path: string;
  readonly available: boolean;
  readonly writable: boolean;
  /** Whether the path is a mount point (another device than its parent). */
  readonly mountPoint: boolean;
  readonly filesystem?: { readonly sizeBytes: number; readonly freeBytes: number };
  readonly error?: string;
}

/** Bytes used under a directory (files only, symlinks not followed). */
export async function directorySize(path: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += await directorySize(full);
    else if (entry.isFile()) total += (await lstat(full)).size;
  }
  return total;
}

export async function inspectMount(path: string): Promise<MountReport> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return { path, available: false, writable: false, mountPoint: false, error: "not a directory" };
    const parent = await stat(dirname(path));
    const writable = await access(path, constants.W_OK).then(() => true, () => false);
    const fs = await statfs(path);
    return {
      path,
      available: true,
      writable,
      mountPoint: info.dev !== parent.dev,
      filesystem: { sizeBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize },
    };
  } catch (error) {
    return { path, available: false, writable: false, mountPoint: false, error: (error as NodeJS.ErrnoException).code ?? "unavailable" };
  }
}

export interface StorageReport {
  readonly session: MountReport & { readonly usedBytes: number; readonly limitBytes: number; readonly usedPercent: number; readonly warning: string | null };
  readonly s3files: MountReport;
  readonly s3: { readonly bucket: string; readonly prefix: string; readonly reachable: boolean; readonly error?: string };
}

export async function storageReport(config: AgentConfig, probeS3: () => Promise<void>): Promise<StorageReport> {
  const [session, s3files, usedBytes] = await Promise.all([
    inspectMount(config.sessionStoragePath),
    inspectMount(config.s3FilesPath),
    directorySize(config.sessionStoragePath),
  ]);
  const usedPercent = Math.round((usedBytes / config.sessionStorageLimitBytes) * 1000) / 10;
  const warning =
    usedBytes >= config.sessionStorageLimitBytes * SESSION_WARNING_RATIO
      ? `session storage is ${usedPercent}% full; at 100% writes fail with ENOSPC. Move files to ${config.s3FilesPath} (S3 Files) or the bucket.`
      : null;
  const s3 = await probeS3().then(
    () => ({ bucket: config.bucket, prefix: config.agentPrefix, reachable: true }),
    (error: Error) => ({ bucket: config.bucket, prefix: config.agentPrefix, reachable: false, error: error.name || "unreachable" }),
  );
  return { session: { ...session, usedBytes, limitBytes: config.sessionStorageLimitBytes, usedPercent, warning }, s3files, s3 };
}
