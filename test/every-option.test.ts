import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthesize } from "../lib/synth.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "./helpers/every-option.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };

describe("the every-option environments other tests build on", () => {
  it("are valid and synthesize four stacks each", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "every-option-")), "cdktf.out");
    const result = synthesize(EVERY_OPTION_ENVIRONMENTS, { outdir, targetVersions: cdktfJson.targetVersions });
    expect(result.stacks.map((s) => s.stack)).toEqual(
      ["everything", "everything-imported", "everything-jwt"].flatMap((e) => ["network", "storage", "registry", "agent"].map((l) => `${e}-${l}`)),
    );
  });
});
