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

/**
 * Teardown against the simulated account of the tests (test/helpers/aws-world.ts), on virtual time, for two
 * sets of service delays; each compared with its critical path and with the lab's manual steps
 * (seed 000: delete runtime; access point; mount target; sleep 60; file system; …; NAT; sleep 60; SGs).
 */
async function benchTeardown(): Promise<void> {
  const { AwsWorld, DEFAULT_TIMINGS, VirtualClock } = await import("../test/helpers/aws-world");
  const { teardown } = await import("../scripts/lib/teardown");
  const { DeleteAccessPointCommand, DeleteFileSystemCommand, DeleteMountTargetCommand } = await import("@aws-sdk/client-s3files");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const environment = { ...resolveEnvironments(environments)[0]!, storage: { ...resolveEnvironments(environments)[0]!.storage, retainDataOnTeardown: false } };
  const scenarios = [
    { name: "mount targets 90s, ENIs released 4m after the runtime", timings: { ...DEFAULT_TIMINGS, mountTargetDeleteMs: 90_000, eniReleaseMs: 240_000 } },
    { name: "mount targets 45s, ENIs released 30s after the runtime", timings: { ...DEFAULT_TIMINGS, mountTargetDeleteMs: 45_000, eniReleaseMs: 30_000 } },
  ];
  const world = (clock: InstanceType<typeof VirtualClock>, timings: typeof DEFAULT_TIMINGS) =>
    new AwsWorld(clock, { name: "dev", region: environment.region, account: "123456789012", bucket: "dev-files-123456789012-us-west-2", repository: "dev-agent", retain: false }, timings, { images: 0 });
  console.log("\nteardown (simulated service delays, virtual time)\n");
  for (const scenario of scenarios) {
    const t = scenario.timings;
    const destroy = t.destroyMs;
    // Agent destroy, then the later of (storage: mount targets then the stack) and (ENI release), then the network.
    const critical = destroy.agent! + Math.max(t.mountTargetDeleteMs + destroy.storage!, t.eniReleaseMs) + destroy.network!;

    const clock = new VirtualClock();
    const ours = world(clock, t);
    const report = await clock.run(
      teardown(
        {
          environment,
          runner: ours.runner(),
          clients: ours.clients() as never,
          clock,
          accountId: "123456789012",
          journalFile: join(mkdtempSync(join(tmpdir(), "bench-teardown-")), "journal.json"),
          log: () => {},
        },
        { waitEnisMs: 3_600_000, waitExportMs: 600_000, deleteImages: true, discardUnexportedWrites: false },
      ),
    );

    const manualClock = new VirtualClock();
    const manual = world(manualClock, t);
    const clients = manual.clients();
    const runner = manual.runner();
    const manualOutcome = await manualClock.run(
      (async () => {
        const step = async (name: string, call: () => Promise<unknown>) => {
          try {
            await call();
          } catch (error) {
            throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
          }
        };
        await runner.run("npx", ["--no-install", "cdktn", "destroy", "dev-agent"]);
        await step("delete-access-point", () => clients.s3files.send(new DeleteAccessPointCommand({ accessPointId: manual.accessPoints[0]! })));
        for (const mt of [...manual.mountTargets]) await step("delete-mount-target", () => clients.s3files.send(new DeleteMountTargetCommand({ mountTargetId: mt.id })));
        await manualClock.sleep(60_000);
        await step("delete-file-system", () => clients.s3files.send(new DeleteFileSystemCommand({ fileSystemId: manual.fileSystem!.id })));
        await manualClock.sleep(60_000);
        const network = await runner.run("npx", ["--no-install", "cdktn", "destroy", "dev-network"]);
        if (network.exitCode !== 0) throw new Error(`delete-subnet/security-group: ${network.stderr.split(": ").slice(-2).join(": ")}`);
        return manualClock.now();
      })().then(
        (ms) => `finished in ${(ms / 1000).toFixed(0)}s: ${(ms / critical).toFixed(2)}x the critical path`,
        (error: Error) => `failed after ${(manualClock.now() / 1000).toFixed(0)}s at ${error.message}`,
      ),
    );
    console.log(`  ${scenario.name} (critical path ${critical / 1000}s):`);
    console.log(`    npm run teardown        ${report.status}, ${(clock.now() / 1000).toFixed(0)}s: ${(clock.now() / critical).toFixed(2)}x the critical path (target <= 1.1x)`);
    console.log(`    the lab's manual steps  ${manualOutcome}`);
  }
}

await benchSynth();
await benchDeploy();
await benchTeardown();
