/**
 * The image digest an environment's agent runs, from what is deployed — never only from `.build/` (DESIGN.md
 * decision 7): the agent stack's state (output `container_uri`, `<repository>@sha256:…`), else the account (the
 * runtime named for the environment: ListAgentRuntimes, then GetAgentRuntime's
 * agentRuntimeArtifact.containerConfiguration.containerUri; bedrock-agentcore-control model).
 */
import { GetAgentRuntimeCommand, paginateListAgentRuntimes, type BedrockAgentCoreControlClient } from "@aws-sdk/client-bedrock-agentcore-control";
import { stackName } from "../../modules/environment/environment-stack.ts";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { readStackState, type StateBucketReader } from "./stack-state.ts";

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

export interface DeployedImage {
  readonly digest: string;
  /** Where it was read, for messages. */
  readonly source: string;
}

export async function deployedImage(
  environment: EnvironmentDescription,
  sources: { readonly outdir: string; readonly stateBucket?: StateBucketReader; readonly agentcoreControl?: BedrockAgentCoreControlClient; readonly runtimeName?: string },
): Promise<DeployedImage | undefined> {
  const stack = stackName(environment.name, "agent");
  const state = await readStackState(sources.outdir, stack, sources.stateBucket);
  const uri = state.outputs.container_uri?.value;
  const fromState = typeof uri === "string" ? DIGEST.exec(uri)?.[1] : undefined;
  if (fromState !== undefined) return { digest: fromState, source: `${stack}'s state (${state.location}), output container_uri` };
  if (sources.agentcoreControl === undefined || sources.runtimeName === undefined) return undefined;
  for await (const page of paginateListAgentRuntimes({ client: sources.agentcoreControl }, {})) {
    const runtime = (page.agentRuntimes ?? []).find((r) => r.agentRuntimeName === sources.runtimeName);
    if (runtime?.agentRuntimeId === undefined) continue;
    const described = await sources.agentcoreControl.send(new GetAgentRuntimeCommand({ agentRuntimeId: runtime.agentRuntimeId }));
    const containerUri = described.agentRuntimeArtifact?.containerConfiguration?.containerUri;
    const digest = containerUri !== undefined ? DIGEST.exec(containerUri)?.[1] : undefined;
    if (digest !== undefined) return { digest, source: `the runtime ${sources.runtimeName} in the account (GetAgentRuntime)` };
  }
  return undefined;
}
