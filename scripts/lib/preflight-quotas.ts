/**
 * Quotas deploy consumes, the subnets' free addresses, and iam:PassRole: preflight's account checks beside the
 * models (preflight-account.ts, which names the API shapes relied on).
 */
import { ListAgentRuntimesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeAddressesCommand, DescribeNatGatewaysCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { TRAILS_PER_REGION } from "../../lib/trail-quota.ts";
import { classifyAwsError } from "./aws-errors.ts";
import { errorName } from "./error-name.ts";
import type { Footprint } from "./footprint.ts";
import type { PreflightAccountClients } from "./preflight-account.ts";
import type { CheckResult } from "./preflight.ts";

/**
 * The quotas, with where AWS states them. Codes: Service Quotas console/API for Amazon VPC and EC2 ("VPCs per Region"
 * L-F678F1CE, default 5; "NAT gateways per Availability Zone" L-FE5A380F, default 5 — Amazon VPC quotas,
 * docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html; "EC2-VPC Elastic IPs" L-0263D0A3, default 5 —
 * Amazon EC2 quotas). Trails: 5 per Region, not adjustable (lib/trail-quota.ts). AgentCore: "Total agents per
 * account 1000, adjustable via support ticket" (Quotas for Amazon Bedrock AgentCore, Runtime resource allocation
 * limits); no Service Quotas code is published for it, so the documented default is used.
 */
export const QUOTAS = {
  vpcs: { service: "vpc", code: "L-F678F1CE", name: "VPCs per Region", default: 5 },
  elasticIps: { service: "ec2", code: "L-0263D0A3", name: "EC2-VPC Elastic IPs", default: 5 },
  natGateways: { service: "vpc", code: "L-FE5A380F", name: "NAT gateways per Availability Zone", default: 5 },
} as const;
export const AGENTCORE_RUNTIMES_PER_ACCOUNT = 1000;

type Quota = (typeof QUOTAS)[keyof typeof QUOTAS];

/** The applied quota value, else AWS's default, else (no permission to read it) the documented default. */
async function quotaValue(clients: PreflightAccountClients, quota: Quota): Promise<{ value: number; source: string }> {
  const input = { ServiceCode: quota.service, QuotaCode: quota.code };
  try {
    const answer = (await clients.serviceQuotas.send(new GetServiceQuotaCommand(input))) as { Quota?: { Value?: number } };
    if (answer.Quota?.Value !== undefined) return { value: answer.Quota.Value, source: "Service Quotas" };
  } catch (error) {
    if (errorName(error) !== "NoSuchResourceException") return { value: quota.default, source: `the documented default; Service Quotas not read: ${classifyAwsError(error).summary}` };
  }
  try {
    const answer = (await clients.serviceQuotas.send(new GetAWSDefaultServiceQuotaCommand(input))) as { Quota?: { Value?: number } };
    return { value: answer.Quota?.Value ?? quota.default, source: "Service Quotas, AWS default" };
  } catch (error) {
    return { value: quota.default, source: `the documented default; Service Quotas not read: ${classifyAwsError(error).summary}` };
  }
}

function room(name: string, used: number, adds: number, limit: { value: number; source: string }, fix: string): CheckResult {
  const ok = used + adds <= limit.value;
  return { name, ok, detail: `${used} in use + ${adds} to create, quota ${limit.value} (${limit.source})`, ...(!ok && { fix }) };
}

const increase = (quota: Quota, region: string) =>
  `request an increase: aws service-quotas request-service-quota-increase --service-code ${quota.service} --quota-code ${quota.code} --desired-value <n> --region ${region}, or free some`;

export async function checkQuotas(clients: PreflightAccountClients, environment: EnvironmentDescription, footprint: Footprint): Promise<CheckResult[]> {
  const region = environment.region;
  const guard = async (name: string, run: () => Promise<CheckResult>): Promise<CheckResult> => {
    try {
      return await run();
    } catch (error) {
      const problem = classifyAwsError(error, `the ${name} APIs in ${region}`);
      return { name, ok: false, detail: problem.summary, ...(problem.fix && { fix: problem.fix }) };
    }
  };
  const results: CheckResult[] = [];
  if (footprint.vpcs > 0) {
    results.push(await guard("quota: VPCs", async () => {
      const vpcs = ((await clients.ec2.send(new DescribeVpcsCommand({}))) as { Vpcs?: { Tags?: { Key?: string; Value?: string }[] }[] }).Vpcs ?? [];
      const ours = vpcs.filter((v) => v.Tags?.some((t) => t.Key === "agentcore-s3files:environment" && t.Value === environment.name)).length;
      return room("quota: VPCs", vpcs.length, Math.max(0, footprint.vpcs - ours), await quotaValue(clients, QUOTAS.vpcs), increase(QUOTAS.vpcs, region));
    }));
  }
  if (footprint.elasticIps > 0) {
    results.push(await guard("quota: Elastic IPs", async () => {
      const addresses = ((await clients.ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "domain", Values: ["vpc"] }] }))) as { Addresses?: { Tags?: { Key?: string; Value?: string }[] }[] }).Addresses ?? [];
      const ours = addresses.filter((a) => a.Tags?.some((t) => t.Key === "agentcore-s3files:environment" && t.Value === environment.name)).length;
      return room("quota: Elastic IPs", addresses.length, Math.max(0, footprint.elasticIps - ours), await quotaValue(clients, QUOTAS.elasticIps), increase(QUOTAS.elasticIps, region));
    }));
  }
  if (footprint.natGatewaysByAz.size > 0) {
    results.push(await guard("quota: NAT gateways per AZ", async () => {
      const nats = ((await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "state", Values: ["pending", "available"] }] }))) as { NatGateways?: { SubnetId?: string }[] }).NatGateways ?? [];
      const subnetIds = [...new Set(nats.map((n) => n.SubnetId!).filter(Boolean))];
      const subnets = subnetIds.length === 0 ? [] : (((await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))) as { Subnets?: { SubnetId?: string; AvailabilityZoneId?: string }[] }).Subnets ?? []);
      const azOf = new Map(subnets.map((s) => [s.SubnetId, s.AvailabilityZoneId]));
      const limit = await quotaValue(clients, QUOTAS.natGateways);
      const full = [...footprint.natGatewaysByAz].map(([az, adds]) => ({ az, adds, used: nats.filter((n) => azOf.get(n.SubnetId) === az).length })).filter((z) => z.used + z.adds > limit.value);
      const detail = [...footprint.natGatewaysByAz].map(([az, adds]) => `${az}: ${nats.filter((n) => azOf.get(n.SubnetId) === az).length} + ${adds}`).join(", ");
      return { name: "quota: NAT gateways per AZ", ok: full.length === 0, detail: `${detail}; quota ${limit.value} per AZ (${limit.source})`, ...(full.length > 0 && { fix: `${full.map((z) => z.az).join(", ")} would exceed it: ${increase(QUOTAS.natGateways, region)}` }) };
    }));
  }
  if (footprint.trails > 0) {
    results.push(await guard("quota: trails", async () => {
      const trails = ((await clients.cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: false }))) as { trailList?: { Name?: string; HomeRegion?: string }[] }).trailList ?? [];
      const inRegion = trails.filter((t) => t.HomeRegion === region);
      const ours = inRegion.some((t) => t.Name === environment.names.trail) ? footprint.trails : 0;
      return room("quota: trails", inRegion.length, footprint.trails - ours, { value: TRAILS_PER_REGION, source: "CloudTrail, not adjustable" }, "delete an unused trail in the Region, or point agent.alerts.cloudTrail at an existing (organization) trail");
    }));
  }
  if (footprint.runtimes > 0) {
    results.push(await guard("quota: AgentCore runtimes", async () => {
      let count = 0;
      let exists = false;
      let nextToken: string | undefined;
      do {
        const page = (await clients.agentcoreControl.send(new ListAgentRuntimesCommand({ maxResults: 100, ...(nextToken && { nextToken }) }))) as { agentRuntimes?: { agentRuntimeName?: string }[]; nextToken?: string };
        count += page.agentRuntimes?.length ?? 0;
        exists ||= page.agentRuntimes?.some((r) => r.agentRuntimeName === environment.names.runtime) ?? false;
        nextToken = page.nextToken;
      } while (nextToken);
      return room("quota: AgentCore runtimes", count, exists ? 0 : footprint.runtimes, { value: AGENTCORE_RUNTIMES_PER_ACCOUNT, source: "AgentCore quotas page, default" }, "delete unused runtimes, or ask AWS Support to raise Total agents per account");
    }));
  }
  return results;
}

/** An existing VPC's subnets must have a free address for each ENI deploy puts there (AgentCore's, a mount target's). */
export async function checkSubnets(clients: PreflightAccountClients, footprint: Footprint): Promise<CheckResult[]> {
  if (footprint.existingSubnets.size === 0) return [];
  try {
    const subnets = ((await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...footprint.existingSubnets.keys()] }))) as { Subnets?: { SubnetId?: string; AvailableIpAddressCount?: number }[] }).Subnets ?? [];
    return [...footprint.existingSubnets].map(([id, needs]) => {
      const free = subnets.find((s) => s.SubnetId === id)?.AvailableIpAddressCount;
      const ok = free !== undefined && free >= needs;
      return { name: `subnet ${id}`, ok, detail: free === undefined ? "not found" : `${free} free addresses, ${needs} needed (ENIs)`, ...(!ok && { fix: free === undefined ? "fix the subnet ids of the imported network" : "free addresses in the subnet (idle ENIs, unused instances) or choose a larger subnet" }) };
    });
  } catch (error) {
    const problem = classifyAwsError(error, "EC2");
    return [{ name: "subnets", ok: false, detail: errorName(error) === "InvalidSubnetID.NotFound" ? `a subnet does not exist: ${(error as Error).message}` : problem.summary, fix: problem.fix || "fix the subnet ids of the imported network" }];
  }
}

/** The caller (an IAM role's session, or a user) may pass the execution role to AgentCore: iam:PassRole, simulated. */
export async function checkPassRole(clients: PreflightAccountClients, environment: EnvironmentDescription, caller: { account: string; arn: string }): Promise<CheckResult> {
  const name = "iam:PassRole on the execution role";
  const role = `arn:${environment.partition}:iam::${caller.account}:role/${environment.names.executionRole}`;
  // SimulatePrincipalPolicy takes a user, group or role ARN: an assumed-role session is simulated as its role.
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller.arn);
  const principal = session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : caller.arn;
  try {
    const answer = (await clients.iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: principal, ActionNames: ["iam:PassRole"], ResourceArns: [role], ContextEntries: [{ ContextKeyName: "iam:PassedToService", ContextKeyType: "string", ContextKeyValues: ["bedrock-agentcore.amazonaws.com"] }] }),
    )) as { EvaluationResults?: { EvalDecision?: string }[] };
    const decision = answer.EvaluationResults?.[0]?.EvalDecision ?? "no decision";
    return decision === "allowed"
      ? { name, ok: true, detail: `${principal} may pass ${role} (IAM policy simulation)` }
      : { name, ok: false, detail: `${principal}: ${decision} for iam:PassRole on ${role}`, fix: "grant iam:PassRole on the execution role with iam:PassedToService bedrock-agentcore.amazonaws.com: npm run deployer-policy -- --env <name> prints the statement" };
  } catch (error) {
    const problem = classifyAwsError(error, "IAM");
    if (problem.kind === "access-denied") return { name, ok: true, detail: `not simulated: ${principal} may not call iam:SimulatePrincipalPolicy (the apply will tell)` };
    return { name, ok: false, detail: problem.summary, ...(problem.fix && { fix: problem.fix }) };
  }
}
