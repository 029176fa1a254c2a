/**
 * Issue 10, defect 5: every attribute of aws_s3files_access_point forces a replacement (provider
 * internal/service/s3files/access_point.go), so changing the POSIX user replaces the access point in
 * <env>-storage and changes its ARN, which the runtime in <env>-agent mounts. Deploy must say so before it
 * changes anything, and apply the agent stack too. The deploy script runs as a process, with the real cdktn
 * CLI (its `diff` for the preview), against the fake AWS world.
 */
import { describe, expect, it } from "vitest";
import type { DeployReport } from "../../scripts/lib/deploy-report.ts";
import { e2eProject, withCommittedAgent } from "../fake-aws/hooks.ts";

describe("a storage change that replaces the access point (process, real cdktn)", () => {
  const setup = e2eProject({}, withCommittedAgent);

  it("is announced before anything changes, and the agent stack is applied with the new access point ARN", async () => {
    const first = await setup.project.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(first.exitCode, first.stderr.slice(-3000)).toBe(0);
    // A second deploy with nothing changed: synth now reads the image record (.build/images/dev.json), so the
    // agent stack's own configuration is settled; from here on only what it reads from other stacks can change.
    const settled = await setup.project.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(settled.exitCode, settled.stderr.slice(-3000)).toBe(0);
    const agentConfig = setup.project.readFile("cdktf.out/stacks/dev-agent/cdk.tf.json");
    const oldAccessPoint = setup.fake.world.all("aws_s3files_access_point")[0]!;

    setup.project.writeFile("environments/dev.ts", setup.project.readFile("environments/dev.ts").replace(`network: {`, `storage: { posixUid: 2000, posixGid: 2000 },\n  network: {`));
    const second = await setup.project.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(second.exitCode, second.stderr.slice(-3000)).toBe(0);

    const log = second.stderr.split("\n");
    const warning = log.findIndex((l) => l.includes("WARNING: dev-storage will REPLACE the S3 Files access point aws_s3files_access_point."));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(log[warning]).toMatch(/\(changed: [a-z_, ]*posix_user[a-z_, ]*\): its ARN changes, and the runtime mounts it by ARN\. Deploy applies dev-agent right after dev-storage/);
    const firstChange = log.findIndex((l) => /^\s+\[(registry|network|storage|agent)\] .*(Creating|Destroying|Modifying)\.\.\./.test(l));
    expect(firstChange).toBeGreaterThan(warning);

    // The agent stack's configuration did not change: only the access point ARN it reads from dev-storage did.
    expect(setup.project.readFile("cdktf.out/stacks/dev-agent/cdk.tf.json")).toBe(agentConfig);
    const report = JSON.parse(second.stdout) as DeployReport;
    const steps = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(steps.changes!.detail).toMatch(/^dev-storage replaces aws_s3files_access_point\./);
    expect(steps.network!.status).toBe("unchanged");
    expect(steps.storage!.status).toBe("done");
    expect(steps.agent).toMatchObject({ status: "done", detail: expect.stringMatching(/^applied with the new access point ARN \(/) });

    const [newAccessPoint] = setup.fake.world.all("aws_s3files_access_point");
    expect(newAccessPoint!.arn).not.toBe(oldAccessPoint.arn);
    expect(setup.fake.world.find("aws_s3files_access_point", oldAccessPoint.id)).toBeUndefined();
    const runtime = setup.fake.world.all("aws_bedrockagentcore_agent_runtime")[0]!;
    const mounted = (runtime.attributes.filesystem_configuration as { s3_files_access_point?: { access_point_arn: string }[] }[]).flatMap((f) => f.s3_files_access_point ?? []);
    expect(mounted.map((m) => m.access_point_arn)).toEqual([newAccessPoint!.arn]);
    expect(runtime.attributes.agent_runtime_version).toBe("2");
  }, 240_000);
});
