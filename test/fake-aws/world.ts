/**
 * One AWS account, in memory, on a virtual clock, behaving like AWS where deploy and teardown depend on it.
 * The wire services (services/*.ts) and the stand-in Terraform's provider endpoint (provider.ts) share
 * this state and its rules, so what Terraform creates is what the SDK clients see.
 *
 * Time: virtual epoch milliseconds in a file (scripts/lib/clock.ts `fileClock`), shared with the scripts
 * and stand-in tools running as processes; it moves only when something sleeps (or a test advances it).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileClock, type Clock } from "../../scripts/lib/clock.ts";
import { AwsError } from "./errors.ts";

export const ACCOUNT = "123456789012";
/** Virtual time starts here (so ISO timestamps read like real ones). */
export const EPOCH = Date.parse("2026-11-02T09:00:00.000Z");

export interface WorldOptions {
  readonly account: string;
  /** After the last runtime using them is deleted, when AgentCore releases its ENIs ("up to 8 hours", REFERENCE.md). */
  readonly eniReleaseMs: number;
  /** How long the tagging index keeps listing a deleted resource ("minutes to hours"). */
  readonly indexLagMs: number;
  /** The account's managed-resource visibility hides service-managed ENIs unless IncludeManagedResources=true. */
  readonly managedEnisHidden: boolean;
  /** Virtual durations of the slow AWS operations (the provider waits for them). */
  readonly durations: {
    readonly natGateway: number;
    readonly interfaceEndpoint: number;
    readonly mountTarget: number;
    readonly runtimeDelete: number;
    /** S3 Files DeleteFileSystem / DeleteAccessPoint answer at once; the resource stays `deleting` this long. */
    readonly fileSystemDelete: number;
    readonly accessPointDelete: number;
  };
}

export const DEFAULT_OPTIONS: WorldOptions = {
  account: ACCOUNT,
  eniReleaseMs: 90 * 60_000,
  indexLagMs: 15 * 60_000,
  managedEnisHidden: false,
  durations: { natGateway: 60_000, interfaceEndpoint: 45_000, mountTarget: 90_000, runtimeDelete: 20_000, fileSystemDelete: 60_000, accessPointDelete: 10_000 },
};

export type Status = "creating" | "available" | "deleting" | "pending-deletion";

export interface Resource {
  /** The Terraform resource type that made it (aws_vpc, aws_s3files_file_system, …). */
  readonly type: string;
  readonly id: string;
  readonly region: string;
  arn?: string;
  attributes: Record<string, unknown>;
  tags: Record<string, string>;
  status: Status;
  /** "creating" ends, "deleting" ends (the resource disappears), "pending-deletion" ends, at these times. */
  readyAt?: number;
  goneAt?: number;
}

/** A network interface, in EC2's own shape (DescribeNetworkInterfaces, API reference "NetworkInterface"). */
export interface Eni {
  readonly NetworkInterfaceId: string;
  readonly region: string;
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string;
  InterfaceType: string;
  Description: string;
  OwnerId: string;
  RequesterId?: string;
  RequesterManaged: boolean;
  Status: "available" | "in-use";
  Groups: { GroupId: string; GroupName: string }[];
  Attachment?: { AttachmentId: string; InstanceOwnerId: string; Status: string; AttachTime: string; DeviceIndex: number; DeleteOnTermination: boolean };
  TagSet: { Key: string; Value: string }[];
  Operator?: { Managed: boolean; Principal?: string; HiddenByDefault: boolean };
  PrivateIpAddress: string;
  /** What made it (a NAT gateway, endpoint, mount target id, or "agentcore"). */
  readonly createdBy: string;
  /** AgentCore's: released (disappears) at this time, once no runtime uses it. */
  releaseAt?: number;
}

export interface Fault {
  readonly service: string;
  readonly operation: string;
  readonly error: AwsError;
  remaining: number;
}

export interface Gone {
  readonly resource: Resource;
  readonly at: number;
}

export class FakeAwsWorld {
  readonly options: WorldOptions;
  readonly clockFile: string;
  readonly clock: Clock;
  readonly resources = new Map<string, Resource>();
  readonly enis = new Map<string, Eni>();
  /** Deleted resources, remembered for the tagging index's lag. */
  readonly gone: Gone[] = [];
  /** Every API call (wire and provider), "<service>:<Operation>", in order. */
  readonly calls: string[] = [];
  /** Every change, in order: "create aws_vpc vpc-…", "delete …", "DeleteNetworkInterface eni-…". */
  readonly changes: string[] = [];
  /** ECR images by repository name: digest → manifest + config. */
  readonly images = new Map<string, Map<string, { tags: string[]; manifest: string; mediaType: string; config: Record<string, unknown>; configDigest: string }>>();
  /**
   * CloudTrail management events (event history, LookupEvents): what the account logged, visible a few minutes
   * after the call (CloudTrail User Guide: events are typically delivered within about 5 minutes).
   */
  readonly trailEvents: { eventName: string; eventSource: string; time: number; visibleAt: number; requestParameters: Record<string, unknown> }[] = [];
  /** Registry blobs (image configs and layers) by repository, by digest; and ECR layer uploads in progress by id. */
  readonly blobs = new Map<string, Map<string, Buffer>>();
  readonly uploads = new Map<string, { repository: string; parts: Buffer[]; received: number }>();
  /** S3 objects by bucket (state files of an S3 backend, and data). */
  readonly objects = new Map<string, Map<string, Buffer>>();
  /** Images ECR refuses to delete, by digest, with the BatchDeleteImage failure code and reason (ECR model ImageFailureCode). */
  readonly refusedImageDeletions = new Map<string, { code: string; reason: string }>();
  /** Role sessions AssumeRole handed out, by access key id; and roles the base credentials may not assume. */
  readonly sessions = new Map<string, { account: string; arn: string; id: string; roleArn: string }>();
  readonly deniedRoles = new Set<string>();
  /** The access key id that signed each wire call, "<service>:<Operation> <key>", in order. */
  readonly signed: string[] = [];
  /** Managed-policy attachments made outside the stacks (a user attaching the invoker policy to their own role), by policy ARN. */
  readonly policyAttachments = new Map<string, { users: Set<string>; groups: Set<string>; roles: Set<string> }>();
  /** File systems still exporting writes until this time (DeleteFileSystem refuses until then). */
  readonly pendingExportUntil = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly hooks: { service: string; operation: string; run: () => void }[] = [];
  private counter = 0;

  /** `clock`: another virtual clock for single-process use (the benchmark); by default a clock file processes share. */
  constructor(options: Partial<Omit<WorldOptions, "durations">> & { readonly durations?: Partial<WorldOptions["durations"]> } = {}, clock?: Clock) {
    this.options = { ...DEFAULT_OPTIONS, ...options, durations: { ...DEFAULT_OPTIONS.durations, ...options.durations } };
    const dir = mkdtempSync(join(tmpdir(), "fake-aws-clock-"));
    this.clockFile = join(dir, "now");
    writeFileSync(this.clockFile, String(EPOCH));
    this.clock = clock ?? fileClock(this.clockFile);
  }

  get account(): string {
    return this.options.account;
  }

  now(): number {
    return this.clock.now();
  }

  advance(milliseconds: number): void {
    writeFileSync(this.clockFile, String(this.now() + milliseconds));
  }

  /** A fresh id in AWS's shape: "<prefix>-" and 17 hex digits (e.g. vpc-0000000000000002a). */
  id(prefix: string, digits = 17): string {
    this.counter += 1;
    return `${prefix}-${this.counter.toString(16).padStart(digits, "0")}`;
  }

  /** Moves time-driven state forward: creations finish, deletions finish, AgentCore releases ENIs. */
  settle(): void {
    const now = this.now();
    for (const resource of [...this.resources.values()]) {
      if (resource.status === "creating" && (resource.readyAt ?? 0) <= now) resource.status = "available";
      if ((resource.status === "deleting" || resource.status === "pending-deletion") && resource.goneAt !== undefined && resource.goneAt <= now) this.forget(resource, resource.goneAt);
    }
    for (const eni of [...this.enis.values()]) if (eni.releaseAt !== undefined && eni.releaseAt <= now) this.enis.delete(eni.NetworkInterfaceId);
  }

  /** Resources are keyed by type and id: a bucket and its sub-resources (versioning, policy, …) share the bucket's name as id. */
  private static key(type: string, id: string): string {
    return `${type}:${id}`;
  }

  add(resource: Omit<Resource, "status"> & { status?: Status }): Resource {
    const full: Resource = { status: "available", ...resource };
    this.resources.set(FakeAwsWorld.key(full.type, full.id), full);
    this.changes.push(`create ${full.type} ${full.id}`);
    return full;
  }

  /** Removes a resource now (or at `at`), remembering it for the tagging index. */
  forget(resource: Resource, at = this.now()): void {
    if (!this.resources.delete(FakeAwsWorld.key(resource.type, resource.id))) return;
    this.gone.push({ resource, at });
    for (const eni of [...this.enis.values()]) if (eni.createdBy === resource.id) this.enis.delete(eni.NetworkInterfaceId);
  }

  find(type: string, id: string): Resource | undefined {
    this.settle();
    return this.resources.get(FakeAwsWorld.key(type, id));
  }

  /** By id alone, for ids that name one resource (vpc-…, subnet-…, sg-…, fs-…, fsap-…). */
  get(id: string): Resource | undefined {
    this.settle();
    return [...this.resources.values()].find((r) => r.id === id);
  }

  /** Live resources of a type in a Region. */
  all(type: string, region?: string): Resource[] {
    this.settle();
    return [...this.resources.values()].filter((r) => r.type === type && (region === undefined || r.region === region));
  }

  addEni(eni: Omit<Eni, "NetworkInterfaceId" | "PrivateIpAddress"> & { NetworkInterfaceId?: string }): Eni {
    const full: Eni = { NetworkInterfaceId: eni.NetworkInterfaceId ?? this.id("eni"), PrivateIpAddress: `10.0.${this.counter % 250}.${(this.counter * 7) % 250}`, ...eni };
    this.enis.set(full.NetworkInterfaceId, full);
    return full;
  }

  enisIn(region: string): Eni[] {
    this.settle();
    return [...this.enis.values()].filter((e) => e.region === region);
  }

  /** The next `times` calls of `service:operation` fail with `error` (throttling, a transient 500, a conflict…). */
  failNext(service: string, operation: string, error: AwsError, times = 1): void {
    this.faults.push({ service, operation, error, remaining: times });
  }

  /**
   * Runs `run` just before the next `service:operation` call is answered: something else changing the account
   * at that moment (a resource deleted between a list and a delete, an ENI appearing).
   */
  onNextCall(service: string, operation: string, run: () => void): void {
    this.hooks.push({ service, operation, run });
  }

  /** Called by every handler first: records the call and raises an injected fault if one is due. */
  call(service: string, operation: string): void {
    this.calls.push(`${service}:${operation}`);
    const hook = this.hooks.findIndex((h) => h.service === service && h.operation === operation);
    if (hook >= 0) this.hooks.splice(hook, 1)[0]!.run();
    this.settle();
    const fault = this.faults.find((f) => f.service === service && f.operation === operation && f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      throw fault.error;
    }
  }

  attachmentsOf(policyArn: string): { users: Set<string>; groups: Set<string>; roles: Set<string> } {
    let attached = this.policyAttachments.get(policyArn);
    if (!attached) this.policyAttachments.set(policyArn, (attached = { users: new Set(), groups: new Set(), roles: new Set() }));
    return attached;
  }

  count(service: string, operation: string): number {
    return this.calls.filter((c) => c === `${service}:${operation}`).length;
  }

  bucket(name: string): Map<string, Buffer> {
    let objects = this.objects.get(name);
    if (!objects) this.objects.set(name, (objects = new Map()));
    return objects;
  }
}
