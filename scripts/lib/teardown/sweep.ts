/**
 * Step: the final sweep. The Resource Groups Tagging API lists what still carries the environment's tag, but
 * its index trails deletions (for minutes to hours) and keeps KMS keys that are only scheduled for deletion.
 * So every ARN it lists is confirmed with its own service: gone ("index lag"), scheduled for deletion
 * ("pending deletion": a KMS key's waiting period, a runtime being deleted), or really still there. Only
 * the last fails the teardown. An ARN of a service this step cannot check counts as still there.
 *
 * GetResources does not list IAM users and roles (Resource Groups Tagging API reference, "Services that
 * support the Resource Groups Tagging API"), so IAM needs no check here.
 */
import { GetAgentRuntimeCommand, GetAgentRuntimeEndpointCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { GetTrailCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeLogGroupsCommand, GetDeliveryCommand, GetDeliveryDestinationCommand, GetDeliverySourceCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { paginateGetResources } from "@aws-sdk/client-resource-groups-tagging-api";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetAccessPointCommand, GetFileSystemCommand } from "@aws-sdk/client-s3files";
import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { ENVIRONMENT_TAG_KEY } from "../../../modules/environment/props.ts";
import type { StepOutcome } from "../steps.ts";
import { plural, type TeardownClients, type TeardownContext } from "./context.ts";
import { isNotFound, waitFor, withRetries } from "./wait.ts";

export type Verdict = { state: "exists" } | { state: "gone" } | { state: "pending-deletion"; status: string; until?: string } | { state: "unchecked" };

interface Arn {
  readonly service: string;
  readonly region: string;
  readonly resource: string;
}

export function parseArn(arn: string): Arn | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return { service: parts[2]!, region: parts[3]!, resource: parts.slice(5).join(":") };
}

const EXISTS: Verdict = { state: "exists" };
const GONE: Verdict = { state: "gone" };

/** Runs a read; "not found" (each service's own code, see isNotFound) means gone. */
async function unlessNotFound(read: () => Promise<Verdict>): Promise<Verdict> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error) || /^(TrailNotFoundException|ResourceNotFoundException|RepositoryNotFoundException)$/.test(String((error as { name?: string }).name))) return GONE;
    throw error;
  }
}

/** EC2 resources by ARN resource type: each Describe call answers "<Type>.NotFound" or an empty set once it is gone. */
async function confirmEc2(clients: TeardownClients, type: string, id: string): Promise<Verdict> {
  const ec2 = clients.ec2;
  switch (type) {
    case "vpc":
      return ((await ec2.send(new DescribeVpcsCommand({ VpcIds: [id] }))).Vpcs ?? []).length > 0 ? EXISTS : GONE;
    case "subnet":
      return ((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [id] }))).Subnets ?? []).length > 0 ? EXISTS : GONE;
    case "security-group":
      return ((await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups ?? []).length > 0 ? EXISTS : GONE;
    case "security-group-rule":
      return ((await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }))).SecurityGroupRules ?? []).length > 0 ? EXISTS : GONE;
    case "internet-gateway":
      return ((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }))).InternetGateways ?? []).length > 0 ? EXISTS : GONE;
    case "route-table":
      return ((await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables ?? []).length > 0 ? EXISTS : GONE;
    case "elastic-ip":
      return ((await ec2.send(new DescribeAddressesCommand({ AllocationIds: [id] }))).Addresses ?? []).length > 0 ? EXISTS : GONE;
    case "vpc-flow-log":
      return ((await ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [id] }))).FlowLogs ?? []).length > 0 ? EXISTS : GONE;
    case "network-interface":
      return ((await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces ?? []).length > 0 ? EXISTS : GONE;
    case "natgateway": {
      // Deleted NAT gateways stay visible for a while in state "deleted" (EC2 API reference, DescribeNatGateways).
      const state = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0]?.State;
      return state === undefined || state === "deleted" || state === "failed" ? GONE : state === "deleting" ? { state: "pending-deletion", status: state } : EXISTS;
    }
    case "vpc-endpoint": {
      const state = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints?.[0]?.State?.toLowerCase();
      return state === undefined || state === "deleted" ? GONE : state === "deleting" ? { state: "pending-deletion", status: state } : EXISTS;
    }
    default:
      return { state: "unchecked" };
  }
}

export async function confirmArn(clients: TeardownClients, arn: string): Promise<Verdict> {
  const parsed = parseArn(arn);
  if (!parsed) return { state: "unchecked" };
  const { service, resource } = parsed;
  return unlessNotFound(async () => {
    switch (service) {
      case "ec2": {
        const [type, id] = resource.split("/");
        return confirmEc2(clients, type!, id ?? "");
      }
      case "s3":
        if (resource.includes("/")) return { state: "unchecked" };
        await clients.s3.send(new HeadBucketCommand({ Bucket: resource }));
        return EXISTS;
      case "s3files": {
        const accessPoint = /^file-system\/(fs-[0-9a-f]+)\/access-point\/(fsap-[0-9a-f]+)$/.exec(resource);
        if (accessPoint) {
          const status = (await clients.s3files.send(new GetAccessPointCommand({ accessPointId: accessPoint[2]! }))).status;
          return status === "deleting" ? { state: "pending-deletion", status } : EXISTS;
        }
        const fileSystem = /^file-system\/(fs-[0-9a-f]+)$/.exec(resource);
        if (!fileSystem) return { state: "unchecked" };
        const status = (await clients.s3files.send(new GetFileSystemCommand({ fileSystemId: fileSystem[1]! }))).status;
        return status === "deleting" ? { state: "pending-deletion", status } : status === "deleted" ? GONE : EXISTS;
      }
      case "ecr": {
        const name = /^repository\/(.+)$/.exec(resource)?.[1];
        if (!name) return { state: "unchecked" };
        return ((await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories ?? []).length > 0 ? EXISTS : GONE;
      }
      case "bedrock-agentcore": {
        const endpoint = /^runtime\/([^/]+)\/runtime-endpoint\/([^/]+)$/.exec(resource);
        if (endpoint) {
          const status = (await clients.agentcoreControl.send(new GetAgentRuntimeEndpointCommand({ agentRuntimeId: endpoint[1]!, endpointName: endpoint[2]! }))).status;
          return status === "DELETING" ? { state: "pending-deletion", status } : EXISTS;
        }
        const runtime = /^runtime\/([^/]+)$/.exec(resource);
        if (!runtime) return { state: "unchecked" };
        const status = (await clients.agentcoreControl.send(new GetAgentRuntimeCommand({ agentRuntimeId: runtime[1]! }))).status;
        return status === "DELETING" ? { state: "pending-deletion", status } : EXISTS;
      }
      case "kms": {
        if (!resource.startsWith("key/")) return { state: "unchecked" };
        const key = (await clients.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata;
        // A deleted key is never deleted at once: it waits 7-30 days in PendingDeletion (KMS developer guide, "Deleting keys").
        if (key?.KeyState === "PendingDeletion" || key?.KeyState === "PendingReplicaDeletion") {
          return { state: "pending-deletion", status: key.KeyState, ...(key.DeletionDate && { until: new Date(key.DeletionDate).toISOString() }) };
        }
        return EXISTS;
      }
      case "logs": {
        // Vended-log delivery (taggable; default_tags reaches it): GetDelivery / GetDeliverySource /
        // GetDeliveryDestination answer ResourceNotFoundException once gone (logs model).
        const delivery = /^(delivery|delivery-source|delivery-destination):(.+)$/.exec(resource);
        if (delivery) {
          const [, kind, id] = delivery as unknown as [string, string, string];
          if (kind === "delivery") await clients.logs.send(new GetDeliveryCommand({ id }));
          else if (kind === "delivery-source") await clients.logs.send(new GetDeliverySourceCommand({ name: id }));
          else await clients.logs.send(new GetDeliveryDestinationCommand({ name: id }));
          return EXISTS;
        }
        const name = /^log-group:(.+?)(:\*)?$/.exec(resource)?.[1];
        if (!name) return { state: "unchecked" };
        const groups = (await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
        return groups.some((g) => g.logGroupName === name) ? EXISTS : GONE;
      }
      case "sns":
        await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
        return EXISTS;
      case "events": {
        const name = /^rule\/(?:[^/]+\/)?([^/]+)$/.exec(resource)?.[1];
        if (!name) return { state: "unchecked" };
        const bus = /^rule\/([^/]+)\/[^/]+$/.exec(resource)?.[1];
        await clients.events.send(new DescribeRuleCommand({ Name: name, ...(bus && { EventBusName: bus }) }));
        return EXISTS;
      }
      case "cloudtrail":
        if (!resource.startsWith("trail/")) return { state: "unchecked" };
        await clients.cloudtrail.send(new GetTrailCommand({ Name: arn }));
        return EXISTS;
      default:
        return { state: "unchecked" };
    }
  });
}

async function listTagged(ctx: TeardownContext): Promise<string[]> {
  const { deps, environment: env, findings } = ctx;
  return withRetries(
    deps.clock,
    5 * 60_000,
    "listing tagged resources",
    async () => {
      const arns: string[] = [];
      for await (const page of paginateGetResources({ client: deps.clients.tagging }, { TagFilters: [{ Key: ENVIRONMENT_TAG_KEY, Values: [env.name] }] })) {
        for (const mapping of page.ResourceTagMappingList ?? []) if (mapping.ResourceARN) arns.push(mapping.ResourceARN);
      }
      return arns.filter((arn) => !findings.keptArns.has(arn));
    },
    (line) => deps.log("sweep", line),
  );
}

/** How long unchecked leftovers get to leave the tagging index before they count as left over. */
const INDEX_WAIT_MS = 40_000;

export async function finalSweep(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, environment: env, findings } = ctx;
  const sweep = findings.sweep;
  const verdicts = new Map<string, Verdict>();
  for (const arn of await listTagged(ctx)) {
    verdicts.set(arn, await withRetries(deps.clock, 5 * 60_000, `checking ${arn}`, () => confirmArn(deps.clients, arn), (line) => deps.log("sweep", line)));
  }
  let unchecked = [...verdicts].filter(([, v]) => v.state === "unchecked").map(([arn]) => arn);
  if (unchecked.length > 0) {
    // No service check for these: give the index a moment to catch up before calling them left over.
    const result = await waitFor(
      deps.clock,
      INDEX_WAIT_MS,
      async () => {
        const listed = new Set(await listTagged(ctx));
        unchecked = unchecked.filter((arn) => listed.has(arn));
        return unchecked.length === 0 ? { done: true as const, value: undefined } : { done: false as const, progress: `${plural(unchecked.length, "tagged resource")} of unchecked kinds still listed` };
      },
      (line) => deps.log("sweep", line),
    );
    if (result.done) for (const [arn, verdict] of verdicts) if (verdict.state === "unchecked") verdicts.set(arn, GONE);
  }
  for (const [arn, verdict] of verdicts) {
    if (verdict.state === "exists") sweep.remaining.push(arn);
    else if (verdict.state === "pending-deletion") sweep.pendingDeletion.push({ arn, state: verdict.status, ...(verdict.until && { until: verdict.until }) });
    else if (verdict.state === "gone") sweep.indexLag.push(arn);
    else if (unchecked.includes(arn)) sweep.unconfirmed.push(arn);
    else sweep.indexLag.push(arn);
  }
  const left = [...sweep.remaining, ...sweep.unconfirmed];
  if (left.length > 0) {
    throw new Error(`${plural(left.length, "resource")} still tagged ${ENVIRONMENT_TAG_KEY}=${env.name}: ${left.join(", ")}`);
  }
  const notes = [
    ...(sweep.pendingDeletion.length > 0 ? [`${sweep.pendingDeletion.length} pending deletion`] : []),
    ...(sweep.indexLag.length > 0 ? [`${sweep.indexLag.length} already gone but still in the tagging index`] : []),
  ];
  return { detail: `nothing left${notes.length > 0 ? ` (${notes.join("; ")})` : ""}` };
}

/**
 * Step of `teardown --only agent`, in place of the final sweep (which would find the network and storage that
 * stay, by design): every resource the agent stack's state held is checked with its own service. Gone, or
 * scheduled for deletion (the alert's KMS key waits out its deletion window), passes; still there fails, naming it.
 * Kinds no service check exists for (IAM) rest on Terraform's successful destroy.
 */
export async function confirmAgentGone(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, findings } = ctx;
  const arns = findings.destroyedAgentArns;
  if (arns.length === 0) return { unchanged: true, detail: "nothing to check: the agent stack's state was already empty" };
  for (const arn of arns) {
    const verdict = await withRetries(deps.clock, 5 * 60_000, `checking ${arn}`, () => confirmArn(deps.clients, arn), (line) => deps.log("check", line));
    if (verdict.state === "exists") findings.sweep.remaining.push(arn);
    else if (verdict.state === "pending-deletion") findings.sweep.pendingDeletion.push({ arn, state: verdict.status, ...(verdict.until && { until: verdict.until }) });
  }
  if (findings.sweep.remaining.length > 0) {
    throw new Error(`${plural(findings.sweep.remaining.length, "resource")} of the agent stack still there after its destroy: ${findings.sweep.remaining.join(", ")}`);
  }
  const pending = findings.sweep.pendingDeletion.length;
  return { detail: `${plural(arns.length, "resource")} checked: gone${pending > 0 ? ` (${pending} pending deletion)` : ""}` };
}
