/**
 * `npm run synth` as npm runs it (the project's Node 24 stripping the types of the TypeScript sources, with the
 * on-disk compile cache lib/compile-cache.ts turns on) against the same app precompiled to JavaScript by tsc, side
 * by side in one run: alternating runs in fresh processes, the median of each, and their ratio. Issue 14's target:
 * at most 1.3x. The compiled copy lives in a temporary folder whose node_modules links to the project's, and runs
 * with the project folder as its working directory (the app reads cdktf.json and .build/ from there).
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

export interface SynthRatio {
  readonly typescriptMs: number;
  /** The compiled app run plainly (`node out/main.js`), as a build step would ship it. */
  readonly javascriptMs: number;
  /** The compiled app with the same compile cache on: what is left of the difference is type stripping alone. */
  readonly javascriptCachedMs: number;
  /** typescriptMs / javascriptMs: issue 14's figure. */
  readonly ratio: number;
  readonly ratioToCached: number;
  readonly runs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureSynthRatio(root: string, runs: number): Promise<SynthRatio> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  // The synth script's own options (the Node check, the compile cache) and entry, exactly as npm runs it.
  const synthArgs = pkg.scripts.synth!.split(" ").slice(1);
  const compiled = mkdtempSync(join(tmpdir(), "synth-compiled-"));
  try {
    symlinkSync(join(root, "node_modules"), join(compiled, "node_modules"), "dir");
    writeFileSync(join(compiled, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(compiled, "tsconfig.json"),
      JSON.stringify({ extends: join(root, "tsconfig.json"), compilerOptions: { noEmit: false, outDir: join(compiled, "out"), rootDir: root, declaration: false, sourceMap: false }, files: [join(root, "main.ts")], include: [] }),
    );
    const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
    await execa(process.execPath, [tsc, "-p", join(compiled, "tsconfig.json")], { cwd: root });
    writeFileSync(join(compiled, "out", "package.json"), JSON.stringify({ type: "module" }));
    const time = async (args: string[]) => {
      const outdir = mkdtempSync(join(tmpdir(), "synth-ratio-out-"));
      const started = performance.now();
      await execa(process.execPath, args, { cwd: root, env: { CDKTF_OUTDIR: join(outdir, "cdktf.out") } });
      const elapsed = performance.now() - started;
      rmSync(outdir, { recursive: true, force: true });
      return elapsed;
    };
    const variants = {
      typescript: synthArgs,
      javascript: [join(compiled, "out", "main.js")],
      javascriptCached: ["--import", "./lib/compile-cache.ts", join(compiled, "out", "main.js")],
    };
    const samples = { typescript: [] as number[], javascript: [] as number[], javascriptCached: [] as number[] };
    // One warm-up each (fills the compile cache, the OS file cache), then alternate so drift hits all alike.
    for (const args of Object.values(variants)) await time(args);
    for (let run = 0; run < runs; run++) for (const [name, args] of Object.entries(variants)) samples[name as keyof typeof samples].push(await time(args));
    const typescriptMs = median(samples.typescript);
    const javascriptMs = median(samples.javascript);
    const javascriptCachedMs = median(samples.javascriptCached);
    return { typescriptMs, javascriptMs, javascriptCachedMs, ratio: typescriptMs / javascriptMs, ratioToCached: typescriptMs / javascriptCachedMs, runs };
  } finally {
    rmSync(compiled, { recursive: true, force: true });
  }
}

export function formatSynthRatio(r: SynthRatio): string {
  return [
    `synth of the shipped environments, median of ${r.runs} alternating runs in fresh processes:`,
    `  npm run synth (Node strips the types, compile cache on)  ${r.typescriptMs.toFixed(0).padStart(6)} ms`,
    `  the same app precompiled to JavaScript (tsc), node main.js ${r.javascriptMs.toFixed(0).padStart(6)} ms`,
    `  precompiled, with the same compile cache on                ${r.javascriptCachedMs.toFixed(0).padStart(6)} ms`,
    `  ratio to precompiled ${r.ratio.toFixed(2)}x (target <= 1.30x); to precompiled with the cache ${r.ratioToCached.toFixed(2)}x (type stripping alone)`,
  ].join("\n");
}
