/**
 * The teardown scenario every shipped environment must pass ("Done when" of issues 11 and 15): with AgentCore's
 * ENIs held, teardown exits 3, keeps the network and names the ENIs, but has already destroyed everything the
 * network bills by the hour (through the real cdktn CLI, narrowed by TF_CLI_ARGS_destroy) and says nothing
 * hourly is left; once AWS releases the ENIs, it exits 0.
 */
import { expect } from "vitest";
import { shippedDescription } from "../helpers/descriptions.ts";
import type { TeardownReport } from "../../scripts/lib/teardown/index.ts";
import type { FakeAws, Project } from "../fake-aws/harness.ts";

const HOUR = 3600_000;

/** `human`: check the report a person reads (one environment does); the others check --json only. */
export async function teardownShippedEnvironment(fake: FakeAws, project: Project, name: string, human: boolean): Promise<void> {
  const { world } = fake;
  const environment = shippedDescription(name);
  const region = environment.region;
  const vpc = world.all("aws_vpc", region)[0]!;
  const serviceEnis = world.enisIn(region).filter((e) => e.InterfaceType === "nat_gateway" || e.InterfaceType === "vpc_endpoint");
  expect(serviceEnis.length).toBeGreaterThan(0);

  // While AgentCore holds its ENIs: exit 3, the report names each ENI with type, owner and status.
  if (human) {
    const held = await project.script("teardown", ["--env", name, "--yes", "--delete-images"]);
    expect(held.exitCode, held.stderr.slice(-3000)).toBe(3);
    expect(held.stdout).toContain("ENIs still in the network:");
    for (const eni of world.enisIn(region).filter((e) => e.InterfaceType === "agentic_ai")) {
      expect(held.stdout).toMatch(new RegExp(`${eni.NetworkInterfaceId} \\(agentic_ai, owner ${world.account}, created by [^,]+, in-use\\)(, attached [^:]+)?: AgentCore's`));
    }
    expect(held.stdout).toMatch(/Resume with: npm run teardown -- --env \w+ {2}\(after \d{4}-\d\d-\d\dT/);
    expect(held.stdout).toMatch(/^ {2}Hourly charges stopped at \d{4}-\d\d-\d\dT[^:]+:\d\d:\d\d\.\d{3}Z: destroyed .*NAT gateway nat-/m);
    expect(held.stdout).toContain("  Nothing left is billed by the hour.");
  }
  const agentcoreEnis = world.enisIn(region).filter((e) => e.InterfaceType === "agentic_ai");
  expect(agentcoreEnis.length).toBeGreaterThan(0);
  if (!human) {
    const again = await project.script("teardown", ["--env", name, "--yes", "--delete-images", "--json"]);
    expect(again.exitCode, again.stderr.slice(-3000)).toBe(3);
    const report = JSON.parse(again.stdout) as TeardownReport;
    expect(report.status).toBe("resumable");
    expect(report.enis.filter((e) => e.kind === "agentcore").map((e) => e.id).sort()).toEqual(agentcoreEnis.map((e) => e.NetworkInterfaceId).sort());
    expect(report.enis.filter((e) => e.type === "nat_gateway" || e.type === "vpc_endpoint").every((e) => e.kind === "other")).toBe(true);
    expect(report.enis.filter((e) => e.kind === "agentcore").every((e) => e.type === "agentic_ai" && e.owner === world.account && e.status === "in-use")).toBe(true);
    expect(report.billing.hourly).toEqual([]);
  }
  // Nothing billed by the hour is left in the account while the ENIs hold the rest of the network.
  const hourly = [...world.resources.values()].filter(
    (r) => r.region === region && (r.type === "aws_nat_gateway" || r.type === "aws_eip" || r.type === "aws_flow_log" || (r.type === "aws_vpc_endpoint" && r.attributes.vpc_endpoint_type === "Interface")),
  );
  expect(hourly.map((r) => `${r.type} ${r.id}`)).toEqual([]);
  expect(world.all("aws_vpc", region).map((v) => v.id)).toEqual([vpc.id]);
  expect((project.state(`${name}-network`)?.resources ?? []).some((r) => r.mode === "managed")).toBe(true);

  // AWS releases them: the next run finishes, exit 0.
  world.advance(2 * HOUR);
  const done = await project.script("teardown", ["--env", name, "--yes", "--delete-images", "--json"]);
  expect(done.exitCode, done.stderr.slice(-3000)).toBe(0);
  const clean = JSON.parse(done.stdout) as TeardownReport;
  expect(clean.status).toBe("clean");
  expect(world.all("aws_vpc", region)).toEqual([]);
  expect(world.enisIn(region)).toEqual([]);
  expect(clean.pendingDeletion.map((p) => p.state)).toEqual(["PendingDeletion"]);
  const agentCoreLogGroup = world.all("aws_cloudwatch_log_group", region).find((g) => g.id.startsWith(`/aws/bedrock-agentcore/runtimes/${environment.names.runtime}-`))!;
  expect(clean.kept.map((k) => k.what)).toEqual([
    ...(environment.storage.retainDataOnTeardown ? [`bucket ${name}-files-${world.account}-${region} and its objects`] : []),
    `AgentCore's log group ${agentCoreLogGroup.id}`,
  ]);
}
