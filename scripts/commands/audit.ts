import { commandLine } from "../../lib/invocation.ts";
import { EXIT, parseCommandLine, UsageError } from "../lib/cli.ts";
import { loadEnvironment, synthesizeApp, temporaryOutdir } from "../lib/app.ts";

export function usage(): string {
  return `
Usage: ${commandLine("audit", "(--env <name> | --all) [--json]")}

Checks an environment's synthesized configuration against the production-readiness checklist (IAM,
Authentication, Shell access, Code/config, Observability, Performance, Resources) and prints each rule's
result with its finding, and why and how to fix it when it fails. Needs no AWS account.
Exit status 1 if any error-level rule fails (suppressions, with their reasons, live in the environment file
under audit.suppress).

  --env <name>   an environment of the app in ./cdktf.json
  --all          every environment of the app
  --json         the reports as JSON (for CI)
  -h, --help     show this help
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, { env: { type: "string" }, all: { type: "boolean", default: false }, json: { type: "boolean", default: false } });
  if (args.env !== undefined && args.all) throw new UsageError("give --env <name> or --all, not both");
  if (args.env === undefined && !args.all) throw new UsageError("give --env <name> or --all");
  const { auditSynthesized, formatAudit } = await import("../../lib/audit/report.ts");
  // One environment: the app builds that one alone; --all: every environment it defines.
  const outdir = args.all ? (await synthesizeApp({ dir: process.cwd(), outdir: temporaryOutdir() })).outdir : (await loadEnvironment(args.env!)).outdir;
  const reports = auditSynthesized(outdir, args.all ? undefined : [args.env!]);
  console.log(args.json ? JSON.stringify(reports, null, 2) : reports.map(formatAudit).join("\n\n"));
  return reports.some((r) => r.blocking.length > 0) ? EXIT.failed : EXIT.ok;
}
