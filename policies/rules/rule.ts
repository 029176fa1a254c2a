/**
 * Production-readiness rules (shared/seeds/003: the AgentCore hardening checklist), in the cdk-nag shape:
 * one rule per file, each a pure function over an environment's synthesized Terraform JSON returning
 * pass / fail / n/a with a short finding, plus a cause, a why and a fix for the report.
 */

/** The checklist's sections (shared/seeds/003). */
export type Group = "IAM" | "Authentication" | "Shell access" | "Code/config" | "Observability" | "Performance" | "Resources";
/** Every Group, in report order. */
export const GROUPS: readonly Group[] = ["IAM", "Authentication", "Shell access", "Code/config", "Observability", "Performance", "Resources"];

/** A rule's outcome: it holds, it is broken, or the configuration has nothing it applies to. */
export type Status = "pass" | "fail" | "n/a";

/** An error-level failure fails the audit; a warning is reported only. */
export type Level = "error" | "warning";
/** The environment's stage, which can set a rule's level. */
export type Stage = "development" | "production";

/** What a rule found. */
export interface Finding {
  /** The outcome. */
  readonly status: Status;
  /** What was observed, in a line. */
  readonly finding: string;
}

/** The part of a stack's synthesized Terraform JSON the rules read. */
export type TerraformJson = {
  /** Resources by type, then by logical id. */
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  /** Outputs by name. */
  readonly output?: Readonly<Record<string, {
    /** The output's value (a literal or a Terraform reference). */
    readonly value: unknown;
  }>>;
};

/** What a rule judges: one environment's four stacks. */
export interface AuditContext {
  /** The environment's name. */
  readonly environment: string;
  /** Its stage. */
  readonly stage: Stage;
  /** Synthesized stacks by layer. */
  readonly stacks: Readonly<Record<"network" | "storage" | "registry" | "agent", TerraformJson>>;
}

/** A production-readiness rule. */
export interface Rule {
  /** Stable id, used in suppressions. */
  readonly id: string;
  /**
   * An error-level failure fails the audit; a warning is reported only. A rule whose requirement the stage
   * table (README "Stage defaults") makes optional in development gives its level per stage.
   */
  readonly level: Level | Readonly<Record<Stage, Level>>;
  /** The checklist section. */
  readonly group: Group;
  /** One line: what the rule requires. */
  readonly cause: string;
  /** Why it matters. */
  readonly why: string;
  /** What to change when it fails. */
  readonly fix: string;
  /** The check: a pure function of the stacks. */
  readonly check: (context: AuditContext) => Finding;
}

/** The level a rule has in an environment of this stage. */
export function levelIn(rule: Pick<Rule, "level">, stage: Stage): Level {
  return typeof rule.level === "string" ? rule.level : rule.level[stage];
}

/** The level as the README's rules table writes it. */
export function describeLevel(rule: Pick<Rule, "level">): string {
  if (typeof rule.level === "string") return rule.level;
  const { production, development } = rule.level;
  return production === development ? production : `${production} in production, ${development} in development`;
}

export const pass = (finding: string): Finding => ({ status: "pass", finding });
export const fail = (finding: string): Finding => ({ status: "fail", finding });
export const notApplicable = (finding: string): Finding => ({ status: "n/a", finding });
