/**
 * Step: the ENIs AgentCore leaves in the subnets. After a VPC-mode runtime is deleted, AgentCore keeps its
 * ENIs for up to 8 hours; nobody can detach or delete them, and they block deleting the security groups and
 * subnets (DependencyViolation). This step deletes only unattached ENIs of this account that carry the
 * environment's tag, and waits, with a visible backoff, until AgentCore's are gone; when they outlast the
 * wait, it stops resumable and the network stays.
 *
 * Telling AgentCore's ENIs apart (shared/REFERENCE.md "AgentCore Runtime"): InterfaceType `agentic_ai`, or
 * the tag AmazonBedrockAgentCoreManaged=true. Nothing else identifies them: NAT-gateway and interface-endpoint
 * ENIs are also requester-managed, with attachment owner `amazon-aws` and an `ela-attach-…` attachment
 * (EC2 User Guide, "Requester-managed network interfaces"), and they go only with the network stack itself.
 */
import { DeleteNetworkInterfaceCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, paginateDescribeNetworkInterfaces, type NetworkInterface } from "@aws-sdk/client-ec2";
import { ENVIRONMENT_TAG_KEY } from "../../../modules/environment/props.ts";
import { errorName } from "../aws.ts";
import { formatDuration, type StepOutcome } from "../steps.ts";
import { plural, ResumableStop, type EniReport, type TeardownContext } from "./context.ts";
import { runtimeDeletedAt } from "./deleted-at.ts";
import { waitFor } from "./wait.ts";

/** AgentCore releases its ENIs at most 8 hours after the runtime is deleted (REFERENCE.md). */
export const ENI_RELEASE_MS = 8 * 3600_000;

export const AGENTCORE_ENI_TAG = "AmazonBedrockAgentCoreManaged";

export function classifyEni(eni: NetworkInterface, context: { environment: string; accountId: string; now: number }): EniReport {
  const tags = new Map((eni.TagSet ?? []).map((t) => [t.Key, t.Value]));
  const attachTime = eni.Attachment?.AttachTime !== undefined ? new Date(eni.Attachment.AttachTime).getTime() : undefined;
  const base = {
    id: eni.NetworkInterfaceId ?? "unknown",
    type: eni.InterfaceType ?? "unknown",
    owner: eni.OwnerId ?? "unknown",
    status: eni.Status ?? "unknown",
    ...(eni.RequesterId !== undefined && { requester: eni.RequesterId }),
    ...(eni.Description !== undefined && eni.Description !== "" && { description: eni.Description }),
    ...(eni.SubnetId !== undefined && { subnetId: eni.SubnetId }),
    ...(attachTime !== undefined && { age: formatDuration(context.now - attachTime) }),
  };
  // The SDK's NetworkInterfaceType enum (EC2 model 2016-11-15) does not list "agentic_ai"; EC2 returns it anyway.
  if ((eni.InterfaceType as string | undefined) === "agentic_ai" || tags.get(AGENTCORE_ENI_TAG) === "true") return { ...base, kind: "agentcore" };
  const ours =
    eni.OwnerId === context.accountId &&
    eni.Status === "available" &&
    eni.RequesterManaged !== true &&
    eni.Attachment === undefined &&
    tags.get(ENVIRONMENT_TAG_KEY) === context.environment;
  return { ...base, kind: ours ? "ours-deletable" : "other" };
}

/** The filter that finds the environment's ENIs: its VPC, or (imported VPC) its security groups. Undefined once the network is gone. */
export async function networkFilter(ctx: TeardownContext): Promise<{ Name: string; Values: string[] } | undefined> {
  const { environment: env, deps } = ctx;
  if (env.network.mode === "import") {
    const groups = await deps.clients.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${ENVIRONMENT_TAG_KEY}`, Values: [env.name] }, { Name: "vpc-id", Values: [env.network.vpcId] }] }),
    );
    const ids = (groups.SecurityGroups ?? []).map((g) => g.GroupId!);
    return ids.length > 0 ? { Name: "group-id", Values: ids } : undefined;
  }
  const vpcs = await deps.clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${ENVIRONMENT_TAG_KEY}`, Values: [env.name] }] }));
  const ids = (vpcs.Vpcs ?? []).map((v) => v.VpcId!);
  return ids.length > 0 ? { Name: "vpc-id", Values: ids } : undefined;
}

/**
 * Every ENI in the environment's network. IncludeManagedResources: ENIs managed by an AWS service can be
 * hidden from DescribeNetworkInterfaces by the account's managed-resource visibility setting (EC2 API
 * reference, DescribeNetworkInterfaces; `Operator.HiddenByDefault`), and those are exactly the ones we look for.
 */
export async function listNetworkEnis(ctx: TeardownContext, filter: { Name: string; Values: string[] }): Promise<EniReport[]> {
  const enis: EniReport[] = [];
  const context = { environment: ctx.environment.name, accountId: ctx.deps.accountId, now: ctx.deps.clock.now() };
  for await (const page of paginateDescribeNetworkInterfaces({ client: ctx.deps.clients.ec2, pageSize: 100 }, { Filters: [filter], IncludeManagedResources: true })) {
    for (const eni of page.NetworkInterfaces ?? []) enis.push(classifyEni(eni, context));
  }
  return enis;
}

export function describeEni(eni: EniReport): string {
  return `${eni.id} (${eni.type}, owner ${eni.owner}${eni.requester && eni.requester !== eni.owner ? `, created by ${eni.requester}` : ""}, ${eni.status}${eni.description ? `, "${eni.description}"` : ""})`;
}

async function deleteOurEnis(ctx: TeardownContext, enis: readonly EniReport[]): Promise<void> {
  for (const eni of enis.filter((e) => e.kind === "ours-deletable")) {
    try {
      await ctx.deps.clients.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.id }));
      ctx.deps.log("enis", `deleted unattached ENI ${eni.id}`);
    } catch (error) {
      // Gone between the list and the delete, or attached meanwhile: the next look decides.
      if (!/NotFound|InUse/.test(errorName(error))) throw error;
    }
  }
}

/** When AgentCore should have released its ENIs, from the time the runtime was deleted (deleted-at.ts). */
export function releaseEstimate(deletedAt: string | undefined, now: number): { by?: string; stale: boolean; deletedAt?: string } {
  if (deletedAt === undefined) return { stale: false };
  const by = Date.parse(deletedAt) + ENI_RELEASE_MS;
  return by > now ? { by: new Date(by).toISOString(), stale: false, deletedAt } : { stale: true, deletedAt };
}

export function heldMessage(held: readonly EniReport[], estimate: ReturnType<typeof releaseEstimate>): string {
  const what = `AgentCore still holds ${plural(held.length, "ENI")} in the network (${held.map((e) => e.id).join(", ")})`;
  if (estimate.stale) {
    return `${what}, although this environment's runtime was deleted at ${estimate.deletedAt}, more than 8 hours ago: they may belong to another runtime that uses the same subnets and security groups (AgentCore shares them), or AWS is late. They cannot be detached or deleted by the account. The network stays`;
  }
  return `${what}. AWS releases them within 8 hours of the runtime's deletion${estimate.by ? ` (by ${estimate.by})` : ""}; they cannot be detached or deleted by the account. The network stays until then`;
}

export async function waitForAgentCoreEnis(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, options, findings } = ctx;
  const filter = await networkFilter(ctx);
  if (filter === undefined) return { unchanged: true, detail: "network already gone" };
  const result = await waitFor(
    deps.clock,
    options.waitEnisMs,
    async () => {
      findings.enis = await listNetworkEnis(ctx, filter);
      await deleteOurEnis(ctx, findings.enis);
      const held = findings.enis.filter((e) => e.kind === "agentcore");
      if (held.length === 0) return { done: true as const, value: undefined };
      return { done: false as const, progress: `${plural(held.length, "AgentCore ENI")} still held (${held.map((e) => `${e.id}${e.age ? `, attached ${e.age} ago` : ""}`).join("; ")})` };
    },
    (line) => deps.log("enis", line),
  );
  if (!result.done) {
    const held = findings.enis.filter((e) => e.kind === "agentcore");
    const deleted = await runtimeDeletedAt(ctx);
    if (deleted !== undefined) deps.log("enis", `the runtime was deleted at ${deleted.at} (${deleted.source})`);
    const estimate = releaseEstimate(deleted?.at, deps.clock.now());
    findings.retryAfter = estimate.by;
    throw new ResumableStop(heldMessage(held, estimate), estimate.by);
  }
  findings.enis = findings.enis.filter((e) => e.kind !== "ours-deletable");
  return { detail: `no AgentCore ENI left (${plural(findings.enis.length, "other ENI")} go with the network stack)` };
}
