import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { jwtAuthorizer, runtime, statements } from "./terraform.ts";

/** Inbound auth is AWS_IAM or CUSTOM_JWT, not NONE (checklist: Authentication). */
export const authInboundNotNone: Rule = {
  id: "auth-inbound-not-none",
  level: "error",
  group: "Authentication",
  cause: "Callers must authenticate: SigV4 (AWS_IAM) or a JWT, and no resource policy opens the runtime to anyone",
  why: "An unauthenticated agent runs models and tools on the account's bill and with its data for whoever finds the endpoint.",
  fix: 'Use agent.auth { type: "AWS_IAM" } or { type: "CUSTOM_JWT", … }; never allow Principal "*" without a condition.',
  check(context) {
    const config = runtime(context);
    if (!config) return notApplicable("no runtime in the agent stack");
    const open = statements(context).filter(
      ({ type, statement }) => type === "aws_bedrockagentcore_resource_policy" && statement.Effect === "Allow" && JSON.stringify(statement.Principal ?? "").includes('"*"') && statement.Condition === undefined,
    );
    if (open.length > 0) return fail("the runtime resource policy allows any principal without a condition");
    const jwt = jwtAuthorizer(config);
    return pass(jwt ? "inbound auth: CUSTOM_JWT" : "inbound auth: AWS_IAM (SigV4)");
  },
};
