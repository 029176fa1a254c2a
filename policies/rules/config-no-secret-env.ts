import { secretLikeVariable } from "../secrets.ts";
import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { runtime } from "./terraform.ts";

/** No secrets hardcoded (checklist: Code quality). */
export const configNoSecretEnv: Rule = {
  id: "config-no-secret-env",
  level: "error",
  group: "Code/config",
  cause: "No runtime environment variable is named like a secret or holds a value shaped like a credential",
  why: "Runtime environment variables are plain configuration: anyone who can describe the runtime, and its logs, can read them.",
  fix: "Move the secret to AgentCore Identity (credential providers) or Secrets Manager and read it at run time.",
  check(context) {
    const config = runtime(context);
    if (!config) return notApplicable("no runtime in the agent stack");
    const variables = (config.environment_variables ?? {}) as Record<string, string>;
    const found = Object.entries(variables).flatMap(([name, value]) => {
      // "${…}" in synthesized JSON is a Terraform reference (a bucket name from another stack), never a literal:
      // the schema refuses the sequence in anything an environment file sets.
      const why = secretLikeVariable(name, String(value).replace(/\$\{[^}]*\}/g, " "));
      return why === undefined ? [] : [`${name} (${why})`];
    });
    return found.length > 0 ? fail(`secret-like variables: ${found.join(", ")}; values not shown`) : pass(`${Object.keys(variables).length} variables, none secret-like`);
  },
};
