/**
 * A failed deploy says which stack failed and why, in Terraform's own words: the cdktn CLI prints
 * Terraform's error blocks on stdout and ends its stderr with a Node.js stack trace ("… | Node.js v24…"
 * was all the old summary said). The deploy script runs as a process, with the real cdktn CLI.
 */
import { describe, expect, it } from "vitest";
import { formatDeployFailure, type DeployReport } from "../../scripts/lib/deploy-report.ts";
import { AwsError } from "../fake-aws/errors.ts";
import { e2eProject, withCommittedAgent } from "../fake-aws/hooks.ts";

describe("a failed deploy (process, real cdktn)", () => {
  const setup = e2eProject({}, withCommittedAgent);

  it("names the step, the stack and Terraform's error, in --json and in the summary", async () => {
    setup.fake.world.failNext("provider", "CreateMountTarget", new AwsError("ValidationException", "Subnet subnet-x is in an Availability Zone that S3 Files does not support"));
    const run = await setup.project.script("deploy", ["--env", "dev", "--yes", "--json"]);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as DeployReport;
    expect(report.status).toBe("failed");
    expect(report.failures).toEqual([
      expect.objectContaining({
        step: "storage",
        stack: "dev-storage",
        kind: "other",
        awsErrorCode: "ValidationException",
        errors: [expect.objectContaining({ summary: expect.stringMatching(/^creating S3 Files Mount Target: .*api error ValidationException: /), address: expect.stringMatching(/^aws_s3files_mount_target\./) })],
      }),
    ]);
    expect(Object.fromEntries(report.steps.map((s) => [s.id, s.status]))).toMatchObject({ registry: "done", network: "done", storage: "failed", agent: "not started" });

    // The summary a person reads (without --json, runScript prints `error: <message>` and the hint) says the same.
    const { message, hint } = formatDeployFailure(report);
    expect(message).toMatch(
      /^deploy of dev stopped: step "dev-storage" failed: cdktn deploy dev-storage failed: creating S3 Files Mount Target: operation error S3Files: CreateMountTarget, https response error StatusCode: 400, RequestID: [0-9a-f-]+, api error ValidationException: Subnet subnet-x is in an Availability Zone that S3 Files does not support \(aws_s3files_mount_target\.storage_mount-target-usw2-az1_[0-9A-F]+ \(storage\/mount-target-usw2-az1\)\)$/,
    );
    // cdktn names the construct after Terraform's address ("(storage/mount-target-usw2-az1)"); its Node.js stack trace is left out.
    expect(message).not.toMatch(/Node\.js v\d/);
    expect(hint).toContain("In place: dev-registry, dev-network, image (arm64).");
    expect(run.stderr).toContain("[storage]");
  }, 240_000);
});
