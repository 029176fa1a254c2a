/** Friction (issue 14): stack folders of removed environments stayed in cdktf.out/. A full synth removes them, unless still deployed. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { formatStaleStacks, removeStaleStacks } from "../../lib/stale-stacks.ts";
import { synthesize } from "../../lib/synth.ts";

function stackFolder(outdir: string, stack: string, backend: Record<string, Record<string, string>>): void {
  mkdirSync(join(outdir, "stacks", stack), { recursive: true });
  writeFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), JSON.stringify({ terraform: { backend } }));
}

describe("stack folders the app no longer writes", () => {
  it("go, unless their state may still hold resources (local state with resources, or a remote backend)", () => {
    const project = mkdtempSync(join(tmpdir(), "stale-"));
    const outdir = join(project, "cdktf.out");
    stackFolder(outdir, "old-network", { local: { path: "../../../terraform.old-network.tfstate" } });
    stackFolder(outdir, "old-agent", { local: { path: "../../../terraform.old-agent.tfstate" } });
    stackFolder(outdir, "far-network", { s3: { bucket: "acme-state", key: "far-network.tfstate" } });
    stackFolder(outdir, "gone-network", { local: { path: "../../../terraform.gone-network.tfstate" } });
    writeFileSync(join(project, "terraform.old-network.tfstate"), JSON.stringify({ version: 4, resources: [{ mode: "managed", type: "aws_vpc", name: "v", instances: [{ attributes: {} }] }] }));
    writeFileSync(join(project, "terraform.gone-network.tfstate"), JSON.stringify({ version: 4, resources: [] }));
    const stale = removeStaleStacks(outdir, new Set(["dev-network"]));
    expect(stale.removed).toEqual(["gone-network"]);
    // old-agent's state is empty, but old-network's is not: an environment's folders stay together, for its teardown.
    expect(stale.kept.map((k) => k.stack)).toEqual(["far-network", "old-agent", "old-network"]);
    expect(stale.kept[1]!.why).toMatch(/^another stack of its environment may be deployed \(its state \S+ holds 1 resource\)$/);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["far-network", "old-agent", "old-network"]);
    const text = formatStaleStacks(stale, "cdktf.out").join("\n");
    expect(text).toContain("Removed 1 stack folder the app no longer writes: gone-network.");
    expect(text).toMatch(/Kept cdktf\.out\/stacks\/old-network: the app no longer defines it, but its state \S+terraform\.old-network\.tfstate holds 1 resource\. Tear it down with: npm run teardown -- --env old \(it works from this folder\)\./);
    expect(text).toContain("Kept cdktf.out/stacks/far-network: the app no longer defines it, but its state is in a s3 backend (s3://acme-state/far-network.tfstate), which synth cannot read.");
  });

  it("a full synth removes them; a synth of one environment leaves the others' folders alone", () => {
    const project = mkdtempSync(join(tmpdir(), "stale-"));
    const outdir = join(project, "cdktf.out");
    stackFolder(outdir, "qa-network", { local: { path: "../../../terraform.qa-network.tfstate" } });
    synthesize(environments, { outdir, only: ["dev"] });
    expect(existsSync(join(outdir, "stacks", "qa-network"))).toBe(true);
    const result = synthesize(environments, { outdir });
    expect(result.stale.removed).toEqual(["qa-network"]);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(result.stacks.map((s) => s.stack).sort());
  });
});
