/**
 * `npm run verify`: checks a deployed environment end to end, one promise at a time, and reports what it
 * observed. It creates only what it needs to observe (a runtime session, a marker file, a temporary SQS queue
 * subscribed to the alert topic) and removes all of it, even on failure or interrupt; it changes none of the
 * environment's own resources.
 *
 * Response shapes and errors the checks rely on are AWS's (the API models in botocore; SQS and CloudWatch from
 * their API references): GetAgentRuntime's status and agentRuntimeArtifact, InvokeAgentRuntime's statusCode
 * and response stream, InvokeAgentRuntimeCommand's event stream (chunk.contentDelta.stdout/stderr,
 * chunk.contentStop.exitCode/status), SimulatePrincipalPolicy's EvaluationResults[].EvalDecision
 * (allowed | explicitDeny | implicitDeny), SNS's JSON envelope on SQS (Type Notification | SubscriptionConfirmation).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GetAgentRuntimeCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { InvokeAgentRuntimeCommand, InvokeAgentRuntimeCommandCommand, StopRuntimeSessionCommand } from "@aws-sdk/client-bedrock-agentcore";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { ConfirmSubscriptionCommand, SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Environment } from "../../environments/schema.ts";
import { findRuntime, newSessionId, type RuntimeRef } from "./agent-client.ts";
import { errorName, type SendsCommands, type VerifyClients } from "./aws.ts";
import { namesOf } from "./environment.ts";
import type { Clock } from "./teardown/index.ts";

export type CheckStatus = "pass" | "fail" | "skipped";

export const CHECKS = {
  "runtime-ready": "the runtime is READY on the expected image",
  "invocation-answers": "an invocation answers",
  "storage-tiers-writable": "storage_report: session storage, the S3 Files mount and the bucket prefix are writable",
  "exec-succeeds": "exec of a harmless command succeeds for an operator",
  "export-to-bucket": "a file written to the S3 Files mount appears in the bucket",
  "alert-reaches-topic": "the shell-access alert reaches its topic",
  "model-outside-list-refused": "the execution role is refused a model outside its list",
  "runtime-log-retention": "AgentCore's own log groups have a retention period",
} as const;
export type CheckId = keyof typeof CHECKS;

export interface CheckResult {
  readonly id: CheckId;
  readonly promise: string;
  readonly status: CheckStatus;
  /** What was observed (for a skip: why it could not run). */
  readonly observed: string;
}

export interface CleanupResult {
  readonly action: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface VerifyReport {
  readonly environment: string;
  readonly region: string;
  readonly account: string;
  readonly caller: string;
  readonly status: "passed" | "failed";
  readonly checks: readonly CheckResult[];
  readonly cleanup: readonly CleanupResult[];
}

/** The image the runtime should run, and where that expectation comes from. */
export type ExpectedImage = { readonly digest: string; readonly source: string } | { readonly unknown: string };

export interface VerifyOptions {
  /** Endpoint the checks call through. @default "live" */
  readonly endpoint: string;
  /** How long a file written to the mount may take to appear in the bucket (S3 Files exports after ~60 s quiet). */
  readonly exportWaitMs: number;
  /** How long the alert may take to reach the topic (CloudTrail → EventBridge → SNS). */
  readonly alertWaitMs: number;
  /** Pause between polls. @default 10 s */
  readonly pollMs?: number;
}

export interface VerifyContext {
  readonly environment: Environment;
  readonly clients: VerifyClients;
  readonly clock: Clock;
  readonly expected: ExpectedImage;
  /** A short random id for the names verify creates. */
  readonly newId: () => string;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

const DIGEST = /@(sha256:[a-f0-9]{64})$/;

/**
 * The expected image digest: what Terraform deployed (the agent stack's state, output `container_uri`), else the
 * digest pinned in the environment file, else the last image build's record. State is read from the local
 * backend's file, or from the S3 backend's object when the state needs no role.
 */
export async function expectedImage(
  environment: Environment,
  sources: { readonly stateDir?: string; readonly s3ForState?: SendsCommands; readonly imageRecordDigest?: string },
): Promise<ExpectedImage> {
  const stack = `${environment.name}-agent`;
  const fromState = (text: string, where: string): ExpectedImage | undefined => {
    const uri = (JSON.parse(text) as { outputs?: { container_uri?: { value?: string } } }).outputs?.container_uri?.value;
    const digest = uri !== undefined ? DIGEST.exec(uri)?.[1] : undefined;
    return digest !== undefined ? { digest, source: `Terraform state of ${stack} (${where}), output container_uri` } : undefined;
  };
  let stateNote = "";
  const state = environment.state;
  if (state.backend === "local") {
    const file = join(sources.stateDir ?? process.cwd(), `terraform.${stack}.tfstate`);
    if (existsSync(file)) {
      const found = fromState(readFileSync(file, "utf8"), file);
      if (found) return found;
    }
    stateNote = `no deployed state in ${file}`;
  } else if (state.roleArn !== undefined) {
    stateNote = `state is read through ${state.roleArn}, which verify does not assume`;
  } else if (sources.s3ForState !== undefined) {
    const key = `${state.keyPrefix}/${stack}.tfstate`;
    try {
      const object = (await sources.s3ForState.send(new GetObjectCommand({ Bucket: state.bucket, Key: key }))) as { Body?: { transformToString(): Promise<string> } };
      const found = fromState((await object.Body?.transformToString()) ?? "{}", `s3://${state.bucket}/${key}`);
      if (found) return found;
      stateNote = `s3://${state.bucket}/${key} has no container_uri output`;
    } catch (error) {
      stateNote = `s3://${state.bucket}/${key} could not be read (${errorName(error)})`;
    }
  }
  if (environment.agent.imageDigest !== undefined) return { digest: environment.agent.imageDigest, source: "agent.imageDigest in the environment file" };
  if (sources.imageRecordDigest !== undefined) return { digest: sources.imageRecordDigest, source: `the last image build (.build/images/${environment.name}.json)` };
  return { unknown: `${stateNote || "no Terraform state"}, no pinned digest and no image build record` };
}

/** Access refused, whatever protocol the service speaks (AccessDeniedException, AccessDenied, AuthorizationError, 403). */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return ["AccessDeniedException", "AccessDenied", "AuthorizationErrorException", "AuthorizationError", "UnauthorizedException", "Forbidden"].includes(name) || status === 403;
}

const isNotFound = (error: unknown) => ["NotFound", "NoSuchKey", "NotFoundException"].includes(errorName(error)) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

class Interrupted extends Error {
  override name = "Interrupted";
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const describe = (error: unknown) => `${errorName(error)}: ${(error as Error).message ?? String(error)}`.split("\n")[0]!;

export async function verifyEnvironment(ctx: VerifyContext, options: VerifyOptions): Promise<VerifyReport> {
  const { environment, clients, clock } = ctx;
  const pollMs = options.pollMs ?? 10_000;
  const log = ctx.log ?? (() => {});
  const checks = new Map<CheckId, CheckResult>();
  const record = (id: CheckId, status: CheckStatus, observed: string) => {
    checks.set(id, { id, promise: CHECKS[id], status, observed });
    log(`${status.padEnd(7)} ${CHECKS[id]}: ${observed}`);
  };
  const cleanups: { action: string; run: () => Promise<string> }[] = [];
  const cleanup: CleanupResult[] = [];
  const guard = () => {
    if (ctx.signal?.aborted) throw new Interrupted("interrupted");
  };
  const wait = async (ms: number) => {
    guard();
    await clock.sleep(ms);
    guard();
  };

  const identity = (await clients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string; Arn?: string };
  const account = identity.Account!;
  const caller = identity.Arn ?? "(unknown caller)";
  const names = namesOf(environment, account);
  const partition = environment.partition;

  try {
    const runtime = await findRuntime(clients.agentcoreControl, names.runtime, environment.name);
    await checkRuntimeReady(runtime);

    const sessionId = newSessionId();
    const invoked = await invokeAgent(runtime, sessionId, { action: "storage_report" });
    if (invoked !== undefined) {
      cleanups.push({
        action: `stop runtime session ${sessionId}`,
        run: async () => {
          await clients.agentcore.send(new StopRuntimeSessionCommand({ agentRuntimeArn: runtime.agentRuntimeArn, runtimeSessionId: sessionId, qualifier: options.endpoint }));
          return "stopped";
        },
      });
      await checkStorage(runtime, sessionId, invoked.body);
    } else {
      record("storage-tiers-writable", "skipped", "no invocation answered, so there is no storage report");
    }

    const alert = await prepareAlertObservation();
    const marker = invoked !== undefined ? await runExec(runtime, sessionId) : undefined;
    if (invoked === undefined) record("exec-succeeds", "skipped", "no live session: the invocation did not answer");
    if (marker === undefined) {
      record("export-to-bucket", "skipped", checks.get("exec-succeeds")?.status === "skipped" ? "nothing was written to the mount: exec was skipped" : "nothing was written to the mount: exec failed");
      record("alert-reaches-topic", "skipped", "nothing raised the alert: exec did not run");
    } else {
      await Promise.all([checkExport(runtime, sessionId, marker), checkAlert(alert, marker.startedAt, runtime.agentRuntimeArn)]);
    }
    await checkModelRefusal();
    await checkRuntimeLogRetention(runtime);
  } catch (error) {
    const reason = error instanceof Interrupted ? "interrupted before this check ran" : `not reached: ${describe(error)}`;
    for (const id of Object.keys(CHECKS) as CheckId[]) if (!checks.has(id)) record(id, error instanceof Interrupted ? "skipped" : "fail", reason);
  } finally {
    for (const { action, run } of cleanups.reverse()) {
      try {
        cleanup.push({ action, ok: true, detail: await run() });
      } catch (error) {
        cleanup.push({ action, ok: false, detail: describe(error) });
      }
    }
  }

  const ordered = (Object.keys(CHECKS) as CheckId[]).map((id) => checks.get(id)!);
  const failed = ordered.some((c) => c.status === "fail") || cleanup.some((c) => !c.ok);
  return { environment: environment.name, region: environment.region, account, caller, status: failed ? "failed" : "passed", checks: ordered, cleanup };

  async function checkRuntimeReady(runtime: RuntimeRef): Promise<void> {
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
  async function sendInvocation(runtime: RuntimeRef, sessionId: string, payload: unknown): Promise<{ status: number; text: string }> {
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

  async function invokeAgent(runtime: RuntimeRef, sessionId: string, payload: unknown): Promise<{ body: Record<string, unknown> } | undefined> {
    const started = clock.now();
    try {
      const { status, text } = await sendInvocation(runtime, sessionId, payload);
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

  async function checkStorage(runtime: RuntimeRef, sessionId: string, report: Record<string, unknown>): Promise<void> {
    type Mount = { path?: string; writable?: boolean; mountPoint?: boolean; error?: string };
    const storage = (report.storage ?? {}) as { session?: Mount; s3files?: Mount; s3?: { bucket?: string; prefix?: string; reachable?: boolean; error?: string } };
    const problems: string[] = [];
    if (!storage.session?.writable) problems.push(`session storage ${storage.session?.path ?? "?"} is not writable${storage.session?.error ? ` (${storage.session.error})` : ""}`);
    if (!storage.s3files?.writable) problems.push(`the S3 Files mount ${storage.s3files?.path ?? "?"} is not writable${storage.s3files?.error ? ` (${storage.s3files.error})` : ""}`);
    else if (!storage.s3files.mountPoint) problems.push(`${storage.s3files.path} is not a mount point (the file system is not mounted there)`);
    if (!storage.s3?.reachable) problems.push(`the bucket prefix is not reachable${storage.s3?.error ? ` (${storage.s3.error})` : ""}`);
    // The report shows reachability; a 1 KB write and read per tier (the agent's benchmark, which removes its
    // files) shows each tier takes writes.
    const bench = await invokeQuietly(runtime, sessionId, { action: "storage_bench", sizes: ["1KB"], repeat: 1 });
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

  async function invokeQuietly(runtime: RuntimeRef, sessionId: string, payload: unknown): Promise<Record<string, unknown> | undefined> {
    try {
      return JSON.parse((await sendInvocation(runtime, sessionId, payload)).text || "{}") as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  async function runExec(runtime: RuntimeRef, sessionId: string): Promise<{ path: string; key: string; token: string; startedAt: number } | undefined> {
    const id = ctx.newId();
    const file = `.agentcore-verify-${id}`;
    const path = `${environment.agent.s3FilesMountPath.replace(/\/$/, "")}/${file}`;
    const token = `agentcore-verify-${id}`;
    // The access point's root directory is the file system path the mount shows; its objects keep that path as
    // their key (the file system maps its whole bucket: no prefix is configured).
    const key = `${environment.storage.rootDirectory.replace(/^\//, "")}/${file}`;
    const startedAt = clock.now();
    try {
      const result = await runCommand(runtime, sessionId, `printf %s ${token} > ${path}`);
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

  async function runCommand(runtime: RuntimeRef, sessionId: string, command: string): Promise<{ exitCode: number; status: string; stderr: string }> {
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

  async function checkExport(runtime: RuntimeRef, sessionId: string, marker: { path: string; key: string; token: string; startedAt: number }): Promise<void> {
    const bucket = names.bucket;
    const deadline = marker.startedAt + options.exportWaitMs;
    let appeared = false;
    cleanups.push({
      action: `remove the marker ${marker.path} (s3://${bucket}/${marker.key})`,
      run: async () => {
        if (!appeared) {
          // Not exported yet: remove it from the file system instead (a second exec, so a second alert).
          const result = await runCommand(runtime, sessionId, `rm -f ${marker.path}`);
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

  type AlertObservation = { kind: "queue"; queueUrl: string; topicArn: string } | { kind: "metrics"; why: string };

  async function prepareAlertObservation(): Promise<AlertObservation> {
    const topicArn = `arn:${partition}:sns:${environment.region}:${account}:${names.alertTopic}`;
    const queueName = `${environment.name}-verify-${ctx.newId()}`.slice(0, 80);
    const queueArn = `arn:${partition}:sqs:${environment.region}:${account}:${queueName}`;
    // SNS delivers to a queue whose policy lets sns.amazonaws.com send for this topic (SNS developer guide,
    // "Subscribing an Amazon SQS queue to an Amazon SNS topic").
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }],
    };
    let queueUrl: string;
    try {
      const created = (await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { Policy: JSON.stringify(policy), MessageRetentionPeriod: "3600" } }))) as { QueueUrl?: string };
      queueUrl = created.QueueUrl!;
    } catch (error) {
      return { kind: "metrics", why: `no temporary queue (${errorName(error)})` };
    }
    cleanups.push({
      action: `delete the temporary queue ${queueName}`,
      run: async () => {
        await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
        return "deleted";
      },
    });
    try {
      const subscribed = (await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, ReturnSubscriptionArn: true }))) as { SubscriptionArn?: string };
      cleanups.push({
        action: `remove the temporary subscription of ${queueName} to ${names.alertTopic}`,
        run: async () => {
          await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscribed.SubscriptionArn }));
          return "unsubscribed";
        },
      });
    } catch (error) {
      return { kind: "metrics", why: `${caller} may not subscribe to ${names.alertTopic} (${errorName(error)})` };
    }
    return { kind: "queue", queueUrl, topicArn };
  }

  async function ruleMetrics(since: number): Promise<{ invocations: number; failed: number } | undefined> {
    const sum = async (metric: string) => {
      const stats = (await clients.cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: "AWS/Events",
          MetricName: metric,
          Dimensions: [{ Name: "RuleName", Value: names.alertRule }],
          StartTime: new Date(since - 60_000),
          EndTime: new Date(clock.now() + 60_000),
          Period: 60,
          Statistics: ["Sum"],
        }),
      )) as { Datapoints?: { Sum?: number }[] };
      return (stats.Datapoints ?? []).reduce((total, d) => total + (d.Sum ?? 0), 0);
    };
    try {
      return { invocations: await sum("Invocations"), failed: await sum("FailedInvocations") };
    } catch {
      return undefined;
    }
  }

  async function checkAlert(observation: AlertObservation, since: number, runtimeArn: string): Promise<void> {
    const deadline = since + options.alertWaitMs;
    if (observation.kind === "metrics") {
      // Without a subscription, the rule's metrics (AWS/Events, dimension RuleName) show whether it matched and
      // whether delivering to the topic failed; they do not show a subscriber receiving it.
      for (;;) {
        const metrics = await ruleMetrics(since);
        if (metrics && metrics.failed > 0) return record("alert-reaches-topic", "fail", `the rule ${names.alertRule} failed ${metrics.failed} of ${metrics.invocations} deliveries to the topic (${observation.why})`);
        if (metrics && metrics.invocations > 0) return record("alert-reaches-topic", "pass", `the rule ${names.alertRule} sent ${metrics.invocations} event(s) to the topic, none failed (CloudWatch metrics; ${observation.why}, so delivery to subscribers was not observed)`);
        if (clock.now() >= deadline) return record("alert-reaches-topic", metrics ? "fail" : "skipped", metrics ? `the rule ${names.alertRule} had not fired after ${seconds(options.alertWaitMs)} (${observation.why})` : `${observation.why}, and the rule's metrics could not be read`);
        await wait(Math.min(pollMs, Math.max(0, deadline - clock.now())));
      }
    }
    for (;;) {
      const received = (await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: observation.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: Math.min(20, Math.max(0, Math.floor((deadline - clock.now()) / 1000))) }))) as {
        Messages?: { Body?: string; ReceiptHandle?: string }[];
      };
      for (const message of received.Messages ?? []) {
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: observation.queueUrl, ReceiptHandle: message.ReceiptHandle }));
        let envelope: { Type?: string; Token?: string; Message?: string };
        try {
          envelope = JSON.parse(message.Body ?? "{}") as typeof envelope;
        } catch {
          continue;
        }
        if (envelope.Type === "SubscriptionConfirmation" && envelope.Token !== undefined) {
          await clients.sns.send(new ConfirmSubscriptionCommand({ TopicArn: observation.topicArn, Token: envelope.Token }));
          continue;
        }
        if (envelope.Type === "Notification" && String(envelope.Message).includes("InvokeAgentRuntimeCommand") && String(envelope.Message).includes(runtimeArn)) {
          return record("alert-reaches-topic", "pass", `reached the topic ${seconds(clock.now() - since)} after the command: ${String(envelope.Message).slice(0, 160)}`);
        }
      }
      if (clock.now() >= deadline) {
        const metrics = await ruleMetrics(since);
        const explain =
          metrics === undefined ? "" : metrics.failed > 0 ? `; the rule failed ${metrics.failed} deliveries to the topic (check the topic's key policy)` : metrics.invocations === 0 ? "; the rule has not fired (check the trail's selectors)" : `; the rule fired ${metrics.invocations} time(s)`;
        return record("alert-reaches-topic", "fail", `no alert reached the topic within ${seconds(options.alertWaitMs)} of the command${explain}`);
      }
      await wait(Math.min(pollMs, Math.max(0, deadline - clock.now())));
    }
  }

  async function checkModelRefusal(): Promise<void> {
    const roleArn = `arn:${partition}:iam::${account}:role/${names.executionRole}`;
    const listedIds = environment.agent.models.map((m) => m.id);
    const outsider = ["amazon.titan-text-express-v1", "meta.llama3-70b-instruct-v1:0"].find((id) => !listedIds.includes(id))!;
    const outsiderArn = `arn:${partition}:bedrock:${environment.region}::foundation-model/${outsider}`;
    const listed = environment.agent.models.map((m) =>
      m.routedRegions.length === 0 ? `arn:${partition}:bedrock:${environment.region}::foundation-model/${m.id}` : `arn:${partition}:bedrock:${environment.region}:${account}:inference-profile/${m.id}`,
    );
    const decisions = new Map<string, string>();
    try {
      let marker: string | undefined;
      do {
        const page = (await clients.iam.send(
          new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: ["bedrock:InvokeModel"], ResourceArns: [outsiderArn, ...listed], ...(marker && { Marker: marker }) }),
        )) as { EvaluationResults?: { EvalResourceName?: string; EvalDecision?: string }[]; IsTruncated?: boolean; Marker?: string };
        for (const result of page.EvaluationResults ?? []) decisions.set(String(result.EvalResourceName), String(result.EvalDecision));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    } catch (error) {
      if (isAccessDenied(error)) return record("model-outside-list-refused", "skipped", `${caller} may not simulate the execution role's policies (iam:SimulatePrincipalPolicy on ${roleArn})`);
      return record("model-outside-list-refused", "fail", describe(error));
    }
    const refused = decisions.get(outsiderArn);
    const notAllowed = listed.filter((arn) => decisions.get(arn) !== "allowed");
    const observed = `${outsider}: ${refused ?? "no decision"}; ${listed.map((arn) => `${arn.split("/").at(-1)}: ${decisions.get(arn) ?? "no decision"}`).join("; ")}`;
    if (refused === "allowed" || refused === undefined) return record("model-outside-list-refused", "fail", `the role may invoke a model outside its list — ${observed}`);
    if (notAllowed.length > 0) return record("model-outside-list-refused", "fail", `the role is refused a model on its list — ${observed}`);
    record("model-outside-list-refused", "pass", `bedrock:InvokeModel as ${names.executionRole} (IAM policy simulation) — ${observed}`);
  }

  async function checkRuntimeLogRetention(runtime: RuntimeRef): Promise<void> {
    const prefix = `/aws/bedrock-agentcore/runtimes/${runtime.agentRuntimeId}-`;
    const groups: { logGroupName?: string; retentionInDays?: number }[] = [];
    try {
      let nextToken: string | undefined;
      do {
        const page = (await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, ...(nextToken && { nextToken }) }))) as { logGroups?: typeof groups; nextToken?: string };
        groups.push(...(page.logGroups ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      if (isAccessDenied(error)) return record("runtime-log-retention", "skipped", `${caller} may not describe log groups (${errorName(error)})`);
      return record("runtime-log-retention", "fail", describe(error));
    }
    if (groups.length === 0) return record("runtime-log-retention", "skipped", `AgentCore has not created ${prefix}DEFAULT or ${prefix}${options.endpoint} yet`);
    const unbounded = groups.filter((g) => g.retentionInDays === undefined);
    const days = environment.agent.logRetentionDays;
    if (unbounded.length > 0) {
      return record(
        "runtime-log-retention",
        "fail",
        `no retention on ${unbounded.map((g) => g.logGroupName).join(", ")}: they keep logs forever. Fix: ${unbounded.map((g) => `aws logs put-retention-policy --log-group-name ${g.logGroupName} --retention-in-days ${days}`).join(" && ")}`,
      );
    }
    record("runtime-log-retention", "pass", groups.map((g) => `${g.logGroupName}: ${g.retentionInDays} days`).join("; "));
  }
}

/** The report as lines a person reads: one per promise, then what was cleaned up, then the counts. */
export function formatVerifyReport(report: VerifyReport): string {
  const width = Math.max(...report.checks.map((c) => c.promise.length));
  const lines = [`Verified ${report.environment} (${report.region}, account ${report.account}) as ${report.caller}`, ""];
  for (const check of report.checks) lines.push(`  ${check.status.padEnd(7)}  ${check.promise.padEnd(width)}  ${check.observed}`);
  if (report.cleanup.length > 0) {
    lines.push("", "Cleanup:");
    for (const c of report.cleanup) lines.push(`  ${c.ok ? "done  " : "FAILED"}  ${c.action}: ${c.detail}`);
  }
  const count = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length;
  const leftovers = report.cleanup.filter((c) => !c.ok).length;
  lines.push("", `${count("pass")} pass, ${count("fail")} fail, ${count("skipped")} skipped${leftovers > 0 ? `; ${leftovers} cleanup step(s) failed: remove what they name by hand` : ""}`);
  return lines.join("\n");
}
