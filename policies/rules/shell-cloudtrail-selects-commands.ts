import { RUNTIME_DATA_EVENT_RESOURCE_TYPES } from "../alert.ts";
import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { resources, runtime } from "./terraform.ts";

interface FieldSelector {
  readonly field?: string;
  readonly equals?: readonly string[];
}

/** The resource types whose command data events a trail's advanced event selectors log. */
function selectedCommandTypes(trail: Record<string, unknown>): string[] {
  const selectors = (trail.advanced_event_selector ?? []) as { field_selector?: FieldSelector[] }[];
  return selectors.flatMap((selector) => {
    const fields = selector.field_selector ?? [];
    const equals = (field: string) => fields.find((f) => f.field === field)?.equals ?? [];
    const logsCommands = equals("eventCategory").includes("Data") && equals("eventName").includes("InvokeAgentRuntimeCommand");
    return logsCommands ? [...equals("resources.type")] : [];
  });
}

/** The CloudTrail selection without which the command event never reaches EventBridge. */
export const shellCloudtrailSelectsCommands: Rule = {
  id: "shell-cloudtrail-selects-commands",
  level: "error",
  group: "Shell access",
  cause: "A trail logs this runtime's InvokeAgentRuntimeCommand data events, on the runtime and on its endpoints (or the alert names an existing trail that does)",
  why: "Runtime invocations are CloudTrail data events, off by default: without a trail selecting them, the alert rule never fires. A command sent through an endpoint is recorded under the endpoint's resource type.",
  fix: 'Keep agent.alerts.cloudTrail "create", or name an existing trail with one advanced event selector per resource type (AWS::BedrockAgentCore::Runtime and ::RuntimeEndpoint) for these events.',
  check(context) {
    if (!runtime(context)) return notApplicable("no runtime in the agent stack");
    const trails = resources(context.stacks.agent, "aws_cloudtrail");
    for (const [, trail] of trails) {
      const selected = selectedCommandTypes(trail);
      const missing = RUNTIME_DATA_EVENT_RESOURCE_TYPES.filter((type) => !selected.includes(type));
      if (missing.length === 0) return pass(`trail ${String(trail.name)} selects the command data events of the runtime and its endpoints`);
      if (selected.length > 0) return fail(`trail ${String(trail.name)} does not select command data events of ${missing.join(", ")}`);
    }
    const existing = context.stacks.agent.output?.alert_trail_arn?.value;
    if (trails.length === 0 && typeof existing === "string" && existing.startsWith("arn:")) {
      return pass(`relies on existing trail ${existing} (its selector is not visible here: check it logs InvokeAgentRuntimeCommand data events of ${RUNTIME_DATA_EVENT_RESOURCE_TYPES.join(" and ")})`);
    }
    return fail("no trail selects InvokeAgentRuntimeCommand data events");
  },
};
