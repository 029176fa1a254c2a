/**
 * No source file over 400 lines (issue 13): sources, tests and test helpers alike. A file that grows past it is
 * split into units of one concern each (as scripts/lib/teardown/ and scripts/lib/verify/ are).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAX_LINES = 400;
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
/** What is generated, installed or downloaded, never written by hand. */
const NOT_SOURCE = new Set(["node_modules", "dist", "cdktf.out", ".gen", ".tools", ".build", ".git", "docs"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (NOT_SOURCE.has(entry.name) || entry.name.startsWith(".cdktf.out.staging")) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

/** Files longer than `limit` lines, with their length. */
function oversized(files: readonly { path: string; text: string }[], limit = MAX_LINES): string[] {
  return files.map((f) => ({ path: f.path, lines: f.text.split("\n").length - (f.text.endsWith("\n") ? 1 : 0) })).filter((f) => f.lines > limit).map((f) => `${f.path}: ${f.lines} lines`);
}

describe("source files", () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const files = sourceFiles(ROOT).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === join("test", "source-size.test.ts"))).toBe(true);
    expect(oversized(files)).toEqual([]);
  });

  it("a file one line over the limit is named with its length", () => {
    const text = (n: number) => `${Array.from({ length: n }, (_, i) => `const a${i} = ${i};`).join("\n")}\n`;
    expect(oversized([{ path: "ok.ts", text: text(MAX_LINES) }, { path: "long.ts", text: text(MAX_LINES + 1) }])).toEqual([`long.ts: ${MAX_LINES + 1} lines`]);
  });
});
