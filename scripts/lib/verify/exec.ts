/** verify's shell-access checks: exec of a harmless command in the session, and the file it writes reaching the bucket. */
import { InvokeAgentRuntimeCommandCommand } from "@aws-sdk/client-bedrock-agentcore";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import type { RuntimeRef } from "../agent-client.ts";
import { errorName } from "../aws.ts";
import { describe, isAccessDenied, isNotFound, seconds, type VerifyRun } from "./context.ts";

export async function runExec(run: VerifyRun, runtime: RuntimeRef, sessionId: string): Promise<{ path: string; key: string; token: string; startedAt: number } | undefined> {
  const { ctx: { clock, environment }, ctx, record, names, caller } = run;
  const id = ctx.newId();
  const file = `.agentcore-verify-${id}`;
  const path = `${environment.agent.s3FilesMountPath.replace(/\/$/, "")}/${file}`;
  const token = `agentcore-verify-${id}`;
  // The access point's root directory is the file system path the mount shows; its objects keep that path as
  // their key (the file system maps its whole bucket: no prefix is configured).
  const key = `${environment.storage.rootDirectory.replace(/^\//, "")}/${file}`;
  const startedAt = clock.now();
  try {
    const result = await runCommand(run, runtime, sessionId, `printf %s ${token} > ${path}`);
    if (result.exitCode !== 0) {
      record("exec-succeeds", "fail", `exit ${result.exitCode} (${result.status}): ${result.stderr.slice(0, 200)}`);
      return undefined;
    }
    record("exec-succeeds", "pass", `exit 0 in ${clock.now() - startedAt} ms as ${caller}; wrote ${path}`);
    return { path, key, token, startedAt };
  } catch (error) {
    if (isAccessDenied(error)) record("exec-succeeds", "skipped", `${caller} may not run commands (${errorName(error)}): only holders of the operator policy ${names.operatorPolicy} can`);
    else record("exec-succeeds", "fail", describe(error));
    return undefined;
  }
}

export async function runCommand(run: VerifyRun, runtime: RuntimeRef, sessionId: string, command: string): Promise<{ exitCode: number; status: string; stderr: string }> {
  const { ctx: { clients }, options } = run;
  const response = (await clients.agentcore.send(
    new InvokeAgentRuntimeCommandCommand({ agentRuntimeArn: runtime.agentRuntimeArn, qualifier: options.endpoint, runtimeSessionId: sessionId, body: { command, timeout: 60 } }),
  )) as { stream?: AsyncIterable<Record<string, { contentDelta?: { stderr?: string }; contentStop?: { exitCode?: number; status?: string }; message?: string } | undefined>> };
  let exitCode = -1;
  let status = "NO_RESULT";
  let stderr = "";
  for await (const event of response.stream ?? []) {
    const problem = Object.entries(event).find(([k, v]) => k !== "chunk" && v !== undefined);
    if (problem) throw Object.assign(new Error(problem[1]?.message ?? problem[0]), { name: problem[0].replace(/^./, (c) => c.toUpperCase()) });
    if (event.chunk?.contentDelta?.stderr) stderr += event.chunk.contentDelta.stderr;
    if (event.chunk?.contentStop) {
      exitCode = event.chunk.contentStop.exitCode ?? -1;
      status = event.chunk.contentStop.status ?? "?";
    }
  }
  return { exitCode, status, stderr };
}

export async function checkExport(run: VerifyRun, runtime: RuntimeRef, sessionId: string, marker: { path: string; key: string; token: string; startedAt: number }): Promise<void> {
  const { ctx: { clients, clock }, options, record, names, caller, pollMs, wait, cleanups } = run;
  const bucket = names.bucket;
  const deadline = marker.startedAt + options.exportWaitMs;
  let appeared = false;
  cleanups.push({
    action: `remove the marker ${marker.path} (s3://${bucket}/${marker.key})`,
    run: async () => {
      if (!appeared) {
        // Not exported yet: remove it from the file system instead (a second exec, so a second alert).
        const result = await runCommand(run, runtime, sessionId, `rm -f ${marker.path}`);
        if (result.exitCode !== 0) throw new Error(`rm exited ${result.exitCode}`);
        return "removed from the file system before it was exported";
      }
      // Every version and delete marker of the object; S3 Files then removes the file from the file system.
      const listed = (await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: marker.key }))) as {
        Versions?: { Key?: string; VersionId?: string }[];
        DeleteMarkers?: { Key?: string; VersionId?: string }[];
      };
      const versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter((v) => v.Key === marker.key);
      for (const v of versions) await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: marker.key, VersionId: v.VersionId }));
      return `deleted ${versions.length} object version${versions.length === 1 ? "" : "s"}`;
    },
  });
  for (;;) {
    try {
      await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: marker.key }));
      appeared = true;
      break;
    } catch (error) {
      if (isAccessDenied(error)) return record("export-to-bucket", "skipped", `${caller} may not read s3://${bucket}/${marker.key} (${errorName(error)})`);
      if (!isNotFound(error)) return record("export-to-bucket", "fail", describe(error));
    }
    if (clock.now() >= deadline) return record("export-to-bucket", "fail", `s3://${bucket}/${marker.key} had not appeared after ${seconds(options.exportWaitMs)} (S3 Files exports after about 60 s without writes)`);
    await wait(Math.min(pollMs, Math.max(0, deadline - clock.now())));
  }
  const object = (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: marker.key }))) as { Body?: { transformToString(): Promise<string> } };
  const content = (await object.Body?.transformToString()) ?? "";
  if (content !== marker.token) return record("export-to-bucket", "fail", `s3://${bucket}/${marker.key} appeared but holds ${JSON.stringify(content.slice(0, 60))}, not what was written`);
  record("export-to-bucket", "pass", `${marker.path} appeared as s3://${bucket}/${marker.key} after ${seconds(clock.now() - marker.startedAt)}, with the content written`);
}
