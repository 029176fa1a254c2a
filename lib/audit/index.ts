/**
 * The checks this package runs over synthesized Terraform JSON, for consumer apps to run over their own output
 * (`agentcore-s3files-infra/audit`):
 *
 * - the production-readiness audit: one rule per file (policies/rules/), run per environment with its written
 *   suppressions (`auditSynthesized("cdktf.out")`, or `runAudit(auditContext(…), …)` for stacks of your own);
 * - what AWS accepts: every value checked against the AWS API constraints table, each row citing the API model
 *   member it becomes (`checkAwsConstraints(readSynthesizedStacks("cdktf.out"))`), and one value at a time
 *   (`valueBreaks`);
 * - the service rules the models do not state (`checkServiceRules`), each with its documentation page.
 *
 * `agentcore-s3files audit --env <name>` runs the first over an app's environment.
 *
 * @module agentcore-s3files-infra/audit
 */
export { auditContext, auditSynthesized, formatAudit, runAudit, type AuditReport, type AuditResult } from "./report.ts";
export { GROUPS, levelIn, RULE_IDS, RULES, type AuditContext, type Finding, type Group, type Level, type Rule, type Stage, type Status, type TerraformJson } from "../../policies/rules/index.ts";
export {
  AWS_CONSTRAINTS,
  AwsConstraintError,
  checkAwsConstraints,
  formatViolation,
  readSynthesizedStacks,
  valueBreaks,
  type ApiMember,
  type BoundsConstraint,
  type BrokenRule,
  type Constraint,
  type EnumConstraint,
  type ModelDocumentation,
  type ModelTrait,
  type PatternConstraint,
  type PolicySizeConstraint,
  type PrefixConstraint,
  type ServiceDocumentation,
  type ConstraintRow,
  type RuleSource,
  type SynthesizedStack,
  type Violation,
} from "../aws-constraints/index.ts";
export { checkServiceRules, SERVICE_RULES, type ServiceRule, type ServiceRuleFinding } from "../service-rules.ts";
