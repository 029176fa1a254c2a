import { fail, notApplicable, pass, type Rule } from "./rule";
import { runtime } from "./terraform";

const SECRET_NAME = /(^|_)(TOKEN|TOKENS|SECRET|SECRETS|KEY|KEYS|APIKEY|PASSWORD|PASSWD|PWD|CREDENTIAL|CREDENTIALS)(_|$)/i;
const SECRET_VALUE = /(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|ghp_[A-Za-z0-9]{20,}|xox[bp]-|sk-[A-Za-z0-9]{20,}/;

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
    const byName = Object.keys(variables).filter((name) => SECRET_NAME.test(name));
    const byValue = Object.entries(variables).filter(([, value]) => SECRET_VALUE.test(value)).map(([name]) => name);
    const found = [...new Set([...byName, ...byValue])];
    return found.length > 0 ? fail(`secret-like variables: ${found.join(", ")} (values not shown)`) : pass(`${Object.keys(variables).length} variables, none secret-like`);
  },
};
