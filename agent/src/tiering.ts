/**
 * Tiering helpers for agent code: keep hot files in session storage, spill to S3 Files when session
 * storage fills up, and write what must survive to both (session storage is wiped on every runtime update).
 */
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { directorySize } from "./storage.js";

export interface TieredStorageOptions {
  readonly sessionPath: string;
  readonly s3FilesPath: string;
  readonly sessionLimitBytes: number;
  /** Spill to S3 Files when session storage passes this share of its limit. @default 0.8 */
  readonly spillAtRatio?: number;
  /** Spill until usage is back under this share. @default 0.6 */
  readonly spillToRatio?: number;
}

export type Tier = "session" | "s3files";

export class TieredStorage {
  private readonly spillAt: number;
  private readonly spillTo: number;

  constructor(private readonly options: TieredStorageOptions) {
    this.spillAt = options.sessionLimitBytes * (options.spillAtRatio ?? 0.8);
    this.spillTo = options.sessionLimitBytes * (options.spillToRatio ?? 0.6);
  }

  private resolve(tier: Tier, path: string): string {
    const root = tier === "session" ? this.options.sessionPath : this.options.s3FilesPath;
    const full = join(root, path);
    if (relative(root, full).startsWith("..")) throw new Error(`path "${path}" leaves the ${tier} tier`);
    return full;
  }

  /** Writes to session storage (fast), then spills the oldest files to S3 Files if it is getting full. */
  async writeHot(path: string, data: string | Uint8Array): Promise<{ tier: Tier; spilled: string[] }> {
    const target = this.resolve("session", path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
    const spilled = (await directorySize(this.options.sessionPath)) > this.spillAt ? await this.spillToWarm() : [];
    return { tier: spilled.includes(path) ? "s3files" : "session", spilled };
  }

  /** Writes to both tiers: fast reads now, and a copy that survives a runtime update. */
  async writeImportant(path: string, data: string | Uint8Array): Promise<Tier[]> {
    for (const tier of ["session", "s3files"] as const) {
      const target = this.resolve(tier, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
    }
    return ["session", "s3files"];
  }

  /** Reads from session storage, falling back to S3 Files (where spilled or important files live). */
  async read(path: string): Promise<{ tier: Tier; data: Buffer }> {
    try {
      return { tier: "session", data: await readFile(this.resolve("session", path)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      return { tier: "s3files", data: await readFile(this.resolve("s3files", path)) };
    }
  }

  /** Moves the least recently modified session files to S3 Files until usage is under the low mark. */
  async spillToWarm(): Promise<string[]> {
    const files = await this.sessionFiles();
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let used = files.reduce((sum, f) => sum + f.size, 0);
    const moved: string[] = [];
    for (const file of files) {
      if (used <= this.spillTo) break;
      const warm = this.resolve("s3files", file.path);
      await mkdir(dirname(warm), { recursive: true });
      // Different file systems: copy then remove (rename would fail with EXDEV).
      await copyFile(this.resolve("session", file.path), warm);
      await rm(this.resolve("session", file.path));
      used -= file.size;
      moved.push(file.path);
    }
    return moved;
  }

  private async sessionFiles(dir = ""): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const entries = await readdir(this.resolve("session", dir), { withFileTypes: true }).catch(() => []);
    const files: { path: string; size: number; mtimeMs: number }[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) files.push(...(await this.sessionFiles(path)));
      else if (entry.isFile()) {
        const info = await stat(this.resolve("session", path));
        files.push({ path, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
    return files;
  }
}
