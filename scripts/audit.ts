import { readFileSync } from "node:fs";
import { EXIT, parseCommandLine, runScript, UsageError } from "./lib/cli.ts";
import { loadEnvironment } from "./lib/environment.ts";

const USAGE = `
Usage: npm run audit -- (--env <name> | --all) [--json]

Checks an environment's synthesized configuration against the production-readiness checklist (IAM,
Authentication, Shell access, Code/config, Observability, Performance, Resources) and prints each rule's
result with its finding, and why and how to fix it when it fails. Needs no AWS account.
Exit status 1 if any error-level rule fails (suppressions, with their reasons, live in the environment file
under audit.suppress).

  --env <name>   environment from environments/index.ts
  --all          every environment
  --json         the reports as JSON (for CI)
  -h, --help     show this help
`;

await runScript(USAGE, async (argv) => {
  const args = parseCommandLine(argv, { env: { type: "string" }, all: { type: "boolean", default: false }, json: { type: "boolean", default: false } });
  if ((args.env === undefined) === !args.all) throw new UsageError("give --env <name> or --all");
  const { environments } = await import("../environments/index.ts");
  const names = args.all ? (await import("../environments/schema.ts")).resolveEnvironments(environments).map((e) => e.name) : [loadEnvironment(args.env!).name];
  const { auditEnvironments, formatAudit } = await import("../lib/audit.ts");
  const targetVersions = (JSON.parse(readFileSync("cdktf.json", "utf8")) as { targetVersions: Record<string, string> }).targetVersions;
  const reports = auditEnvironments(environments, names, targetVersions);
  console.log(args.json ? JSON.stringify(reports, null, 2) : reports.map(formatAudit).join("\n\n"));
  return reports.some((r) => r.blocking.length > 0) ? EXIT.failed : EXIT.ok;
});
