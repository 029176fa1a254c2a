/** Runs the production-readiness rules over synthesized environments and reports them as a checklist. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readEnvironmentDescriptions } from "../../modules/environment/description.ts";
import type { AuditSuppression, Stage } from "../../modules/environment/props.ts";
import { GROUPS, levelIn, RULES, type AuditContext, type Level, type Rule, type Status, type TerraformJson } from "../../policies/rules/index.ts";
import { LAYERS, stackName } from "../../modules/environment/environment-stack.ts";

/** One rule's outcome in an environment. */
export interface AuditResult {
  /** The rule's id. */
  readonly rule: string;
  /** The rule's level in this environment's stage. */
  readonly level: Level;
  /** The checklist section. */
  readonly group: Rule["group"];
  /** What the rule requires. */
  readonly cause: string;
  /** The outcome. */
  readonly status: Status;
  /** What was observed. */
  readonly finding: string;
  /** The written reason, when the environment suppresses this rule. */
  readonly suppressed?: string;
  /** Why it matters (when it failed). */
  readonly why?: string;
  /** What to change (when it failed). */
  readonly fix?: string;
}

/** The checklist of one environment. */
export interface AuditReport {
  /** The environment's name. */
  readonly environment: string;
  /** Its stage. */
  readonly stage: string;
  /** Every rule's outcome, in report order. */
  readonly results: readonly AuditResult[];
  /** Error-level rules that failed and are not suppressed: these fail the audit. */
  readonly blocking: readonly string[];
}

/** What the rules read of an environment synthesized into `outdir`: its four stacks' Terraform JSON. */
export function auditContext(environment: { readonly name: string; readonly stage: Stage }, outdir: string): AuditContext {
  const read = (layer: (typeof LAYERS)[number]) => JSON.parse(readFileSync(join(outdir, "stacks", stackName(environment.name, layer), "cdk.tf.json"), "utf8")) as TerraformJson;
  return {
    environment: environment.name,
    stage: environment.stage,
    stacks: { network: read("network"), storage: read("storage"), registry: read("registry"), agent: read("agent") },
  };
}

/** Every rule over one environment's stacks; a suppressed rule still runs and shows its finding, with the reason. */
export function runAudit(context: AuditContext, suppressions: readonly AuditSuppression[], rules: readonly Rule[] = RULES): AuditReport {
  const reasons = new Map(suppressions.map((s) => [s.rule, s.reason]));
  const results = rules.map((rule): AuditResult => {
    let status: Status;
    let finding: string;
    try {
      ({ status, finding } = rule.check(context));
    } catch (error) {
      // A rule that cannot read the configuration is a visible failure, never a silent pass.
      status = "fail";
      finding = `the rule could not evaluate the configuration: ${(error as Error).message}`;
    }
    const suppressed = reasons.get(rule.id);
    return {
      rule: rule.id,
      level: levelIn(rule, context.stage),
      group: rule.group,
      cause: rule.cause,
      status,
      finding,
      ...(suppressed !== undefined && { suppressed }),
      ...(status === "fail" && { why: rule.why, fix: rule.fix }),
    };
  });
  return {
    environment: context.environment,
    stage: context.stage,
    results,
    blocking: results.filter((r) => r.status === "fail" && r.level === "error" && r.suppressed === undefined).map((r) => r.rule),
  };
}

/**
 * Audits every environment an app synthesized into `outdir` (found by the descriptions its stacks carry), with the
 * suppressions each environment declares, in the order the app defines them.
 * @param names only these environments @default every environment in `outdir`
 */
export function auditSynthesized(outdir: string, names?: readonly string[]): AuditReport[] {
  return readEnvironmentDescriptions(outdir)
    .filter((d) => names === undefined || names.includes(d.name))
    .map((d) => runAudit(auditContext(d, outdir), d.auditSuppressions));
}

/** The report as a person reads it: one line per rule by section, the why and fix of each failure, then the counts. */
export function formatAudit(report: AuditReport): string {
  const width = Math.max(...report.results.map((r) => r.rule.length));
  const mark = (r: AuditResult) => (r.suppressed !== undefined && r.status === "fail" ? "supp" : r.status === "pass" ? "pass" : r.status === "n/a" ? "n/a " : "FAIL");
  const lines = [`Production readiness: ${report.environment} (${report.stage})`];
  for (const group of GROUPS) {
    const inGroup = report.results.filter((r) => r.group === group);
    if (inGroup.length === 0) continue;
    lines.push("", group);
    for (const r of inGroup) {
      const level = r.status === "fail" ? ` (${r.level})` : "";
      lines.push(`  [${mark(r)}] ${r.rule.padEnd(width)}  ${r.finding}${level}`);
      if (r.suppressed !== undefined && r.status === "fail") lines.push(`         ${"".padEnd(width)}  suppressed: ${r.suppressed}`);
      else if (r.status === "fail") lines.push(`         ${"".padEnd(width)}  why: ${r.why}`, `         ${"".padEnd(width)}  fix: ${r.fix}`);
    }
  }
  const count = (f: (r: AuditResult) => boolean) => report.results.filter(f).length;
  lines.push(
    "",
    `${count((r) => r.status === "pass")} pass, ${count((r) => r.status === "fail" && r.suppressed === undefined)} fail (${report.blocking.length} error-level), ` +
      `${count((r) => r.status === "fail" && r.suppressed !== undefined)} suppressed, ${count((r) => r.status === "n/a")} n/a` +
      (report.blocking.length > 0 ? ` — not production-ready: ${report.blocking.join(", ")}` : " — no error-level finding"),
  );
  return lines.join("\n");
}
