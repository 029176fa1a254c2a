import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { jwtAuthorizer, runtime } from "./terraform.ts";

/**
 * Commands in the runtime are authorized by IAM (checklist: Shell access). With a CUSTOM_JWT authorizer AgentCore
 * takes bearer tokens on InvokeAgentRuntimeCommand and the interactive shell and refuses SigV4 (AgentCore devguide,
 * "Interactive shells" and "Authenticate and authorize with Inbound Auth"), so the operator policy, the execution
 * role's Deny and shell-named-operators-only restrict nobody.
 */
export const shellIamAuthorizesCommands: Rule = {
  id: "shell-iam-authorizes-commands",
  level: "error",
  group: "Shell access",
  cause: "Commands in the runtime are authorized by IAM: the runtime takes SigV4 (AWS_IAM) requests, not bearer tokens",
  why: "With a JWT authorizer, InvokeAgentRuntimeCommand and the interactive shell are authorized by the bearer token: every holder of a token the authorizer accepts can run commands with the execution role's credentials, and no operator policy narrows that.",
  fix: 'Use agent.auth { type: "AWS_IAM" }; or, if every token holder may run commands, suppress this rule with the reason (and keep allowedClients and allowedScopes narrow).',
  check(context) {
    const config = runtime(context);
    if (!config) return notApplicable("no runtime in the agent stack");
    const jwt = jwtAuthorizer(config);
    if (jwt) return fail(`the runtime's JWT authorizer (${String(jwt.discovery_url)}) lets every holder of a token it accepts run commands in the microVMs; no IAM policy restricts them`);
    return pass("inbound auth is AWS_IAM: only principals allowed InvokeAgentRuntimeCommand can run commands");
  },
};
