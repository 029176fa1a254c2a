/**
 * Production-readiness rules (shared/seeds/003: the AgentCore hardening checklist), in the cdk-nag shape:
 * one rule per file, each a pure function over an environment's synthesized Terraform JSON returning
 * pass / fail / n/a with a short finding, plus a cause, a why and a fix for the report.
 */

export type Group = "IAM" | "Authentication" | "Shell access" | "Code/config" | "Observability" | "Performance" | "Resources";
export const GROUPS: readonly Group[] = ["IAM", "Authentication", "Shell access", "Code/config", "Observability", "Performance", "Resources"];

export type Status = "pass" | "fail" | "n/a";

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
  readonly stage: "development" | "production";
  /** Synthesized stacks by layer. */
  readonly stacks: Readonly<Record<"network" | "storage" | "registry" | "agent", TerraformJson>>;
}

export interface Rule {
  /** Stable id, used in suppressions. */
  readonly id: string;
  /** An error-level failure fails the audit; a warning is reported only. */
  readonly level: "error" | "warning";
  readonly group: Group;
  /** One line: what the rule requires. */
  readonly cause: string;
  /** Why it matters. */
  readonly why: string;
  /** What to change when it fails. */
  readonly fix: string;
  readonly check: (context: AuditContext) => Finding;
}

export const pass = (finding: string): Finding => ({ status: "pass", finding });
export const fail = (finding: string): Finding => ({ status: "fail", finding });
export const notApplicable = (finding: string): Finding => ({ status: "n/a", finding });
