/** verify's checks of the runtime itself: READY on the expected image, an invocation that answers, the three storage tiers writable. */
import { GetAgentRuntimeCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { InvokeAgentRuntimeCommand } from "@aws-sdk/client-bedrock-agentcore";
import type { RuntimeRef } from "../agent-client.ts";
import { errorName } from "../aws.ts";
import { describe, DIGEST, isAccessDenied, type VerifyRun } from "./context.ts";

export async function checkRuntimeReady(run: VerifyRun, runtime: RuntimeRef): Promise<void> {
  const { ctx: { clients }, ctx, record } = run;
  const described = (await clients.agentcoreControl.send(new GetAgentRuntimeCommand({ agentRuntimeId: runtime.agentRuntimeId }))) as {
    status?: string;
    agentRuntimeVersion?: string;
    failureReason?: string;
    agentRuntimeArtifact?: { containerConfiguration?: { containerUri?: string } };
  };
  const uri = described.agentRuntimeArtifact?.containerConfiguration?.containerUri ?? "(no container image)";
  const running = DIGEST.exec(uri)?.[1];
  const state = `${described.status ?? "?"}, version ${described.agentRuntimeVersion ?? "?"}, running ${running ?? uri}`;
  if (described.status !== "READY") return record("runtime-ready", "fail", `${state}${described.failureReason ? ` (${described.failureReason})` : ""}`);
  if ("unknown" in ctx.expected) return record("runtime-ready", "skipped", `${state}; nothing to compare the image with: ${ctx.expected.unknown}`);
  if (running !== ctx.expected.digest) return record("runtime-ready", "fail", `${state}, but ${ctx.expected.source} says ${ctx.expected.digest}`);
  record("runtime-ready", "pass", `${state}, as ${ctx.expected.source} says`);
}

/** One InvokeAgentRuntime call in the session; the answer as text. */
export async function sendInvocation(run: VerifyRun, runtime: RuntimeRef, sessionId: string, payload: unknown): Promise<{ status: number; text: string }> {
  const { ctx: { clients }, options } = run;
  const response = (await clients.agentcore.send(
    new InvokeAgentRuntimeCommand({
      agentRuntimeArn: runtime.agentRuntimeArn,
      qualifier: options.endpoint,
      runtimeSessionId: sessionId,
      contentType: "application/json",
      accept: "application/json",
      payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  )) as { statusCode?: number; response?: { transformToString(): Promise<string> } };
  return { status: response.statusCode ?? 200, text: (await response.response?.transformToString()) ?? "" };
}

export async function invokeAgent(run: VerifyRun, runtime: RuntimeRef, sessionId: string, payload: unknown): Promise<{ body: Record<string, unknown> } | undefined> {
  const { ctx: { clock }, options, record, names, caller } = run;
  const started = clock.now();
  try {
    const { status, text } = await sendInvocation(run, runtime, sessionId, payload);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      record("invocation-answers", "fail", `HTTP ${status}, but the answer is not JSON: ${text.slice(0, 120)}`);
      return undefined;
    }
    if (status >= 400 || body.error !== undefined) {
      record("invocation-answers", "fail", `HTTP ${status}: ${JSON.stringify(body.error ?? body).slice(0, 200)}`);
      return undefined;
    }
    record("invocation-answers", "pass", `HTTP ${status} in ${clock.now() - started} ms through ${options.endpoint} (session ${sessionId})`);
    return { body };
  } catch (error) {
    if (isAccessDenied(error)) record("invocation-answers", "skipped", `${caller} may not invoke the runtime (${errorName(error)}): attach the invoker policy ${names.invokerPolicy}`);
    else record("invocation-answers", "fail", describe(error));
    return undefined;
  }
}

export async function checkStorage(run: VerifyRun, runtime: RuntimeRef, sessionId: string, report: Record<string, unknown>): Promise<void> {
  const { record } = run;
  type Mount = { path?: string; writable?: boolean; mountPoint?: boolean; error?: string };
  const storage = (report.storage ?? {}) as { session?: Mount; s3files?: Mount; s3?: { bucket?: string; prefix?: string; reachable?: boolean; error?: string } };
  const problems: string[] = [];
  if (!storage.session?.writable) problems.push(`session storage ${storage.session?.path ?? "?"} is not writable${storage.session?.error ? ` (${storage.session.error})` : ""}`);
  if (!storage.s3files?.writable) problems.push(`the S3 Files mount ${storage.s3files?.path ?? "?"} is not writable${storage.s3files?.error ? ` (${storage.s3files.error})` : ""}`);
  else if (!storage.s3files.mountPoint) problems.push(`${storage.s3files.path} is not a mount point (the file system is not mounted there)`);
  if (!storage.s3?.reachable) problems.push(`the bucket prefix is not reachable${storage.s3?.error ? ` (${storage.s3.error})` : ""}`);
  // The report shows reachability; a 1 KB write and read per tier (the agent's benchmark, which removes its
  // files) shows each tier takes writes.
  const bench = await invokeQuietly(run, runtime, sessionId, { action: "storage_bench", sizes: ["1KB"], repeat: 1 });
  const row = (bench?.rows as Record<string, { writeMs?: number; error?: string }>[] | undefined)?.[0];
  const tiers: [string, string][] = [["session", "session storage"], ["s3files", "the S3 Files mount"], ["s3api", "the bucket prefix"]];
  const timings: string[] = [];
  if (row === undefined) problems.push("the 1 KB write test did not answer");
  else {
    for (const [key, label] of tiers) {
      const tier = row[key];
      if (tier?.error !== undefined || tier?.writeMs === undefined) problems.push(`writing 1 KB to ${label} failed (${tier?.error ?? "no result"})`);
      else timings.push(`${label} ${tier.writeMs} ms`);
    }
  }
  if (problems.length > 0) return record("storage-tiers-writable", "fail", problems.join("; "));
  record("storage-tiers-writable", "pass", `${storage.session!.path}, ${storage.s3files!.path} (mount point) and s3://${storage.s3!.bucket}/${storage.s3!.prefix}/ writable; 1 KB writes: ${timings.join(", ")}`);
}

export async function invokeQuietly(run: VerifyRun, runtime: RuntimeRef, sessionId: string, payload: unknown): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse((await sendInvocation(run, runtime, sessionId, payload)).text || "{}") as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
