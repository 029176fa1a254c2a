/**
 * An AWS service error as the world raises it: the error code and message the service returns, its HTTP
 * status, and any extra members of the error shape (S3 Files' ConflictException carries `errorCode`,
 * `resourceId`, `resourceType`). Each protocol encodes it its own way (protocols.ts).
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly members: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    code: string,
    message: string,
    status: number = 400,
    members: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.members = members;
    this.headers = headers;
    this.name = code;
  }
}

/** Throttling with a Retry-After hint (seconds), as AWS sends it with 429 answers. */
export function throttled(code = "ThrottlingException", retryAfterSeconds = 1, message = "Rate exceeded"): AwsError {
  return new AwsError(code, message, code === "RequestLimitExceeded" ? 503 : 429, {}, { "retry-after": String(retryAfterSeconds) });
}
