/**
 * Step: stop what the network bills by the hour, as soon as the agent is gone. AgentCore can hold its ENIs in the
 * subnets for up to 8 hours after the runtime is deleted (shared/REFERENCE.md "AgentCore Runtime"); they block
 * only the security groups and subnets. The NAT gateways and their Elastic IPs, the interface endpoints and the
 * flow-log delivery do not wait for them, and cost money every hour they exist (lib/cost/billing.ts): this step
 * destroys exactly those, and leaves the network's free resources (VPC, subnets, route tables, security groups) for
 * the network step.
 *
 * How: the network stack's own `cdktn destroy`, narrowed to those resources by TF_CLI_ARGS_destroy="-target=…"
 * (cdktn hands Terraform its environment: @cdktn/cli-core deploy-machine.ts `createAndStartDestroyService`;
 * Terraform inserts TF_CLI_ARGS_destroy after `destroy`: Terraform CLI docs, "EnvironmentDescription Variables"; so does
 * OpenTofu: opentofu/opentofu cmd/tofu/main.go `mergeEnvArgs`). Terraform also destroys whatever depends on a target (the routes through a NAT
 * gateway), and leaves the stack's outputs as they were, so the storage stack still reads the subnets and security
 * groups from them (checked against Terraform 1.11.4: test/fake-aws/fixtures/terraform-1.11.4/targeted-destroy.*).
 * No module change and no construct id change: the addresses come from the stack's state.
 */
import { billingOf, describeBillable } from "../../../lib/cost/index.ts";
import { stackName } from "../../../modules/environment/environment-stack.ts";
import { managedResources, readStackState, type StateResource } from "../stack-state.ts";
import type { StepOutcome } from "../steps.ts";
import { destroyStack, plural, type TeardownContext } from "./context.ts";

/** A resource in a stack's state that AWS bills by the hour or by use (not one that is free or bills what it stores). */
export function chargesWhileItExists(resource: StateResource): boolean {
  const billing = billingOf(resource.type, resource.instances[0]?.attributes ?? {});
  return billing === "hourly" || billing === "usage";
}

/** "NAT gateway nat-0a1…", for reports. */
export function describeResource(resource: StateResource): string {
  const attributes = resource.instances[0]?.attributes ?? {};
  const what = describeBillable(resource.type, attributes);
  return typeof attributes.id === "string" && !what.includes(attributes.id) ? `${what} ${attributes.id}` : what;
}

export async function stopHourlyCharges(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, environment: env, findings } = ctx;
  const stack = stackName(env.name, "network");
  const state = await readStackState(deps.outdir, stack, deps.stateBucket);
  const managed = managedResources(state);
  if (managed.length === 0) return { unchanged: true, detail: "network already gone" };
  const billed = managed.filter(chargesWhileItExists);
  if (billed.length === 0) return { unchanged: true, detail: `nothing in ${stack} is billed by the hour` };
  const what = billed.map(describeResource);
  deps.log("hourly", `destroying what ${stack} bills by the hour, without waiting for AgentCore's ENIs: ${what.join(", ")}`);
  const targets = billed.map((r) => `-target=${r.type}.${r.name}`).join(" ");
  await destroyStack(ctx, "hourly", "network", [], { TF_CLI_ARGS_destroy: targets });
  findings.hourlyStopped = { what, at: new Date(deps.clock.now()).toISOString() };
  return { detail: `destroyed ${plural(billed.length, "hourly-billed resource")}: ${what.join(", ")}` };
}
