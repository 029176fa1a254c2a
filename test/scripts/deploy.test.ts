import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cdktnArgs } from "../../scripts/lib/cdktn.ts";
import { deployPlan, type DeployStepId } from "../../scripts/lib/deploy.ts";
import { deployExecutor } from "../../scripts/lib/deploy-executor.ts";
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
    const make = () =>
      deployExecutor({
        environment: dev,
        runner,
        outdir: project.outdir,
        force: false,
        clock: world.clock,
        terraformBinary: "terraform",
        preflight: async () => ({ ok: true, failed: [], report: "" }),
        synth: async () => {},
        buildImage: async () => ({ environment: "dev", repositoryUri: "r", tag: "t", digest: DIGEST, imageUri: `r@${DIGEST}`, gitCommit: "c", builtAt: "now", reused: false }),
        s3files: sdkClients(fake.url, "us-west-2").s3files,
      });
    /** What deploy applied (the plans and shows it ran are Terraform's, in the stacks' folders). */
    const applied = () => runner.commandLines.filter((l) => l.startsWith("npx "));
    return { world, runner, make, applied };
  }

  it("plans each stack in its folder, applies it with the cdktn CLI, and hands the agent the new digest", async () => {
    const { runner, make, applied } = await setup();
    const result = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(result.ok).toBe(true);
    // Every folder initialized once, one after the other, before the first plan; each stack planned before it is applied.
    expect(runner.commandLines.slice(0, 5)).toEqual([...["registry", "network", "storage", "agent"].map(() => "terraform init -input=false -no-color"), "terraform plan -input=false -no-color -detailed-exitcode -out=plan"]);
    expect(runner.commandLines.filter((l) => l.startsWith("terraform plan"))).toHaveLength(4);
    expect(runner.commandLines.at(-3)).toBe(`terraform plan -input=false -no-color -detailed-exitcode -out=plan -var=agent_image_digest=${DIGEST}`);
    expect(applied()).toEqual([
      "npx --no-install cdktn deploy dev-registry --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      "npx --no-install cdktn deploy dev-network --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      "npx --no-install cdktn deploy dev-storage --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      `npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`,
    ]);
    expect(result.states.find((s) => s.id === "changes")).toMatchObject({ status: "unchanged", detail: "dev-storage not deployed yet: nothing to replace" });
  });

  it("resumes after a failed step: stacks whose plan is empty are skipped, the failed one and the rest run", async () => {
    const { world, runner, make, applied } = await setup();
    world.failNext("provider", "CreateMountTarget", new AwsError("ValidationException", "Subnet must be in a supported Availability Zone"));
    const failed = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(failed.ok).toBe(false);
    expect(failed.failed?.id).toBe("storage");
    expect((failed.failed!.error as Error).message).toMatch(/^cdktn deploy dev-storage failed: creating S3 Files Mount Target: operation error S3Files: CreateMountTarget, .*api error ValidationException: Subnet must be in a supported Availability Zone/);

    // The cause is fixed; deploy runs again.
    runner.commandLines.length = 0;
    const result = await runSteps(deployPlan(dev, { context: "agent" }), make());
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(result.states.map((s) => [s.id, s.status]))).toMatchObject({ changes: "done", registry: "unchanged", network: "unchanged", storage: "done", agent: "done" });
    expect(result.states.find((s) => s.id === "registry")!.detail).toBe("no changes (terraform plan)");
    // storage holds some resources now, and will change: deploy previews it before changing anything.
    expect(runner.commandLines.slice(0, 6)).toEqual([
      ...["registry", "network", "storage", "agent"].map(() => "terraform init -input=false -no-color"),
      "terraform plan -input=false -no-color -detailed-exitcode -out=plan",
      "terraform show -json plan",
    ]);
    expect(applied()).toEqual([
      "npx --no-install cdktn deploy dev-storage --auto-approve --skip-synth --ignore-missing-stack-dependencies",
      `npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`,
    ]);
  });

  // The defect (issue 11): a journal survived teardown, so a deploy after teardown skipped network and storage as "unchanged".
  it("applies every stack destroyed behind its back: the plan, not a record, decides", async () => {
    const { world, runner, make, applied } = await setup();
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
    expect(applied().map((l) => l.split(" ")[4])).toEqual(["dev-registry", "dev-network", "dev-storage", "dev-agent"]);
    expect(world.all("aws_vpc")).toHaveLength(1);
  });

  it("--only agent refuses, naming each stack with no resources, when the network, storage and registry are not deployed; nothing is applied", async () => {
    const { make, applied } = await setup();
    const result = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    expect(result.failed?.id).toBe("base");
    expect((result.failed!.error as Error).message).toMatch(
      /^--only agent deploys a runtime onto a network, storage and registry already in place, and they are not: dev-network holds no resources \(\S+terraform\.dev-network\.tfstate\); dev-storage holds no resources \(\S+\); dev-registry holds no resources \(\S+\)\. Deploy the whole environment: npm run deploy -- --env dev$/,
    );
    expect(Object.fromEntries(result.states.map((s) => [s.id, s.status]))).toMatchObject({ image: "not started", agent: "not started" });
    expect(applied()).toEqual([]);
  });

  it("--only agent puts a new runtime on the network, storage and registry in place, changing none of them; AgentCore reuses its ENIs", async () => {
    const { world, runner, make, applied } = await setup();
    expect((await runSteps(deployPlan(dev, { context: "agent" }), make())).ok).toBe(true);
    const enis = world.enisIn("us-west-2").filter((e) => e.InterfaceType === "agentic_ai").map((e) => e.NetworkInterfaceId).sort();
    expect(enis.length).toBeGreaterThan(0);
    await runner.run("npx", cdktnArgs("destroy", "dev-agent", [`--var=agent_image_digest=${DIGEST}`]));
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toEqual([]);

    runner.commandLines.length = 0;
    const base = ["network", "storage", "registry"].map((layer) => readFileSync(harness.project.stateFile(`dev-${layer}`), "utf8"));
    const result = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    expect(result.failures.map((f) => (f.error as Error).message)).toEqual([]);
    expect(applied()).toEqual([`npx --no-install cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies --var=agent_image_digest=${DIGEST}`]);
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
    expect((network.failed!.error as Error).message).toMatch(/and they are not: dev-network would create or replace 3 resources \(aws_nat_gateway\.network_nat-gateway-usw2-az1_\w+ \(create\), aws_route\.network_private-default-route-usw2-az1_\w+ \(create\), aws_route\.network_private-default-route-usw2-az2_\w+ \(create\)\)\. Deploy the whole environment: npm run deploy -- --env dev$/);

    // The network is whole again; now the file system and its access point go through the S3 Files API, as teardown deletes them.
    expect((await runSteps(deployPlan(dev, { context: "agent" }), make())).ok).toBe(true);
    await runner.run("npx", cdktnArgs("destroy", "dev-agent", [`--var=agent_image_digest=${DIGEST}`]));
    world.forget(world.all("aws_s3files_access_point")[0]!);
    const storage = await runSteps(deployPlan(dev, { context: "agent", only: "agent" }), make());
    // The plan refreshes the storage stack against the account: the access point it holds is gone, so it would be created again.
    expect((storage.failed!.error as Error).message).toMatch(/and they are not: dev-storage would create or replace 1 resource \(aws_s3files_access_point\.storage_access-point_\w+ \(create\)\)\./);
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toEqual([]);
  });

  it("a failing preflight stops the deploy before any stack", async () => {
    const runner = new FakeRunner();
    const execute = deployExecutor({
      environment: dev,
      runner,
      outdir: "unused",
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
