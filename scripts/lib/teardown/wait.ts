/**
 * Waiting on a condition with a deadline and a visible backoff, on the scripts' Clock (so tests run the
 * 8-hour and 30-minute waits in virtual time). None of teardown's waits has an AWS SDK waiter: the SDK
 * has none for ENIs being released, S3 Files mount targets being deleted, pending exports or the tagging
 * index, and its waiters sleep on the real clock.
 */
import { errorName } from "../aws.ts";
import type { Clock } from "../clock.ts";
import { formatDuration } from "../steps.ts";

export type Probe<T> = { done: true; value: T } | { done: false; progress: string };

/**
 * Errors that are worth another try after a pause. The SDK already retries throttling and 5xx answers a few
 * times; these are the ones that outlast its retries, or that it does not count as transient: the tagging
 * API's InternalServiceException is a 400 (resourcegroupstaggingapi model: no httpStatusCode, so 400) and
 * its ThrottledException; EC2's RequestLimitExceeded; AgentCore's RetryableConflictException.
 */
const RETRYABLE = /^(Throttling|ThrottlingException|ThrottledException|TooManyRequestsException|RequestLimitExceeded|SlowDown|ServiceUnavailable|ServiceUnavailableException|InternalServerException|InternalServiceException|InternalFailure|InternalError|RetryableConflictException|RequestTimeout|TimeoutError)$/;

export function isRetryable(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return RETRYABLE.test(errorName(error)) || (status !== undefined && status >= 500) || /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE/.test(String((error as { code?: string }).code ?? ""));
}

/** Exponential backoff from 5 s, capped at 20 s, so a wait overshoots its condition by at most 20 s. */
export async function waitFor<T>(clock: Clock, deadlineMs: number, probe: () => Promise<Probe<T>>, onProgress: (line: string) => void): Promise<Probe<T>> {
  const start = clock.now();
  let delay = 5_000;
  for (;;) {
    let result: Probe<T>;
    try {
      result = await probe();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      result = { done: false, progress: `${errorName(error)} from AWS; trying again` };
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

/** Calls `call`, retrying retryable errors (see isRetryable) with the same backoff for up to `deadlineMs`. */
export async function withRetries<T>(clock: Clock, deadlineMs: number, what: string, call: () => Promise<T>, onProgress: (line: string) => void): Promise<T> {
  let lastError: unknown;
  const result = await waitFor<T>(
    clock,
    deadlineMs,
    async () => {
      try {
        return { done: true, value: await call() };
      } catch (error) {
        if (!isRetryable(error)) throw error;
        lastError = error;
        return { done: false, progress: `${what}: ${errorName(error)} from AWS` };
      }
    },
    onProgress,
  );
  if (result.done) return result.value;
  throw lastError ?? new Error(`${what} did not succeed within ${formatDuration(deadlineMs)}`);
}

/** Resolves a list's "not found" races: the thing was deleted between the list and the call. */
export function isNotFound(error: unknown): boolean {
  return /NotFound|NoSuchEntity|NoSuchBucket|^NotFoundException$/.test(errorName(error));
}
