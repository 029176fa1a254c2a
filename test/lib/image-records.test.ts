/** Image records are a cache (review finding 8): written atomically, read tolerantly, one bad file breaks nothing else. */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imageDigests, readImageRecord, writeImageRecord, type ImageRecord } from "../../lib/image-records.ts";

const record = (environment: string, d: string): ImageRecord => ({
  environment,
  repositoryUri: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${environment}-agent`,
  tag: "abc1234",
  digest: `sha256:${d.repeat(64)}`,
  imageUri: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${environment}-agent@sha256:${d.repeat(64)}`,
  gitCommit: "abc1234",
  builtAt: "2026-11-02T09:00:00.000Z",
});

describe("image records", () => {
  it("a corrupt or half-written record is ignored with a warning; the other environments' records still count", () => {
    const dir = mkdtempSync(join(tmpdir(), "images-"));
    writeImageRecord(record("dev", "a"), dir);
    writeFileSync(join(dir, "staging.json"), '{"environment": "staging", "digest": "sha256:');
    writeFileSync(join(dir, "prod.json"), JSON.stringify({ environment: "prod", digest: "latest" }));
    const warnings: string[] = [];
    expect(imageDigests(dir, (m) => warnings.push(m))).toEqual({ dev: `sha256:${"a".repeat(64)}` });
    expect(warnings).toEqual([expect.stringMatching(/prod\.json is not an image record \(ignored/), expect.stringMatching(/staging\.json could not be read \(.*ignored/)]);
    expect(readImageRecord("staging", dir, () => {})).toBeUndefined();
    expect(readImageRecord("dev", dir, () => {})?.digest).toBe(`sha256:${"a".repeat(64)}`);
  });

  it("is written through a temporary file renamed into place: no temporary file is left", () => {
    const dir = mkdtempSync(join(tmpdir(), "images-"));
    writeImageRecord(record("dev", "a"), dir);
    writeImageRecord(record("dev", "b"), dir);
    expect(readdirSync(dir)).toEqual(["dev.json"]);
    expect(readImageRecord("dev", dir)?.digest).toBe(`sha256:${"b".repeat(64)}`);
  });
});
