/**
 * Runs the cdktn CLI on one stack and, when it fails, says why in Terraform's own words: the failure
 * carries the stack, the action, every Terraform error block cdktn relayed (parsed from stdout and
 * stderr, see terraform-output.ts) and a classification the scripts decide from.
 */
import { CommandFailedError, type ProcessRunner, type RunOptions, type RunResult } from "./runner.ts";
import {
  classifyDiagnostics,
  meaningfulTail,
  parseTerraformDiagnostics,
  type FailureKind,
  type TerraformDiagnostic,
} from "./terraform-output.ts";

export type CdktnAction = "deploy" | "destroy" | "diff";
/** What failed: a cdktn action, or Terraform run directly in the stack's folder (init, plan). */
export type StackAction = CdktnAction | "init" | "plan";

/**
 * --skip-synth: the scripts synthesize once, in process. --ignore-missing-stack-dependencies: each stack is
 * run on its own, after the script has made sure its dependencies are in place (or gone).
 */
export const CDKTN_STACK_FLAGS = ["--skip-synth", "--ignore-missing-stack-dependencies"] as const;

export function cdktnArgs(action: CdktnAction, stack: string, extra: readonly string[] = []): string[] {
  const approve = action === "diff" ? [] : ["--auto-approve"];
  return ["--no-install", "cdktn", action, stack, ...approve, ...CDKTN_STACK_FLAGS, ...extra];
}

export class StackCommandError extends Error {
  readonly kind: FailureKind;
  readonly awsErrorCode?: string;

  readonly action: StackAction;
  readonly stackName: string;
  readonly exitCode: number;
  /** Terraform's error and warning blocks, in the order printed. */
  readonly diagnostics: readonly TerraformDiagnostic[];
  /** When Terraform printed no error block: the last readable lines of output. */
  readonly outputTail: readonly string[];
  constructor(
    action: StackAction,
    stackName: string,
    exitCode: number,
    diagnostics: readonly TerraformDiagnostic[],
    outputTail: readonly string[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    const classified = classifyDiagnostics(diagnostics);
    const first = errors[0];
    const reason = first
      ? `${first.summary}${first.address ? ` (${first.address})` : ""}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length === 2 ? "" : "s"})` : ""}`
      : outputTail.length > 0
        ? outputTail.join(" | ")
        : `exited with status ${exitCode} without saying why`;
    super(`${action === "init" || action === "plan" ? "terraform" : "cdktn"} ${action} ${stackName} failed: ${reason}`);
    this.action = action;
    this.stackName = stackName;
    this.exitCode = exitCode;
    this.diagnostics = diagnostics;
    this.outputTail = outputTail;
    this.name = "StackCommandError";
    this.kind = classified.kind;
    if (classified.awsErrorCode !== undefined) this.awsErrorCode = classified.awsErrorCode;
  }

  /** The error blocks, for reports. */
  get errors(): readonly TerraformDiagnostic[] {
    return this.diagnostics.filter((d) => d.severity === "error");
  }
}

/** A stack command's failure, as reports and --json show it. */
export interface FailureDetail {
  readonly kind: FailureKind;
  readonly stack?: string;
  readonly awsErrorCode?: string;
  readonly errors: readonly { readonly summary: string; readonly detail?: string; readonly address?: string }[];
}

export function failureDetail(error: unknown): FailureDetail | undefined {
  if (!(error instanceof StackCommandError)) return undefined;
  return {
    kind: error.kind,
    stack: error.stackName,
    ...(error.awsErrorCode !== undefined && { awsErrorCode: error.awsErrorCode }),
    errors: error.errors.map((d) => ({ summary: d.summary, ...(d.detail !== "" && { detail: d.detail }), ...(d.address !== undefined && { address: d.address }) })),
  };
}

export function stackCommandError(action: StackAction, stack: string, result: RunResult): StackCommandError {
  // cdktn relays Terraform's blocks on stdout; Terraform itself (run directly) prints them on stderr.
  const diagnostics = parseTerraformDiagnostics(`${result.stdout}\n${result.stderr}`);
  const tail = meaningfulTail(`${result.stdout}\n${result.stderr}`, 3);
  return new StackCommandError(action, stack, result.exitCode, diagnostics, tail);
}

/**
 * The cdktn CLI's notices, off: CHECKPOINT_DISABLE stops its usage report to checkpoint-api.hashicorp.com and the
 * "newer version available" check riding on it, DISABLE_VERSION_CHECK ("true" or "1") the version check of the
 * provider bindings (cdktn-cli 0.24 bundle/bin/cdktn.js: `CHECKPOINT_DISABLE=!!process.env.CHECKPOINT_DISABLE`,
 * `DISABLE_VERSION_CHECK=RJ(process.env.DISABLE_VERSION_CHECK)` with RJ = "true" | "1"). Neither changes what is
 * deployed; both only add lines to the scripts' output and a network call to every run.
 */
export const CDKTN_QUIET_ENV: Readonly<Record<string, string>> = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true" };

/** `npx cdktn <action> <stack>`; throws StackCommandError unless it exits 0. */
export async function runCdktn(
  runner: ProcessRunner,
  action: CdktnAction,
  stack: string,
  extra: readonly string[] = [],
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await runner.run("npx", cdktnArgs(action, stack, extra), { ...options, env: { ...CDKTN_QUIET_ENV, ...options.env } });
  if (result.exitCode === 127) throw new CommandFailedError("npx", cdktnArgs(action, stack, extra), result);
  if (result.exitCode !== 0) throw stackCommandError(action, stack, result);
  return result;
}
