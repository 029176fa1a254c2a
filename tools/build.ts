/**
 * `npm run build`: the package's compiled ES modules and declarations in dist/, from nothing (a file deleted from
 * the sources must not live on in the package).
 *
 * tsc rewrites the sources' relative `.ts` imports to `.js` in the JavaScript it emits (rewriteRelativeImportExtensions)
 * but leaves them as `.ts` in the declaration files (microsoft/TypeScript#61037). TypeScript itself resolves those
 * (a `.ts` specifier in a .d.ts finds the .d.ts), but other tools reading the declarations do not, and dist/ holds no
 * `.ts` file; so the declarations' relative specifiers are rewritten to `.js` as well, the way the JavaScript's are.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");

/** Relative `.ts` specifiers in import/export declarations and `import("…")` types, as `.js`. */
export function rewriteDeclarationImports(text: string): string {
  return text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3");
}

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? declarations(path) : entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const compiled = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
  for (const file of declarations(DIST)) writeFileSync(file, rewriteDeclarationImports(readFileSync(file, "utf8")));
}
