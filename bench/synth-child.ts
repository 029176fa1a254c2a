/**
 * One measured synth, run in its own process so peak memory is this synth's alone:
 * `node bench/synth-child.ts <environments>` prints {"environments", "milliseconds", "peakRssMiB", "resources"}.
 * With 0 environments it measures the fixed cost (loading modules, an empty App).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentInput } from "../environments/schema.ts";

const count = Number(process.argv[2] ?? "3");
const regions = ["us-west-2", "us-east-1", "eu-west-1"];

/**
 * Realistic variety: alternating stages and egress modes across three Regions, each in its own /16, and each
 * in its own account (as a platform team's many environments would be: an account holds at most 5 trails per
 * Region, which synth checks).
 */
function generated(i: number): EnvironmentInput {
  return {
    name: `env${i}`,
    account: String(100000000000 + i),
    stage: i % 2 === 0 ? "development" : "production",
    region: regions[i % regions.length]!,
    network: { mode: "create", cidr: `10.${i + 1}.0.0/16`, ...(i % 3 === 2 && { egress: "endpoints-only" as const }) },
    agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], alerts: { emails: [`team${i}@example.com`] } },
  };
}

const started = performance.now();
const { synthesize } = await import("../lib/synth.ts");
const outdir = join(mkdtempSync(join(tmpdir(), "bench-synth-")), "cdktf.out");
const result = synthesize(
  Array.from({ length: count }, (_, i) => generated(i)),
  { outdir, targetVersions: { terraform: ">=1.10.0", opentofu: ">=1.10.0" } },
);
const milliseconds = performance.now() - started;
rmSync(join(outdir, ".."), { recursive: true, force: true });
console.log(
  JSON.stringify({
    environments: count,
    milliseconds: Math.round(milliseconds),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    resources: result.stacks.reduce((sum, s) => sum + s.resources, 0),
  }),
);
