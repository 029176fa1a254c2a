import { fail, notApplicable, pass, type Rule } from "./rule";
import { resources, runtime } from "./terraform";

/** The CloudTrail selection without which the command event never reaches EventBridge. */
export const shellCloudtrailSelectsCommands: Rule = {
  id: "shell-cloudtrail-selects-commands",
  level: "error",
  group: "Shell access",
  cause: "A trail logs this runtime's InvokeAgentRuntimeCommand data events (or the alert names an existing trail that does)",
  why: "Runtime invocations are CloudTrail data events, off by default: without a trail selecting them, the alert rule never fires.",
  fix: 'Keep agent.alerts.cloudTrail "create", or name an existing trail whose advanced event selector includes these events.',
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const trails = resources(context.stacks.agent, "aws_cloudtrail");
    const selecting = trails.filter(([, t]) => {
      const selectors = JSON.stringify(t.advanced_event_selector ?? []);
      return selectors.includes("InvokeAgentRuntimeCommand") && selectors.includes("Data");
    });
    if (selecting.length > 0) return pass(`trail ${String(selecting[0]![1].name)} selects the command data events`);
    const existing = context.stacks.agent.output?.alert_trail_arn?.value;
    if (trails.length === 0 && typeof existing === "string" && existing.startsWith("arn:")) {
      return pass(`relies on existing trail ${existing} (its selector is not visible here: check it includes InvokeAgentRuntimeCommand data events)`);
    }
    return fail("no trail selects InvokeAgentRuntimeCommand data events");
  },
};
