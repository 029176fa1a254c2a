/**
 * Checks every synthesized environment must pass, for the tests that generate environments: each returns
 * what is wrong (empty when nothing is). Add a whole-output check here with one line, e.g. the AWS API
 * constraints check over the synthesized Terraform JSON.
 */
import type { Environment } from "../../environments/schema.ts";
import { checkAwsConstraints, formatViolation, readSynthesizedStacks } from "../../lib/aws-constraints/index.ts";
import { auditContext, runAudit } from "../../lib/audit/report.ts";

export interface SynthesizedEnvironment {
  readonly environment: Environment;
  /** The cdktf.out folder it was synthesized into. */
  readonly outdir: string;
}

export type OutputCheck = (synthesized: SynthesizedEnvironment) => string[];

/** The production-readiness audit finds no unsuppressed error-level failure. */
export const auditHasNoBlockingFinding: OutputCheck = ({ environment, outdir }) => {
  const report = runAudit(auditContext(environment, outdir), environment.auditSuppressions);
  return report.blocking.map((rule) => `audit: ${rule} fails (${report.results.find((r) => r.rule === rule)?.finding})`);
};

/**
 * Every value of the environment's stacks is one AWS accepts (issue 10's table). Synth already refuses a
 * violation; checking again here keeps the property test honest if synth's own check is ever bypassed.
 */
export const awsAcceptsEveryValue: OutputCheck = ({ environment, outdir }) =>
  checkAwsConstraints(readSynthesizedStacks(outdir).filter((s) => s.name.startsWith(`${environment.name}-`))).map((v) => `aws: ${formatViolation(v)}`);

export const OUTPUT_CHECKS: readonly OutputCheck[] = [
  auditHasNoBlockingFinding,
  awsAcceptsEveryValue,
];
