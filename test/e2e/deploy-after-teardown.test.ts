/**
 * `npm run deploy` and `npm run teardown` as processes, one after the other, against the fake AWS world:
 * the real cdktn CLI, the stand-in Terraform and docker, the SDK clients through AWS_ENDPOINT_URL_*.
 */
import { describe, expect, it } from "vitest";
import type { DeployReport } from "../../scripts/lib/deploy-report.ts";
import type { TeardownReport } from "../../scripts/lib/teardown/index.ts";
import { e2eProject, withCommittedAgent } from "../fake-aws/hooks.ts";

describe("deploy after teardown (processes, real cdktn)", () => {
  const setup = e2eProject({ eniReleaseMs: 5 * 60_000 }, withCommittedAgent);

  // The defect: deploy's journal survived teardown, so the next deploy skipped network and storage as "unchanged".
  it("deploys every stack again after a clean teardown", async () => {
    const first = await setup.project.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(first.exitCode, first.stderr.slice(-3000)).toBe(0);
    const runtime = setup.fake.world.all("aws_bedrockagentcore_agent_runtime")[0]!;

    const down = await setup.project.script("teardown", ["--env", "dev", "--yes", "--json", "--delete-images"]);
    expect(down.exitCode, down.stderr.slice(-3000)).toBe(0);
    expect((JSON.parse(down.stdout) as TeardownReport).status).toBe("clean");
    expect(setup.fake.world.all("aws_vpc")).toEqual([]);

    const again = await setup.project.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(again.exitCode, again.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(again.stdout) as DeployReport;
    const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({ registry: "done", network: "done", storage: "done", image: "done", agent: "done" });
    expect(setup.fake.world.all("aws_vpc")).toHaveLength(1);
    const recreated = setup.fake.world.all("aws_bedrockagentcore_agent_runtime");
    expect(recreated).toHaveLength(1);
    expect(recreated[0]!.id).not.toBe(runtime.id);
  }, 240_000);
});
