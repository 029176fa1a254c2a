/**
 * Ephemeral agents on a long-lived network, as a user runs them: `npm run teardown -- --only agent` and
 * `npm run deploy -- --only agent` as processes, with the real cdktn CLI, the stand-in Terraform and docker, and
 * AgentCore holding its ENIs for the full 8 hours after each runtime is deleted. The runtime comes and goes; the
 * network, storage and registry stay as they are; the next runtime reuses AgentCore's ENIs; nothing waits for them.
 */
import { describe, expect, it } from "vitest";
import type { DeployReport } from "../../scripts/lib/deploy-report.ts";
import type { TeardownReport } from "../../scripts/lib/teardown/index.ts";
import { e2eProject, withCommittedAgent } from "../fake-aws/hooks.ts";
import { deployInProcess } from "../fake-aws/in-process.ts";

const MINUTE = 60_000;

describe("deploy --only agent and teardown --only agent (processes, real cdktn)", () => {
  const setup = e2eProject({ eniReleaseMs: 8 * 3600_000 }, async (arranged) => {
    await withCommittedAgent(arranged);
    await arranged.project.synth();
    await deployInProcess(arranged.project, arranged.fake.world, "dev");
  });

  it("cycles the runtime twice on the same network and storage, reusing AgentCore's ENIs, without waiting for them", async () => {
    const { world } = setup.fake;
    const { project } = setup;
    const agentEnis = () => world.enisIn("us-west-2").filter((e) => e.InterfaceType === "agentic_ai").map((e) => e.NetworkInterfaceId).sort();
    const enis = agentEnis();
    expect(enis.length).toBe(2);
    const base = ["network", "storage", "registry"].map((layer) => JSON.stringify(project.state(`dev-${layer}`)));
    const started = world.now();

    for (let cycle = 1; cycle <= 2; cycle++) {
      const down = await project.script("teardown", ["--env", "dev", "--only", "agent", "--yes", "--json"]);
      expect(down.exitCode, down.stderr.slice(-3000)).toBe(0);
      const report = JSON.parse(down.stdout) as TeardownReport;
      expect(report.status).toBe("clean");
      expect(report.steps.map((s) => s.id)).toEqual(["agent", "check"]);
      expect(world.all("aws_bedrockagentcore_agent_runtime")).toEqual([]);
      // The ENIs stay (AgentCore's 8 hours), and so do the NAT gateway and everything else: on purpose.
      expect(agentEnis()).toEqual(enis);
      expect(world.all("aws_nat_gateway")).toHaveLength(1);
      expect(report.billing.hourly.map((r) => r.what)).toEqual([expect.stringMatching(/^Elastic IP/), expect.stringMatching(/^NAT gateway/)]);

      const up = await project.script("deploy", ["--env", "dev", "--only", "agent", "--yes", "--json"]);
      expect(up.exitCode, up.stderr.slice(-3000)).toBe(0);
      const deployed = JSON.parse(up.stdout) as DeployReport;
      expect(Object.fromEntries(deployed.steps.map((s) => [s.id, s.status]))).toEqual({ preflight: "done", synth: "done", base: "done", image: "done", agent: "done" });
      expect(world.all("aws_bedrockagentcore_agent_runtime")).toHaveLength(1);
      // Same subnets, same security groups: the new runtime has AgentCore's ENIs back, no new ones.
      expect(agentEnis()).toEqual(enis);
      expect(world.enisIn("us-west-2").filter((e) => e.InterfaceType === "agentic_ai").every((e) => e.releaseAt === undefined)).toBe(true);
    }
    expect(["network", "storage", "registry"].map((layer) => JSON.stringify(project.state(`dev-${layer}`)))).toEqual(base);
    // Two runtimes down and up in (virtual) minutes, not hours.
    expect(world.now() - started).toBeLessThan(60 * MINUTE);
  }, 300_000);
});
