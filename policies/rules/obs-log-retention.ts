import { fail, notApplicable, pass, type Rule } from "./rule";
import { allResources, runtime } from "./terraform";

/** CloudWatch log retention policy set (checklist: Observability). */
export const obsLogRetention: Rule = {
  id: "obs-log-retention",
  level: "warning",
  group: "Observability",
  cause: "Every log group the environment creates, including the runtime's, has a retention period",
  why: "Log groups without retention keep everything forever: cost grows without bound and data outlives its purpose.",
  fix: "Set agent.logRetentionDays (and network.flowLogs.retentionDays).",
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const groups = allResources(context, "aws_cloudwatch_log_group");
    const runtimeGroups = groups.filter(([, g]) => String(g.name).startsWith("/aws/bedrock-agentcore/runtimes/"));
    if (runtimeGroups.length === 0) return fail("the runtime's log groups are not managed here, so they have no retention");
    const unbounded = groups.filter(([, g]) => !(typeof g.retention_in_days === "number" && g.retention_in_days > 0));
    return unbounded.length > 0 ? fail(`no retention on ${unbounded.map(([, g]) => String(g.name)).join(", ")}`) : pass(`${groups.length} log groups, retention ${[...new Set(groups.map(([, g]) => g.retention_in_days))].join("/")} days`);
  },
};
