import { OPERATOR_ACTION } from "../agent.ts";
import { fail, pass, type Rule } from "./rule.ts";
import { allResources, list, reference, statements } from "./terraform.ts";

const SHELL = OPERATOR_ACTION;

/** InvokeAgentRuntimeCommand granted only to identities that need it (checklist: Shell access). */
export const shellNamedOperatorsOnly: Rule = {
  id: "shell-named-operators-only",
  level: "error",
  group: "Shell access",
  cause: "The operator policy is attached only to explicitly named roles, users or groups",
  why: "Shell access should be a deliberate, reviewable grant per person or on-call role, not something inherited through a broad attachment.",
  fix: "List operators in agent.operators; attach the operator policy nowhere else (no aws_iam_policy_attachment, no wildcard groups).",
  check(context) {
    const operatorPolicies = new Set(
      statements(context)
        .filter(({ type, statement }) => type === "aws_iam_policy" && statement.Effect === "Allow" && list(statement.Action).includes(SHELL))
        .map(({ id }) => reference("aws_iam_policy", id, "arn")),
    );
    if (operatorPolicies.size === 0) return pass("no operator policy exists");
    const broad = allResources(context, "aws_iam_policy_attachment").filter(([, a]) => operatorPolicies.has(String(a.policy_arn)));
    if (broad.length > 0) return fail(`the operator policy is attached through aws_iam_policy_attachment ${broad.map(([id]) => id).join(", ")} (exclusive, unreviewable)`);
    const named = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"].flatMap((type) =>
      allResources(context, type)
        .filter(([, a]) => operatorPolicies.has(String(a.policy_arn)))
        .map(([, a]) => String(a.role ?? a.user ?? a.group)),
    );
    const unnamed = named.filter((name) => name.includes("${") || name.includes("*"));
    if (unnamed.length > 0) return fail(`the operator policy is attached to principals that are not named literally: ${unnamed.join(", ")}`);
    return pass(named.length === 0 ? "the operator policy is attached to nobody" : `operators: ${named.join(", ")}`);
  },
};
