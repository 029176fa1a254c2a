/**
 * Terraform's human output, as the real binary prints it without -no-color: diagnostics framed with
 * box-drawing characters and ANSI colours (hashicorp/terraform internal/command/format/diagnostic.go,
 * `DiagnosticFromJSON`, colorstring with Reset), errors on stderr; progress lines on stdout. The framing was
 * checked against Terraform 1.11.4's own output (test/fake-aws/fixtures/terraform-1.11.4/).
 */

export interface Diagnostic {
  readonly summary: string;
  readonly detail?: string;
  /** "with <address>," */
  readonly address?: string;
  /** Source location: "cdk.tf.json", line, the context ("resource.aws_subnet.x"), the source line. */
  readonly source?: { readonly file: string; readonly line: number; readonly context: string; readonly code: string };
}

const RED = "\x1b[31m";
const YELLOW = "\x1b[33m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/** Errors in red, warnings in yellow (fixtures: invalid-variable.stderr, targeted-destroy.stdout). */
export function formatDiagnostic(diagnostic: Diagnostic, color = true, severity: "error" | "warning" = "error"): string {
  // eslint-disable-next-line no-control-regex -- removing the colour sequences (ESC [ … m) for -no-color.
  const c = (text: string) => (color ? text : text.replace(/\x1b\[[0-9;]*m/g, ""));
  const hue = severity === "error" ? RED : YELLOW;
  const label = severity === "error" ? "Error" : "Warning";
  const body: string[] = [c(`${BOLD}${hue}${label}: ${RESET}${RESET}${BOLD}${diagnostic.summary}${RESET}`), ""];
  if (diagnostic.address) body.push(`  with ${diagnostic.address},`);
  if (diagnostic.source) {
    body.push(c(`${RESET}  on ${diagnostic.source.file} line ${diagnostic.source.line}, in ${diagnostic.source.context}:`));
    body.push(`${String(diagnostic.source.line).padStart(4)}: ${diagnostic.source.code}`);
  }
  if (diagnostic.address || diagnostic.source) body.push("");
  if (diagnostic.detail) body.push(...diagnostic.detail.split("\n"));
  const prefix = c(`${hue}│${RESET} ${RESET}`);
  return [c(`${hue}╷${RESET}${RESET}`), ...body.map((line) => `${prefix}${line}`), c(`${hue}╵${RESET}${RESET}`), ""].join("\n");
}

export function sourceLine(text: string, line: number): string {
  return text.split("\n")[line - 1]?.trimEnd() ?? "";
}

/** "operation error EC2: DeleteSubnet, https response error StatusCode: 400, RequestID: …, api error DependencyViolation: …" (AWS SDK for Go v2). */
export function sdkError(service: string, operation: string, error: { code: string; message: string; status: number }, requestId: string): string {
  return `operation error ${service}: ${operation}, https response error StatusCode: ${error.status}, RequestID: ${requestId}, api error ${error.code}: ${error.message}`;
}

export function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
