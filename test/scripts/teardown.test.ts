/**
 * Teardown's steps against the fake AWS world (test/fake-aws/): the real AWS SDK clients over HTTP, the
 * world's AWS-shaped answers (NAT-gateway, endpoint, mount-target and agentic_ai ENIs; DependencyViolation;
 * S3 Files conflicts; the tagging index's lag), and the stand-in Terraform where cdktn would run it. The
 * user-visible behaviour (exit status, --json) of the script as a process is in teardown-e2e.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunOptions } from "../../scripts/lib/runner.ts";
import { formatReport, teardown } from "../../scripts/lib/teardown/index.ts";
import { AwsError } from "../fake-aws/errors.ts";
import { inProcessRemote, sdkClients, standInCdktn } from "../fake-aws/in-process.ts";
import { ACCOUNT, type FakeAwsWorld } from "../fake-aws/world.ts";
import { HOUR, MINUTE, teardownHarness } from "../helpers/teardown-setup.ts";

const { setup } = teardownHarness();

describe("teardown order and the ENIs that really hold the network", () => {
  it("removes the agent, then S3 Files (access point → mount targets → file system), the registry, then the network, and ends clean", async () => {
    const { world, run, managed } = await setup("dev", { eniReleaseMs: 3 * MINUTE });
    const report = await run();
    expect(report.status).toBe("clean");
    const at = (change: string) => world.changes.findIndex((c) => c.startsWith(change));
    expect(at("delete aws_bedrockagentcore_agent_runtime")).toBeGreaterThanOrEqual(0);
    expect(at("delete aws_bedrockagentcore_agent_runtime")).toBeLessThan(at("DeleteAccessPoint"));
    expect(at("DeleteAccessPoint")).toBeLessThan(at("DeleteMountTarget"));
    expect(at("DeleteMountTarget")).toBeLessThan(at("DeleteFileSystem"));
    expect(at("DeleteFileSystem")).toBeLessThan(at(`delete aws_s3_bucket dev-files-`));
    expect(at("delete aws_ecr_repository")).toBeGreaterThan(at("delete aws_bedrockagentcore_agent_runtime"));
    expect(at("delete aws_subnet")).toBeGreaterThan(at("DeleteFileSystem"));
    for (const layer of ["agent", "storage", "registry", "network"]) expect(managed(layer)).toEqual([]);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ["agent", "done"],
      ["hourly", "done"],
      ["storage", "done"],
      ["registry", "done"],
      ["enis", "done"],
      ["network", "done"],
      ["sweep", "done"],
    ]);
    expect(report.billing).toEqual({ hourly: [], stored: [], free: [], hourlyStopped: expect.objectContaining({ what: [expect.stringMatching(/^Elastic IP \(public IPv4 address\) eipalloc-/), expect.stringMatching(/^NAT gateway nat-/)] }) });
  });

  // The defect: NAT-gateway and interface-endpoint ENIs are requester-managed, attached by amazon-aws through an
  // ela-attach attachment, exactly like AgentCore's; counting them made teardown wait forever (exit 3).
  for (const name of ["dev", "staging", "prod"] as const) {
    it(`${name}: waits only for AgentCore's ENIs; the network's own (NAT gateway or endpoints) are not waited for`, async () => {
      const { world, run, logs } = await setup(name, { eniReleaseMs: 4 * MINUTE });
      const serviceEnis = [...world.enis.values()].filter((e) => e.InterfaceType !== "agentic_ai");
      expect(serviceEnis.length).toBeGreaterThan(0);
      expect(serviceEnis.every((e) => e.RequesterManaged && e.Attachment?.InstanceOwnerId === "amazon-aws" && e.Attachment.AttachmentId.startsWith("ela-attach"))).toBe(true);
      const report = await run();
      expect(report.status).toBe("clean");
      expect(logs.some((l) => /^\[enis\] \d+ AgentCore ENIs? still held/.test(l))).toBe(true);
      expect(logs.filter((l) => l.startsWith("[enis]") && /nat_gateway|vpc_endpoint|NAT Gateway/.test(l))).toEqual([]);
      expect(world.all("aws_vpc")).toEqual([]);
    });
  }

  it("stops resumable while AgentCore holds ENIs, naming each ENI with its type, owner and status; the network stays; a later run finishes", async () => {
    const { world, run, managed, journalFile } = await setup("dev", { eniReleaseMs: 3 * HOUR });
    const report = await run();
    expect(report.status).toBe("resumable");
    expect(managed("network").length).toBeGreaterThan(0);
    const agentcore = report.enis.filter((e) => e.kind === "agentcore");
    expect(agentcore).toHaveLength(2);
    expect(agentcore.every((e) => e.type === "agentic_ai" && e.owner === ACCOUNT && e.status === "in-use")).toBe(true);
    // The NAT gateway went before the ENI wait ended (its ENI with it): only AgentCore's are left in the network.
    expect(report.enis.map((e) => e.type)).toEqual(["agentic_ai", "agentic_ai"]);
    const deleted = Date.parse(JSON.parse(readFileSync(journalFile, "utf8")).destroyedAt.agent);
    expect(report.retryAfter).toBe(new Date(deleted + 8 * HOUR).toISOString());
    expect(report.steps.find((s) => s.id === "network")!.status).toBe("not started");

    world.advance(3 * HOUR);
    const again = await run();
    expect(again.status).toBe("clean");
    expect(managed("network")).toEqual([]);
  });

  it("finds AgentCore's ENIs even when the account hides service-managed resources (IncludeManagedResources)", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 3 * HOUR, managedEnisHidden: true });
    expect([...world.enis.values()].filter((e) => e.Operator?.HiddenByDefault)).toHaveLength(2);
    const report = await run();
    expect(report.status).toBe("resumable");
    expect(report.enis.filter((e) => e.kind === "agentcore")).toHaveLength(2);
  });

  it("deletes our own unattached ENIs, never one owned by another account, and names what still holds the network", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const subnet = world.all("aws_subnet")[0]!;
    const base = { region: "us-west-2", SubnetId: subnet.id, VpcId: String(subnet.attributes.vpc_id), AvailabilityZone: "us-west-2a", InterfaceType: "interface", Description: "", RequesterManaged: false, Status: "available" as const, Groups: [], TagSet: [{ Key: "agentcore-s3files:environment", Value: "dev" }] };
    const ours = world.addEni({ ...base, OwnerId: ACCOUNT, createdBy: "test" });
    // A participant of a shared VPC: its ENI is in our subnet and carries our tag, but it is not ours to delete.
    const theirs = world.addEni({ ...base, OwnerId: "210987654321", createdBy: "test" });
    const report = await run();
    expect(world.changes).toContain(`DeleteNetworkInterface ${ours.NetworkInterfaceId}`);
    expect(world.changes).not.toContain(`DeleteNetworkInterface ${theirs.NetworkInterfaceId}`);
    expect(world.enis.has(theirs.NetworkInterfaceId)).toBe(true);
    expect(report.status).toBe("failed");
    const network = report.failures.find((f) => f.step === "network")!;
    expect(network).toMatchObject({ resumable: false, kind: "dependency-violation", stack: "dev-network", awsErrorCode: "DependencyViolation" });
    expect(network.errors![0]!.summary).toMatch(/^deleting EC2 Subnet \(subnet-[0-9a-f]+\): operation error EC2: DeleteSubnet, https response error StatusCode: 400, RequestID: .+, api error DependencyViolation: The subnet 'subnet-[0-9a-f]+' has dependencies and cannot be deleted\.$/);
    expect(network.reason).toContain(`${theirs.NetworkInterfaceId} (interface, owner 210987654321, available)`);
    expect(report.enis.map((e) => e.id)).toContain(theirs.NetworkInterfaceId);
  });

  it("pages through the ENIs with the SDK's paginator (100 a page)", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    const subnet = world.all("aws_subnet")[0]!;
    for (let i = 0; i < 230; i++) {
      world.addEni({ region: "us-west-2", SubnetId: subnet.id, VpcId: String(subnet.attributes.vpc_id), AvailabilityZone: "us-west-2a", InterfaceType: "interface", Description: "left behind", OwnerId: ACCOUNT, RequesterManaged: false, Status: "available", Groups: [], TagSet: [{ Key: "agentcore-s3files:environment", Value: "dev" }], createdBy: "test" });
    }
    const before = world.count("ec2", "DescribeNetworkInterfaces");
    expect((await run()).status).toBe("clean");
    expect(world.count("ec2", "DescribeNetworkInterfaces") - before).toBeGreaterThanOrEqual(3);
    expect(world.changes.filter((c) => c.startsWith("DeleteNetworkInterface"))).toHaveLength(230);
  });
});

describe("hourly charges stop first (AgentCore holding its ENIs for 8 hours)", () => {
  const HELD = 8 * HOUR;
  /** When each resource of `type` left the account, in virtual minutes after `start`. */
  const goneAfter = (world: FakeAwsWorld, type: string, start: number) => world.gone.filter((g) => g.resource.type === type).map((g) => (g.at - start) / MINUTE);
  const hourlyTypes = (world: FakeAwsWorld) => [...world.resources.values()].filter((r) => r.type === "aws_nat_gateway" || r.type === "aws_eip" || r.type === "aws_flow_log" || (r.type === "aws_vpc_endpoint" && r.attributes.vpc_endpoint_type === "Interface"));

  for (const [name, expected] of [
    ["dev", { aws_nat_gateway: 1, aws_eip: 1, aws_vpc_endpoint: 0, aws_flow_log: 0 }],
    ["staging", { aws_nat_gateway: 0, aws_eip: 0, aws_vpc_endpoint: 5, aws_flow_log: 1 }],
    ["prod", { aws_nat_gateway: 3, aws_eip: 3, aws_vpc_endpoint: 0, aws_flow_log: 1 }],
  ] as const) {
    it(`${name}: destroys what the network bills by the hour within minutes, keeps only free resources for the ENIs, and says so`, async () => {
      const { world, run, managed, environment } = await setup(name, { eniReleaseMs: HELD });
      const start = world.now();
      expect(hourlyTypes(world).length).toBeGreaterThan(0);
      const report = await run();
      expect(report.status).toBe("resumable");
      // Gone, each within minutes of the start, although the ENIs are held for hours. (The stand-in Terraform
      // destroys one resource at a time, where Terraform runs up to 10 at once: these minutes are an upper bound;
      // npm run bench measures them with the waits overlapping.)
      expect(hourlyTypes(world)).toEqual([]);
      for (const [type, count] of Object.entries(expected)) {
        const gone = goneAfter(world, type, start);
        // (The S3 gateway endpoint stays: it is free.)
        expect(gone.length, type).toBe(count);
        for (const minutes of gone) expect(minutes, type).toBeLessThan(10);
      }
      // What waits for the ENIs is free: the VPC, subnets, security groups, route tables (and the S3 gateway endpoint).
      expect(world.all("aws_vpc", environment.region)).toHaveLength(1);
      const left = managed("network").map((r) => r.type);
      expect(left.filter((t) => ["aws_nat_gateway", "aws_eip", "aws_flow_log"].includes(t))).toEqual([]);
      expect(managed("network").filter((r) => r.type === "aws_vpc_endpoint").map((r) => r.instances[0]!.attributes.vpc_endpoint_type)).toEqual(["Gateway"]);
      expect(report.billing.hourly).toEqual([]);
      expect(report.billing.hourlyStopped!.what.length).toBe(expected.aws_nat_gateway + expected.aws_eip + expected.aws_vpc_endpoint + expected.aws_flow_log);
      expect(report.billing.free).toEqual([expect.stringMatching(new RegExp(`^${name}-network: .*1 vpc`))]);
      // A flow-log group keeps its logs (billed per GB-month) until the network goes; a retained bucket stays.
      expect(report.billing.stored.map((r) => r.what)).toEqual([
        ...(expected.aws_flow_log > 0 ? [`log group /vpc/${name}/flow-logs`] : []),
        ...(environment.storage.retainDataOnTeardown ? [`bucket ${name}-files-${ACCOUNT}-${environment.region}`] : []),
      ]);
      const text = formatReport(report, environment);
      expect(text).toContain("Nothing left is billed by the hour.");
      expect(text).toMatch(/Left, free of charge; they go when AgentCore releases its ENIs \(by \d{4}-\d\d-\d\dT[^)]+\) and teardown runs again:/);
    });
  }

  it("narrows the network's own cdktn destroy with TF_CLI_ARGS_destroy, naming each hourly resource of its state", async () => {
    const { world, project, environment, url } = await setup("dev", { eniReleaseMs: HELD });
    const calls: { args: readonly string[]; env?: Readonly<Record<string, string>> }[] = [];
    const inner = standInCdktn(project.outdir, inProcessRemote(world));
    const recording = { run: (command: string, args: readonly string[], options: RunOptions = {}) => (calls.push({ args, ...(options.env && { env: options.env }) }), inner.run(command, args, options)) };
    const state = JSON.parse(readFileSync(project.stateFile("dev-network"), "utf8")) as { resources: { type: string; name: string }[] };
    const expected = state.resources.filter((r) => r.type === "aws_nat_gateway" || r.type === "aws_eip").map((r) => `-target=${r.type}.${r.name}`);
    await teardown(
      { environment, runner: recording, clients: sdkClients(url, environment.region), clock: world.clock, accountId: ACCOUNT, outdir: project.outdir, journalFile: join(project.dir, ".build", "t.json"), log: () => {} },
      { waitEnisMs: MINUTE, waitExportMs: MINUTE, deleteImages: true, discardUnexportedWrites: false },
    );
    const narrowed = calls.find((c) => c.env?.TF_CLI_ARGS_destroy !== undefined)!;
    expect(narrowed.args.slice(0, 4)).toEqual(["--no-install", "cdktn", "destroy", "dev-network"]);
    expect(narrowed.env!.TF_CLI_ARGS_destroy!.split(" ").sort()).toEqual(expected.sort());
    // The full destroys carry no narrowing.
    expect(calls.filter((c) => c.args[3] !== "dev-network").every((c) => c.env?.TF_CLI_ARGS_destroy === undefined)).toBe(true);
  });

  it("fails, naming what is still billed, when the hourly destroy fails; a re-run stops them and goes on", async () => {
    const { world, run, environment } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    world.failNext("provider", "DeleteNatGateway", new AwsError("InternalFailure", "We encountered an internal error. Please try again.", 500));
    const failed = await run();
    expect(failed.status).toBe("failed");
    expect(failed.failures[0]).toMatchObject({ step: "hourly", stack: "dev-network", resumable: false });
    expect(failed.failures[0]!.reason).toMatch(/^cdktn destroy dev-network failed: deleting EC2 NAT Gateway \(nat-[0-9a-f]+\): operation error EC2: DeleteNatGateway/);
    expect(Object.fromEntries(failed.steps.map((s) => [s.id, s.status]))).toMatchObject({ storage: "not started", network: "not started" });
    // The Elastic IP cannot go before its NAT gateway: both are still billed, and both are named.
    expect(failed.billing.hourly.map((r) => r.what)).toEqual([expect.stringMatching(/^Elastic IP \(public IPv4 address\) eipalloc-/), expect.stringMatching(/^NAT gateway nat-/)]);
    const text = formatReport(failed, environment);
    expect(text).toContain("Still billed by the hour, teardown has not removed these yet (see above):\n    - Elastic IP");
    expect(text).toMatch(/^ {4}- NAT gateway nat-[0-9a-f]+ \(dev-network: aws_nat_gateway\.network_nat-gateway-usw2-az1_\w+\)$/m);
    const again = await run();
    expect(again.status).toBe("clean");
    expect(world.all("aws_nat_gateway")).toEqual([]);
  });

  it("finds nothing to do on a re-run once the hourly resources are gone", async () => {
    const { run } = await setup("dev", { eniReleaseMs: HELD });
    await run();
    const again = await run();
    expect(again.status).toBe("resumable");
    expect(again.steps.find((s) => s.id === "hourly")).toMatchObject({ status: "unchanged", detail: "nothing in dev-network is billed by the hour" });
    expect(again.billing.hourlyStopped).toBeUndefined();
  });
});

describe("teardown --only agent: a runtime goes, its network and storage stay", () => {
  it("removes the agent stack alone, without waiting for ENIs, confirms each of its resources gone, and keeps the journal", async () => {
    const { world, run, managed, journalFile, environment } = await setup("dev", { eniReleaseMs: 8 * HOUR });
    const before = Object.fromEntries(["network", "storage", "registry"].map((layer) => [layer, managed(layer).length]));
    const start = world.now();
    const report = await run({ only: "agent" });
    expect(report.status).toBe("clean");
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ["agent", "done"],
      ["check", "done"],
    ]);
    expect(managed("agent")).toEqual([]);
    expect(Object.fromEntries(["network", "storage", "registry"].map((layer) => [layer, managed(layer).length]))).toEqual(before);
    expect(world.all("aws_nat_gateway")).toHaveLength(1);
    // No wait: the runtime's deletion (20 s in this world) and the checks, not AgentCore's 8 hours.
    expect(world.now() - start).toBeLessThan(5 * MINUTE);
    expect(world.count("ec2", "DescribeNetworkInterfaces")).toBe(0);
    expect(world.calls).toContain("bedrock-agentcore:GetAgentRuntime");
    expect(report.pendingDeletion.map((p) => p.state)).toEqual(["PendingDeletion"]);
    expect(report.kept.map((k) => k.what)).toEqual(["dev-network, dev-storage and dev-registry", expect.stringMatching(/^AgentCore's log group \/aws\/bedrock-agentcore\/runtimes\/dev_agent-\w{10}-DEFAULT$/)]);
    // The network's hourly charges go on, on purpose; the report says which.
    expect(report.billing.hourly.map((r) => r.what)).toEqual([expect.stringMatching(/^Elastic IP/), expect.stringMatching(/^NAT gateway/)]);
    expect(formatReport(report, environment)).toContain("Still billed by the hour, kept on purpose (--only agent keeps the network):");
    // A later full teardown still knows when the runtime was deleted.
    expect(Date.parse(JSON.parse(readFileSync(journalFile, "utf8")).destroyedAt.agent)).toBeGreaterThanOrEqual(start);
  });

  it("fails, naming it, when a resource of the agent stack is still there after the destroy", async () => {
    const { world, run } = await setup("dev", { eniReleaseMs: 8 * HOUR });
    const runtime = world.all("aws_bedrockagentcore_agent_runtime")[0]!;
    // Something recreates the runtime behind Terraform's back, between the destroy and the check.
    world.onNextCall("bedrock-agentcore", "GetAgentRuntime", () => world.add({ ...runtime, status: "available" }));
    const report = await run({ only: "agent" });
    expect(report.status).toBe("failed");
    expect(report.failures).toEqual([expect.objectContaining({ step: "check", reason: `1 resource of the agent stack still there after its destroy: ${runtime.arn}` })]);
  });

  it("is a no-op when the agent stack is already gone", async () => {
    const { run } = await setup("dev", { eniReleaseMs: 8 * HOUR });
    await run({ only: "agent" });
    const again = await run({ only: "agent" });
    expect(again.status).toBe("clean");
    expect(again.steps.map((s) => s.status)).toEqual(["unchanged", "unchanged"]);
  });
});

