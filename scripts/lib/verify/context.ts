/**
 * What every verify check is given: the caller, the names, the options, and the ways to record a result, register
 * a cleanup and wait. The checks themselves are units of their own (runtime.ts, exec.ts, alert.ts, role.ts);
 * index.ts runs them.
 */
import type { EnvironmentDescription } from "../../../modules/environment/description.ts";
import type { ResourceNames } from "../../../lib/names.ts";
import { errorName, type VerifyClients } from "../aws.ts";
import type { Clock } from "../teardown/index.ts";

export type CheckStatus = "pass" | "fail" | "skipped";

export const CHECKS = {
  "runtime-ready": "the runtime is READY on the expected image",
  "invocation-answers": "an invocation answers",
  "storage-tiers-writable": "storage_report: session storage, the S3 Files mount and the bucket prefix are writable",
  "exec-succeeds": "exec of a harmless command succeeds for an operator",
  "export-to-bucket": "a file written to the S3 Files mount appears in the bucket",
  "alert-reaches-topic": "the shell-access alert reaches its topic",
  "model-outside-list-refused": "the execution role is refused a model outside its list",
  "runtime-log-retention": "AgentCore's own log groups have a retention period (verify sets the environment's where there is none)",
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
  readonly environment: EnvironmentDescription;
  readonly clients: VerifyClients;
  readonly clock: Clock;
  readonly expected: ExpectedImage;
  /** A short random id for the names verify creates. */
  readonly newId: () => string;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

/** One verify run: what the checks share. */
export interface VerifyRun {
  readonly ctx: VerifyContext;
  readonly options: VerifyOptions;
  readonly pollMs: number;
  readonly account: string;
  readonly caller: string;
  readonly partition: string;
  readonly names: ResourceNames;
  /** What verify created, removed in reverse order at the end, also after a failure or an interrupt. */
  readonly cleanups: { action: string; run: () => Promise<string> }[];
  record(id: CheckId, status: CheckStatus, observed: string): void;
  /** Sleeps on the run's clock; throws Interrupted when the run is aborted before or after. */
  wait(ms: number): Promise<void>;
}

export const DIGEST = /@(sha256:[a-f0-9]{64})$/;

/** Access refused, whatever protocol the service speaks (AccessDeniedException, AccessDenied, AuthorizationError, 403). */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return ["AccessDeniedException", "AccessDenied", "AuthorizationErrorException", "AuthorizationError", "UnauthorizedException", "Forbidden"].includes(name) || status === 403;
}

export const isNotFound = (error: unknown) => ["NotFound", "NoSuchKey", "NotFoundException"].includes(errorName(error)) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

export class Interrupted extends Error {
  override name = "Interrupted";
}

export const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
export const describe = (error: unknown) => `${errorName(error)}: ${(error as Error).message ?? String(error)}`.split("\n")[0]!;
