/**
 * Teardown's steps against the fake AWS world (test/fake-aws/): the real AWS SDK clients over HTTP, the
 * world's AWS-shaped answers (NAT-gateway, endpoint, mount-target and agentic_ai ENIs; DependencyViolation;
 * S3 Files conflicts; the tagging index's lag), and the stand-in Terraform where cdktn would run it. The
 * user-visible behaviour (exit status, --json) of the script as a process is in teardown-e2e.test.ts.
 * This file: journals and status, storage and registry, the final sweep, idempotence (teardown.test.ts: the order,
 * the ENIs, the hourly charges, --only agent).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AwsError, throttled } from "../fake-aws/errors.ts";
import { pushImage } from "../fake-aws/server.ts";
import { ACCOUNT, DEFAULT_OPTIONS } from "../fake-aws/world.ts";
import { formatReport } from "../../scripts/lib/teardown/index.ts";
import { shippedDescription } from "../helpers/descriptions.ts";
import { HOUR, MINUTE, teardownHarness } from "../helpers/teardown-setup.ts";

const { setup } = teardownHarness();
const AGENTCORE_LOG_GROUP = expect.objectContaining({ what: expect.stringMatching(/^AgentCore's log group \/aws\/bedrock-agentcore\/runtimes\/\w+-\w{10}-DEFAULT$/) });

describe("journals and status", () => {
  it("records the time of each real destroy; a re-run on an empty stack does not move it", async () => {
    const { world, run, journalFile } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    await run();
    const first = JSON.parse(readFileSync(journalFile, "utf8")).destroyedAt.agent;
    world.advance(HOUR);
    await run();
    expect(JSON.parse(readFileSync(journalFile, "utf8")).destroyedAt.agent).toBe(first);
  });

  it("another machine (no local record) says when the ENIs go from CloudTrail's DeleteAgentRuntime event", async () => {
    const { world, run, journalFile, logs } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    const first = await run();
    expect(first.status).toBe("resumable");
    const deleted = world.trailEvents.find((e) => e.eventName === "DeleteAgentRuntime")!;
    expect(String(deleted.requestParameters.agentRuntimeId)).toMatch(/^dev_agent-/);
    rmSync(journalFile);
    world.advance(10 * MINUTE);
    const again = await run();
    expect(again.status).toBe("resumable");
    expect(again.retryAfter).toBe(new Date(deleted.time + 8 * HOUR).toISOString());
    expect(logs).toContain(`[enis] the runtime was deleted at ${new Date(deleted.time).toISOString()} (CloudTrail (DeleteAgentRuntime))`);
  });

  it("never gives a retry time in the past: a runtime deleted more than 8 hours ago says so instead", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 12 * HOUR });
    await run();
    world.advance(9 * HOUR);
    const report = await run();
    expect(report.status).toBe("resumable");
    expect(report.retryAfter).toBeUndefined();
    expect(report.failures[0]!.reason).toMatch(/deleted at .+, more than 8 hours ago: they may belong to another runtime that uses the same subnets and security groups/);
  });

  it("a journal left half-written by a crash does not block teardown: it is set aside, and the next one is written whole", async () => {
    const { run, journalFile } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    mkdirSync(join(journalFile, ".."), { recursive: true });
    writeFileSync(journalFile, '{"version": 2, "destroyedAt": {"agent": "2026-');
    const report = await run();
    expect(report.status).toBe("resumable");
    expect(JSON.parse(readFileSync(journalFile, "utf8")).destroyedAt.agent).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readdirSync(join(journalFile, "..")).some((f) => f.includes(".corrupt-"))).toBe(true);
    expect(readdirSync(join(journalFile, "..")).some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  it("clears its journal after a clean teardown", async () => {
    const { run, journalFile } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    expect((await run()).status).toBe("clean");
    expect(existsSync(journalFile)).toBe(false);
  });

  // The defect: the status came from the first failure only, so a hard failure after a resumable stop read "resumable".
  it("reports a hard failure as failed even when an earlier step stopped resumably, and lists every failed step", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    world.failNext("s3files", "DeleteMountTarget", new AwsError("ConflictException", "Mount target is being modified", 409, { errorCode: "IncorrectMountTargetState" }), 10_000);
    const report = await run({ waitEnisMs: MINUTE });
    expect(report.failures.map((f) => [f.step, f.resumable])).toEqual([
      ["enis", true],
      ["storage", false],
    ]);
    expect(report.status).toBe("failed");
    expect(report.failures[1]!.reason).toMatch(/still refused after 10m00s: IncorrectMountTargetState: Mount target is being modified/);
    expect(report.retryAfter).toBeUndefined();
  });
});

describe("S3 Files deletes asynchronously (review finding 4)", () => {
  it("waits for the access point and the file system to be gone before the mount targets and the bucket go", async () => {
    const { world, run, logs } = await setup("dev", { eniReleaseMs: 2 * MINUTE, durations: { ...DEFAULT_OPTIONS.durations, fileSystemDelete: 4 * MINUTE, accessPointDelete: MINUTE } });
    const report = await run();
    expect(report.failures.map((f) => f.reason)).toEqual([]);
    expect(report.status).toBe("clean");
    expect(logs.some((l) => /^\[storage\] file system fs-[0-9a-f]+ is deleting/.test(l))).toBe(true);
    expect(logs.some((l) => /^\[storage\] access point fsap-[0-9a-f]+ is deleting/.test(l))).toBe(true);
    // The bucket's destroy came after the file system was gone: never BucketHasS3FileSystemAttached.
    expect(world.all("aws_s3files_file_system")).toEqual([]);
  });
});

describe("independent steps", () => {
  // Review finding 6: a resumable stop (or any failure) held back every step not yet started, so the storage was never torn down.
  it("an ENI wait that stops resumable at once keeps only the network waiting: storage and registry still go", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    const report = await run({ waitEnisMs: 0 });
    expect(report.status).toBe("resumable");
    expect(report.failures.map((f) => f.step)).toEqual(["enis"]);
    expect(Object.fromEntries(report.steps.map((s) => [s.id, s.status]))).toMatchObject({ storage: "done", registry: "done", network: "not started", sweep: "not started" });
    expect(world.all("aws_s3files_file_system")).toEqual([]);
    expect(world.all("aws_ecr_repository")).toEqual([]);
  });
});

describe("storage and registry", () => {
  it("retries S3 Files conflicts on the access point and mount targets, and a delete racing a list", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    world.failNext("s3files", "DeleteMountTarget", new AwsError("ConflictException", "Mount target is being modified", 409, { errorCode: "IncorrectMountTargetState" }), 2);
    // Someone deletes the access point between teardown's list and its delete: S3 Files answers ResourceNotFoundException.
    world.onNextCall("s3files", "DeleteAccessPoint", () => world.forget(world.all("aws_s3files_access_point")[0]!));
    world.failNext("s3files", "DeleteFileSystem", new AwsError("ConflictException", "File system is being updated", 409, { errorCode: "IncorrectFileSystemLifeCycleState" }));
    const report = await run();
    expect(report.status).toBe("clean");
    expect(world.count("s3files", "DeleteMountTarget")).toBeGreaterThanOrEqual(4);
  });

  it("never force-deletes a file system with unexported writes: it waits, and stops resumable when the writes outlast the wait", async () => {
    const waits = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const fs = waits.world.all("aws_s3files_file_system")[0]!;
    waits.world.pendingExportUntil.set(fs.id, waits.world.now() + 5 * MINUTE);
    expect((await waits.run()).status).toBe("clean");
    expect(waits.world.changes).toContain(`DeleteFileSystem ${fs.id}`);

    const stops = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const held = stops.world.all("aws_s3files_file_system")[0]!;
    stops.world.pendingExportUntil.set(held.id, stops.world.now() + 10 * HOUR);
    const report = await stops.run({ waitExportMs: 2 * MINUTE });
    expect(report.status).toBe("resumable");
    expect(report.failures[0]!.reason).toMatch(/still has writes not yet exported to S3\. Run teardown again later, or pass --discard-unexported-writes/);
    expect(stops.world.changes.some((c) => c.includes("forceDelete"))).toBe(false);
    expect(stops.managed("network").length).toBeGreaterThan(0);

    const forced = await stops.run({ discardUnexportedWrites: true });
    expect(stops.world.changes).toContain(`DeleteFileSystem ${held.id} forceDelete`);
    expect(forced.status).toBe("clean");
  });

  it("keeps a retained bucket and its objects (prod), and says where they are", async () => {
    const { world, run, managed } = await setup("prod", { eniReleaseMs: 2 * MINUTE });
    const bucket = `prod-files-${ACCOUNT}-us-east-1`;
    world.bucket(bucket).set("agent-data/report.txt", Buffer.from("kept"));
    const report = await run();
    expect(report.status).toBe("clean");
    expect(report.kept).toEqual([expect.objectContaining({ what: `bucket ${bucket} and its objects`, where: `s3://${bucket}` }), AGENTCORE_LOG_GROUP]);
    expect(world.bucket(bucket).get("agent-data/report.txt")?.toString()).toBe("kept");
    expect(managed("storage").some((r) => r.type === "aws_s3_bucket")).toBe(true);
    expect(world.all("aws_s3files_file_system")).toEqual([]);
  });

  it("checks what BatchDeleteImage could not delete (it answers 200 with `failures`)", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const image = pushImage(world, { repository: "dev-agent", tag: "v1", architecture: "arm64" }) as { digest: string };
    world.refusedImageDeletions.set(image.digest, { code: "ImageReferencedByManifestList", reason: `Requested image referenced by manifest list: [sha256:${"f".repeat(64)}]` });
    const report = await run();
    expect(report.status).toBe("failed");
    expect(report.failures.find((f) => f.step === "registry")!.reason).toBe(
      `ECR did not delete 1 image of dev-agent: ${image.digest}: ImageReferencedByManifestList (Requested image referenced by manifest list: [sha256:${"f".repeat(64)}])`,
    );
    expect(world.all("aws_ecr_repository")).toHaveLength(1);
  });

  it("keeps the repository and its images unless the user confirmed deleting them", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    pushImage(world, { repository: "dev-agent", tag: "v1", architecture: "arm64" });
    const report = await run({ deleteImages: false });
    expect(report.status).toBe("clean");
    expect(world.images.get("dev-agent")!.size).toBe(1);
    expect(report.kept).toEqual([expect.objectContaining({ what: "repository dev-agent with 1 image", why: expect.stringContaining("--delete-images") }), AGENTCORE_LOG_GROUP]);
  });

  it("leaves AgentCore's own log group (created by AgentCore, not Terraform) and lists it with its retention and the command that deletes it", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const [group] = world.all("aws_cloudwatch_log_group").filter((g) => g.id.startsWith("/aws/bedrock-agentcore/runtimes/dev_agent-"));
    expect(group!.id).toMatch(/^\/aws\/bedrock-agentcore\/runtimes\/dev_agent-[a-zA-Z0-9]{10}-DEFAULT$/);
    const report = await run();
    expect(report.status).toBe("clean");
    expect(world.find("aws_cloudwatch_log_group", group!.id)).toBeDefined();
    expect(report.kept).toEqual([
      {
        what: `AgentCore's log group ${group!.id}`,
        where: "us-west-2",
        why: `AgentCore created it, not Terraform; it keeps the runtime's output forever (no retention). Delete it with: aws logs delete-log-group --log-group-name ${group!.id} --region us-west-2`,
      },
    ]);
    expect(formatReport(report, shippedDescription("dev"))).toContain(`Kept on purpose:\n  - AgentCore's log group ${group!.id} (us-west-2)`);
  });
});

describe("final sweep", () => {
  it("confirms what the tagging index lists with each service: KMS keys pending deletion and index lag are reported apart, and do not fail", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE, indexLagMs: 6 * HOUR });
    const report = await run();
    expect(report.status).toBe("clean");
    expect(report.pendingDeletion).toEqual([expect.objectContaining({ arn: expect.stringMatching(/^arn:aws:kms:us-west-2:123456789012:key\//), state: "PendingDeletion", until: expect.any(String) })]);
    expect(report.indexLag).toEqual(expect.arrayContaining([expect.stringMatching(/:vpc\/vpc-/), expect.stringMatching(/:runtime\/dev_agent-/), expect.stringMatching(/^arn:aws:sns:/), expect.stringMatching(/:log-group:/)]));
    expect(report.remaining).toEqual([]);
    for (const service of ["kms:DescribeKey", "sns:GetTopicAttributes", "ec2:DescribeVpcs", "bedrock-agentcore:GetAgentRuntime", "logs:DescribeLogGroups", "events:DescribeRule", "cloudtrail:GetTrail"]) {
      expect(world.calls).toContain(service);
    }
  });

  it("fails, naming it, when a resource tagged with the environment really remains", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const arn = `arn:aws:sns:us-west-2:${ACCOUNT}:hand-made-topic`;
    world.add({ type: "aws_sns_topic", id: arn, arn, region: "us-west-2", attributes: { name: "hand-made-topic" }, tags: { "agentcore-s3files:environment": "dev" } });
    const report = await run();
    expect(report.status).toBe("failed");
    expect(report.remaining).toEqual([arn]);
    expect(report.failures).toEqual([expect.objectContaining({ step: "sweep", reason: `1 resource still tagged agentcore-s3files:environment=dev: ${arn}` })]);
  });

  it("rides out the tagging API's ThrottledException and InternalServiceException", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    world.failNext("tagging", "GetResources", throttled("ThrottledException", 0));
    world.failNext("tagging", "GetResources", new AwsError("InternalServiceException", "The request processing has failed because of an unknown error, exception or failure."), 3);
    const report = await run();
    expect(report.status).toBe("clean");
    expect(world.count("tagging", "GetResources")).toBeGreaterThanOrEqual(5);
  });
});

describe("idempotence and failures in Terraform's words", () => {
  it("is a no-op on an environment already torn down (empty state is not an error)", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    expect((await run()).status).toBe("clean");
    const changes = world.changes.length;
    const again = await run();
    expect(again.status).toBe("clean");
    expect(world.changes).toHaveLength(changes);
    expect(again.steps.filter((s) => s.status === "unchanged").map((s) => s.id)).toEqual(["agent", "hourly", "storage", "registry", "enis", "network"]);
  });

  for (const [layer, operation] of [
    ["agent", "DeleteAgentRuntime"],
    ["storage", "PutBucketVersioning"],
    ["registry", "DeleteRepository"],
    ["network", "DeleteVpc"],
  ] as const) {
    it(`says why ${layer}'s destroy failed, in Terraform's words, and resumes after it`, async () => {
      const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
      world.failNext("provider", operation, new AwsError("InternalFailure", "We encountered an internal error. Please try again.", 500));
      const crashed = await run();
      expect(crashed.status).toBe("failed");
      const failure = crashed.failures[0]!;
      expect(failure).toMatchObject({ step: layer, stack: `dev-${layer}`, resumable: false });
      expect(failure.reason).toMatch(new RegExp(`^cdktn destroy dev-${layer} failed: deleting .+: operation error .+: ${operation}, https response error StatusCode: 500, .+api error InternalFailure: We encountered an internal error\\. Please try again\\.`));
      const resumed = await run();
      expect(resumed.status).toBe("clean");
    });
  }
});
