/**
 * Tiering helpers for agent code: keep hot files in session storage, spill to S3 Files when session
 * storage fills up, and write what must survive to both (session storage is wiped on every runtime update).
 *
 * Paths stay inside their tier, symbolic links included: the S3 Files tier is shared by every session of the
 * runtime, so a link planted there by one session must not let another read or overwrite files elsewhere
 * (the application, another mount, /proc). Each path is resolved to its real location and refused when that
 * leaves the tier; files are then opened without following a link in the last component (O_NOFOLLOW), so a
 * link swapped in after the check fails instead of being followed.
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, realpath, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";
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

/** A path that would leave its tier, by "..", an absolute path, or a symbolic link. */
export class TierEscapeError extends Error {
  override name = "TierEscapeError";
}

const WRITE_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
}

export class TieredStorage {
  private readonly spillAt: number;
  private readonly spillTo: number;

  private readonly options: TieredStorageOptions;
  constructor(options: TieredStorageOptions) {
    this.options = options;
    this.spillAt = options.sessionLimitBytes * (options.spillAtRatio ?? 0.8);
    this.spillTo = options.sessionLimitBytes * (options.spillToRatio ?? 0.6);
  }

  /**
   * The real location of `path` in a tier, refused when it leaves the tier. The deepest part of the path that
   * exists is resolved through its links and must stay inside the tier's real root; with `create`, the missing
   * directories are made after that check, so a link cannot redirect them.
   */
  private async locate(tier: Tier, path: string, create = false): Promise<string> {
    const root = tier === "session" ? this.options.sessionPath : this.options.s3FilesPath;
    const lexical = join(root, path);
    const rel = relative(root, lexical);
    if (isAbsolute(path) || rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new TierEscapeError(`path "${path}" leaves the ${tier} tier`);
    const realRoot = await realpath(root);
    let existing = lexical;
    const missing: string[] = [];
    while (!(await exists(existing))) {
      missing.unshift(basename(existing));
      existing = dirname(existing);
    }
    const real = await realpath(existing).catch((error: NodeJS.ErrnoException) => {
      // A link to nowhere (or a loop) cannot be resolved; it is not a file of this tier.
      if (error.code === "ENOENT" || error.code === "ELOOP") throw new TierEscapeError(`path "${path}" goes through a broken link in the ${tier} tier`);
      throw error;
    });
    if (!isInside(realRoot, real)) throw new TierEscapeError(`path "${path}" leaves the ${tier} tier through a symbolic link`);
    if (create && missing.length > 1) await mkdir(join(real, ...missing.slice(0, -1)), { recursive: true });
    return join(real, ...missing);
  }

  private async writeTo(tier: Tier, path: string, data: string | Uint8Array): Promise<void> {
    const target = await this.locate(tier, path, true);
    const file = await open(target, WRITE_NO_FOLLOW, 0o644);
    try {
      await file.writeFile(data);
    } finally {
      await file.close();
    }
  }

  private async readFrom(tier: Tier, path: string): Promise<Buffer> {
    const file = await open(await this.locate(tier, path), READ_NO_FOLLOW);
    try {
      return await file.readFile();
    } finally {
      await file.close();
    }
  }

  /** Writes to session storage (fast), then spills the oldest files to S3 Files if it is getting full. */
  async writeHot(path: string, data: string | Uint8Array): Promise<{ tier: Tier; spilled: string[] }> {
    await this.writeTo("session", path, data);
    const spilled = (await directorySize(this.options.sessionPath)) > this.spillAt ? await this.spillToWarm() : [];
    return { tier: spilled.includes(path) ? "s3files" : "session", spilled };
  }

  /** Writes to both tiers: fast reads now, and a copy that survives a runtime update. */
  async writeImportant(path: string, data: string | Uint8Array): Promise<Tier[]> {
    for (const tier of ["session", "s3files"] as const) await this.writeTo(tier, path, data);
    return ["session", "s3files"];
  }

  /** Reads from session storage, falling back to S3 Files (where spilled or important files live). */
  async read(path: string): Promise<{ tier: Tier; data: Buffer }> {
    try {
      return { tier: "session", data: await this.readFrom("session", path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      return { tier: "s3files", data: await this.readFrom("s3files", path) };
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
      // Different file systems: copy then remove (rename would fail with EXDEV). Neither end follows a link.
      const source = await open(await this.locate("session", file.path), READ_NO_FOLLOW);
      const target = await open(await this.locate("s3files", file.path, true), WRITE_NO_FOLLOW, 0o644);
      await pipeline(source.createReadStream(), target.createWriteStream());
      await rm(await this.locate("session", file.path));
      used -= file.size;
      moved.push(file.path);
    }
    return moved;
  }

  /** Regular files of session storage; links are neither followed nor counted. */
  private async sessionFiles(dir = ""): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const root = dir === "" ? this.options.sessionPath : await this.locate("session", dir);
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const files: { path: string; size: number; mtimeMs: number }[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) files.push(...(await this.sessionFiles(path)));
      else if (entry.isFile()) {
        const info = await stat(join(root, entry.name));
        files.push({ path, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
    return files;
  }
}
