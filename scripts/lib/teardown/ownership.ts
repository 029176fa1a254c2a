/**
 * What the account holds of a stack whose Terraform state is empty, before teardown acts on it (review
 * finding 1; DESIGN.md decision 7: decide from the state AND the account). An empty state with live
 * resources means this checkout does not hold the state (another machine deployed, or the local state file
 * is gone): destroying "nothing" would report the agent gone while its runtime runs, and the storage step,
 * which deletes through the S3 Files API, would delete a live file system. So teardown refuses, naming what
 * it found and where it looked for the state.
 *
 * Each stack is checked with its own service, by the names the environment gives its resources:
 *   agent     ListAgentRuntimes (bedrock-agentcore-control model: AgentRuntime.agentRuntimeName), the runtime's name;
 *   storage   ListFileSystems on the environment's bucket (s3files model: `bucket` query), each one's tags
 *             from GetFileSystem (GetFileSystemResponse.tags; the list's entries carry none);
 *   registry  DescribeRepositories by name (ecr model: RepositoryNotFoundException when absent);
 *   network   DescribeSecurityGroups by the agent security group's name (ec2 filter `group-name`), which the
 *             network stack creates in both network modes.
 */
import { paginateListAgentRuntimes } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { GetFileSystemCommand, paginateListFileSystems } from "@aws-sdk/client-s3files";
import { stackName, type Layer } from "../../../modules/environment/environment-stack.ts";
import { ENVIRONMENT_TAG_KEY } from "../../../modules/environment/props.ts";
import { errorName } from "../aws.ts";
import { ScriptError } from "../cli.ts";
import { managedResources, readStackState, type StackState } from "../stack-state.ts";
import type { TeardownContext } from "./context.ts";
import { isNotFound } from "./wait.ts";

/** The S3 Files file systems of the environment's bucket that carry the environment's tag (never another team's). */
export async function taggedFileSystems(ctx: TeardownContext): Promise<string[]> {
  const { deps, environment: env, names } = ctx;
  const bucket = `arn:${env.partition}:s3:::${names.bucket}`;
  const ids: string[] = [];
  for await (const page of paginateListFileSystems({ client: deps.clients.s3files }, { bucket })) {
    for (const fs of page.fileSystems ?? []) {
      if (fs.bucket !== undefined && fs.bucket !== bucket) continue;
      try {
        const described = await deps.clients.s3files.send(new GetFileSystemCommand({ fileSystemId: fs.fileSystemId! }));
        if (described.status === "deleted") continue;
        if ((described.tags ?? []).some((t) => t.key === ENVIRONMENT_TAG_KEY && t.value === env.name)) ids.push(fs.fileSystemId!);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
  return ids;
}

/** What of `layer` the account holds, described for a person; empty when nothing. */
export async function liveResourcesOf(ctx: TeardownContext, layer: Layer): Promise<string[]> {
  const { deps, names } = ctx;
  switch (layer) {
    case "agent": {
      const found: string[] = [];
      for await (const page of paginateListAgentRuntimes({ client: deps.clients.agentcoreControl }, {})) {
        for (const runtime of page.agentRuntimes ?? []) {
          if (runtime.agentRuntimeName === names.runtime && runtime.status !== "DELETING") found.push(`the AgentCore runtime ${names.runtime} (${runtime.agentRuntimeArn})`);
        }
      }
      return found;
    }
    case "storage":
      return (await taggedFileSystems(ctx)).map((id) => `the S3 Files file system ${id} on s3://${names.bucket}`);
    case "registry":
      try {
        await deps.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [names.repository] }));
        return [`the ECR repository ${names.repository}`];
      } catch (error) {
        if (errorName(error) === "RepositoryNotFoundException") return [];
        throw error;
      }
    case "network": {
      const groups = await deps.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [names.agentSecurityGroup] }] }));
      return (groups.SecurityGroups ?? []).map((g) => `the security group ${names.agentSecurityGroup} (${g.GroupId}${g.VpcId ? ` in ${g.VpcId}` : ""})`);
    }
  }
}

/**
 * Refuses (before any step runs) when a stack teardown would act on has an empty state while the account
 * still holds its resources. A stack whose state holds resources is not checked: Terraform will destroy
 * exactly those. Returns the states read, for the steps to use.
 */
export async function refuseWithoutState(ctx: TeardownContext, layers: readonly Layer[]): Promise<Map<Layer, StackState>> {
  const states = new Map<Layer, StackState>();
  const problems: string[] = [];
  for (const layer of layers) {
    const stack = stackName(ctx.environment.name, layer);
    const state = await readStackState(ctx.deps.outdir, stack, ctx.deps.stateBucket);
    states.set(layer, state);
    if (managedResources(state).length > 0) continue;
    const live = await liveResourcesOf(ctx, layer);
    if (live.length > 0) problems.push(`${stack}: state ${state.exists ? "holds no resources" : "not found"} at ${state.location}, but ${live.join(", ")} exists`);
  }
  if (problems.length > 0) {
    throw new ScriptError(
      `refusing to tear down ${ctx.environment.name}: ${problems.join("; ")}. Nothing was changed.`,
      undefined,
      "Run teardown from the checkout (or CI runner) that holds the Terraform state, or give the environment an S3 state backend (state.bucket) so that every machine reads the same state.",
    );
  }
  return states;
}
