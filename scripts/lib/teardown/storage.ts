/**
 * Step: S3 Files, data first. Access points, then mount targets (waiting until they are gone), then the file
 * system, retried while it still has writes to export to the bucket (DeleteFileSystem answers
 * ConflictException "FileSystemHasPendingExport" then; it is never forced unless asked). Then the storage
 * stack, unless the environment retains its data: then the bucket and its objects stay.
 *
 * S3 Files answers ConflictException (HTTP 409, with an `errorCode`) for more than pending exports: a
 * resource still changing state, a file system whose mount targets are still being deleted. Those are
 * retried within the same wait; only pending exports make the step stop resumable (shared/REFERENCE.md
 * "S3 Files"; s3files model: ConflictException on DeleteAccessPoint, DeleteMountTarget, DeleteFileSystem).
 */
import {
  DeleteAccessPointCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  GetAccessPointCommand,
  GetFileSystemCommand,
  paginateListAccessPoints,
  paginateListMountTargets,
} from "@aws-sdk/client-s3files";
import { errorName } from "../aws.ts";
import { formatDuration, type StepOutcome } from "../steps.ts";
import { stackName } from "../../../modules/environment/environment-stack.ts";
import { managedResources, readStackState } from "../stack-state.ts";
import { taggedFileSystems } from "./ownership.ts";
import { destroyStack, plural, ResumableStop, type TeardownContext } from "./context.ts";
import { isNotFound, waitFor } from "./wait.ts";
import { commandLine } from "../../../lib/invocation.ts";

/**
 * S3 Files deletes asynchronously: DeleteAccessPoint and DeleteFileSystem answer at once, and the resource stays
 * `deleting` until it is gone. The provider waits for that (internal/service/s3files/file_system.go
 * waitFileSystemDeleted: GetFileSystem until ResourceNotFoundException, 10 minutes), and so must teardown before
 * the mount targets, and before the storage stack's destroy (the bucket's versioning cannot change while a file
 * system is attached: BucketHasS3FileSystemAttached).
 */
const DELETION_WAIT_MS = 10 * 60_000;

async function waitUntilGone(ctx: TeardownContext, what: string, get: () => Promise<{ status?: string }>): Promise<void> {
  const gone = await waitFor(
    ctx.deps.clock,
    DELETION_WAIT_MS,
    async () => {
      try {
        const found = await get();
        return found.status === "deleted" ? { done: true as const, value: undefined } : { done: false as const, progress: `${what} is ${found.status ?? "still there"}` };
      } catch (error) {
        if (isNotFound(error)) return { done: true as const, value: undefined };
        throw error;
      }
    },
    (line) => ctx.deps.log("storage", line),
  );
  if (!gone.done) throw new Error(`${what} was not deleted within ${formatDuration(DELETION_WAIT_MS)}`);
}

/** Mount targets take minutes to delete; the provider's own delete timeout for them is 30 minutes. */
const MOUNT_TARGET_WAIT_MS = 30 * 60_000;
/** How long an access point or mount target may answer ConflictException before it is a failure. */
const CONFLICT_WAIT_MS = 10 * 60_000;

export function isPendingExport(error: unknown): boolean {
  const e = error as { errorCode?: string; message?: string };
  return errorName(error) === "ConflictException" && (/PendingExport/i.test(e.errorCode ?? "") || /pending export/i.test(e.message ?? ""));
}

function conflictCode(error: unknown): string {
  const e = error as { errorCode?: string; message?: string };
  return `${e.errorCode ?? "ConflictException"}${e.message ? `: ${e.message}` : ""}`;
}

/** A delete that S3 Files may refuse with a transient ConflictException; "not found" means it is already gone. */
async function deleteRetryingConflicts(ctx: TeardownContext, what: string, call: () => Promise<unknown>): Promise<void> {
  let last: unknown;
  const result = await waitFor(
    ctx.deps.clock,
    CONFLICT_WAIT_MS,
    async () => {
      try {
        await call();
        return { done: true as const, value: undefined };
      } catch (error) {
        if (isNotFound(error)) return { done: true as const, value: undefined };
        if (errorName(error) !== "ConflictException" || isPendingExport(error)) throw error;
        last = error;
        return { done: false as const, progress: `${what}: ${conflictCode(error)}` };
      }
    },
    (line) => ctx.deps.log("storage", line),
  );
  if (!result.done) throw new Error(`${what} still refused after ${formatDuration(CONFLICT_WAIT_MS)}: ${conflictCode(last)}`);
}

async function deleteFileSystem(ctx: TeardownContext, fileSystemId: string): Promise<void> {
  const { deps, options } = ctx;
  const s3files = deps.clients.s3files;
  for await (const page of paginateListAccessPoints({ client: s3files }, { fileSystemId })) {
    for (const ap of page.accessPoints ?? []) {
      await deleteRetryingConflicts(ctx, `deleting access point ${ap.accessPointId}`, () => s3files.send(new DeleteAccessPointCommand({ accessPointId: ap.accessPointId! })));
      await waitUntilGone(ctx, `access point ${ap.accessPointId}`, () => s3files.send(new GetAccessPointCommand({ accessPointId: ap.accessPointId! })));
      deps.log("storage", `deleted access point ${ap.accessPointId}`);
    }
  }

  const mountTargets = async () => {
    const all = [];
    for await (const page of paginateListMountTargets({ client: s3files }, { fileSystemId })) all.push(...(page.mountTargets ?? []));
    return all;
  };
  for (const mt of (await mountTargets()).filter((m) => m.status !== "deleting" && m.status !== "deleted")) {
    await deleteRetryingConflicts(ctx, `deleting mount target ${mt.mountTargetId}`, () => s3files.send(new DeleteMountTargetCommand({ mountTargetId: mt.mountTargetId })));
    deps.log("storage", `deleting mount target ${mt.mountTargetId} (${mt.subnetId ?? "subnet unknown"})`);
  }
  const gone = await waitFor(
    deps.clock,
    MOUNT_TARGET_WAIT_MS,
    async () => {
      const left = (await mountTargets()).filter((m) => m.status !== "deleted");
      return left.length === 0 ? { done: true as const, value: undefined } : { done: false as const, progress: `${plural(left.length, "mount target")} of ${fileSystemId} still deleting` };
    },
    (line) => deps.log("storage", line),
  );
  if (!gone.done) throw new Error(`mount targets of ${fileSystemId} were not deleted within ${formatDuration(MOUNT_TARGET_WAIT_MS)}`);

  let lastConflict: unknown;
  const deleted = await waitFor(
    deps.clock,
    options.waitExportMs,
    async () => {
      try {
        await s3files.send(new DeleteFileSystemCommand({ fileSystemId, ...(options.discardUnexportedWrites && { forceDelete: true }) }));
        return { done: true as const, value: undefined };
      } catch (error) {
        if (isNotFound(error)) return { done: true as const, value: undefined };
        if (errorName(error) !== "ConflictException") throw error;
        lastConflict = error;
        return { done: false as const, progress: isPendingExport(error) ? `file system ${fileSystemId} still has writes to export to S3` : `file system ${fileSystemId}: ${conflictCode(error)}` };
      }
    },
    (line) => deps.log("storage", line),
  );
  if (!deleted.done) {
    if (isPendingExport(lastConflict)) {
      throw new ResumableStop(
        `file system ${fileSystemId} still has writes not yet exported to S3. Run teardown again later, or pass --discard-unexported-writes to delete it anyway (those writes are lost)`,
      );
    }
    throw new Error(`file system ${fileSystemId} could not be deleted within ${formatDuration(options.waitExportMs)}: ${conflictCode(lastConflict)}`);
  }
  await waitUntilGone(ctx, `file system ${fileSystemId}`, () => s3files.send(new GetFileSystemCommand({ fileSystemId })));
  deps.log("storage", `deleted file system ${fileSystemId}${options.discardUnexportedWrites ? " (forced: unexported writes discarded)" : ""}`);
}

/**
 * The file systems this environment owns: the one in <env>-storage's state, and any on its bucket tagged with
 * the environment (a create whose state write was lost). Never every file system on the bucket: another team
 * may have a prefix-scoped file system of its own on it (review finding 5).
 */
async function ownFileSystems(ctx: TeardownContext): Promise<string[]> {
  const state = await readStackState(ctx.deps.outdir, stackName(ctx.environment.name, "storage"), ctx.deps.stateBucket);
  const inState = managedResources(state)
    .filter((r) => r.type === "aws_s3files_file_system")
    .flatMap((r) => r.instances.map((i) => i.attributes.id))
    .filter((id): id is string => typeof id === "string");
  // The state keeps a file system teardown deleted through the API when the stack stays (data retained): only those that still exist.
  const existing: string[] = [];
  for (const id of inState) {
    try {
      const described = await ctx.deps.clients.s3files.send(new GetFileSystemCommand({ fileSystemId: id }));
      if (described.status !== "deleted") existing.push(id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return [...new Set([...existing, ...(await taggedFileSystems(ctx))])];
}

export async function tearDownStorage(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, environment: env, names, findings } = ctx;
  const bucketArn = `arn:${env.partition}:s3:::${names.bucket}`;
  const fileSystems = await ownFileSystems(ctx);
  for (const id of fileSystems) await deleteFileSystem(ctx, id);
  // The file system, its mount targets and access point are gone, whatever happens to the bucket: deploy
  // must apply the storage stack again.
  if (fileSystems.length > 0) findings.removedLayers.add("storage");
  if (env.storage.retainDataOnTeardown) {
    findings.kept.push({
      what: `bucket ${names.bucket} and its objects`,
      where: `s3://${names.bucket}`,
      why: `the environment retains data (storage.retainDataOnTeardown); ${commandLine("deploy")} re-attaches a file system to it`,
    });
    findings.keptArns.add(bucketArn).add(`arn:${env.partition}:iam::${deps.accountId}:role/${names.s3FilesRole}`);
    return { detail: `${fileSystems.length > 0 ? "file system deleted" : "no file system left"}; bucket s3://${names.bucket} kept` };
  }
  const { hadResources } = await destroyStack(ctx, "storage", "storage");
  if (fileSystems.length === 0 && !hadResources) return { unchanged: true, detail: "already gone" };
  return { detail: `${fileSystems.length > 0 ? "file system deleted; " : ""}bucket and stack destroyed` };
}
