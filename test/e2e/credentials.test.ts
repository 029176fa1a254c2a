/**
 * The scripts' SDK clients act as the role Terraform assumes (review finding 2), and refuse a state of another
 * account than the credentials' (finding 3). `drift` as a process (no cdktn: it runs Terraform, here the
 * stand-in, in the stacks' folders) against the fake AWS world, whose STS answers AssumeRole and tells each call's
 * signer apart (test/fake-aws/services/rest.ts).
 */
import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../scripts/lib/drift.ts";
import { createProject, startFakeAws, type FakeAws, type Project } from "../fake-aws/harness.ts";
import { deployInProcess } from "../fake-aws/in-process.ts";
import { afterEach } from "vitest";

const holder: { fake?: FakeAws } = {};
afterEach(async () => {
  await holder.fake?.close();
});

async function projectWithRole(roleArn: string): Promise<{ fake: FakeAws; project: Project }> {
  const fake = (holder.fake = await startFakeAws());
  const project = createProject(fake);
  project.writeFile("environments/dev.ts", project.readFile("environments/dev.ts").replace("network: {", `deployRoleArn: "${roleArn}",\n  network: {`));
  await project.synth();
  return { fake, project };
}

describe("deployRoleArn", () => {
  it("every SDK call but the AssumeRole itself is signed with the role session's credentials", async () => {
    const { fake, project } = await projectWithRole("arn:aws:iam::123456789012:role/platform-deployer");
    await deployInProcess(project, fake.world, "dev");
    const run = await project.script("drift", ["--env", "dev", "--json"]);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    expect((JSON.parse(run.stdout) as DriftReport).status).toBe("in-sync");
    const signed = fake.world.signed.map((line) => line.split(" "));
    expect(signed.filter(([call]) => call === "sts:AssumeRole").map(([, key]) => key)).toEqual(["AKIAFAKEWORLD0000000"]);
    const others = signed.filter(([call]) => call !== "sts:AssumeRole");
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter(([, key]) => !key!.startsWith("ASIA"))).toEqual([]);
    expect([...fake.world.sessions.values()].map((s) => s.arn)).toEqual(["arn:aws:sts::123456789012:assumed-role/platform-deployer/agentcore-s3files-deploy-dev"]);
  }, 120_000);

  it("a role the credentials may not assume fails with STS's words, before anything is planned", async () => {
    const { fake, project } = await projectWithRole("arn:aws:iam::123456789012:role/platform-deployer");
    fake.world.deniedRoles.add("arn:aws:iam::123456789012:role/platform-deployer");
    const run = await project.script("drift", ["--env", "dev"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/platform-deployer/);
  }, 120_000);
});

describe("the caller's account against the state's", () => {
  it("refuses to plan a state whose resources are in another account than the credentials'", async () => {
    // The role lives in another account (a wrong AWS_PROFILE has the same effect): the deployed state is in 123456789012.
    const { fake, project } = await projectWithRole("arn:aws:iam::999999999999:role/platform-deployer");
    await deployInProcess(project, fake.world, "dev");
    const run = await project.script("drift", ["--env", "dev"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error: refusing to plan dev: its Terraform state holds resources of account 123456789012 \(dev-network: arn:aws:ec2:us-west-2:123456789012:[^)]+\), but the credentials are for account 999999999999 \(arn:aws:sts::999999999999:assumed-role\/platform-deployer\/agentcore-s3files-deploy-dev\)\. Nothing was changed\.$/m);
    expect(run.stderr).toMatch(/Use credentials for account 123456789012/);
    expect(fake.world.signed.some((l) => l.startsWith("s3:") || l.startsWith("ec2:"))).toBe(false);
  }, 120_000);
});
