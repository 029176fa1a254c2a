import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { actionCovers, list, runtime, statements } from "./terraform.ts";

/** X-Ray tracing enabled (checklist: Observability). */
export const obsTracingPermitted: Rule = {
  id: "obs-tracing-permitted",
  level: "warning",
  group: "Observability",
  cause: "The execution role may send traces and metrics (X-Ray, CloudWatch bedrock-agentcore namespace)",
  why: "AgentCore observability needs these permissions; without them traces and metrics silently go missing.",
  fix: "Keep the SendTraces and PublishAgentCoreMetrics statements of the execution role policy.",
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const allowed = statements(context).filter((s) => s.type === "aws_iam_role_policy" && s.statement.Effect === "Allow").flatMap((s) => list(s.statement.Action));
    const missing = ["xray:PutTraceSegments", "cloudwatch:PutMetricData"].filter((action) => !allowed.some((a) => actionCovers(a, action)));
    return missing.length > 0 ? fail(`the execution role cannot ${missing.join(" or ")}`) : pass("traces and metrics permitted");
  },
};
