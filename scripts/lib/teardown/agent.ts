/** Step 1: the agent stack (runtime, endpoint, IAM, alert). Everything else waits for it. */
import { IMAGE_DIGEST_VARIABLE } from "../../../modules/runtime/runtime.ts";
import { stackName } from "../../../modules/environment/environment-stack.ts";
import { managedResources, readStackState } from "../stack-state.ts";
import { detachManagedPolicies } from "./attachments.ts";
import type { StepOutcome } from "../steps.ts";
import { destroyStack, type TeardownContext } from "./context.ts";
import { recordDestroy } from "./journal.ts";

/** Any well-formed digest satisfies the stack's required variable for a destroy; the value is not used. */
const PLACEHOLDER_DIGEST = `sha256:${"0".repeat(64)}`;

export async function destroyAgentStack(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps } = ctx;
  // IAM refuses to delete a managed policy still attached to a principal: detach every attachment first (reported).
  const state = await readStackState(deps.outdir, stackName(ctx.environment.name, "agent"), deps.stateBucket);
  ctx.findings.detachedPolicies.push(...(await detachManagedPolicies(ctx, state)));
  const { hadResources, before } = await destroyStack(ctx, "agent", "agent", [`--var=${IMAGE_DIGEST_VARIABLE}=${deps.imageDigest ?? PLACEHOLDER_DIGEST}`]);
  // What was there, for `--only agent` to confirm with each service that it is gone.
  ctx.findings.destroyedAgentArns = managedResources(before).flatMap((r) => {
    const attributes = r.instances[0]?.attributes ?? {};
    const arn = attributes.arn ?? attributes.agent_runtime_arn ?? attributes.agent_runtime_endpoint_arn;
    return typeof arn === "string" && arn.startsWith("arn:") ? [arn] : [];
  });
  // The time the runtime was deleted tells when AgentCore's ENIs should be gone (up to 8 hours later).
  // Only a real destroy counts: a re-run on an empty stack must not move that time.
  if (hadResources) recordDestroy(deps.journalFile, "agent", new Date(deps.clock.now()), (m) => deps.log("agent", m));
  return hadResources ? { detail: "runtime, endpoint, IAM and alert destroyed" } : { unchanged: true, detail: "already gone (empty state)" };
}
