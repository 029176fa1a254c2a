/**
 * package.json describes the package the sources make: every entry and the bin come from a source file that is
 * compiled into dist/, the runtime dependencies are exactly what the shipped code imports, and the peers are what
 * the provider itself asks for. (test/examples/platform-app.test.ts installs the packed result.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  type: string;
  license: string;
  exports: Record<string, string | { types: string; import: string }>;
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
const build = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8")) as { include: string[]; exclude: string[] };

/** The source file a dist/ path is compiled from. */
const sourceOf = (distPath: string) => join(ROOT, distPath.replace(/^\.?\/?dist\//, "").replace(/\.d\.ts$|\.js$/, ".ts"));

function shippedSources(): string[] {
  const roots = build.include.map((pattern) => pattern.split("/")[0]!);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []));
  return roots.flatMap((root) => walk(join(ROOT, root))).filter((file) => !build.exclude.includes(relative(ROOT, file)));
}

/** The packages a file imports (`@scope/name` or `name`), from static and dynamic imports. */
function importedPackages(text: string): string[] {
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => (m[1] ?? m[2])!);
  return specifiers.filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s)).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!));
}

describe("package.json", () => {
  it("is a public ES module package with a semantic version, Apache-2.0, and Node >= 22.19", () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.name).toBe("agentcore-s3files-infra");
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(pkg.type).toBe("module");
    expect(pkg.license).toBe("Apache-2.0");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toContain(`## [${pkg.version}]`);
    expect(pkg.engines.node).toBe(">=22.19.0");
    expect(pkg.scripts.prepack).toBe("npm run build");
  });

  it("has the eight entries, each with types and import compiled from a source file, and the bin", () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(["./audit", "./environment", "./network", "./package.json", "./policies", "./registry", "./runtime", "./security", "./storage"]);
    for (const [name, target] of Object.entries(pkg.exports)) {
      if (name === "./package.json") continue;
      expect(target, name).toEqual({ types: expect.stringMatching(/^\.\/dist\/.+\/index\.d\.ts$/), import: expect.stringMatching(/^\.\/dist\/.+\/index\.js$/) });
      const { types, import: code } = target as { types: string; import: string };
      expect(sourceOf(types)).toBe(sourceOf(code));
      expect(existsSync(sourceOf(code)), `${name}: ${relative(ROOT, sourceOf(code))}`).toBe(true);
    }
    expect(pkg.bin).toEqual({ "agentcore-s3files": "dist/scripts/cli.js" });
    expect(readFileSync(sourceOf(pkg.bin["agentcore-s3files"]!), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(pkg.files).toEqual(["dist", "agent", "README.md", "LICENSE", "CHANGELOG.md"]);
  });

  it("depends at run time on exactly the packages the shipped code imports, the cdktn ones as peers", () => {
    const imported = new Set(shippedSources().flatMap((file) => importedPackages(readFileSync(file, "utf8"))));
    const peers = Object.keys(pkg.peerDependencies);
    expect([...imported].filter((p) => !peers.includes(p)).sort()).toEqual(Object.keys(pkg.dependencies).sort());
    // cdktn-cli is a peer the commands run (npx cdktn deploy|destroy|diff), not one they import.
    expect(peers.filter((p) => !imported.has(p))).toEqual(["cdktn-cli"]);
    for (const dependency of Object.keys(pkg.dependencies)) expect(pkg.dependencies[dependency], dependency).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("asks of its peers what @cdktn/provider-aws asks, and develops against versions inside those ranges", () => {
    const provider = JSON.parse(readFileSync(join(ROOT, "node_modules", "@cdktn", "provider-aws", "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies.cdktn).toBe(provider.peerDependencies.cdktn);
    expect(pkg.peerDependencies.constructs).toBe(provider.peerDependencies.constructs);
    for (const peer of Object.keys(pkg.peerDependencies)) {
      const installed = (JSON.parse(readFileSync(join(ROOT, "node_modules", peer, "package.json"), "utf8")) as { version: string }).version;
      expect(pkg.devDependencies[peer], `${peer} is a devDependency at the version installed`).toBe(installed);
    }
  });

  it("the import scanner finds static, re-exported and dynamic imports, and leaves relative and built-in ones", () => {
    const text = 'import { a } from "zod";\nexport { b } from "@aws-sdk/client-s3";\nconst c = await import("execa");\nimport { d } from "./d.ts";\nimport { e } from "node:fs";\nimport type { F } from "@cdktn/provider-aws/lib/vpc/index.js";';
    expect(importedPackages(text).sort()).toEqual(["@aws-sdk/client-s3", "@cdktn/provider-aws", "execa", "zod"]);
  });
});
