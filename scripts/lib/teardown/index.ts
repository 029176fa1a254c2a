/**
 * Tears an environment down in the one order AWS accepts, or stops in a clean, resumable state.
 *
 *   agent → hourly charges → (storage, registry, ENI check side by side) → network → final sweep
 *
 * The hourly charges stop first: as soon as the agent is gone, the network's NAT gateways and Elastic IPs,
 * interface endpoints and flow-log delivery go, while AgentCore may hold its ENIs for hours; only free
 * resources wait for them. With `--only agent`: agent → check, and the rest stays for the next runtime.
 *
 * Each step is a unit of its own (agent.ts, hourly.ts, storage.ts, registry.ts, enis.ts, network.ts,
 * sweep.ts); this file runs them and turns what they found into the report.
 * Facts: shared/REFERENCE.md "S3 Files" (delete), "AgentCore Runtime" (ENIs).
 */
import { resourceNamesOf, type EnvironmentDescription } from "../../../modules/environment/description.ts";
import { ENVIRONMENT_TAG_KEY } from "../../../modules/environment/props.ts";
import { stackName } from "../../../modules/environment/environment-stack.ts";
import { failureDetail, type FailureDetail } from "../cdktn.ts";
import { formatDuration, runSteps, type Step, type StepOutcome, type StepState } from "../steps.ts";
import { destroyAgentStack } from "./agent.ts";
import { agentCoreLogGroupsKept } from "./agentcore-logs.ts";
import { billingAfterTeardown, type BillingReport } from "./billing.ts";
import { ResumableStop, TeardownFindings, type EniReport, type Kept, type SweepFindings, type TeardownContext, type TeardownDeps, type TeardownOptions, type TeardownStepId } from "./context.ts";
import { describeEni, waitForAgentCoreEnis } from "./enis.ts";
import { clearTeardownJournal } from "./journal.ts";
import { stopHourlyCharges } from "./hourly.ts";
import { destroyNetworkStack } from "./network.ts";
import { tearDownRegistry } from "./registry.ts";
import { refuseWithoutState } from "./ownership.ts";
import { refuseForeignAccount } from "../account-guard.ts";
import { tearDownStorage } from "./storage.ts";
import { confirmAgentGone, finalSweep } from "./sweep.ts";
import { commandLine } from "../../../lib/invocation.ts";

export { realClock, type Clock } from "../clock.ts";
export { classifyEni, ENI_RELEASE_MS } from "./enis.ts";
export { teardownJournalPath, readTeardownJournal } from "./journal.ts";
export { isPendingExport } from "./storage.ts";
export { confirmArn, parseArn } from "./sweep.ts";
export { isRetryable, waitFor } from "./wait.ts";
export { ResumableStop };
export type { EniReport, Kept, SweepFindings, TeardownClients, TeardownDeps, TeardownOptions, TeardownStepId } from "./context.ts";
export type { BilledResource, BillingReport } from "./billing.ts";

/** A step that failed or stopped, as the report lists it: several can fail in one run (steps run side by side). */
export interface StepFailure extends Partial<FailureDetail> {
  readonly step: TeardownStepId;
  readonly resumable: boolean;
  readonly reason: string;
}

export interface TeardownReport {
  readonly environment: string;
  /** clean: nothing left but what was kept on purpose; resumable: every stop is one a later run finishes; failed: at least one step failed. */
  readonly status: "clean" | "resumable" | "failed";
  readonly message: string;
  readonly steps: readonly StepState<TeardownStepId>[];
  readonly failures: readonly StepFailure[];
  readonly kept: readonly Kept[];
  /** Still there after everything (confirmed with their service, or of a kind no service check exists for). */
  readonly remaining: readonly string[];
  readonly pendingDeletion: SweepFindings["pendingDeletion"];
  readonly indexLag: readonly string[];
  /** ENIs still in the network when the run ended (empty once the network is gone). */
  readonly enis: readonly EniReport[];
  /** When a resumable run is worth repeating. */
  readonly retryAfter?: string;
  /** What is still billed (by the hour, for what it stores) and what is left free of charge. */
  readonly billing: BillingReport;
  /** "agent" for `--only agent`. */
  readonly only: "all" | "agent";
  /** Ctrl-C stopped it: running steps finished, the rest did not start (a re-run continues). */
  readonly interrupted: boolean;
  /** Attachments of the invoker and operator policies to principals outside the stacks, detached so the policies could go. */
  readonly detachedPolicies: TeardownFindings["detachedPolicies"];
}

export type TeardownStep = Step<TeardownStepId> & { describe: (env: EnvironmentDescription) => string };

const AGENT_STEP: TeardownStep = {
  id: "agent",
  label: "agent stack",
  needs: [],
  describe: (e) =>
    `detach the invoker and operator policies from every user, group and role they were attached to outside the stacks (each one reported), then npx cdktn destroy ${stackName(e.name, "agent")} (runtime, endpoint, IAM, alert)`,
};

/** The teardown's dependency graph. */
export const TEARDOWN_STEPS: readonly TeardownStep[] = [
  AGENT_STEP,
  {
    id: "hourly",
    label: "hourly charges",
    needs: ["agent"],
    describe: (e) =>
      `npx cdktn destroy ${stackName(e.name, "network")} narrowed to what it bills by the hour (NAT gateways and their Elastic IPs, interface endpoints, flow-log delivery): at once, not after AgentCore's ENIs`,
  },
  {
    id: "storage",
    label: "storage",
    // The storage stack's destroy reads the network stack's state: the two never change at the same time.
    needs: ["agent", "hourly"],
    describe: (e) =>
      `delete S3 Files access point → mount targets → file system (retried while writes are still exporting to S3); then ${
        e.storage.retainDataOnTeardown ? `keep the bucket and its objects (data retained)` : `npx cdktn destroy ${stackName(e.name, "storage")} (bucket and all its objects)`
      }`,
  },
  { id: "registry", label: "registry", needs: ["agent"], describe: (e) => `npx cdktn destroy ${stackName(e.name, "registry")} (only once its images are gone: --delete-images)` },
  { id: "enis", label: "ENI check", needs: ["agent"], describe: () => "delete our unattached ENIs; wait (with backoff) for AgentCore's ENIs (InterfaceType agentic_ai) to be released" },
  {
    id: "network",
    label: "network stack",
    needs: ["storage", "enis", "hourly"],
    describe: (e) => `npx cdktn destroy ${stackName(e.name, "network")}: what is left, all free of charge${e.network.mode === "import" ? " (security groups only: the imported VPC is never deleted)" : ""}`,
  },
  { id: "sweep", label: "final sweep", needs: ["network", "registry"], describe: (e) => `list anything still tagged ${ENVIRONMENT_TAG_KEY}=${e.name} and confirm each with its own service` },
];

/** `--only agent`: the agent stack, then each of its resources confirmed gone with its service; the rest stays. */
export const AGENT_ONLY_STEPS: readonly TeardownStep[] = [
  AGENT_STEP,
  { id: "check", label: "agent check", needs: ["agent"], describe: () => "confirm each resource the agent stack held is gone (or scheduled for deletion) with its own service" },
];

export function teardownSteps(options: Pick<TeardownOptions, "only">): readonly TeardownStep[] {
  return options.only === "agent" ? AGENT_ONLY_STEPS : TEARDOWN_STEPS;
}

const STEP_UNITS: Record<TeardownStepId, (ctx: TeardownContext) => Promise<StepOutcome>> = {
  agent: destroyAgentStack,
  hourly: stopHourlyCharges,
  storage: tearDownStorage,
  registry: tearDownRegistry,
  enis: waitForAgentCoreEnis,
  network: destroyNetworkStack,
  sweep: finalSweep,
  check: confirmAgentGone,
};

/** `steps`: the graph to run (the benchmark runs the one before issue 15 beside it); by default the options'. */
export async function teardown(deps: TeardownDeps, options: TeardownOptions, steps: readonly TeardownStep[] = teardownSteps(options)): Promise<TeardownReport> {
  const env = deps.environment;
  const ctx: TeardownContext = { deps, options, environment: env, names: resourceNamesOf(env, deps.accountId), findings: new TeardownFindings(), cdktnTurn: { tail: Promise.resolve() } };
  // A state of another account than the credentials' (review finding 3): a wrong AWS_PROFILE. Refuse before anything changes.
  await refuseForeignAccount("tear down", env, { account: deps.accountId }, { outdir: deps.outdir, ...(deps.stateBucket !== undefined && { stateBucket: deps.stateBucket }) });
  // An empty state with live resources: this checkout does not hold the state (review finding 1). Refuse before anything changes.
  await refuseWithoutState(ctx, options.only === "agent" ? ["agent"] : ["agent", "storage", "registry", "network"]);
  const started = deps.clock.now();
  const result = await runSteps(steps, (step) => STEP_UNITS[step.id](ctx), deps.onUpdate, () => deps.clock.now() - started, {
    // Only what depends on a stopped or failed step waits for it: the storage and the registry go even while AgentCore holds its ENIs.
    afterFailure: "independent",
    ...(deps.stopped !== undefined && { stopped: deps.stopped }),
  });
  const agentOnly = options.only === "agent";
  if (agentOnly) {
    ctx.findings.kept.push({
      what: `${stackName(env.name, "network")}, ${stackName(env.name, "storage")} and ${stackName(env.name, "registry")}`,
      where: env.region,
      why: `--only agent: they stay for the next runtime (${commandLine("deploy", `--env ${env.name} --only agent`)}), which reuses the ENIs AgentCore keeps in the subnets`,
    });
  }

  const findings = ctx.findings;
  findings.kept.push(...(await agentCoreLogGroupsKept(ctx)));

  const failures: StepFailure[] = result.failures.map(({ id, error }) => ({
    step: id,
    resumable: error instanceof ResumableStop,
    reason: (error as Error).message ?? String(error),
    ...failureDetail(error),
  }));
  const interrupted = !result.ok && (deps.stopped?.() ?? false);
  const status = result.ok ? "clean" : failures.every((f) => f.resumable) ? "resumable" : "failed";
  // After --only agent the journal keeps the runtime's deletion time: a later full teardown may still meet its ENIs.
  if (status === "clean" && !agentOnly) clearTeardownJournal(deps.journalFile);
  const retryAfter = status === "resumable" ? (findings.retryAfter ?? result.failures.map(({ error }) => (error as ResumableStop).retryAfter).find((t) => t !== undefined)) : undefined;
  const message =
    status === "clean"
      ? findings.kept.length > 0
        ? `${env.name} is torn down; kept on purpose: ${findings.kept.map((k) => k.what).join("; ")}`
        : `${env.name} is torn down; nothing tagged with it remains`
      : `${status === "resumable" ? "stopped, resumable" : "failed"}: ${[...(interrupted ? [`interrupted (Ctrl-C); not started: ${result.states.filter((s) => s.status === "not started").map((s) => s.id).join(", ")}`] : []), ...failures.map((f) => `${f.step}: ${f.reason}`)].join(" | ")}`;
  return {
    environment: env.name,
    status,
    message,
    steps: result.states,
    failures,
    kept: findings.kept,
    remaining: [...findings.sweep.remaining, ...findings.sweep.unconfirmed],
    pendingDeletion: findings.sweep.pendingDeletion,
    indexLag: findings.sweep.indexLag,
    enis: findings.enis,
    ...(retryAfter !== undefined && { retryAfter }),
    billing: await billingAfterTeardown(ctx),
    only: agentOnly ? "agent" : "all",
    detachedPolicies: findings.detachedPolicies,
    interrupted,
  };
}

export function formatReport(report: TeardownReport, environment: EnvironmentDescription): string {
  const lines = [report.status === "clean" ? report.message : `${environment.name}: ${report.interrupted ? "interrupted (Ctrl-C), resumable" : report.status === "resumable" ? "stopped, resumable" : "teardown failed"}`];
  for (const failure of report.failures) {
    lines.push("", `${failure.resumable ? "Stopped" : "Failed"} at ${failure.step}${failure.stack ? ` (${failure.stack})` : ""}${failure.kind && failure.kind !== "other" ? ` [${failure.kind}]` : ""}: ${failure.reason}`);
    for (const error of failure.errors?.slice(1) ?? []) lines.push(`  also: ${error.summary}${error.address ? ` (${error.address})` : ""}`);
    const detail = failure.errors?.[0]?.detail;
    if (detail) lines.push(...detail.split("\n").map((l) => `  ${l}`));
  }
  if (report.detachedPolicies.length > 0) {
    lines.push("", "Detached (attached outside the stacks; the policies belonged to this environment):", ...report.detachedPolicies.map((d) => `  - ${d.policyArn} from ${d.kind} ${d.name}`));
  }
  if (report.kept.length > 0) lines.push("", "Kept on purpose:", ...report.kept.map((k) => `  - ${k.what} (${k.where}): ${k.why}`));
  if (report.enis.length > 0) {
    lines.push("", "ENIs still in the network:");
    for (const eni of report.enis) {
      const note = eni.kind === "agentcore" ? "AgentCore's: AWS releases it within 8 hours of the runtime's deletion" : "goes with the network stack, or with whatever created it";
      lines.push(`  - ${describeEni(eni)}${eni.age ? `, attached ${eni.age} ago` : ""}: ${note}`);
    }
  }
  if (report.remaining.length > 0) lines.push("", `Still tagged ${ENVIRONMENT_TAG_KEY}=${environment.name}:`, ...report.remaining.map((r) => `  - ${r}`));
  if (report.pendingDeletion.length > 0) {
    lines.push("", "Pending deletion (scheduled by their service; nothing to do, and a KMS key is not billed meanwhile):", ...report.pendingDeletion.map((p) => `  - ${p.arn} (${p.state}${p.until ? `, deleted on ${p.until}` : ""})`));
  }
  if (report.indexLag.length > 0) lines.push("", "Gone, though the tagging index still lists them (it trails deletions):", ...report.indexLag.map((a) => `  - ${a}`));
  lines.push("", ...formatBilling(report));
  if (report.status === "resumable") lines.push("", `Resume with: ${commandLine("teardown", `--env ${environment.name}`)}${report.retryAfter ? `  (after ${report.retryAfter})` : ""}`);
  if (report.status === "failed") lines.push("", `Fix the cause, then run again: ${commandLine("teardown", `--env ${environment.name}`)} (it continues from what is really there)`);
  return lines.join("\n");
}

/** What is still billed, what stays free of charge, and when that goes. */
export function formatBilling(report: TeardownReport): string[] {
  const { billing } = report;
  const lines = ["Billing:"];
  if (billing.hourlyStopped) lines.push(`  Hourly charges stopped at ${billing.hourlyStopped.at}: destroyed ${billing.hourlyStopped.what.join(", ")}.`);
  if (billing.hourly.length === 0) lines.push("  Nothing left is billed by the hour.");
  else {
    const why = report.only === "agent" ? "kept on purpose (--only agent keeps the network)" : "teardown has not removed these yet (see above)";
    lines.push(`  Still billed by the hour, ${why}:`, ...billing.hourly.map((r) => `    - ${r.what} (${r.stack}: ${r.address})`));
  }
  if (billing.stored.length > 0) lines.push("  Billed for what they store (per GB-month):", ...billing.stored.map((r) => `    - ${r.what} (${r.stack})`));
  if (billing.free.length > 0) {
    const when = report.status === "resumable" && report.enis.some((e) => e.kind === "agentcore") ? `; they go when AgentCore releases its ENIs${report.retryAfter ? ` (by ${report.retryAfter})` : ""} and teardown runs again` : "";
    lines.push(`  Left, free of charge${when}:`, ...billing.free.map((f) => `    - ${f}`));
  }
  if (billing.unreadable) lines.push(`  Not known: could not read ${billing.unreadable}`);
  return lines;
}

export function formatTeardownPlan(environment: EnvironmentDescription, options: TeardownOptions): string {
  const agentOnly = options.only === "agent";
  const steps = teardownSteps(options);
  const afterOf = (step: TeardownStep) => (step.needs.length > 0 ? `after ${step.needs.join(" + ")}` : "first");
  const width = Math.max(...steps.map((step) => afterOf(step).length));
  const lines = steps.map((step, i) => `  ${i + 1}. ${step.label.padEnd(14)} ${afterOf(step).padEnd(width)}  ${step.describe(environment)}`);
  if (agentOnly) {
    return [
      `Teardown plan for ${environment.name} (${environment.region}), --only agent:`,
      ...lines,
      "",
      `Kept: ${stackName(environment.name, "network")}, ${stackName(environment.name, "storage")} (its data) and ${stackName(environment.name, "registry")} (its images), for the next runtime: ${commandLine("deploy", `--env ${environment.name} --only agent`)}.`,
      "ENIs: not waited for; AgentCore keeps them in the subnets (up to 8 hours) and the next runtime on the same subnets and security groups reuses them.",
      "Billing: the network's hourly charges go on (NAT gateways, Elastic IPs, interface endpoints): that is the long-lived network the next runtime uses.",
    ].join("\n");
  }
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
    `AgentCore's own log groups (/aws/bedrock-agentcore/runtimes/${environment.names.runtime}-*): kept, and listed with the command that deletes them (AgentCore created them, not Terraform).`,
    "Billing: what the network bills by the hour goes right after the agent (step 2), not after the ENIs; what waits for them is free of charge.",
  ].join("\n");
}
