/**
 * Rules AWS services impose that are not in the API models: what a service principal may be given in a key
 * policy, which data-event resource types a trail must select, what must exist before a runtime is created,
 * how VPC-mode runtimes and S3 Files mount targets must meet, and quotas a configuration can run into. Each rule
 * names the page (or repository path, or issue) that states it, and is a pure check over synthesized stacks
 * returning what breaks it. Tests pin each one against the shipped environments and a copy that breaks it.
 */
import type { SynthesizedStack } from "./aws-constraints/index.ts";
import { ALERTING_RULES } from "./service-rules/alerting.ts";
import { RUNTIME_RULES } from "./service-rules/runtime.ts";

/** A rule an AWS service imposes that its API model does not state. */
export interface ServiceRule {
  /** A stable id. */
  readonly id: string;
  /** What AWS requires, in a sentence. */
  readonly rule: string;
  /** Where it is stated: a URL, a repository path, or an issue. */
  readonly source: string;
  /** What in these stacks breaks the rule; empty when it holds. */
  readonly check: (stacks: readonly SynthesizedStack[]) => string[];
}

/** Every service rule, each with the page that states it. */
export const SERVICE_RULES: readonly ServiceRule[] = [...ALERTING_RULES, ...RUNTIME_RULES];

/** Something in the stacks that breaks a service rule. */
export interface ServiceRuleFinding {
  /** The rule's id. */
  readonly rule: string;
  /** What breaks it. */
  readonly finding: string;
}

/** Every rule's findings over these stacks. */
export function checkServiceRules(stacks: readonly SynthesizedStack[], rules: readonly ServiceRule[] = SERVICE_RULES): ServiceRuleFinding[] {
  return rules.flatMap((rule) => rule.check(stacks).map((finding) => ({ rule: rule.id, finding })));
}
