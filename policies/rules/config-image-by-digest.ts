import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { runtime } from "./terraform.ts";

export const configImageByDigest: Rule = {
  id: "config-image-by-digest",
  level: "error",
  group: "Code/config",
  cause: "The runtime runs its container image by digest, not by tag",
  why: "AgentCore never re-pulls a moved tag: a tag-referenced runtime keeps running an old image while the registry says otherwise.",
  fix: "Deploy with the digest build-image prints (the deploy command, agentcore-s3files deploy, does); never point the runtime at :latest.",
  check(context) {
    const config = runtime(context);
    if (!config) return notApplicable("no runtime in the agent stack");
    const uri = String((config.agent_runtime_artifact as { container_configuration?: { container_uri?: string }[] }[] | undefined)?.[0]?.container_configuration?.[0]?.container_uri ?? "");
    return /@(sha256:[a-f0-9]{64}|\$\{var\.[a-z_]+\})$/.test(uri) ? pass("image referenced by digest") : fail(`container image "${uri}" is not referenced by digest`);
  },
};
