/**
 * A cross-environment check: how many CloudTrail trails the environments create in one account and Region.
 * CloudTrail allows 5 trails per Region and account, and the quota cannot be increased ("Trails per Region:
 * 5 … This quota cannot be increased.", CloudTrail user guide, Quotas in AWS CloudTrail,
 * docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html).
 *
 * Environments are not made to share one trail: a trail owned by one environment's stack would tie the other
 * environments' alerts to that stack's lifecycle (its teardown would silence them). Sharing stays the
 * user's explicit choice, through `agent.alerts.cloudTrail: { existingTrailArn }`.
 */
import type { Environment } from "../modules/environment/props.ts";
import type { ConfigProblem } from "../modules/environment/file/problems.ts";

export const TRAILS_PER_REGION = 5;
export const CLOUDTRAIL_QUOTAS_URL = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html";

/** Environments with no `account` deploy into the deploying credentials' account: one group per Region. */
const DEPLOYING_ACCOUNT = "the deploying account";

export function trailQuotaProblems(environments: readonly Environment[]): ConfigProblem[] {
  const groups = new Map<string, Environment[]>();
  for (const env of environments) {
    if (env.agent.cloudTrail !== "create") continue;
    const key = `${env.account ?? DEPLOYING_ACCOUNT}|${env.region}`;
    groups.set(key, [...(groups.get(key) ?? []), env]);
  }
  const problems: ConfigProblem[] = [];
  for (const [key, group] of groups) {
    if (group.length <= TRAILS_PER_REGION) continue;
    const [account, region] = key.split("|") as [string, string];
    const where = account === DEPLOYING_ACCOUNT ? `${region} of the deploying account (no environment names an account)` : `account ${account}, ${region}`;
    problems.push({
      environment: group[TRAILS_PER_REGION]!.name,
      related: group.map((e) => e.name),
      field: "agent.alerts.cloudTrail",
      value: "create",
      problem:
        `${group.length} environments (${group.map((e) => e.name).join(", ")}) each create a CloudTrail trail in ${where}, ` +
        `but CloudTrail allows at most ${TRAILS_PER_REGION} trails per Region in an account and the quota cannot be raised (${CLOUDTRAIL_QUOTAS_URL}); ` +
        "trails you already run there count too",
      fix:
        'run one trail that logs the command data events of every runtime (advanced event selectors for AWS::BedrockAgentCore::Runtime and ::RuntimeEndpoint) and set agent.alerts.cloudTrail to { existingTrailArn: "<its ARN>" } in these environments, or deploy some of them to another account or Region',
    });
  }
  return problems;
}
