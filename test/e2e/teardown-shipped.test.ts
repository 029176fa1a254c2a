/**
 * `npm run teardown` of each shipped environment, as a user runs it: the script as a process, the real
 * cdktn CLI, the stand-in Terraform, the AWS SDK clients pointed at the fake AWS world (test/fake-aws/).
 * The NAT-gateway and interface-endpoint ENIs are shaped as AWS shapes them (requester-managed,
 * ela-attach by amazon-aws). AgentCore keeps its ENIs 2 hours after the runtime is deleted (AWS: "up to 8").
 */
import { describe, it } from "vitest";
import { deployInProcess } from "../fake-aws/in-process.ts";
import { e2eProject } from "../fake-aws/hooks.ts";
import { teardownShippedEnvironment } from "./teardown-scenario.ts";

describe.each([
  ["dev", "one NAT gateway", true],
  ["staging", "interface endpoints, no NAT, data retained", false],
  ["prod", "a NAT gateway per AZ, data retained", false],
] as const)("teardown of %s (%s): process, real cdktn", (name, _shape, human) => {
  const setup = e2eProject({ eniReleaseMs: 2 * 3600_000 }, async ({ project, fake }) => {
    await project.synth();
    await deployInProcess(project, fake.world, name);
  });

  it("exits 3 while AgentCore holds its ENIs (network intact, the blocking ENIs named), then 0 once they are released", async () => {
    await teardownShippedEnvironment(setup.fake, setup.project, name, human);
  }, 240_000);
});
