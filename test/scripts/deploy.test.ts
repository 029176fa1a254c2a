import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments";
import { synthesize } from "../../lib/synth";
import { deployExecutor, deployPlan, journalPath, type DeployStepId } from "../../scripts/lib/deploy";
import { runSteps, type StepState } from "../../scripts/lib/steps";
import { FakeRunner } from "../helpers/fakes";
import { resolved } from "../helpers/synth";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };
const DIGEST = `sha256:${"d".repeat(64)}`;
const dev = resolved({ name: "dev", network: { mode: "create", cidr: "10.20.0.0/16" } });

/** Simulated step durations (ms) and, optionally, a step that fails. */
function simulated(durations: Partial<Record<DeployStepId, number>>, fail?: DeployStepId) {
  const log: string[] = [];
  return {
    log,
    execute: async (step: { id: DeployStepId }) => {
      log.push(`start ${step.id}`);
      await new Promise((resolve) => setTimeout(resolve, durations[step.id] ?? 0));
      if (step.id === fail) throw new Error(`${step.id} exploded`);
      log.push(`end ${step.id}`);
    },
  };
}

describe("deploy order", () => {
  it("runs the registry first, then network → storage beside the image build, then the agent", async () => {
    const sim = simulated({ registry: 10, network: 40, storage: 60, image: 50, agent: 10 });
    const result = await runSteps(deployPlan(dev, { context: "agent" }), sim.execute);
    expect(result.ok).toBe(true);
    const at = (event: string) => sim.log.indexOf(event);
    expect(at("end registry")).toBeLessThan(at("start network"));
    expect(at("end registry")).toBeLessThan(at("start image"));
    expect(at("end network")).toBeLessThan(at("start storage"));
    expect(at("end storage")).toBeLessThan(at("start agent"));
    expect(at("end image")).toBeLessThan(at("start agent"));
  });

  it("overlaps the image build with network and storage", async () => {
    const sim = simulated({ network: 40, storage: 40, image: 60 });
    await runSteps(deployPlan(dev, { context: "agent" }), sim.execute);
    const at = (event: string) => sim.log.indexOf(event);
    expect(at("start image")).toBeLessThan(at("end network"));
    expect(at("end image")).toBeGreaterThan(at("start storage"));
  });

  it("stops after a failed step: running steps finish, nothing new starts, the rest is 'not started'", async () => {
    const updates: (readonly StepState[])[] = [];
    const sim = simulated({ network: 10, image: 50 }, "network");
    const result = await runSteps(deployPlan(dev, { context: "agent" }), sim.execute, (s) => updates.push(s));
    expect(result.ok).toBe(false);
    expect(result.failed).toMatchObject({ id: "network" });
    const status = Object.fromEntries(result.states.map((s) => [s.id, s.status]));
    expect(status).toEqual({ preflight: "done", synth: "done", registry: "done", network: "failed", image: "done", storage: "not started", agent: "not started" });
    expect(sim.log).not.toContain("start storage");
    expect(result.states.find((s) => s.id === "network")!.detail).toBe("network exploded");
    expect(updates.length).toBeGreaterThan(5);
  });

  it("keeps waiting on a stalled step rather than reporting success", async () => {
    const stalled = runSteps(deployPlan(dev, { context: "agent" }), (step) => (step.id === "storage" ? new Promise(() => {}) : Promise.resolve()));
    const outcome = await Promise.race([stalled.then(() => "finished"), new Promise((resolve) => setTimeout(() => resolve("still running"), 100))]);
    expect(outcome).toBe("still running");
  });
});

describe("deploy executor (real commands through the process runner)", () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), "deploy-"));
    const outdir = join(dir, "cdktf.out");
    synthesize(environments, { outdir, targetVersions: cdktfJson.targetVersions });
    const runner = new FakeRunner().on("npx --no-install cdktn deploy", {});
    const env = resolved({ name: "dev", network: { mode: "create", cidr: "10.20.0.0/16" } });
    const journalFile = journalPath("dev", join(dir, "journal"));
    const make = (failStack?: string) => {
      if (failStack) runner.on(`npx --no-install cdktn deploy ${failStack}`, { exitCode: 1, stderr: "Error: creating S3 Files Mount Target: operation error S3Files: CreateMountTarget, api error ValidationException" });
      return deployExecutor({
        environment: env,
        runner,
        outdir,
        journalFile,
        force: false,
        preflight: async () => ({ ok: true, failed: [], report: "" }),
        synth: async () => {},
        buildImage: async () => ({ environment: "dev", repositoryUri: "r", tag: "t", digest: DIGEST, imageUri: `r@${DIGEST}`, gitCommit: "c", builtAt: "now", reused: false }),
      });
    };
    return { runner, make, journalFile };
  }

  it("deploys each stack with the cdktn CLI and hands the agent the new digest", async () => {
    const { runner, make } = setup();
    const result = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(result.ok).toBe(true);
    expect(runner.commandLines()).toEqual([
      "npx --no-install cdktn deploy dev-registry --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      "npx --no-install cdktn deploy dev-network --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      "npx --no-install cdktn deploy dev-storage --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      `npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`,
    ]);
  });

  it("resumes after a failed step: completed stacks are skipped, the failed one and the rest run", async () => {
    const first = setup();
    const failed = await runSteps(deployPlan(dev, { context: "agent" }), first.make("dev-storage"));
    expect(failed.ok).toBe(false);
    expect(failed.failed?.id).toBe("storage");
    expect(String((failed.failed!.error as Error).message)).toContain("CreateMountTarget");
    expect(Object.keys(JSON.parse(readFileSync(first.journalFile, "utf8")).steps).sort()).toEqual(["network", "registry"]);

    // The cause is fixed; deploy runs again.
    first.runner.calls.length = 0;
    first.runner.on("npx --no-install cdktn deploy dev-storage", {});
    const result = await runSteps(deployPlan(dev, { context: "agent" }), first.make());
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(result.states.map((s) => [s.id, s.status]))).toMatchObject({ registry: "unchanged", network: "unchanged", storage: "done", agent: "done" });
    expect(first.runner.commandLines().map((l) => l.split(" ")[4])).toEqual(["dev-storage", "dev-agent"]);
  });

  it("a failing preflight stops the deploy before any stack", async () => {
    const { runner } = setup();
    const execute = deployExecutor({
      environment: dev,
      runner,
      outdir: "unused",
      journalFile: "unused",
      force: false,
      preflight: async () => ({ ok: false, failed: ["Docker engine"], report: "FAIL  Docker engine  no Docker engine answered\n      fix: start Docker" }),
      synth: async () => {},
      buildImage: async () => { throw new Error("not reached"); },
    });
    const result = await runSteps(deployPlan(dev, { context: "agent" }), execute);
    expect(result.failed?.id).toBe("preflight");
    expect(result.states.find((s) => s.id === "preflight")!.detail).toBe(
      "Docker engine failed (the fixes are listed above; npm run preflight -- --env dev checks again)",
    );
    expect(runner.calls).toEqual([]);
  });
});
