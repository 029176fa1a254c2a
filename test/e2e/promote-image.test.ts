/**
 * Issue 14: "Promote an image, don't rebuild it". `deploy --env prod --image-from staging` copies the exact manifest
 * staging runs (by digest, across Regions: us-west-2 → us-east-1) into prod's repository with the ECR API and
 * deploys prod's agent with it. Processes, the real cdktn CLI, the fake AWS world.
 */
import { describe, expect, it } from "vitest";
import type { DeployReport } from "../../scripts/lib/deploy-report.ts";
import { e2eProject, withCommittedAgent } from "../fake-aws/hooks.ts";

const digestOf = (uri: unknown) => /@(sha256:[0-9a-f]{64})$/.exec(String(uri))?.[1];

describe("deploy --image-from (process, real cdktn)", () => {
  const setup = e2eProject({}, withCommittedAgent);

  it("promotes the image staging runs into prod, by digest, without building", async () => {
    const { project, fake } = setup;
    const staging = await project.script("deploy", ["--env", "staging", "--yes", "--json"]);
    expect(staging.exitCode, staging.stderr.slice(-3000)).toBe(0);
    const runtimes = () => fake.world.all("aws_bedrockagentcore_agent_runtime");
    const stagingDigest = digestOf(project.state("staging-agent")!.outputs.container_uri!.value);
    expect(stagingDigest).toMatch(/^sha256:/);
    const pushes = fake.world.changes.filter((c) => c.startsWith("push ")).length;

    const prod = await project.script("deploy", ["--env", "prod", "--yes", "--json", "--image-from", "staging"]);
    expect(prod.exitCode, prod.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(prod.stdout) as DeployReport;
    expect(report.steps.find((s) => s.id === "image")).toMatchObject({ status: "done", label: "image (from staging)" });
    // Nothing was built: no docker push; the manifest went in with PutImage, in the other Region's registry.
    expect(fake.world.changes.filter((c) => c.startsWith("push ")).length).toBe(pushes);
    expect(fake.world.changes.some((c) => c.startsWith("PutImage prod-agent") && c.endsWith(stagingDigest!))).toBe(true);
    expect(fake.world.images.get("prod-agent")!.get(stagingDigest!)!.manifest).toBe(fake.world.images.get("staging-agent")!.get(stagingDigest!)!.manifest);
    expect(digestOf(project.state("prod-agent")!.outputs.container_uri!.value)).toBe(stagingDigest);
    expect(runtimes().filter((r) => r.region === "us-east-1")).toHaveLength(1);
    expect(prod.stderr).toMatch(/promoting sha256:[0-9a-f]{64} from staging \(staging-agent's state \(\S+\), output container_uri\)/);
  }, 400_000);

  it("refuses --image-from the environment being deployed, and --image-from with --context", async () => {
    const same = await setup.project.script("deploy", ["--env", "prod", "--yes", "--image-from", "prod"]);
    expect(same.exitCode).toBe(2);
    expect(same.stderr).toMatch(/--image-from prod: that is the environment being deployed/);
    const both = await setup.project.script("deploy", ["--env", "prod", "--yes", "--image-from", "staging", "--context", "agent"]);
    expect(both.exitCode).toBe(2);
  }, 60_000);
});
