import { OPERATOR_ACTION } from "../agent.ts";
import { fail, pass, type Rule } from "./rule.ts";
import { actionCovers, list, statements } from "./terraform.ts";

const SHELL = OPERATOR_ACTION;

/** Separate IAM policy for InvokeAgentRuntimeCommand (checklist: Shell access). */
export const shellSeparatePolicy: Rule = {
  id: "shell-separate-policy",
  level: "error",
  group: "Shell access",
  cause: "InvokeAgentRuntimeCommand is allowed only by a managed policy that allows nothing else",
  why: "The action runs arbitrary commands in a live microVM with the execution role's credentials; mixed into an invoke or role policy, it reaches every holder of that policy unnoticed.",
  fix: "Keep InvokeAgentRuntimeCommand in the operator policy alone; never in a role's inline policy or the invoker policy.",
  check(context) {
    const grants = statements(context).filter(({ statement }) => statement.Effect === "Allow" && list(statement.Action).some((a) => actionCovers(a, SHELL)));
    const misplaced = grants.filter(({ type, statement }) => type !== "aws_iam_policy" || list(statement.Action).length !== 1);
    if (misplaced.length > 0) return fail(`InvokeAgentRuntimeCommand allowed in ${misplaced.map((g) => `${g.type}.${g.id}`).join(", ")} beside other actions or outside a managed policy`);
    const policies = new Set(grants.map((g) => g.id));
    for (const id of policies) {
      const others = statements(context).filter((s) => s.type === "aws_iam_policy" && s.id === id && s.statement.Effect === "Allow" && !list(s.statement.Action).every((a) => a === SHELL));
      if (others.length > 0) return fail(`managed policy ${id} allows other actions besides InvokeAgentRuntimeCommand`);
    }
    return pass(grants.length === 0 ? "no policy allows InvokeAgentRuntimeCommand" : `InvokeAgentRuntimeCommand only in ${[...policies].join(", ")}, alone`);
  },
};
