/**
 * DESIGN.md decision 7 (issue 14): deploy, drift and teardown decide from the Terraform state and the account only,
 * so a second working copy (another laptop, a CI runner) continues where the first stopped. Two copies of the
 * project, one fake AWS world, an environment whose state is in an S3 backend; the scripts as processes, the real
 * cdktn CLI. Nothing under .build/ is shared between the copies.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeployReport } from "../../scripts/lib/deploy-report.ts";
import type { DriftReport } from "../../scripts/lib/drift.ts";
import type { TeardownReport } from "../../scripts/lib/teardown/index.ts";
import { commitAgent, createProject, type Project } from "../fake-aws/harness.ts";
import { e2eProject } from "../fake-aws/hooks.ts";

const STATE = `state: { backend: "s3", bucket: "acme-terraform-state", keyPrefix: "agents", region: "us-west-2" },\n  network: {`;

async function withSharedState(project: Project): Promise<void> {
  project.writeFile("environments/dev.ts", project.readFile("environments/dev.ts").replace("network: {", STATE));
  await commitAgent(project);
}

describe("two working copies, one environment (processes, real cdktn, S3 state backend)", () => {
  const holder: { second?: Project } = {};
  const setup = e2eProject({ eniReleaseMs: 5 * 60_000 }, async ({ project, fake }) => {
    fake.world.bucket("acme-terraform-state");
    await withSharedState(project);
    holder.second = createProject(fake);
    await withSharedState(holder.second);
  });

  it("deploy from one; drift, resume and teardown from the other", async () => {
    const [first, second] = [setup.project, holder.second!];
    const world = setup.fake.world;
    const deployed = await first.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(deployed.exitCode, deployed.stderr.slice(-3000)).toBe(0);
    expect([...world.bucket("acme-terraform-state").keys()].sort()).toEqual(["agents/dev-agent.tfstate", "agents/dev-network.tfstate", "agents/dev-registry.tfstate", "agents/dev-storage.tfstate"]);
    expect(existsSync(join(second.dir, ".build"))).toBe(false);

    // The second copy sees no drift: it plans the agent with the digest the deployed state holds, not a local record.
    const inSync = await second.script("drift", ["--env", "dev", "--json"]);
    expect(inSync.exitCode, inSync.stderr.slice(-3000)).toBe(0);
    const clean = JSON.parse(inSync.stdout) as DriftReport;
    expect(clean.status).toBe("in-sync");
    expect(clean.image?.source).toMatch(/^dev-agent's state \(s3:\/\/acme-terraform-state\/agents\/dev-agent\.tfstate\), output container_uri$/);

    // Drift made outside Terraform: drift names it and exits 5.
    world.forget(world.all("aws_ecr_lifecycle_policy")[0]!);
    const drifted = await second.script("drift", ["--env", "dev", "--json"]);
    expect(drifted.exitCode, drifted.stderr.slice(-3000)).toBe(5);
    const report = JSON.parse(drifted.stdout) as DriftReport;
    expect(report.status).toBe("drift");
    expect(report.stacks.filter((s) => s.changed).map((s) => [s.stack, s.changes.map((c) => [c.type, c.actions])])).toEqual([["dev-registry", [["aws_ecr_lifecycle_policy", ["create"]]]]]);
    const text = await second.script("drift", ["--env", "dev"]);
    expect(text.exitCode).toBe(5);
    expect(text.stdout).toMatch(/^ {2}dev-registry {2}1 resource change\n {6}aws_ecr_lifecycle_policy\.\S+ \(create\)$/m);

    // The second copy's deploy applies only what its plans show.
    const resumed = await second.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(resumed.exitCode, resumed.stderr.slice(-3000)).toBe(0);
    const steps = Object.fromEntries((JSON.parse(resumed.stdout) as DeployReport).steps.map((s) => [s.id, s.status]));
    expect(steps).toMatchObject({ registry: "done", network: "unchanged", storage: "unchanged" });
    expect(world.all("aws_ecr_lifecycle_policy")).toHaveLength(1);

    // The first copy tears it all down, from the shared state.
    const down = await first.script("teardown", ["--env", "dev", "--yes", "--json", "--delete-images"]);
    expect(down.exitCode, down.stderr.slice(-3000)).toBe(0);
    expect((JSON.parse(down.stdout) as TeardownReport).status).toBe("clean");
    expect(world.all("aws_vpc")).toEqual([]);
    const after = await second.script("drift", ["--env", "dev", "--json"]);
    expect(after.exitCode, after.stderr.slice(-2000)).toBe(5);
    expect((JSON.parse(after.stdout) as DriftReport).stacks.every((s) => !s.deployed)).toBe(true);
  }, 400_000);
});
