import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cdktnArgs } from "../../scripts/lib/cdktn.ts";
import { deployExecutor, deployPlan, journalPath, type DeployStepId } from "../../scripts/lib/deploy.ts";
import { runSteps, type StepState } from "../../scripts/lib/steps.ts";
import { AwsError } from "../fake-aws/errors.ts";
import { synthesizedProject } from "../fake-aws/hooks.ts";
import { inProcessRemote, sdkClients, standInCdktn } from "../fake-aws/in-process.ts";
import { FakeRunner } from "../helpers/fakes.ts";
import { described } from "../helpers/descriptions.ts";
const DIGEST = `sha256:${"d".repeat(64)}`;
const dev = described({ name: "dev", network: { mode: "create", cidr: "10.20.0.0/16" } });

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
    expect(status).toEqual({ preflight: "done", synth: "done", changes: "done", registry: "done", network: "failed", image: "done", storage: "not started", agent: "not started" });
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

describe("deploy executor (stacks applied by the stand-in Terraform against the fake AWS world)", () => {
  const harness = synthesizedProject();

  async function setup() {
    const fake = await harness.start();
    const project = harness.project;
    const world = fake.world;
    const runner = standInCdktn(project.outdir, inProcessRemote(world));
    const journalFile = journalPath("dev", join(project.dir, ".build", "deploy"));
    const make = () =>
      deployExecutor({
        environment: dev,
        runner,
        outdir: project.outdir,
        journalFile,
        force: false,
        terraformBinary: "terraform",
        preflight: async () => ({ ok: true, failed: [], report: "" }),
        synth: async () => {},
        buildImage: async () => ({ environment: "dev", repositoryUri: "r", tag: "t", digest: DIGEST, imageUri: `r@${DIGEST}`, gitCommit: "c", builtAt: "now", reused: false }),
        s3files: sdkClients(fake.url, "us-west-2").s3files,
      });
    return { world, runner, make, journalFile };
  }

  it("deploys each stack with the cdktn CLI and hands the agent the new digest", async () => {
    const { runner, make } = await setup();
    const result = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(result.ok).toBe(true);
    expect(runner.commandLines).toEqual([
      "npx --no-install cdktn deploy dev-registry --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      "npx --no-install cdktn deploy dev-network --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      "npx --no-install cdktn deploy dev-storage --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      `npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`,
    ]);
    expect(result.states.find((s) => s.id === "changes")).toMatchObject({ status: "unchanged", detail: "dev-storage not deployed yet: nothing to replace" });
  });

  it("resumes after a failed step: completed stacks are skipped, the failed one and the rest run", async () => {
    const { world, runner, make, journalFile } = await setup();
    world.failNext("provider", "CreateMountTarget", new AwsError("ValidationException", "Subnet must be in a supported Availability Zone"));
    const failed = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(failed.ok).toBe(false);
    expect(failed.failed?.id).toBe("storage");
    expect((failed.failed!.error as Error).message).toMatch(/^cdktn deploy dev-storage failed: creating S3 Files Mount Target: operation error S3Files: CreateMountTarget, .*api error ValidationException: Subnet must be in a supported Availability Zone/);
    expect(Object.keys(JSON.parse(readFileSync(journalFile, "utf8")).steps).sort()).toEqual(["network", "registry"]);

    // The cause is fixed; deploy runs again.
    runner.commandLines.length = 0;
    const result = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(result.states.map((s) => [s.id, s.status]))).toMatchObject({ registry: "unchanged", network: "unchanged", storage: "done", agent: "done" });
    // storage holds some resources now, and will change: deploy previews it before changing anything.
    expect(runner.commandLines).toEqual([
      "npx --no-install cdktn diff dev-storage --skip-synth --ignore-missing-stack-dependencies",
      "terraform show -json plan",
      "npx --no-install cdktn deploy dev-storage --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      `npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`,
    ]);
  });

  // The defect: the journal survived teardown, so a deploy after teardown skipped network and storage as "unchanged".
  it("never skips a stack whose state holds no resources, whatever the journal says", async () => {
    const { world, runner, make } = await setup();
    const first = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(first.failures.map((f) => (f.error as Error).message)).toEqual([]);
    // The stacks are destroyed behind deploy's back (another machine, or a teardown of an older version): empty state.
    for (const layer of ["agent", "storage", "registry", "network"]) {
      // (AgentCore's ENIs must be released before the network can go.)
      if (layer === "network") world.advance(9 * 3600_000);
      await runner.run("npx", cdktnArgs("destroy", `dev-${layer}`, layer === "agent" ? [`--var=agent_image_digest=${DIGEST}`] : []));
    }
    expect(world.all("aws_vpc")).toEqual([]);
    runner.commandLines.length = 0;
    const again = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(again.failures.map((f) => (f.error as Error).message)).toEqual([]);
    expect(again.states.filter((s) => s.status === "unchanged").map((s) => s.id)).toEqual(["changes"]);
    expect(runner.commandLines.map((l) => l.split(" ")[4])).toEqual(["dev-registry", "dev-network", "dev-storage", "dev-agent"]);
    expect(world.all("aws_vpc")).toHaveLength(1);
  });

  it("--only agent refuses, naming each stack with no resources, when the network, storage and registry are not deployed; nothing is applied", async () => {
    const { runner, make } = await setup();
    const result = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    expect(result.failed?.id).toBe("base");
    expect((result.failed!.error as Error).message).toMatch(
      /^--only agent deploys a runtime onto a network, storage and registry already in place, and they are not: dev-network holds no resources \(\S+terraform\.dev-network\.tfstate\); dev-storage holds no resources \(\S+\); dev-registry holds no resources \(\S+\)\. Deploy the whole environment: npm run deploy -- --env dev$/,
    );
    expect(Object.fromEntries(result.states.map((s) => [s.id, s.status]))).toMatchObject({ image: "not started", agent: "not started" });
    expect(runner.commandLines).toEqual([]);
  });

  it("--only agent puts a new runtime on the network, storage and registry in place, changing none of them; AgentCore reuses its ENIs", async () => {
    const { world, runner, make } = await setup();
    expect((await runSteps(deployPlan(dev, { context: "agent" }), make())).ok).toBe(true);
    const enis = world.enisIn("us-west-2").filter((e) => e.InterfaceType === "agentic_ai").map((e) => e.NetworkInterfaceId).sort();
    expect(enis.length).toBeGreaterThan(0);
    await runner.run("npx", cdktnArgs("destroy", "dev-agent", [`--var=agent_image_digest=${DIGEST}`]));
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toEqual([]);

    runner.commandLines.length = 0;
    const base = ["network", "storage", "registry"].map((layer) => readFileSync(harness.project.stateFile(`dev-${layer}`), "utf8"));
    const result = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    expect(result.failures.map((f) => (f.error as Error).message)).toEqual([]);
    expect(runner.commandLines).toEqual([`npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`]);
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toHaveLength(1);
    // Not one write to the other stacks' state.
    expect(["network", "storage", "registry"].map((layer) => readFileSync(harness.project.stateFile(`dev-${layer}`), "utf8"))).toEqual(base);
    // The new runtime uses the same subnets and security groups: the ENIs AgentCore held are its ENIs now.
    expect(world.enisIn("us-west-2").filter((e) => e.InterfaceType === "agentic_ai").map((e) => e.NetworkInterfaceId).sort()).toEqual(enis);
    expect(world.enisIn("us-west-2").filter((e) => e.InterfaceType === "agentic_ai").every((e) => e.releaseAt === undefined)).toBe(true);
  });

  it("--only agent refuses a network a teardown has begun on (its NAT gateway gone), and storage whose access point is gone", async () => {
    const { world, runner, make } = await setup();
    expect((await runSteps(deployPlan(dev, { context: "agent" }), make())).ok).toBe(true);
    await runner.run("npx", cdktnArgs("destroy", "dev-agent", [`--var=agent_image_digest=${DIGEST}`]));
    // What teardown's first step does: the network's own destroy, narrowed to its hourly resources.
    const nat = JSON.parse(readFileSync(harness.project.stateFile("dev-network"), "utf8")).resources.find((r: { type: string }) => r.type === "aws_nat_gateway");
    await runner.run("npx", cdktnArgs("destroy", "dev-network"), { env: { TF_CLI_ARGS_destroy: `-target=aws_nat_gateway.${nat.name}` } });
    expect(world.all("aws_nat_gateway")).toEqual([]);
    const network = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    expect(network.failed?.id).toBe("base");
    expect((network.failed!.error as Error).message).toMatch(/and they are not: dev-network lacks 3 of the resources it declares \(aws_nat_gateway\.network_nat-gateway-usw2-az1_\w+, aws_route\.network_private-default-route-usw2-az1_\w+, aws_route\.network_private-default-route-usw2-az2_\w+\)\. Deploy the whole environment: npm run deploy -- --env dev$/);

    // The network is whole again; now the file system and its access point go through the S3 Files API, as teardown deletes them.
    expect((await runSteps(deployPlan(dev, { context: "agent" }), make())).ok).toBe(true);
    await runner.run("npx", cdktnArgs("destroy", "dev-agent", [`--var=agent_image_digest=${DIGEST}`]));
    const accessPoint = world.all("aws_s3files_access_point")[0]!;
    world.forget(accessPoint);
    const storage = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    expect((storage.failed!.error as Error).message).toContain(`and they are not: dev-storage's S3 Files access point ${accessPoint.arn} no longer exists (a teardown deleted the file system)`);
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toEqual([]);
  });

  it("a failing preflight stops the deploy before any stack", async () => {
    const runner = new FakeRunner();
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
