import { fail, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

/** Trust policy scoped to the account (and runtime) (checklist: IAM). */
export const iamTrustScoped: Rule = {
  id: "iam-trust-scoped",
  level: "error",
  group: "IAM",
  cause: "The execution role trusts bedrock-agentcore.amazonaws.com only with aws:SourceAccount and aws:SourceArn conditions",
  why: "Without them, the service could be made to assume the role on behalf of another account's runtime (the confused-deputy problem).",
  fix: "Condition the trust on StringEquals aws:SourceAccount and ArnLike aws:SourceArn arn:…:runtime/<name>-*.",
  check(context) {
    const roles = resources(context.stacks.agent, "aws_iam_role").filter(([, role]) => String(role.assume_role_policy).includes("bedrock-agentcore.amazonaws.com"));
    if (roles.length === 0) return fail("no role trusted by bedrock-agentcore.amazonaws.com (no execution role)");
    for (const [id, role] of roles) {
      const trust = JSON.parse(String(role.assume_role_policy)) as { Statement: { Effect: string; Condition?: Record<string, Record<string, unknown>> }[] };
      for (const statement of trust.Statement.filter((s) => s.Effect === "Allow")) {
        const account = statement.Condition?.StringEquals?.["aws:SourceAccount"];
        const source = statement.Condition?.ArnLike?.["aws:SourceArn"] ?? statement.Condition?.ArnEquals?.["aws:SourceArn"];
        if (account === undefined) return fail(`${id}: trust has no aws:SourceAccount condition`);
        if (typeof source !== "string" || !/:runtime\/[^*]+/.test(source)) return fail(`${id}: trust has no aws:SourceArn condition naming the runtime`);
      }
    }
    return pass("execution role trust conditioned on aws:SourceAccount and the runtime's aws:SourceArn");
  },
};
