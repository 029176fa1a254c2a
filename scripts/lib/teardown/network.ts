/**
 * Step: the network stack, once storage is gone and AgentCore holds no ENI. If Terraform still meets a
 * DependencyViolation (an ENI appeared meanwhile, or something outside this project uses the subnets), the
 * step lists every ENI still in the network and names them: the run is resumable when AgentCore holds some
 * (AWS releases them), a failure otherwise (someone has to remove them).
 */
import { StackCommandError } from "../cdktn.ts";
import type { StepOutcome } from "../steps.ts";
import { destroyStack, ResumableStop, type TeardownContext } from "./context.ts";
import { describeEni, heldMessage, listNetworkEnis, networkFilter, releaseEstimate } from "./enis.ts";
import { runtimeDeletedAt } from "./deleted-at.ts";

export async function destroyNetworkStack(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, environment: env, findings } = ctx;
  let hadResources: boolean;
  try {
    ({ hadResources } = await destroyStack(ctx, "network", "network"));
  } catch (error) {
    if (!(error instanceof StackCommandError) || error.kind !== "dependency-violation") throw error;
    const filter = await networkFilter(ctx);
    findings.enis = filter ? await listNetworkEnis(ctx, filter) : [];
    const held = findings.enis.filter((e) => e.kind === "agentcore");
    if (held.length > 0) {
      const estimate = releaseEstimate((await runtimeDeletedAt(ctx))?.at, deps.clock.now());
      findings.retryAfter = estimate.by;
      throw new ResumableStop(`${error.message}. ${heldMessage(held, estimate)}`, estimate.by);
    }
    const blocking = findings.enis.filter((e) => e.kind !== "agentcore");
    error.message = `${error.message}. ${blocking.length > 0 ? `Still in the network: ${blocking.map(describeEni).join("; ")}` : "No ENI is left in the network; what else holds it is in the error above"}`;
    throw error;
  }
  findings.enis = [];
  if (env.network.mode === "import") findings.kept.push({ what: `VPC ${env.network.vpcId}`, where: env.network.vpcId, why: "imported, not created by this project: never deleted" });
  return hadResources ? { detail: "destroyed" } : { unchanged: true, detail: "already gone (empty state)" };
}
