import { fail, pass, type Rule } from "./rule.ts";
import { actionCovers, list, statements } from "./terraform.ts";

/** Execution role Bedrock access scoped to specific model ARNs (checklist: IAM). */
export const iamBedrockModelScoped: Rule = {
  id: "iam-bedrock-model-scoped",
  level: "error",
  group: "IAM",
  cause: "Bedrock model invocation is allowed only on named model and inference-profile ARNs",
  why: "A role that may invoke foundation-model/* can run any model in the account, including expensive ones the agent was never meant to use; a leaked session can run up cost and reach models outside review.",
  fix: "List the exact models in agent.models; the execution role is built from that list.",
  check(context) {
    const invoke = statements(context).filter(({ statement }) => statement.Effect === "Allow" && list(statement.Action).some((a) => actionCovers(a, "bedrock:InvokeModel")));
    if (invoke.length === 0) return fail("no statement allows bedrock:InvokeModel: the agent cannot call a model");
    const broad = invoke.flatMap(({ statement }) => list(statement.Resource)).filter((r) => r === "*" || /(foundation-model|inference-profile)\/[^/]*\*/.test(r));
    if (broad.length > 0) return fail(`model access is not scoped: ${broad.join(", ")}`);
    const models = new Set(invoke.flatMap(({ statement }) => list(statement.Resource)));
    return pass(`Bedrock invoke limited to ${models.size} model/profile ARN${models.size === 1 ? "" : "s"}`);
  },
};
