/**
 * AgentCore's own log groups (`/aws/bedrock-agentcore/runtimes/<runtime id>-DEFAULT` and `-<endpoint>`): AgentCore
 * creates them, not Terraform (README, "Logs"), so destroying the agent stack leaves them. Teardown keeps them on
 * purpose — they hold the runtime's output, which outlives the runtime for investigation — and lists each one with
 * its retention and the command that deletes it.
 *
 * The runtime id is `<runtime name>-<suffix>` (bedrock-agentcore-control model, AgentRuntimeId pattern
 * `[a-zA-Z][a-zA-Z0-9_]{0,99}-[a-zA-Z0-9]{10}`), and a runtime name has no `-` (AgentRuntimeName pattern
 * `[a-zA-Z][a-zA-Z0-9_]{0,47}`), so the prefix `/aws/bedrock-agentcore/runtimes/<runtime name>-` finds this
 * environment's groups, whichever runtime id made them, and no other runtime's. DescribeLogGroups paginates
 * with nextToken (logs.json DescribeLogGroupsResponse).
 */
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { errorName } from "../aws.ts";
import type { Kept, TeardownContext } from "./context.ts";

export const agentCoreLogGroupPrefix = (runtimeName: string) => `/aws/bedrock-agentcore/runtimes/${runtimeName}-`;

/** What teardown reports as kept for AgentCore's own log groups; never throws (a report line says what could not be read). */
export async function agentCoreLogGroupsKept(ctx: Pick<TeardownContext, "deps" | "names" | "environment">): Promise<Kept[]> {
  const { deps, names, environment } = ctx;
  const prefix = agentCoreLogGroupPrefix(names.runtime);
  const groups: { logGroupName?: string; retentionInDays?: number }[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = (await deps.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, ...(nextToken && { nextToken }) }))) as { logGroups?: typeof groups; nextToken?: string };
      groups.push(...(page.logGroups ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    return [{ what: `AgentCore's log groups ${prefix}*`, where: environment.region, why: `not listed (${errorName(error)}); AgentCore created them and teardown leaves them: aws logs describe-log-groups --log-group-name-prefix ${prefix} --region ${environment.region}` }];
  }
  return groups.map((group) => ({
    what: `AgentCore's log group ${group.logGroupName}`,
    where: environment.region,
    why: `AgentCore created it, not Terraform; it keeps the runtime's output ${group.retentionInDays === undefined ? "forever (no retention)" : `for ${group.retentionInDays} days`}. Delete it with: aws logs delete-log-group --log-group-name ${group.logGroupName} --region ${environment.region}`,
  }));
}
