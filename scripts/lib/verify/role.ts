/** verify's checks of what the environment grants and keeps: the execution role refused a model outside its list, AgentCore's log groups with a retention period. */
import { DescribeLogGroupsCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { inferenceProfileGeography } from "../../../lib/service-facts.ts";
import type { RuntimeRef } from "../agent-client.ts";
import { errorName } from "../aws.ts";
import { describe, isAccessDenied, type VerifyRun } from "./context.ts";

export async function checkModelRefusal(run: VerifyRun): Promise<void> {
  const { ctx: { clients, environment }, record, names, caller, account, partition } = run;
  const roleArn = `arn:${partition}:iam::${account}:role/${names.executionRole}`;
  const listedIds = environment.agent.modelIds;
  const outsider = ["amazon.titan-text-express-v1", "meta.llama3-70b-instruct-v1:0"].find((id) => !listedIds.includes(id))!;
  const outsiderArn = `arn:${partition}:bedrock:${environment.region}::foundation-model/${outsider}`;
  // A model id with a geography prefix (us., eu., global., …) is an inference profile, as the runtime judged it.
  const listed = listedIds.map((id) =>
    inferenceProfileGeography(id) === undefined ? `arn:${partition}:bedrock:${environment.region}::foundation-model/${id}` : `arn:${partition}:bedrock:${environment.region}:${account}:inference-profile/${id}`,
  );
  const decisions = new Map<string, string>();
  try {
    let marker: string | undefined;
    do {
      const page = (await clients.iam.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: ["bedrock:InvokeModel"], ResourceArns: [outsiderArn, ...listed], ...(marker && { Marker: marker }) }),
      )) as { EvaluationResults?: { EvalResourceName?: string; EvalDecision?: string }[]; IsTruncated?: boolean; Marker?: string };
      for (const result of page.EvaluationResults ?? []) decisions.set(String(result.EvalResourceName), String(result.EvalDecision));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
  } catch (error) {
    if (isAccessDenied(error)) return record("model-outside-list-refused", "skipped", `${caller} may not simulate the execution role's policies (iam:SimulatePrincipalPolicy on ${roleArn})`);
    return record("model-outside-list-refused", "fail", describe(error));
  }
  const refused = decisions.get(outsiderArn);
  const notAllowed = listed.filter((arn) => decisions.get(arn) !== "allowed");
  const observed = `${outsider}: ${refused ?? "no decision"}; ${listed.map((arn) => `${arn.split("/").at(-1)}: ${decisions.get(arn) ?? "no decision"}`).join("; ")}`;
  if (refused === "allowed" || refused === undefined) return record("model-outside-list-refused", "fail", `the role may invoke a model outside its list — ${observed}`);
  if (notAllowed.length > 0) return record("model-outside-list-refused", "fail", `the role is refused a model on its list — ${observed}`);
  record("model-outside-list-refused", "pass", `bedrock:InvokeModel as ${names.executionRole} (IAM policy simulation) — ${observed}`);
}

export async function checkRuntimeLogRetention(run: VerifyRun, runtime: RuntimeRef): Promise<void> {
  const { ctx: { clients, environment }, options, record, caller } = run;
  const prefix = `/aws/bedrock-agentcore/runtimes/${runtime.agentRuntimeId}-`;
  const groups: { logGroupName?: string; retentionInDays?: number }[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = (await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, ...(nextToken && { nextToken }) }))) as { logGroups?: typeof groups; nextToken?: string };
      groups.push(...(page.logGroups ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    if (isAccessDenied(error)) return record("runtime-log-retention", "skipped", `${caller} may not describe log groups (${errorName(error)})`);
    return record("runtime-log-retention", "fail", describe(error));
  }
  if (groups.length === 0) return record("runtime-log-retention", "skipped", `AgentCore has not created ${prefix}DEFAULT or ${prefix}${options.endpoint} yet`);
  const unbounded = groups.filter((g) => g.retentionInDays === undefined);
  const days = environment.agent.logRetentionDays;
  // AgentCore creates these groups itself, without retention, at provisioning or on the first invocation (which
  // verify has just made), so Terraform never owns them (README, "Logs"). verify gives each one AgentCore left
  // unbounded the environment's retention, once: PutRetentionPolicy {logGroupName, retentionInDays} (CloudWatch
  // Logs API model, logs.json PutRetentionPolicyRequest; errors InvalidParameterException,
  // ResourceNotFoundException, OperationAbortedException, ServiceUnavailableException). A retention someone set
  // on purpose is left as it is: verify never shortens what a group keeps.
  const applied: string[] = [];
  const failed: string[] = [];
  for (const group of unbounded) {
    try {
      await clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: group.logGroupName!, retentionInDays: days }));
      applied.push(group.logGroupName!);
    } catch (error) {
      failed.push(`${group.logGroupName} (${isAccessDenied(error) ? `${caller} may not call logs:PutRetentionPolicy` : describe(error)})`);
    }
  }
  if (failed.length > 0) {
    const names = unbounded.map((g) => g.logGroupName).filter((name) => !applied.includes(name!));
    return record(
      "runtime-log-retention",
      "fail",
      `no retention on ${failed.join(", ")}: they keep logs forever. Fix: ${names.map((name) => `aws logs put-retention-policy --log-group-name ${name} --retention-in-days ${days}`).join(" && ")}`,
    );
  }
  const kept = groups.filter((g) => g.retentionInDays !== undefined).map((g) => `${g.logGroupName}: ${g.retentionInDays} days`);
  const set = applied.map((name) => `${name}: set to ${days} days (AgentCore created it without retention)`);
  record("runtime-log-retention", "pass", [...set, ...kept].join("; "));
}
