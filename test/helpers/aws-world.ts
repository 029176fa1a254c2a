/**
 * An in-memory AWS account holding one deployed environment, on a virtual clock, behaving like the real
 * services where teardown depends on it: AgentCore ENIs that release a while after the runtime is deleted
 * and block the network with DependencyViolation until then; a file system that refuses deletion with
 * FileSystemHasPendingExport while writes are exporting; mount targets that take time to delete; throttling;
 * pagination; the tagging index. The cdktn CLI is faked at the process boundary on top of it.
 */
import { ENVIRONMENT_TAG_KEY } from "../../environments/schema";
import type { Clock } from "../../scripts/lib/teardown";
import type { ProcessRunner, RunOptions, RunResult } from "../../scripts/lib/runner";
import { awsError } from "./fakes";

/** Virtual time: `sleep` resolves only when `run` advances the clock, which it does once every task waits. */
export class VirtualClock implements Clock {
  private time = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.time + milliseconds, resolve }));
  }

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const outcome = work.finally(() => {
      settled = true;
    });
    outcome.catch(() => {});
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return outcome;
      if (this.timers.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (settled) return outcome;
        if (this.timers.length === 0) throw new Error("virtual clock: work is stuck without waiting on the clock");
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
  }
}

export interface WorldTimings {
  /** How long each `cdktn destroy` takes. */
  destroyMs: Partial<Record<"agent" | "storage" | "registry" | "network", number>>;
  /** After the runtime is deleted, when AgentCore releases its ENIs. */
  eniReleaseMs: number;
  /** From the start, until when the file system still has writes to export. */
  pendingExportUntilMs: number;
  /** How long a mount target takes to delete. */
  mountTargetDeleteMs: number;
}

export const DEFAULT_TIMINGS: WorldTimings = {
  destroyMs: { agent: 60_000, storage: 30_000, registry: 10_000, network: 60_000 },
  eniReleaseMs: 240_000,
  pendingExportUntilMs: 0,
  mountTargetDeleteMs: 90_000,
};

type Stack = "agent" | "storage" | "registry" | "network";

export class AwsWorld {
  readonly stacks = new Set<Stack>(["agent", "storage", "registry", "network"]);
  /** Every call that changes something, in order, e.g. "cdktn destroy dev-agent", "DeleteMountTarget fsmt-1". */
  readonly changes: string[] = [];
  readonly calls: string[] = [];
  runtimeDeletedAt?: number;
  fileSystem?: { id: string; bucketArn: string; pendingExportUntil: number };
  accessPoints = ["fsap-0123456789abcdef0"];
  mountTargets: { id: string; deletingUntil?: number }[] = [
    { id: "fsmt-00000000000000001" },
    { id: "fsmt-00000000000000002" },
  ];
  agentEnis: string[];
  /** Unattached ENIs tagged with the environment (left behind by something of ours). */
  ourEnis = ["eni-0aaaaaaaaaaaaaa01"];
  images: string[];
  bucketObjects = 1200;
  /** Commands that fail once with a throttling error before answering. */
  readonly throttleOnce = new Set<string>();
  /** `cdktn destroy` of these stacks fails once (a crash or a transient error at that step). */
  readonly failDestroyOnce = new Set<Stack>();
  /** Leftovers the tagging index still lists (e.g. something created by hand with the environment's tag). */
  readonly strayTaggedArns: string[] = [];

  constructor(
    readonly clock: VirtualClock,
    readonly env: { name: string; region: string; account: string; bucket: string; repository: string; retain: boolean },
    readonly timings: WorldTimings = DEFAULT_TIMINGS,
    sizes: { agentEnis?: number; images?: number } = {},
  ) {
    this.fileSystem = { id: "fs-0123456789abcdef0", bucketArn: `arn:aws:s3:::${env.bucket}`, pendingExportUntil: timings.pendingExportUntilMs };
    this.agentEnis = Array.from({ length: sizes.agentEnis ?? 2 }, (_, i) => `eni-0agentcore${String(i).padStart(8, "0")}`);
    this.images = Array.from({ length: sizes.images ?? 3 }, (_, i) => `sha256:${String(i).repeat(64).slice(0, 64)}`);
  }

  private eniHeld(): boolean {
    return this.agentEnis.length > 0 && (this.runtimeDeletedAt === undefined || this.clock.now() < this.runtimeDeletedAt + this.timings.eniReleaseMs);
  }

  private settle(): void {
    if (!this.eniHeld()) this.agentEnis = [];
    this.mountTargets = this.mountTargets.filter((m) => m.deletingUntil === undefined || this.clock.now() < m.deletingUntil);
  }

  /** The process runner: `npx --no-install cdktn destroy <env>-<layer> …` against this world. */
  runner(): ProcessRunner & { commandLines: string[] } {
    const commandLines: string[] = [];
    return { commandLines, run: (command: string, args: readonly string[], _options?: RunOptions) => this.destroy(command, args, commandLines) };
  }

  /** `cdktn destroy <env>-<layer>`: what Terraform would do to this account, with its errors. */
  private async destroy(command: string, args: readonly string[], commandLines: string[]): Promise<RunResult> {
    commandLines.push([command, ...args].join(" "));
    const match = /^--no-install cdktn destroy [a-z0-9-]+-(agent|storage|registry|network)\b/.exec(args.join(" "));
    if (command !== "npx" || !match) return { exitCode: 127, stdout: "", stderr: `unexpected command ${command}` };
    const stack = match[1] as Stack;
    await this.clock.sleep(this.timings.destroyMs[stack] ?? 0);
    this.settle();
    if (this.failDestroyOnce.delete(stack)) return { exitCode: 1, stdout: "", stderr: "Error: connection reset while refreshing state" };
    if (!this.stacks.has(stack)) return { exitCode: 0, stdout: "No changes. No objects need to be destroyed.", stderr: "" };
    if (stack === "network" && (this.eniHeld() || this.mountTargets.length > 0)) {
      return { exitCode: 1, stdout: "", stderr: "Error: deleting EC2 Subnet: DependencyViolation: The subnet 'subnet-0a1' has dependencies and cannot be deleted." };
    }
    if (stack === "storage" && this.fileSystem !== undefined) {
      return { exitCode: 1, stdout: "", stderr: "Error: deleting S3 Files File System: ConflictException: has data pending export" };
    }
    if (stack === "registry" && this.images.length > 0) {
      return { exitCode: 1, stdout: "", stderr: "Error: ECR Repository not empty, consider using force_delete: RepositoryNotEmptyException" };
    }
    this.stacks.delete(stack);
    this.changes.push(`cdktn destroy ${stack}`);
    if (stack === "agent") this.runtimeDeletedAt = this.clock.now();
    if (stack === "storage") this.bucketObjects = 0;
    if (stack === "network") this.ourEnis = [];
    return { exitCode: 0, stdout: "Destroy complete! Resources: destroyed.", stderr: "" };
  }

  private client(service: string, handlers: Record<string, (input: Record<string, unknown>) => unknown>) {
    return {
      send: async (command: { constructor: { name: string }; input?: unknown }) => {
        const name = command.constructor.name.replace(/Command$/, "");
        this.calls.push(`${service}:${name}`);
        await Promise.resolve();
        this.settle();
        if (this.throttleOnce.delete(name)) throw awsError("ThrottlingException", "Rate exceeded");
        const handler = handlers[name];
        if (!handler) throw new Error(`aws world: ${service} ${name} is not modelled`);
        return handler((command.input ?? {}) as Record<string, unknown>);
      },
    };
  }

  /** One item per page: every caller must follow pagination tokens. */
  private page<T>(items: T[], token: unknown): { item: T[]; next?: string } {
    const index = token === undefined ? 0 : Number(token);
    return { item: items.slice(index, index + 1), ...(index + 1 < items.length && { next: String(index + 1) }) };
  }

  clients() {
    const env = this.env;
    const prefix = `arn:aws:`;
    return {
      sts: this.client("sts", { GetCallerIdentity: () => ({ Account: env.account, Arn: `arn:aws:sts::${env.account}:assumed-role/deployer/ci` }) }),
      s3files: this.client("s3files", {
        ListFileSystems: (input) => {
          const all = this.fileSystem && input.bucket === this.fileSystem.bucketArn ? [{ fileSystemId: this.fileSystem.id, bucket: this.fileSystem.bucketArn }] : [];
          const p = this.page(all, input.nextToken);
          return { fileSystems: p.item, ...(p.next && { nextToken: p.next }) };
        },
        ListAccessPoints: (input) => {
          const p = this.page(this.fileSystem?.id === input.fileSystemId ? this.accessPoints.map((id) => ({ accessPointId: id })) : [], input.nextToken);
          return { accessPoints: p.item, ...(p.next && { nextToken: p.next }) };
        },
        DeleteAccessPoint: (input) => {
          if (!this.accessPoints.includes(String(input.accessPointId))) throw awsError("ResourceNotFoundException");
          this.accessPoints = this.accessPoints.filter((id) => id !== input.accessPointId);
          this.changes.push(`DeleteAccessPoint ${String(input.accessPointId)}`);
          return {};
        },
        ListMountTargets: (input) => {
          const all = this.fileSystem?.id === input.fileSystemId ? this.mountTargets.map((m) => ({ mountTargetId: m.id, status: m.deletingUntil !== undefined ? "deleting" : "available" })) : [];
          const p = this.page(all, input.nextToken);
          return { mountTargets: p.item, ...(p.next && { nextToken: p.next }) };
        },
        DeleteMountTarget: (input) => {
          const mt = this.mountTargets.find((m) => m.id === input.mountTargetId);
          if (!mt) throw awsError("ResourceNotFoundException");
          mt.deletingUntil ??= this.clock.now() + this.timings.mountTargetDeleteMs;
          this.changes.push(`DeleteMountTarget ${mt.id}`);
          return {};
        },
        DeleteFileSystem: (input) => {
          if (!this.fileSystem || this.fileSystem.id !== input.fileSystemId) throw awsError("ResourceNotFoundException");
          if (this.accessPoints.length > 0 || this.mountTargets.length > 0) throw Object.assign(awsError("ConflictException", "File system has access points or mount targets"), { errorCode: "FileSystemInUse" });
          if (this.clock.now() < this.fileSystem.pendingExportUntil && input.forceDelete !== true) {
            throw Object.assign(awsError("ConflictException", "File system has data pending export to S3. Use forceDelete=true to delete anyway."), { errorCode: "FileSystemHasPendingExport" });
          }
          this.changes.push(`DeleteFileSystem ${this.fileSystem.id}${input.forceDelete === true ? " forceDelete" : ""}`);
          this.fileSystem = undefined;
          return {};
        },
      }),
      ecr: this.client("ecr", {
        ListImages: (input) => {
          if (!this.stacks.has("registry")) throw awsError("RepositoryNotFoundException");
          const p = this.page(this.images.map((d) => ({ imageDigest: d })), input.nextToken);
          return { imageIds: p.item, ...(p.next && { nextToken: p.next }) };
        },
        BatchDeleteImage: (input) => {
          const digests = (input.imageIds as { imageDigest: string }[]).map((i) => i.imageDigest);
          this.images = this.images.filter((d) => !digests.includes(d));
          this.changes.push(`BatchDeleteImage ${digests.length}`);
          return { imageIds: digests.map((imageDigest) => ({ imageDigest })), failures: [] };
        },
      }),
      ec2: this.client("ec2", {
        DescribeVpcs: () => ({ Vpcs: this.stacks.has("network") ? [{ VpcId: "vpc-0123456789abcdef0" }] : [] }),
        DescribeSecurityGroups: () => ({ SecurityGroups: this.stacks.has("network") ? [{ GroupId: "sg-0123456789abcdef0" }] : [] }),
        DescribeNetworkInterfaces: (input) => {
          const all = [
            ...this.agentEnis.map((id) => ({
              NetworkInterfaceId: id,
              Status: "in-use",
              InterfaceType: "agentic_ai",
              RequesterManaged: true,
              Attachment: { AttachTime: new Date(0), InstanceOwnerId: "amazon-aws", Status: "attached" },
              TagSet: [{ Key: "AmazonBedrockAgentCoreManaged", Value: "true" }],
            })),
            ...this.ourEnis.map((id) => ({ NetworkInterfaceId: id, Status: "available", InterfaceType: "interface", RequesterManaged: false, TagSet: [{ Key: ENVIRONMENT_TAG_KEY, Value: env.name }] })),
            { NetworkInterfaceId: "eni-0natgateway000001", Status: "in-use", InterfaceType: "nat_gateway", RequesterManaged: true, TagSet: [] },
          ].filter(() => this.stacks.has("network"));
          const p = this.page(all, input.NextToken);
          return { NetworkInterfaces: p.item, ...(p.next && { NextToken: p.next }) };
        },
        DeleteNetworkInterface: (input) => {
          if (!this.ourEnis.includes(String(input.NetworkInterfaceId))) throw awsError("InvalidNetworkInterfaceID.NotFound");
          this.ourEnis = this.ourEnis.filter((id) => id !== input.NetworkInterfaceId);
          this.changes.push(`DeleteNetworkInterface ${String(input.NetworkInterfaceId)}`);
          return {};
        },
      }),
      tagging: this.client("tagging", {
        GetResources: (input) => {
          const arns = [
            ...(this.stacks.has("agent") ? [`${prefix}bedrock-agentcore:${env.region}:${env.account}:runtime/${env.name}_agent-a1b2c3d4e5`] : []),
            ...(this.stacks.has("storage") || env.retain ? [`${prefix}s3:::${env.bucket}`] : []),
            ...(this.fileSystem ? [`${prefix}s3files:${env.region}:${env.account}:file-system/${this.fileSystem.id}`] : []),
            ...(this.stacks.has("registry") ? [`${prefix}ecr:${env.region}:${env.account}:repository/${env.repository}`] : []),
            ...(this.stacks.has("network") ? [`${prefix}ec2:${env.region}:${env.account}:vpc/vpc-0123456789abcdef0`] : []),
            ...this.strayTaggedArns,
          ];
          const p = this.page(arns.map((ResourceARN) => ({ ResourceARN })), input.PaginationToken || undefined);
          return { ResourceTagMappingList: p.item, PaginationToken: p.next ?? "" };
        },
      }),
      s3: this.client("s3", {}),
      agentcoreControl: this.client("agentcore", {}),
    };
  }
}
