/**
 * The API reference (docs/api/) is what typedoc makes of the current sources' TSDoc, committed so it can be read on
 * the repository: `npm run docs` regenerates it, and this test fails when it is stale. typedoc.json treats its
 * validation warnings as errors, so an export without documentation (or one referencing an unexported type) fails
 * the generation, hence this test. A construct's optional props each state their default (`@default`).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TYPEDOC = join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
const ENTRY_POINTS = (JSON.parse(readFileSync(join(ROOT, "typedoc.json"), "utf8")) as { entryPoints: string[] }).entryPoints;

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return found;
}

/** `<interface>.<prop>` for every optional property of the exported interfaces named *Props that has no @default. */
function optionalPropsWithoutDefault(entries: readonly string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram([...entries], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entry} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Interface) || !symbol.name.endsWith("Props")) continue;
      for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
        if (!(property.flags & ts.SymbolFlags.Optional)) continue;
        if (!property.getJsDocTags(checker).some((tag) => tag.name === "default")) missing.add(`${symbol.name}.${property.name}`);
      }
    }
  }
  return [...missing].sort();
}

const compilerOptions = (() => {
  const config = ts.readConfigFile(join(ROOT, "tsconfig.build.json"), (path) => ts.sys.readFile(path));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
})();

describe("the API reference", () => {
  it("docs/api is what `npm run docs` makes of the current sources, and typedoc finds every export documented", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "api-docs-")), "api");
    const generated = await execa(process.execPath, [TYPEDOC, "--out", out], { cwd: ROOT, reject: false });
    expect(generated.exitCode, `${generated.stdout}\n${generated.stderr}`).toBe(0);
    const fresh = files(out);
    const committed = files(join(ROOT, "docs", "api"));
    const stale = [...new Set([...fresh.keys(), ...committed.keys()])].filter((file) => fresh.get(file) !== committed.get(file)).sort();
    expect(stale, "docs/api is stale: run npm run docs and commit the result").toEqual([]);
    expect(fresh.size).toBeGreaterThan(100);
  }, 120_000);

  it("every optional prop of every exported *Props interface states its default", () => {
    expect(optionalPropsWithoutDefault(ENTRY_POINTS.map((entry) => join(ROOT, entry)), compilerOptions)).toEqual([]);
  }, 120_000);

  it("an optional prop without @default is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "props-default-"));
    const file = join(dir, "index.ts");
    ts.sys.writeFile(file, "export interface WidgetProps {\n  /** Width. @default 3 */\n  readonly width?: number;\n  /** Colour. */\n  readonly colour?: string;\n  readonly name: string;\n}\nexport interface Other { readonly x?: number }\n");
    expect(optionalPropsWithoutDefault([file], { strict: true })).toEqual(["WidgetProps.colour"]);
  });
});
