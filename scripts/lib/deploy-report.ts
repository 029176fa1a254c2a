/**
 * Deploy's result for people and for automation (--json): every failed step (several can fail in one run:
 * steps already running when one fails still finish), with Terraform's own errors parsed from what the
 * cdktn CLI printed, and what is in place.
 */
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { failureDetail, type FailureDetail } from "./cdktn.ts";
import type { DeployStepId } from "./deploy.ts";
import type { StepRunResult, StepState } from "./steps.ts";
import { commandLine } from "../../lib/invocation.ts";

export interface DeployFailure extends Partial<FailureDetail> {
  readonly step: DeployStepId;
  readonly label: string;
  readonly reason: string;
}

export interface DeployReport {
  readonly environment: string;
  readonly status: "deployed" | "failed";
  readonly steps: readonly StepState<DeployStepId>[];
  readonly failures: readonly DeployFailure[];
  /** Steps whose result exists in AWS (stacks and the image), not the local ones. */
  readonly inPlace: readonly string[];
  readonly notStarted: readonly string[];
}

export function deployReport(environment: EnvironmentDescription, result: StepRunResult<DeployStepId>): DeployReport {
  const label = (id: DeployStepId) => result.states.find((s) => s.id === id)?.label ?? id;
  return {
    environment: environment.name,
    status: result.ok ? "deployed" : "failed",
    steps: result.states,
    failures: result.failures.map(({ id, error }) => ({ step: id, label: label(id), reason: (error as Error).message ?? String(error), ...failureDetail(error) })),
    inPlace: result.states.filter((s) => (s.status === "done" || s.status === "unchanged") && !["preflight", "synth", "changes"].includes(s.id)).map((s) => s.label),
    notStarted: result.states.filter((s) => s.status === "not started").map((s) => s.label),
  };
}

export function formatDeployFailure(report: DeployReport): { message: string; hint: string } {
  const failures = report.failures;
  const message =
    failures.length === 1
      ? `deploy of ${report.environment} stopped: step "${failures[0]!.label}" failed: ${failures[0]!.reason}`
      : `deploy of ${report.environment} stopped: ${failures.length} steps failed: ${failures.map((f) => `"${f.label}"`).join(", ")}`;
  const lines: string[] = [];
  for (const failure of failures) {
    if (failures.length > 1) lines.push(`${failure.label}: ${failure.reason}`);
    const first = failure.errors?.[0];
    if (first?.detail) lines.push(...first.detail.split("\n").map((l) => `  ${l}`));
    for (const more of failure.errors?.slice(1) ?? []) lines.push(`  also: ${more.summary}${more.address ? ` (${more.address})` : ""}`);
  }
  lines.push(
    `In place: ${report.inPlace.length > 0 ? report.inPlace.join(", ") : "nothing was deployed"}.`,
    `Not started: ${report.notStarted.join(", ") || "none"}.`,
    `Fix the cause, then resume with: ${commandLine("deploy", `--env ${report.environment}`)}`,
  );
  return { message, hint: lines.join("\n") };
}
