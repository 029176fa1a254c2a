/**
 * `npm run bench`: performance measured, never asserted. Each figure is the median of several runs in
 * fresh processes, printed as a ratio to a baseline measured in the same run, so the cost of growth is
 * visible whatever machine runs it.
 */
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { environments } from "../environments";
import { resolveEnvironments } from "../environments/schema";
import { deployPlan, type DeployStepId } from "../scripts/lib/deploy";
import { runSteps, type Step } from "../scripts/lib/steps";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? "3");

interface SynthSample {
  environments: number;
  milliseconds: number;
  peakRssMiB: number;
  resources: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measureSynth(environments: number): Promise<SynthSample> {
  const samples: SynthSample[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { stdout } = await execa(process.execPath, ["--import", "tsx", "bench/synth-child.ts", String(environments)], { cwd: ROOT });
    samples.push(JSON.parse(stdout.trim().split("\n").at(-1)!) as SynthSample);
  }
  return {
    environments,
    milliseconds: median(samples.map((s) => s.milliseconds)),
    peakRssMiB: median(samples.map((s) => s.peakRssMiB)),
    resources: samples[0]!.resources,
  };
}

async function benchSynth(): Promise<void> {
  console.log(`synth: median of ${RUNS} runs, each in a fresh process\n`);
  const fixed = await measureSynth(0);
  const small = await measureSynth(3);
  const large = await measureSynth(30);
  const perEnvironment = (s: SynthSample) => (s.milliseconds - fixed.milliseconds) / s.environments;
  const rows = [
    ["environments", "resources", "wall ms", "peak RSS MiB", "ms/env beyond fixed cost", "time vs 3 envs", "memory vs 3 envs"],
    ...[fixed, small, large].map((s) => [
      String(s.environments),
      String(s.resources),
      String(s.milliseconds),
      String(s.peakRssMiB),
      s.environments === 0 ? "-" : perEnvironment(s).toFixed(0),
      (s.milliseconds / small.milliseconds).toFixed(2) + "x",
      (s.peakRssMiB / small.peakRssMiB).toFixed(2) + "x",
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i]!)).join("  "));
  console.log(
    `\n10x the environments costs ${(large.milliseconds / small.milliseconds).toFixed(2)}x the time and ` +
      `${(large.peakRssMiB / small.peakRssMiB).toFixed(2)}x the memory; per-environment cost grows ` +
      `${(perEnvironment(large) / perEnvironment(small)).toFixed(2)}x (1.00x = linear).`,
  );
}

/** Critical path of a step graph: the longest chain of durations through `needs`. */
function criticalPath<Id extends string>(steps: readonly Step<Id>[], durations: Partial<Record<Id, number>>): number {
  const memo = new Map<Id, number>();
  const finish = (id: Id): number => {
    if (!memo.has(id)) {
      const step = steps.find((s) => s.id === id)!;
      memo.set(id, (durations[id] ?? 0) + Math.max(0, ...step.needs.map(finish)));
    }
    return memo.get(id)!;
  };
  return Math.max(...steps.map((s) => finish(s.id)));
}

/**
 * Deploy with simulated step durations (seconds, from the issue: registry 10, network 120, storage 300,
 * image 240, agent 90), one simulated second = SCALE_MS real milliseconds. The scheduler and the one-by-one
 * baseline run the same steps in the same process.
 */
async function benchDeploy(): Promise<void> {
  const SCALE_MS = 2;
  const seconds: Partial<Record<DeployStepId, number>> = { registry: 10, network: 120, storage: 300, image: 240, agent: 90 };
  const environment = resolveEnvironments(environments)[0]!;
  const steps = deployPlan(environment, { context: "agent" });
  const simulate = (step: { id: DeployStepId }) => new Promise<void>((resolve) => setTimeout(resolve, (seconds[step.id] ?? 0) * SCALE_MS));
  const critical = criticalPath(steps, seconds) * SCALE_MS;
  const time = async (run: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await run();
      samples.push(performance.now() - start);
    }
    return median(samples);
  };
  const scheduled = await time(() => runSteps(steps, simulate));
  const oneByOne = await time(async () => {
    for (const step of steps) await simulate(step);
  });
  console.log(`\ndeploy (simulated durations: ${Object.entries(seconds).map(([k, v]) => `${k} ${v}s`).join(", ")}; critical path ${critical / SCALE_MS}s)\n`);
  console.log(`  one step after another  ${(oneByOne / critical).toFixed(2)}x the critical path`);
  console.log(`  deploy's scheduler      ${(scheduled / critical).toFixed(2)}x the critical path (target <= 1.05x)`);
}

await benchSynth();
await benchDeploy();
