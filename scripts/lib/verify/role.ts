/** verify's checks of what the environment grants and keeps: the execution role refused a model outside its list, AgentCore's log groups with a retention period. */
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
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
  if (unbounded.length > 0) {
    return record(
      "runtime-log-retention",
      "fail",
      `no retention on ${unbounded.map((g) => g.logGroupName).join(", ")}: they keep logs forever. Fix: ${unbounded.map((g) => `aws logs put-retention-policy --log-group-name ${g.logGroupName} --retention-in-days ${days}`).join(" && ")}`,
    );
  }
  record("runtime-log-retention", "pass", groups.map((g) => `${g.logGroupName}: ${g.retentionInDays} days`).join("; "));
}
