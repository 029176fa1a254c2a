/**
 * Small JSON records the scripts keep under .build/ (journals, image records). Written atomically (a
 * temporary file in the same folder, then a rename), so a crash mid-write leaves the old record or the new
 * one, never half of one; a record that is still unreadable (written by an older version) is set aside
 * with a warning instead of blocking every later run.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeJsonAtomic(file: string, value: unknown): void {
  const folder = dirname(file);
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  // rename(2) replaces the target atomically on one file system.
  renameSync(temporary, file);
}

/**
 * The record in `file`, or `fallback` when there is none. An unreadable record is renamed to
 * `<file>.corrupt-<time>` (kept for inspection) and reported through `warn`.
 */
export function readJsonFile<T>(file: string, fallback: T, warn: (message: string) => void = () => {}): T {
  if (!existsSync(file)) return fallback;
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(file, aside);
    warn(`${file} was not valid JSON (${(error as Error).message}); moved it to ${aside} and started afresh`);
    return fallback;
  }
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
