import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { runtime } from "./terraform.ts";

/** idleRuntimeSessionTimeout tuned to the workload (checklist: Performance). */
export const perfLifecycleExplicit: Rule = {
  id: "perf-lifecycle-explicit",
  level: "warning",
  group: "Performance",
  cause: "The runtime sets its idle session timeout and maximum lifetime explicitly",
  why: "Service defaults (900 s idle, 8 h lifetime) fit interactive chat; batch work holds microVMs (and quota) far longer than it needs, long jobs get cut off.",
  fix: "Choose agent.workload (interactive, batch, long-running) or set idleTimeoutSeconds and maxLifetimeSeconds.",
  check(context) {
    const config = runtime(context);
    if (!config) return notApplicable("no runtime in the agent stack");
    const lifecycle = (config.lifecycle_configuration as { idle_runtime_session_timeout?: number; max_lifetime?: number }[] | undefined)?.[0];
    if (lifecycle?.idle_runtime_session_timeout === undefined || lifecycle.max_lifetime === undefined) return fail("lifecycle left to the service defaults");
    return pass(`idle ${lifecycle.idle_runtime_session_timeout}s, max lifetime ${lifecycle.max_lifetime}s`);
  },
};
