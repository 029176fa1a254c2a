/**
 * Teardown decides from the state AND the account (DESIGN.md decision 7), in the fake AWS world: it never acts on
 * what another checkout's state holds (review finding 1), deletes only its own file system (finding 5), and
 * detaches the policies users attached to their own principals before the agent stack goes (finding 13).
 */
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ScriptError } from "../../scripts/lib/cli.ts";
import { formatReport } from "../../scripts/lib/teardown/index.ts";
import { ENVIRONMENT_TAG_KEY } from "../../modules/environment/props.ts";
import { HOUR, MINUTE, teardownHarness } from "../helpers/teardown-setup.ts";
import type { ProcessRunner } from "../../scripts/lib/runner.ts";

const { setup } = teardownHarness();

describe("a stack whose state is empty while the account holds its resources", () => {
  it("is refused before anything changes, naming where the state was looked for and what exists", async () => {
    const { world, run, project } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    for (const layer of ["agent", "storage", "registry", "network"]) rmSync(project.stateFile(`dev-${layer}`));
    const changes = world.changes.length;
    const refused = await run().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ScriptError);
    const message = (refused as ScriptError).message;
    expect(message).toMatch(/^refusing to tear down dev: dev-agent: state not found at .*terraform\.dev-agent\.tfstate, but the AgentCore runtime dev_agent \(arn:aws:bedrock-agentcore:/);
    expect(message).toMatch(/dev-storage: state not found at .*, but the S3 Files file system fs-[0-9a-f]+ on s3:\/\/dev-files-/);
    expect(message).toMatch(/dev-registry: .*the ECR repository dev-agent exists/);
    expect(message).toMatch(/dev-network: .*the security group dev-agent \(sg-/);
    expect((refused as ScriptError).hint).toMatch(/checkout .* that holds the Terraform state, or give the environment an S3 state backend/);
    expect(world.changes.slice(changes)).toEqual([]);
    expect(world.all("aws_s3files_file_system")).toHaveLength(1);
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toHaveLength(1);
  });

  it("only the agent's state missing is enough to refuse (--only agent too)", async () => {
    const { world, run, project } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    rmSync(project.stateFile("dev-agent"));
    await expect(run({ only: "agent" })).rejects.toThrow(/dev-agent: state not found at .*, but the AgentCore runtime dev_agent/);
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toHaveLength(1);
  });

  it("an empty state with nothing in the account is no reason to refuse: a second teardown is clean", async () => {
    const { run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    expect((await run()).status).toBe("clean");
    expect((await run()).status).toBe("clean");
  });
});

describe("the caller's account against the state's (review finding 3)", () => {
  it("refuses a state whose resources are in another account than the credentials', before anything changes", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const changes = world.changes.length;
    await expect(run({}, "999999999999")).rejects.toThrow(/^refusing to tear down dev: its Terraform state holds resources of account 123456789012 \(dev-network: arn:aws:ec2:us-west-2:123456789012:\S+\), but the credentials are for account 999999999999\. Nothing was changed\.$/);
    expect(world.changes.slice(changes)).toEqual([]);
  });
});

describe("cdktn one at a time (review finding 9: terraform init is not safe to run concurrently, hashicorp/terraform#31964)", () => {
  it("never runs two cdktn commands at once, though the steps run side by side", async () => {
    const { run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    let running = 0;
    let most = 0;
    const counting = (inner: ProcessRunner): ProcessRunner => ({
      run: async (command, args, options) => {
        running += 1;
        most = Math.max(most, running);
        // A real cdktn takes seconds: give the other steps every chance to start theirs meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 20));
        try {
          return await inner.run(command, args, options);
        } finally {
          running -= 1;
        }
      },
    });
    const report = await run({}, undefined, counting);
    expect(report.status).toBe("clean");
    expect(most).toBe(1);
  });
});

describe("the file systems teardown deletes", () => {
  it("deletes the environment's own file system, never another on the same bucket", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const own = world.all("aws_s3files_file_system")[0]!;
    // Another team's prefix-scoped file system on the same bucket (CreateFileSystem accepts a `prefix`, s3files model).
    const other = world.add({ type: "aws_s3files_file_system", id: world.id("fs"), region: own.region, arn: `${own.arn}-other`, attributes: { bucket: own.attributes.bucket, prefix: "team-b/" }, tags: { team: "b" } });
    const report = await run({ deleteImages: true });
    expect(world.get(own.id)).toBeUndefined();
    expect(world.get(other.id)).toBeDefined();
    expect(world.changes).not.toContain(`DeleteFileSystem ${other.id}`);
    // The bucket cannot go while a file system is attached to it: the storage destroy fails, and says so.
    expect(report.status).toBe("failed");
  });

  it("deletes a file system on the bucket tagged with the environment even when the state no longer lists it", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const own = world.all("aws_s3files_file_system")[0]!;
    const stray = world.add({ type: "aws_s3files_file_system", id: world.id("fs"), region: own.region, arn: `${own.arn}-stray`, attributes: { bucket: own.attributes.bucket }, tags: { [ENVIRONMENT_TAG_KEY]: "dev" } });
    await run();
    expect(world.get(stray.id)).toBeUndefined();
  });
});

describe("the invoker and operator policies attached outside the stacks (review finding 13)", () => {
  it("are detached from every user, group and role before the agent stack goes, each one reported", async () => {
    const { world, run, environment } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const policies = world.all("aws_iam_policy").map((p) => p.id);
    expect(policies).toHaveLength(2);
    world.attachmentsOf(policies[0]!).roles.add("app-backend");
    world.attachmentsOf(policies[0]!).users.add("alice");
    world.attachmentsOf(policies[1]!).groups.add("oncall");
    const report = await run();
    expect(report.status).toBe("clean");
    expect(world.all("aws_iam_policy")).toEqual([]);
    expect(report.detachedPolicies.map((d) => `${d.kind} ${d.name}`).sort()).toEqual(["group oncall", "role app-backend", "user alice"]);
    expect(world.changes.filter((c) => c.startsWith("Detach")).sort()).toEqual(
      [`DetachGroupPolicy oncall ${policies[1]}`, `DetachRolePolicy app-backend ${policies[0]}`, `DetachUserPolicy alice ${policies[0]}`].sort(),
    );
    expect(formatReport(report, environment)).toContain(`Detached (attached outside the stacks; the policies belonged to this environment):\n  - ${policies[0]} from user alice`);
  });

  it("without the detach, IAM's DeleteConflict fails the agent stack's destroy (the fake answers as IAM does)", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const policy = world.all("aws_iam_policy")[0]!.id;
    world.attachmentsOf(policy).roles.add("app-backend");
    // Someone attaches it again between teardown's detach and the destroy.
    world.onNextCall("provider", "DeletePolicy", () => world.attachmentsOf(policy).roles.add("app-backend"));
    const report = await run();
    expect(report.status).toBe("failed");
    expect(report.failures[0]!.reason).toMatch(/^cdktn destroy dev-agent failed: deleting IAM Policy .*DeleteConflict: Cannot delete a policy attached to entities\./);
  });
});
