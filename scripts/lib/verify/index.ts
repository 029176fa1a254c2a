/**
 * `npm run verify`: checks a deployed environment end to end, one promise at a time, and reports what it
 * observed. It creates only what it needs to observe (a runtime session, a marker file, a temporary SQS queue
 * subscribed to the alert topic) and removes all of it, even on failure or interrupt. The one change it makes: the
 * log groups AgentCore created without retention get the environment's (role.ts, checkRuntimeLogRetention).
 *
 * Response shapes and errors the checks rely on are AWS's (the API models in botocore; SQS and CloudWatch from
 * their API references): GetAgentRuntime's status and agentRuntimeArtifact, InvokeAgentRuntime's statusCode
 * and response stream, InvokeAgentRuntimeCommand's event stream (chunk.contentDelta.stdout/stderr,
 * chunk.contentStop.exitCode/status), SimulatePrincipalPolicy's EvaluationResults[].EvalDecision
 * (allowed | explicitDeny | implicitDeny), SNS's JSON envelope on SQS (Type Notification | SubscriptionConfirmation).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { StopRuntimeSessionCommand } from "@aws-sdk/client-bedrock-agentcore";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { resourceNamesOf, type EnvironmentDescription } from "../../../modules/environment/description.ts";
import { findRuntime, newSessionId } from "../agent-client.ts";
import { errorName, type SendsCommands } from "../aws.ts";
import { checkAlert, prepareAlertObservation } from "./alert.ts";
import { CHECKS, describe, DIGEST, Interrupted, type CheckId, type CheckResult, type CheckStatus, type CleanupResult, type ExpectedImage, type VerifyContext, type VerifyOptions, type VerifyReport, type VerifyRun } from "./context.ts";
import { checkExport, runExec } from "./exec.ts";
import { checkModelRefusal, checkRuntimeLogRetention } from "./role.ts";
import { checkRuntimeReady, checkStorage, invokeAgent } from "./runtime.ts";

export { CHECKS, isAccessDenied } from "./context.ts";
export type { CheckId, CheckResult, CheckStatus, CleanupResult, ExpectedImage, VerifyContext, VerifyOptions, VerifyReport } from "./context.ts";

/**
 * The expected image digest: what Terraform deployed (the agent stack's state, output `container_uri`), else the
 * digest pinned in the environment file, else the last image build's record. State is read from the local
 * backend's file, or from the S3 backend's object when the state needs no role.
 */
export async function expectedImage(
  environment: EnvironmentDescription,
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
  // The agent stack's pinned digest: the environment's own agent.imageDigest, or the last image build, which the
  // environment-file layer pins when the environment pins none (the same digest: the build says where it came from).
  const pinned = environment.agent.imageDigest;
  if (pinned !== undefined && pinned !== sources.imageRecordDigest) return { digest: pinned, source: "agent.imageDigest in the environment file" };
  if (sources.imageRecordDigest !== undefined) return { digest: sources.imageRecordDigest, source: `the last image build (.build/images/${environment.name}.json)` };
  return { unknown: `${stateNote || "no Terraform state"}, no pinned digest and no image build record` };
}

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
  const names = resourceNamesOf(environment, account);
  const partition = environment.partition;
  const run: VerifyRun = { ctx, options, pollMs, account, caller, partition, names, cleanups, record, wait };

  try {
    const runtime = await findRuntime(clients.agentcoreControl, names.runtime, environment.name);
    await checkRuntimeReady(run, runtime);

    const sessionId = newSessionId();
    const invoked = await invokeAgent(run, runtime, sessionId, { action: "storage_report" });
    if (invoked !== undefined) {
      cleanups.push({
        action: `stop runtime session ${sessionId}`,
        run: async () => {
          await clients.agentcore.send(new StopRuntimeSessionCommand({ agentRuntimeArn: runtime.agentRuntimeArn, runtimeSessionId: sessionId, qualifier: options.endpoint }));
          return "stopped";
        },
      });
      await checkStorage(run, runtime, sessionId, invoked.body);
    } else {
      record("storage-tiers-writable", "skipped", "no invocation answered, so there is no storage report");
    }

    const alert = await prepareAlertObservation(run);
    const marker = invoked !== undefined ? await runExec(run, runtime, sessionId) : undefined;
    if (invoked === undefined) record("exec-succeeds", "skipped", "no live session: the invocation did not answer");
    if (marker === undefined) {
      record("export-to-bucket", "skipped", checks.get("exec-succeeds")?.status === "skipped" ? "nothing was written to the mount: exec was skipped" : "nothing was written to the mount: exec failed");
      record("alert-reaches-topic", "skipped", "nothing raised the alert: exec did not run");
    } else {
      await Promise.all([checkExport(run, runtime, sessionId, marker), checkAlert(run, alert, marker.startedAt, runtime.agentRuntimeArn)]);
    }
    await checkModelRefusal(run);
    await checkRuntimeLogRetention(run, runtime);
  } catch (error) {
    const reason = error instanceof Interrupted ? "interrupted before this check ran" : `not reached: ${describe(error)}`;
    for (const id of Object.keys(CHECKS) as CheckId[]) if (!checks.has(id)) record(id, error instanceof Interrupted ? "skipped" : "fail", reason);
  } finally {
    for (const { action, run: undo } of cleanups.reverse()) {
      try {
        cleanup.push({ action, ok: true, detail: await undo() });
      } catch (error) {
        cleanup.push({ action, ok: false, detail: describe(error) });
      }
    }
  }

  const ordered = (Object.keys(CHECKS) as CheckId[]).map((id) => checks.get(id)!);
  const failed = ordered.some((c) => c.status === "fail") || cleanup.some((c) => !c.ok);
  return { environment: environment.name, region: environment.region, account, caller, status: failed ? "failed" : "passed", checks: ordered, cleanup };
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
