/**
 * Production-readiness rules (shared/seeds/003: the AgentCore hardening checklist), in the cdk-nag shape:
 * one rule per file, each a pure function over an environment's synthesized Terraform JSON returning
 * pass / fail / n/a with a short finding, plus a cause, a why and a fix for the report.
 */

export type Group = "IAM" | "Authentication" | "Shell access" | "Code/config" | "Observability" | "Performance" | "Resources";
export const GROUPS: readonly Group[] = ["IAM", "Authentication", "Shell access", "Code/config", "Observability", "Performance", "Resources"];

export type Status = "pass" | "fail" | "n/a";

export type Level = "error" | "warning";
export type Stage = "development" | "production";

export interface Finding {
  readonly status: Status;
  readonly finding: string;
}

export type TerraformJson = {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output?: Readonly<Record<string, { readonly value: unknown }>>;
};

export interface AuditContext {
  readonly environment: string;
  readonly stage: Stage;
  /** Synthesized stacks by layer. */
  readonly stacks: Readonly<Record<"network" | "storage" | "registry" | "agent", TerraformJson>>;
}

export interface Rule {
  /** Stable id, used in suppressions. */
  readonly id: string;
  /**
   * An error-level failure fails the audit; a warning is reported only. A rule whose requirement the stage
   * table (README "Stage defaults") makes optional in development gives its level per stage.
   */
  readonly level: Level | Readonly<Record<Stage, Level>>;
  readonly group: Group;
  /** One line: what the rule requires. */
  readonly cause: string;
  /** Why it matters. */
  readonly why: string;
  /** What to change when it fails. */
  readonly fix: string;
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
