/**
 * What went wrong reaching AWS, in the user's terms, with the fix: no credentials, expired credentials, credentials
 * AWS does not recognise, the endpoint unreachable (DNS or network), access denied. The scripts print this instead
 * of an SDK class name such as `CredentialsProviderError`, and preflight never blames credentials for a DNS failure.
 *
 * Sources: the SDK's credential chain throws CredentialsProviderError ("Could not load credentials from any
 * providers") when it finds none, and the SSO provider throws it (or TokenProviderError) when the SSO session has
 * expired (@smithy/property-provider, @aws-sdk/credential-provider-sso); STS and every query/JSON service answer
 * ExpiredToken / ExpiredTokenException ("The security token included in the request is expired"),
 * InvalidClientTokenId / UnrecognizedClientException (an unknown key), SignatureDoesNotMatch (a wrong secret)
 * (sts.json errors; AWS "Common Errors" of the API references); AccessDenied / AccessDeniedException /
 * UnauthorizedOperation (EC2) / AuthorizationError(Exception) (SNS) refuse a call. Node's DNS resolver fails with
 * ENOTFOUND or EAI_AGAIN, a closed port with ECONNREFUSED, a silent network with ETIMEDOUT / ECONNRESET, which the
 * SDK's HTTP handler rethrows with the same `code` (and TimeoutError for its own timeouts).
 */
import { errorName } from "./error-name.ts";

export type AwsFailureKind = "no-credentials" | "expired-credentials" | "invalid-credentials" | "unreachable" | "access-denied" | "other";

export interface AwsFailure {
  readonly kind: AwsFailureKind;
  /** One line: what happened. */
  readonly summary: string;
  /** What to do. */
  readonly fix: string;
}

const CODES_DNS = ["ENOTFOUND", "EAI_AGAIN"];
const CODES_NETWORK = ["ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "TimeoutError"];

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown }; errno?: unknown };
  const code = e.code ?? e.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** Classifies an error thrown by an AWS SDK call. `endpoint`: the host or service it was calling, for the message. */
export function classifyAwsError(error: unknown, endpoint = "AWS"): AwsFailure {
  const name = errorName(error);
  const message = String((error as Error)?.message ?? error).split("\n")[0]!;
  const code = codeOf(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((name === "CredentialsProviderError" || name === "TokenProviderError") && /expired|refresh/i.test(message)) {
    return { kind: "expired-credentials", summary: `the AWS credentials have expired (${message})`, fix: "sign in again: aws sso login (with your AWS_PROFILE), or refresh the temporary keys you exported" };
  }
  if (name === "CredentialsProviderError" || name === "TokenProviderError") {
    return {
      kind: "no-credentials",
      summary: "no AWS credentials found (environment variables, AWS_PROFILE, SSO, web identity, instance or container role)",
      fix: "configure credentials: aws configure sso && aws sso login, or export AWS_PROFILE=<profile>, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN); in CI, an OIDC role",
    };
  }
  if (["ExpiredToken", "ExpiredTokenException", "RequestExpired"].includes(name) || /security token included in the request is expired/i.test(message)) {
    return { kind: "expired-credentials", summary: `the AWS credentials have expired (${name})`, fix: "sign in again (aws sso login) or get new temporary credentials" };
  }
  if (["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId"].includes(name)) {
    return { kind: "invalid-credentials", summary: `AWS does not recognise these credentials (${name}: ${message})`, fix: "check the access key and secret (or the profile) in use: aws sts get-caller-identity" };
  }
  if (code !== undefined && CODES_DNS.includes(code)) {
    return {
      kind: "unreachable",
      summary: `cannot resolve ${endpoint}'s address (${code}): DNS, not credentials`,
      fix: "check the network and DNS (a VPN, a proxy: HTTPS_PROXY), the Region's spelling, and any AWS_ENDPOINT_URL* variable set",
    };
  }
  if ((code !== undefined && CODES_NETWORK.includes(code)) || name === "TimeoutError") {
    return { kind: "unreachable", summary: `cannot reach ${endpoint} (${code ?? name}): the network, not credentials`, fix: "check the network path to AWS (firewall, proxy: HTTPS_PROXY, VPN) and any AWS_ENDPOINT_URL* variable set" };
  }
  if (["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException", "UnauthorizedException"].includes(name) || status === 403) {
    return { kind: "access-denied", summary: `access denied (${name}: ${message})`, fix: "grant the deploying principal the permissions the environment needs: npm run deployer-policy -- --env <name> prints them" };
  }
  return { kind: "other", summary: `${name}: ${message}`, fix: "" };
}

/** Is this one of the failures above (as opposed to a service's own error)? */
export function isAccessProblem(error: unknown): boolean {
  return classifyAwsError(error).kind !== "other";
}
