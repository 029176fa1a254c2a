/**
 * Construct ids are Terraform addresses: renaming one makes Terraform destroy the live resource and create a new
 * one (a bucket with its data, a file system, a runtime). This test pins the address of every resource, and the
 * name of every variable and output (the scripts and users rely on those), of the shipped environments and of the
 * every-option environments. A refactor must keep them all.
 *
 * When a change is meant to add or remove addresses, regenerate the fixture deliberately:
 *   UPDATE_ADDRESSES=1 npx vitest run test/stable-addresses.test.ts
 * and, for an address that moves, add a `moved` block and a CHANGELOG entry (see README "Stable addresses").
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../environments/index.ts";
import { synthesize } from "../lib/synth.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "./helpers/every-option.ts";

const FIXTURE = new URL("./fixtures/terraform-addresses.json", import.meta.url);
const cdktfJson = JSON.parse(readFileSync(new URL("../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };

type Addresses = Record<string, string[]>;

interface StackJson {
  resource?: Record<string, Record<string, unknown>>;
  variable?: Record<string, unknown>;
  output?: Record<string, unknown>;
}

/** Every address a stack declares: `<type>.<name>` for resources, `var.<name>`, `output.<name>`. */
export function addressesOf(json: StackJson): string[] {
  return [
    ...Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
    ...Object.keys(json.variable ?? {}).map((name) => `var.${name}`),
    ...Object.keys(json.output ?? {}).map((name) => `output.${name}`),
  ].sort();
}

/** What a synth would remove from, and add to, the pinned addresses of one stack. */
export function compareAddresses(pinned: readonly string[], now: readonly string[]): { gone: string[]; added: string[] } {
  const before = new Set(pinned);
  const after = new Set(now);
  return { gone: pinned.filter((a) => !after.has(a)), added: now.filter((a) => !before.has(a)) };
}

function currentAddresses(): Addresses {
  const outdir = join(mkdtempSync(join(tmpdir(), "addresses-")), "cdktf.out");
  const result = synthesize([...environments, ...EVERY_OPTION_ENVIRONMENTS], { outdir, targetVersions: cdktfJson.targetVersions });
  return Object.fromEntries(
    result.stacks.map((s) => [s.stack, addressesOf(JSON.parse(readFileSync(join(outdir, "stacks", s.stack, "cdk.tf.json"), "utf8")) as StackJson)]),
  );
}

describe("stable Terraform addresses", () => {
  const current = currentAddresses();
  if (process.env.UPDATE_ADDRESSES === "1") writeFileSync(FIXTURE, `${JSON.stringify(current, null, 2)}\n`);
  const pinned = JSON.parse(readFileSync(FIXTURE, "utf8")) as Addresses;

  it("covers the same stacks: none pinned is gone, and a new one belongs to a new environment (added to environments/index.ts)", () => {
    const environmentOf = (stack: string) => stack.slice(0, stack.lastIndexOf("-"));
    const pinnedEnvironments = new Set(Object.keys(pinned).map(environmentOf));
    expect(Object.keys(pinned).filter((stack) => !(stack in current))).toEqual([]);
    expect(Object.keys(current).filter((stack) => !(stack in pinned) && pinnedEnvironments.has(environmentOf(stack)))).toEqual([]);
  });

  for (const stack of Object.keys(pinned)) {
    it(`${stack}: no address is renamed or removed, none appears unannounced`, () => {
      expect(compareAddresses(pinned[stack]!, current[stack] ?? []), "a renamed construct id replaces the live resource: keep the id, or add a moved block and regenerate the fixture deliberately").toEqual({ gone: [], added: [] });
    });
  }

  it("reports a renamed construct id as one address gone and one added (the check can fail)", () => {
    const bucket = pinned["dev-storage"]!.find((a) => a.startsWith("aws_s3_bucket."))!;
    const renamed = current["dev-storage"]!.map((a) => (a === bucket ? "aws_s3_bucket.storage_files_0A1B2C3D" : a));
    expect(compareAddresses(pinned["dev-storage"]!, renamed)).toEqual({ gone: [bucket], added: ["aws_s3_bucket.storage_files_0A1B2C3D"] });
  });
});
