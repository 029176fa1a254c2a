import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

export const perfEndpointFollowsVersion: Rule = {
  id: "perf-endpoint-follows-version",
  level: "warning",
  group: "Performance",
  cause: "Each custom runtime endpoint names the runtime version it serves",
  why: "A custom endpoint stays on the version it was created with unless told otherwise: deploys would appear to do nothing.",
  fix: "Set agent_runtime_version on the endpoint to the runtime's agent_runtime_version (the runtime module does).",
  check(context) {
    const endpoints = resources(context.stacks.agent, "aws_bedrockagentcore_agent_runtime_endpoint");
    if (endpoints.length === 0) return notApplicable("no custom endpoint");
    const stale = endpoints.filter(([, e]) => e.agent_runtime_version === undefined);
    return stale.length > 0 ? fail(`endpoints without a version: ${stale.map(([, e]) => String(e.name)).join(", ")}`) : pass(`endpoint ${endpoints.map(([, e]) => String(e.name)).join(", ")} follows the runtime's version`);
  },
};
