/**
 * Reads what Terraform (and the cdktn CLI around it) printed, so a failure says what AWS refused and why.
 *
 * Terraform prints each diagnostic as a block framed by box-drawing characters, coloured unless -no-color
 * (hashicorp/terraform internal/command/format/diagnostic.go, `DiagnosticFromJSON`):
 *
 *   ╷
 *   │ Error: <summary>
 *   │
 *   │   with aws_subnet.private,
 *   │   on cdk.tf.json line 120, in resource.aws_subnet.private:
 *   │  120:       "vpc_id": "${aws_vpc.main.id}",
 *   │
 *   │ <detail>
 *   ╵
 *
 * and without the frame under -no-color (`DiagnosticPlainFromJSON`: "\nError: <summary>\n\n<detail>").
 * cdktn-cli 0.24 relays Terraform's stdout and stderr through its log stream to its own stdout, putting
 * "<stack>  " in front of the first line of each chunk (bin/cmds/helper/format.ts `formatLogLine`), and
 * ends its own stderr with a Node.js stack trace ("Invoking Terraform CLI failed with exit code 1").
 * The AWS provider's summaries embed the AWS SDK for Go's error text, e.g. "deleting EC2 Subnet
 * (subnet-0a1): operation error EC2: DeleteSubnet, https response error StatusCode: 400, RequestID: …,
 * api error DependencyViolation: The subnet 'subnet-0a1' has dependencies and cannot be deleted."
 */

export interface TerraformDiagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  /** The explanatory paragraph(s) after the source location, if any. */
  readonly detail: string;
  /** The resource or data source the diagnostic is about ("with <address>,"). */
  readonly address?: string;
  /** "cdk.tf.json line 120" */
  readonly location?: string;
}

/** What kind of failure a diagnostic describes: the scripts decide from this whether waiting helps. */
export type FailureKind =
  | "dependency-violation"
  | "pending-export"
  | "throttling"
  | "state-lock"
  | "credentials"
  | "access-denied"
  | "not-empty"
  | "missing-dependency"
  | "invalid-input"
  | "other";

export interface ClassifiedFailure {
  readonly kind: FailureKind;
  /** The AWS error code inside the provider's message ("api error <Code>: …"), when there is one. */
  readonly awsErrorCode?: string;
}

// eslint-disable-next-line no-control-regex -- ANSI colour sequences start with ESC (0x1b); Terraform colours its output.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** cdktn's "<stack>  " prefix in front of a relayed chunk. */
const CDKTN_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]* {2}(?=[╷│╵]|Error: |Warning: )/;

export function parseTerraformDiagnostics(text: string): TerraformDiagnostic[] {
  const lines = stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => line.replace(CDKTN_PREFIX, ""));
  const diagnostics: TerraformDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^╷\s*$/.test(line)) {
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^╵\s*$/.test(lines[j]!); j++) {
        if (!lines[j]!.startsWith("│")) break;
        body.push(lines[j]!.replace(/^│ ?/, ""));
      }
      const diagnostic = fromBody(body);
      if (diagnostic) diagnostics.push(diagnostic);
      i = j;
      continue;
    }
    // -no-color: no frame; the block runs until the next diagnostic or the end of the output.
    if (/^(Error|Warning): /.test(line)) {
      const body = [line];
      let j = i + 1;
      for (; j < lines.length && !/^(Error|Warning): /.test(lines[j]!) && !/^╷\s*$/.test(lines[j]!); j++) body.push(lines[j]!);
      const diagnostic = fromBody(body.slice(0, 40));
      if (diagnostic) diagnostics.push(diagnostic);
      i = j - 1;
    }
  }
  return dedupe(diagnostics);
}

function fromBody(body: readonly string[]): TerraformDiagnostic | undefined {
  const start = body.findIndex((l) => /^(Error|Warning): /.test(l));
  if (start < 0) return undefined;
  const head = body[start]!;
  const severity = head.startsWith("Error") ? "error" : "warning";
  const summary = head.replace(/^(Error|Warning): /, "").trim();
  let address: string | undefined;
  let location: string | undefined;
  const detail: string[] = [];
  for (const raw of body.slice(start + 1)) {
    const line = raw.trimEnd();
    const withMatch = /^\s{2}with (.+),$/.exec(line);
    if (withMatch) {
      address = withMatch[1];
      continue;
    }
    const onMatch = /^\s{2}on (.+? line \d+)/.exec(line);
    if (onMatch) {
      location = onMatch[1];
      continue;
    }
    // Source snippet ("  12: …") and evaluated values ("    ├────", "    │ var.x is …").
    if (/^\s*\d+: /.test(line) || /^\s{4}[├│]/.test(line)) continue;
    detail.push(line.trim());
  }
  return {
    severity,
    summary,
    detail: detail.join("\n").replace(/\n{2,}/g, "\n").trim(),
    ...(address !== undefined && { address }),
    ...(location !== undefined && { location }),
  };
}

function dedupe(diagnostics: TerraformDiagnostic[]): TerraformDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.summary}|${d.address ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const RULES: readonly [FailureKind, RegExp][] = [
  ["pending-export", /FileSystemHasPendingExport|pending export/i],
  ["dependency-violation", /DependencyViolation|InvalidGroup\.InUse|has dependencies and cannot be deleted|has a dependent object|mapped public address/i],
  ["throttling", /Throttl|RequestLimitExceeded|TooManyRequests|SlowDown|Rate exceeded/i],
  ["state-lock", /Error acquiring the state lock|state lock/i],
  ["credentials", /No valid credential sources|ExpiredToken|InvalidClientTokenId|security token included in the request is (invalid|expired)|AWS account ID not allowed/i],
  ["access-denied", /AccessDenied|UnauthorizedOperation|not authorized to perform/i],
  ["not-empty", /RepositoryNotEmptyException|BucketNotEmpty|still contains images/i],
  ["missing-dependency", /Unable to find remote state|does not have an attribute named "cross-stack-output/i],
  ["invalid-input", /No value for required variable|Invalid value for variable/i],
];

export function classifyDiagnostic(diagnostic: Pick<TerraformDiagnostic, "summary" | "detail">): ClassifiedFailure {
  const text = `${diagnostic.summary}\n${diagnostic.detail}`;
  const code = /api error ([A-Za-z0-9.]+):/.exec(text)?.[1];
  const kind = RULES.find(([, pattern]) => pattern.test(text))?.[0] ?? "other";
  return { kind, ...(code !== undefined && { awsErrorCode: code }) };
}

/** The kind of a failed command: its first error that says more than "other", else "other". */
export function classifyDiagnostics(diagnostics: readonly TerraformDiagnostic[]): ClassifiedFailure {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const classified = errors.map(classifyDiagnostic);
  return classified.find((c) => c.kind !== "other") ?? classified[0] ?? { kind: "other" };
}

/** Lines of a Node.js crash report (what cdktn's stderr ends with), which never explain a failure. */
const NODE_NOISE = [
  /^\s*at .+\(.+\)$/,
  /^\s*at [\w.<>]+ \(?node:/,
  /^\s*at node:/,
  /^Node\.js v\d/,
  /^node:internal/,
  /^\s*\^+\s*$/,
  /^\s*[{}]\s*$/,
  /^\s*code: '/,
  /^Collecting Debug Information/,
  /^undefined$/,
  /^\s*new UnhandledPromiseRejection/,
  /^UnhandledPromiseRejection: /,
  /^npm warn /,
];

/** The last lines of output that a person can read, without the Node.js stack trace that ends cdktn's stderr. */
export function meaningfulTail(text: string, count: number): string[] {
  return stripAnsi(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !NODE_NOISE.some((pattern) => pattern.test(l)) && !/^[╷╵│]\s*$/.test(l))
    .slice(-count);
}
