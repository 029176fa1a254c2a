import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { teardown, teardownJournalPath, type TeardownOptions, type TeardownReport } from "../../scripts/lib/teardown";
import { AwsWorld, DEFAULT_TIMINGS, VirtualClock, type WorldTimings } from "../helpers/aws-world";
import { resolved } from "../helpers/synth";

const ACCOUNT = "123456789012";
const MINUTE = 60_000;

function setup(options: { retain?: boolean; timings?: Partial<WorldTimings>; agentEnis?: number; images?: number } = {}) {
  const clock = new VirtualClock();
  const environment = resolved({ name: "dev", account: ACCOUNT, network: { mode: "create", cidr: "10.20.0.0/16" }, storage: { retainDataOnTeardown: options.retain ?? false } });
  const world = new AwsWorld(
    clock,
    { name: "dev", region: "us-west-2", account: ACCOUNT, bucket: `dev-files-${ACCOUNT}-us-west-2`, repository: "dev-agent", retain: options.retain ?? false },
    { ...DEFAULT_TIMINGS, ...options.timings },
    { ...(options.agentEnis !== undefined && { agentEnis: options.agentEnis }), ...(options.images !== undefined && { images: options.images }) },
  );
  const journalFile = teardownJournalPath("dev", mkdtempSync(join(tmpdir(), "teardown-")));
  const logs: string[] = [];
  const run = (overrides: Partial<TeardownOptions> = {}): Promise<TeardownReport> => {
    const runner = world.runner();
    return clock.run(
      teardown(
        { environment, runner, clients: world.clients() as never, clock, accountId: ACCOUNT, journalFile, log: (step, line) => logs.push(`[${step}] ${line}`) },
        { waitEnisMs: 10 * MINUTE, waitExportMs: 10 * MINUTE, deleteImages: true, discardUnexportedWrites: false, ...overrides },
      ),
    );
  };
  return { clock, world, run, logs, journalFile };
}

describe("teardown order", () => {
  it("removes the agent, then S3 Files (access point → mount targets → file system), the registry, then the network, and ends clean", async () => {
    const { world, run } = setup();
    const report = await run();
    expect(report.status).toBe("clean");
    const at = (change: string) => world.changes.findIndex((c) => c.startsWith(change));
    expect(at("cdktn destroy agent")).toBe(0);
    expect(at("DeleteAccessPoint")).toBeLessThan(at("DeleteMountTarget"));
    expect(at("DeleteMountTarget")).toBeLessThan(at("DeleteFileSystem"));
    expect(at("DeleteFileSystem")).toBeLessThan(at("cdktn destroy storage"));
    expect(at("BatchDeleteImage")).toBeLessThan(at("cdktn destroy registry"));
    expect(at("cdktn destroy storage")).toBeLessThan(at("cdktn destroy network"));
    expect(world.changes).toContain("DeleteNetworkInterface eni-0aaaaaaaaaaaaaa01");
    expect(world.stacks.size).toBe(0);
    expect(report.steps.map((s) => s.status)).toEqual(["done", "done", "done", "done", "done", "done"]);
  });

  it("waits for AgentCore's ENIs with visible backoff instead of failing on DependencyViolation", async () => {
    const { world, run, logs, clock } = setup({ timings: { eniReleaseMs: 7 * MINUTE } });
    const report = await run();
    expect(report.status).toBe("clean");
    expect(logs.some((l) => /^\[enis\] 2 AgentCore-managed ENIs still held .*checking again in \d+s \(gives up in/.test(l))).toBe(true);
    const networkDestroyedAt = clock.now();
    expect(networkDestroyedAt).toBeGreaterThan(world.runtimeDeletedAt! + 7 * MINUTE);
    expect(world.changes.filter((c) => c === "cdktn destroy network")).toHaveLength(1);
  });
});

describe("data retention", () => {
  it("keeps a retained bucket and its objects untouched, and says where they are", async () => {
    const { world, run } = setup({ retain: true });
    const report = await run();
    expect(report.status).toBe("clean");
    expect(world.changes).toContain("DeleteFileSystem fs-0123456789abcdef0");
    expect(world.changes).not.toContain("cdktn destroy storage");
    expect(world.bucketObjects).toBe(1200);
    expect(report.kept).toEqual([expect.objectContaining({ what: `bucket dev-files-${ACCOUNT}-us-west-2 and its objects`, where: `s3://dev-files-${ACCOUNT}-us-west-2` })]);
  });

  it("never force-deletes a file system with unexported writes: it waits, and stops resumable when the writes outlast the wait", async () => {
    const waits = setup({ timings: { pendingExportUntilMs: 5 * MINUTE } });
    expect((await waits.run()).status).toBe("clean");
    expect(waits.world.changes).toContain("DeleteFileSystem fs-0123456789abcdef0");

    const stops = setup({ timings: { pendingExportUntilMs: 60 * MINUTE } });
    const report = await stops.run({ waitExportMs: 2 * MINUTE });
    expect(report.status).toBe("resumable");
    expect(report.message).toMatch(/still has writes not yet exported to S3\. Run teardown again later, or pass --discard-unexported-writes/);
    expect(stops.world.changes.some((c) => c.includes("forceDelete"))).toBe(false);
    expect(stops.world.fileSystem).toBeDefined();
    expect(stops.world.stacks.has("network")).toBe(true);
  });

  it("forces the delete only with the explicit flag", async () => {
    const { world, run } = setup({ timings: { pendingExportUntilMs: 60 * MINUTE } });
    expect((await run({ discardUnexportedWrites: true })).status).toBe("clean");
    expect(world.changes).toContain("DeleteFileSystem fs-0123456789abcdef0 forceDelete");
  });

  it("keeps the repository and its images unless the user confirmed deleting them", async () => {
    const { world, run } = setup({ images: 250 });
    const report = await run({ deleteImages: false });
    expect(report.status).toBe("clean");
    expect(world.images).toHaveLength(250);
    expect(world.stacks.has("registry")).toBe(true);
    expect(report.kept).toEqual([expect.objectContaining({ what: "repository dev-agent with 250 images", why: expect.stringContaining("--delete-images") })]);

    const confirmed = setup({ images: 250 });
    expect((await confirmed.run({ deleteImages: true })).status).toBe("clean");
    expect(confirmed.world.changes.filter((c) => c.startsWith("BatchDeleteImage"))).toEqual(["BatchDeleteImage 100", "BatchDeleteImage 100", "BatchDeleteImage 50"]);
  });
});

describe("lingering ENIs and resuming", () => {
  it("leaves the network and exits resumable when ENIs outlast --wait-enis, naming when to re-run", async () => {
    const { world, run, clock } = setup({ timings: { eniReleaseMs: 3 * 3600_000 } });
    const report = await run({ waitEnisMs: 10 * MINUTE });
    expect(report.status).toBe("resumable");
    expect(world.stacks).toEqual(new Set(["network"]));
    expect(report.enis.filter((e) => e.kind === "agentcore-managed").map((e) => e.id)).toEqual(["eni-0agentcore00000000", "eni-0agentcore00000001"]);
    expect(report.message).toMatch(/AWS releases them within 8 hours of the runtime's deletion \(by 1970-01-01T08:01:00\.000Z\)/);
    expect(report.retryAfter).toBe("1970-01-01T08:01:00.000Z");
    expect(report.steps.find((s) => s.id === "network")!.status).toBe("not started");

    clock.advance(3 * 3600_000);
    const again = await run();
    expect(again.status).toBe("clean");
    expect(world.stacks.size).toBe(0);
  });

  for (const step of ["agent", "storage", "registry", "network"] as const) {
    it(`resumes after a crash at the ${step} step`, async () => {
      const { world, run } = setup();
      world.failDestroyOnce.add(step);
      const crashed = await run();
      expect(crashed.status).toBe("failed");
      expect(crashed.message).toContain("connection reset");
      const resumed = await run();
      expect(resumed.status).toBe("clean");
      expect(world.stacks.size).toBe(0);
    });
  }

  it("is a no-op on an environment already torn down (missing state is not an error)", async () => {
    const { world, run } = setup();
    expect((await run()).status).toBe("clean");
    const changes = world.changes.length;
    expect((await run()).status).toBe("clean");
    expect(world.changes).toHaveLength(changes);
  });

  it("rides out throttling and follows pagination", async () => {
    const { world, run } = setup({ agentEnis: 5 });
    world.throttleOnce.add("DescribeNetworkInterfaces");
    world.throttleOnce.add("GetResources");
    expect((await run()).status).toBe("clean");
    expect(world.calls.filter((c) => c === "ec2:DescribeNetworkInterfaces").length).toBeGreaterThan(5);
  });

  it("reports failure, listing what is left, when tagged resources remain after everything", async () => {
    const { world, run } = setup();
    world.strayTaggedArns.push("arn:aws:sns:us-west-2:123456789012:hand-made-topic");
    const report = await run();
    expect(report.status).toBe("failed");
    expect(report.remaining).toEqual(["arn:aws:sns:us-west-2:123456789012:hand-made-topic"]);
    expect(report.message).toContain("1 resource still tagged agentcore-s3files:environment=dev");
  });
});
