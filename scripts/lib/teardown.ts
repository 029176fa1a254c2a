/**
 * Tears an environment down in the one order AWS accepts, or stops in a clean, resumable state.
 *
 *   agent → (storage, registry, ENI check side by side) → network → final sweep
 *
 * Storage goes data first: access points and mount targets, then the file system, retried while S3 Files
 * still has writes to export to the bucket (never force-deleted unless asked). A bucket whose environment
 * retains data stays, with its objects. The network waits for the ENIs AgentCore leaves behind for up
 * to 8 hours; when they outlast the wait, the network stays and the run ends "resumable".
 * Facts: shared/REFERENCE.md "S3 Files" (delete), "AgentCore Runtime" (ENIs).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DeleteNetworkInterfaceCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { BatchDeleteImageCommand, ListImagesCommand } from "@aws-sdk/client-ecr";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import {
  DeleteAccessPointCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  ListAccessPointsCommand,
  ListFileSystemsCommand,
  ListMountTargetsCommand,
} from "@aws-sdk/client-s3files";
import { ENVIRONMENT_TAG_KEY, type Environment } from "../../environments/schema";
import { stackName, type Layer } from "../../stacks/environment-stack";
import { IMAGE_DIGEST_VARIABLE } from "../../stacks/environment-stacks";
import { errorName, type AwsClients } from "./aws";
import { namesOf } from "./environment";
import { runChecked, type ProcessRunner } from "./runner";
import { formatDuration, runSteps, type Step, type StepOutcome, type StepState } from "./steps";

export type TeardownStepId = "agent" | "storage" | "registry" | "enis" | "network" | "sweep";

export interface Clock {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface TeardownOptions {
  /** How long to wait for AgentCore's ENIs to be released before leaving the network for a later run. */
  readonly waitEnisMs: number;
  /** How long to keep retrying the file system while it has writes not yet exported to S3. */
  readonly waitExportMs: number;
  /** Delete the repository's images (the repository cannot go otherwise). */
  readonly deleteImages: boolean;
  /** Delete the file system even with unexported writes (they are lost). Only ever set by an explicit flag. */
  readonly discardUnexportedWrites: boolean;
}

export interface TeardownDeps {
  readonly environment: Environment;
  readonly runner: ProcessRunner;
  readonly clients: AwsClients;
  readonly clock: Clock;
  /** Account id of the credentials (names depend on it). */
  readonly accountId: string;
  readonly journalFile: string;
  readonly log: (step: TeardownStepId, line: string) => void;
  /** Each change of the steps' states, for a live view. */
  readonly onUpdate?: (states: readonly StepState<TeardownStepId>[]) => void;
  /** Image digest for the agent stack's required variable (any valid digest will do for a destroy). */
  readonly imageDigest?: string;
}

export interface Kept {
  readonly what: string;
  readonly where: string;
  readonly why: string;
}

export interface EniReport {
  readonly id: string;
  readonly status: string;
  readonly kind: "agentcore-managed" | "ours-available" | "other";
  readonly age?: string;
}

export interface TeardownReport {
  readonly environment: string;
  readonly status: "clean" | "resumable" | "failed";
  readonly message: string;
  readonly steps: readonly StepState<TeardownStepId>[];
  readonly kept: readonly Kept[];
  readonly remaining: readonly string[];
  readonly enis: readonly EniReport[];
  /** When a resumable run is worth repeating. */
  readonly retryAfter?: string;
}

/** The teardown's dependency graph. */
export const TEARDOWN_STEPS: readonly (Step<TeardownStepId> & { describe: (env: Environment) => string })[] = [
  { id: "agent", label: "agent stack", needs: [], describe: (e) => `npx cdktn destroy ${stackName(e.name, "agent")} (runtime, endpoint, IAM, alert)` },
  {
    id: "storage",
    label: "storage",
    needs: ["agent"],
    describe: (e) =>
      `delete S3 Files access point → mount targets → file system (retried while writes are still exporting to S3); then ${
        e.storage.retainDataOnTeardown ? `keep the bucket and its objects (data retained)` : `npx cdktn destroy ${stackName(e.name, "storage")} (bucket and all its objects)`
      }`,
  },
  { id: "registry", label: "registry", needs: ["agent"], describe: (e) => `npx cdktn destroy ${stackName(e.name, "registry")} (only once its images are gone: --delete-images)` },
  { id: "enis", label: "ENI check", needs: ["agent"], describe: () => "delete our unattached ENIs; wait (with backoff) for AgentCore's service-managed ENIs to be released" },
  { id: "network", label: "network stack", needs: ["storage", "enis"], describe: (e) => `npx cdktn destroy ${stackName(e.name, "network")}${e.network.mode === "import" ? " (security groups only: the imported VPC is never deleted)" : ""}` },
  { id: "sweep", label: "final sweep", needs: ["network", "registry"], describe: (e) => `list anything still tagged ${ENVIRONMENT_TAG_KEY}=${e.name}` },
];

/** A stop that a later run can finish; not a failure of the tool or of AWS. */
export class ResumableStop extends Error {
  constructor(message: string, readonly retryAfter?: string) {
    super(message);
    this.name = "ResumableStop";
  }
}

const RETRYABLE = /Throttling|TooManyRequests|RequestLimitExceeded|SlowDown|ServiceUnavailable|InternalServer/;

/** Exponential backoff from 5 s, capped at 20 s, so a wait overshoots its condition by at most 20 s. */
export async function waitFor<T>(
  clock: Clock,
  deadlineMs: number,
  probe: () => Promise<{ done: true; value: T } | { done: false; progress: string }>,
  onProgress: (line: string) => void,
): Promise<{ done: true; value: T } | { done: false; progress: string }> {
  const start = clock.now();
  let delay = 5_000;
  for (;;) {
    let result: { done: true; value: T } | { done: false; progress: string };
    try {
      result = await probe();
    } catch (error) {
      if (!RETRYABLE.test(errorName(error))) throw error;
      result = { done: false, progress: `${errorName(error)}; trying again` };
    }
    if (result.done) return result;
    const left = deadlineMs - (clock.now() - start);
    if (left <= 0) return result;
    const wait = Math.min(delay, left);
    onProgress(`${result.progress}; checking again in ${formatDuration(wait)} (gives up in ${formatDuration(left)})`);
    await clock.sleep(wait);
    delay = Math.min(delay * 2, 20_000);
  }
}

async function paginate<T>(fetchPage: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.next;
  } while (token);
  return all;
}

interface Journal {
  readonly agentDestroyedAt?: string;
}

function readJournal(file: string): Journal {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Journal) : {};
}

function writeJournal(file: string, journal: Journal): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(journal, null, 2)}\n`);
}

export function teardownJournalPath(environment: string, dir = join(".build", "teardown")): string {
  return join(dir, `${environment}.json`);
}

/** AgentCore releases its ENIs at most 8 hours after the runtime is deleted (REFERENCE.md). */
const ENI_RELEASE_MS = 8 * 3600_000;

export function cdktnDestroyArgs(stack: string, extra: readonly string[] = []): string[] {
  return ["--no-install", "cdktn", "destroy", stack, "--auto-approve", "--skip-synth", "--ignore-missing-stack-dependencies", ...extra];
}

export async function teardown(deps: TeardownDeps, options: TeardownOptions): Promise<TeardownReport> {
  const env = deps.environment;
  const names = namesOf(env, deps.accountId);
  const kept: Kept[] = [];
  const keptArns = new Set<string>();
  let enis: EniReport[] = [];
  let remaining: string[] = [];
  let retryAfter: string | undefined;

  const destroy = async (step: TeardownStepId, layer: Layer, extra: readonly string[] = []) => {
    await runChecked(deps.runner, "npx", cdktnDestroyArgs(stackName(env.name, layer), extra), { onLine: (l) => deps.log(step, l) });
  };

  const steps: Record<TeardownStepId, () => Promise<StepOutcome | void>> = {
    agent: async () => {
      const digest = deps.imageDigest ?? `sha256:${"0".repeat(64)}`;
      await destroy("agent", "agent", [`--var=${IMAGE_DIGEST_VARIABLE}=${digest}`]);
      const journal = readJournal(deps.journalFile);
      if (journal.agentDestroyedAt === undefined) writeJournal(deps.journalFile, { ...journal, agentDestroyedAt: new Date(deps.clock.now()).toISOString() });
    },

    storage: async () => {
      const bucketArn = `arn:${env.partition}:s3:::${names.bucket}`;
      const fileSystems = await paginate(async (nextToken) => {
        const page = (await deps.clients.s3files.send(new ListFileSystemsCommand({ bucket: bucketArn, ...(nextToken && { nextToken }) }))) as {
          fileSystems?: { fileSystemId?: string; bucket?: string }[];
          nextToken?: string;
        };
        return { items: page.fileSystems ?? [], ...(page.nextToken && { next: page.nextToken }) };
      });
      for (const fs of fileSystems.filter((f) => f.bucket === undefined || f.bucket === bucketArn)) {
        await deleteFileSystem(fs.fileSystemId!);
      }
      if (env.storage.retainDataOnTeardown) {
        kept.push({ what: `bucket ${names.bucket} and its objects`, where: `s3://${names.bucket}`, why: "the environment retains data (storage.retainDataOnTeardown); npm run deploy re-attaches a file system to it" });
        keptArns.add(bucketArn).add(`arn:${env.partition}:iam::${deps.accountId}:role/${names.s3FilesRole}`);
        return { detail: `file system gone; bucket s3://${names.bucket} kept` };
      }
      await destroy("storage", "storage");
      return { detail: fileSystems.length === 0 ? "no file system left; stack destroyed" : "file system gone; bucket and stack destroyed" };
    },

    registry: async () => {
      const images = await paginate(async (nextToken) => {
        try {
          const page = (await deps.clients.ecr.send(new ListImagesCommand({ repositoryName: names.repository, ...(nextToken && { nextToken }) }))) as {
            imageIds?: { imageDigest?: string; imageTag?: string }[];
            nextToken?: string;
          };
          return { items: page.imageIds ?? [], ...(page.nextToken && { next: page.nextToken }) };
        } catch (error) {
          if (errorName(error) === "RepositoryNotFoundException") return { items: [] };
          throw error;
        }
      });
      if (images.length > 0 && !options.deleteImages) {
        const where = `${deps.accountId}.dkr.ecr.${env.region}.amazonaws.com/${names.repository}`;
        kept.push({ what: `repository ${names.repository} with ${images.length} image${images.length === 1 ? "" : "s"}`, where, why: "images are deleted only when you confirm: re-run with --delete-images" });
        keptArns.add(`arn:${env.partition}:ecr:${env.region}:${deps.accountId}:repository/${names.repository}`);
        return { detail: `kept: ${images.length} images (pass --delete-images)` };
      }
      for (let i = 0; i < images.length; i += 100) {
        await deps.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: names.repository, imageIds: images.slice(i, i + 100) }));
      }
      await destroy("registry", "registry");
      return { detail: images.length > 0 ? `${images.length} images deleted; repository destroyed` : "repository destroyed" };
    },

    enis: async () => {
      const filter = await eniFilter();
      if (filter === undefined) return { detail: "network already gone" };
      const journal = readJournal(deps.journalFile);
      const result = await waitFor(
        deps.clock,
        options.waitEnisMs,
        async () => {
          enis = await listEnis(filter);
          for (const eni of enis.filter((e) => e.kind === "ours-available")) {
            try {
              await deps.clients.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.id }));
              deps.log("enis", `deleted unattached ENI ${eni.id}`);
            } catch (error) {
              if (!/NotFound/.test(errorName(error))) throw error;
            }
          }
          const held = enis.filter((e) => e.kind === "agentcore-managed");
          if (held.length === 0) return { done: true as const, value: undefined };
          return { done: false as const, progress: `${held.length} AgentCore-managed ENI${held.length === 1 ? "" : "s"} still held (${held.map((e) => `${e.id}${e.age ? `, ${e.age} old` : ""}`).join("; ")})` };
        },
        (line) => deps.log("enis", line),
      );
      if (!result.done) {
        const releasedBy = journal.agentDestroyedAt !== undefined ? new Date(Date.parse(journal.agentDestroyedAt) + ENI_RELEASE_MS).toISOString() : undefined;
        retryAfter = releasedBy;
        throw new ResumableStop(
          `${result.progress}. AWS releases them within 8 hours of the runtime's deletion${releasedBy ? ` (by ${releasedBy})` : ""}; they cannot be detached or deleted by the account. The network stays until then`,
          releasedBy,
        );
      }
      return { detail: "no AgentCore ENIs left" };
    },

    network: async () => {
      try {
        await destroy("network", "network");
      } catch (error) {
        if (/DependencyViolation|has dependencies|in use/.test((error as Error).message)) {
          throw new ResumableStop(`the network is still in use (${(error as Error).message.split(": ").slice(-1)[0]}); run teardown again later`);
        }
        throw error;
      }
      if (env.network.mode === "import") kept.push({ what: `VPC ${env.network.vpcId}`, where: env.network.vpcId, why: "imported, not created by this project: never deleted" });
    },

    sweep: async () => {
      const tagged = async () =>
        (
          await paginate(async (PaginationToken) => {
            const page = (await deps.clients.tagging.send(
              new GetResourcesCommand({ TagFilters: [{ Key: ENVIRONMENT_TAG_KEY, Values: [env.name] }], ...(PaginationToken && { PaginationToken }) }),
            )) as { ResourceTagMappingList?: { ResourceARN?: string }[]; PaginationToken?: string };
            return { items: page.ResourceTagMappingList ?? [], ...(page.PaginationToken && { next: page.PaginationToken }) };
          })
        )
          .map((r) => r.ResourceARN!)
          .filter((arn) => !keptArns.has(arn));
      // The tagging index trails deletions by a little; look twice more before calling anything left over.
      const result = await waitFor(
        deps.clock,
        40_000,
        async () => {
          const left = await tagged();
          return left.length === 0 ? { done: true as const, value: left } : { done: false as const, progress: `${left.length} tagged resource${left.length === 1 ? "" : "s"} still listed` };
        },
        (line) => deps.log("sweep", line),
      );
      if (!result.done) {
        remaining = await tagged();
        throw new Error(`${remaining.length} resource${remaining.length === 1 ? "" : "s"} still tagged ${ENVIRONMENT_TAG_KEY}=${env.name}: ${remaining.join(", ")}`);
      }
      return { detail: "nothing left" };
    },
  };

  async function deleteFileSystem(fileSystemId: string): Promise<void> {
    const s3files = deps.clients.s3files;
    const accessPoints = await paginate(async (nextToken) => {
      const page = (await s3files.send(new ListAccessPointsCommand({ fileSystemId, ...(nextToken && { nextToken }) }))) as { accessPoints?: { accessPointId?: string }[]; nextToken?: string };
      return { items: page.accessPoints ?? [], ...(page.nextToken && { next: page.nextToken }) };
    });
    for (const ap of accessPoints) await ignoreNotFound(() => s3files.send(new DeleteAccessPointCommand({ accessPointId: ap.accessPointId! })));
    const listMountTargets = () =>
      paginate(async (nextToken) => {
        const page = (await s3files.send(new ListMountTargetsCommand({ fileSystemId, ...(nextToken && { nextToken }) }))) as {
          mountTargets?: { mountTargetId?: string; status?: string }[];
          nextToken?: string;
        };
        return { items: page.mountTargets ?? [], ...(page.nextToken && { next: page.nextToken }) };
      });
    for (const mt of (await listMountTargets()).filter((m) => m.status !== "deleting")) {
      await ignoreNotFound(() => s3files.send(new DeleteMountTargetCommand({ mountTargetId: mt.mountTargetId! })));
    }
    const gone = await waitFor(
      deps.clock,
      30 * 60_000,
      async () => {
        const left = await listMountTargets();
        return left.length === 0 ? { done: true as const, value: undefined } : { done: false as const, progress: `${left.length} mount target${left.length === 1 ? "" : "s"} still deleting` };
      },
      (line) => deps.log("storage", line),
    );
    if (!gone.done) throw new Error(`mount targets of ${fileSystemId} were not deleted within 30 minutes`);

    const deleted = await waitFor(
      deps.clock,
      options.waitExportMs,
      async () => {
        try {
          await s3files.send(new DeleteFileSystemCommand({ fileSystemId, ...(options.discardUnexportedWrites && { forceDelete: true }) }));
          return { done: true as const, value: undefined };
        } catch (error) {
          if (errorName(error) === "ResourceNotFoundException") return { done: true as const, value: undefined };
          if (isPendingExport(error)) return { done: false as const, progress: `file system ${fileSystemId} still has writes to export to S3` };
          throw error;
        }
      },
      (line) => deps.log("storage", line),
    );
    if (!deleted.done) {
      throw new ResumableStop(
        `file system ${fileSystemId} still has writes not yet exported to S3. Run teardown again later, or pass --discard-unexported-writes to delete it anyway (those writes are lost)`,
      );
    }
  }

  async function eniFilter(): Promise<{ Name: string; Values: string[] } | undefined> {
    if (env.network.mode === "import") {
      const groups = (await deps.clients.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${ENVIRONMENT_TAG_KEY}`, Values: [env.name] }, { Name: "vpc-id", Values: [env.network.vpcId] }] }),
      )) as { SecurityGroups?: { GroupId?: string }[] };
      const ids = (groups.SecurityGroups ?? []).map((g) => g.GroupId!);
      return ids.length > 0 ? { Name: "group-id", Values: ids } : undefined;
    }
    const vpcs = (await deps.clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${ENVIRONMENT_TAG_KEY}`, Values: [env.name] }] }))) as { Vpcs?: { VpcId?: string }[] };
    const ids = (vpcs.Vpcs ?? []).map((v) => v.VpcId!);
    return ids.length > 0 ? { Name: "vpc-id", Values: ids } : undefined;
  }

  async function listEnis(filter: { Name: string; Values: string[] }): Promise<EniReport[]> {
    const interfaces = await paginate(async (NextToken) => {
      const page = (await deps.clients.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [filter], MaxResults: 100, ...(NextToken && { NextToken }) }))) as {
        NetworkInterfaces?: Eni[];
        NextToken?: string;
      };
      return { items: page.NetworkInterfaces ?? [], ...(page.NextToken && { next: page.NextToken }) };
    });
    return interfaces.map((eni) => classifyEni(eni, env.name, deps.clock.now()));
  }

  const started = deps.clock.now();
  const result = await runSteps(
    TEARDOWN_STEPS,
    (step) => steps[step.id](),
    deps.onUpdate,
    () => deps.clock.now() - started,
  );
  const failure = result.failed?.error;
  const status = result.ok ? "clean" : failure instanceof ResumableStop ? "resumable" : "failed";
  const message = result.ok
    ? kept.length > 0
      ? `${env.name} is torn down; kept on purpose: ${kept.map((k) => k.what).join("; ")}`
      : `${env.name} is torn down; nothing tagged with it remains`
    : `${status === "resumable" ? "stopped, resumable" : "failed"} at ${result.failed!.id}: ${(failure as Error).message}`;
  return {
    environment: env.name,
    status,
    message,
    steps: result.states,
    kept,
    remaining,
    enis,
    ...((retryAfter ?? (failure as ResumableStop | undefined)?.retryAfter) !== undefined && { retryAfter: retryAfter ?? (failure as ResumableStop).retryAfter }),
  };
}

interface Eni {
  NetworkInterfaceId?: string;
  Status?: string;
  InterfaceType?: string;
  RequesterManaged?: boolean;
  OwnerId?: string;
  Attachment?: { AttachTime?: Date | string; InstanceOwnerId?: string; Status?: string };
  TagSet?: { Key?: string; Value?: string }[];
}

/**
 * AgentCore's ENIs: InterfaceType agentic_ai, attached by "amazon-aws" (ela-attach), tagged
 * AmazonBedrockAgentCoreManaged=true. Ours to delete: unattached, not requester-managed, tagged with this
 * environment. Everything else (NAT, endpoints, mount targets) goes with the stack that owns it.
 */
export function classifyEni(eni: Eni, environment: string, now: number): EniReport {
  const tags = new Map((eni.TagSet ?? []).map((t) => [t.Key, t.Value]));
  const attachTime = eni.Attachment?.AttachTime !== undefined ? new Date(eni.Attachment.AttachTime).getTime() : undefined;
  const age = attachTime !== undefined ? formatDuration(now - attachTime) : undefined;
  const base = { id: eni.NetworkInterfaceId!, status: eni.Status ?? "unknown", ...(age !== undefined && { age }) };
  const managed =
    eni.InterfaceType === "agentic_ai" ||
    tags.get("AmazonBedrockAgentCoreManaged") === "true" ||
    (eni.RequesterManaged === true && eni.Attachment?.InstanceOwnerId === "amazon-aws");
  if (managed) return { ...base, kind: "agentcore-managed" };
  if (eni.Status === "available" && !eni.RequesterManaged && tags.get(ENVIRONMENT_TAG_KEY) === environment) return { ...base, kind: "ours-available" };
  return { ...base, kind: "other" };
}

function isPendingExport(error: unknown): boolean {
  const e = error as { errorCode?: string; message?: string };
  return errorName(error) === "ConflictException" && (/PendingExport/i.test(e.errorCode ?? "") || /pending export/i.test(e.message ?? ""));
}

async function ignoreNotFound(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (errorName(error) !== "ResourceNotFoundException") throw error;
  }
}

export function formatReport(report: TeardownReport, environment: Environment): string {
  const lines = [report.message];
  if (report.kept.length > 0) lines.push("", "Kept on purpose:", ...report.kept.map((k) => `  - ${k.what} (${k.where}): ${k.why}`));
  const held = report.enis.filter((e) => e.kind === "agentcore-managed");
  if (held.length > 0) lines.push("", "AgentCore-managed ENIs still held:", ...held.map((e) => `  - ${e.id} ${e.status}${e.age ? `, attached ${e.age} ago` : ""}`));
  if (report.remaining.length > 0) lines.push("", "Still tagged with the environment:", ...report.remaining.map((r) => `  - ${r}`));
  if (report.status === "resumable") {
    lines.push("", `Resume with: npm run teardown -- --env ${environment.name}${report.retryAfter ? `  (after ${report.retryAfter})` : ""}`);
  }
  return lines.join("\n");
}

export function formatTeardownPlan(environment: Environment, options: TeardownOptions): string {
  const lines = TEARDOWN_STEPS.map((step, i) => {
    const after = step.needs.length > 0 ? `after ${step.needs.join(" + ")}` : "first";
    return `  ${i + 1}. ${step.label.padEnd(14)} ${after.padEnd(26)} ${step.describe(environment)}`;
  });
  return [
    `Teardown plan for ${environment.name} (${environment.region}):`,
    ...lines,
    "",
    environment.storage.retainDataOnTeardown
      ? `Data: retained — the bucket and its objects stay (storage.retainDataOnTeardown).`
      : `Data: NOT retained — the bucket and every object in it are deleted.`,
    `Images: ${options.deleteImages ? "deleted with the repository (--delete-images)" : "kept; the repository stays if it has any (pass --delete-images)"}.`,
    `File system: ${options.discardUnexportedWrites ? "deleted even with unexported writes (--discard-unexported-writes: they are lost)" : `waits up to ${formatDuration(options.waitExportMs)} for pending writes to reach S3, never forces`}.`,
    `ENIs: waits up to ${formatDuration(options.waitEnisMs)} for AgentCore to release its ENIs, then stops resumable (exit 3).`,
  ].join("\n");
}
