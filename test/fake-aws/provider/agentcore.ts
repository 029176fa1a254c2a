/**
 * AgentCore's side of a runtime in the fake world: the shared `agentic_ai` ENIs it creates in the runtime's
 * subnets, their release after the runtime is gone, and the S3 Files mount it validates (REFERENCE.md).
 */
import { AwsError } from "../errors.ts";
import type { FakeAwsWorld, Resource } from "../world.ts";
import { first, list, REQUESTER, serviceEni } from "./spec.ts";

/** The runtimes' AgentCore ENIs: one per subnet and security-group set, shared by every runtime that uses the same (REFERENCE.md). */
export function agentCoreKey(subnetId: string, groups: readonly string[]): string {
  return `${subnetId}|${[...groups].sort().join(",")}`;
}

export function runtimeNetwork(resource: Resource): { subnets: string[]; groups: string[] } | undefined {
  const network = first(resource.attributes.network_configuration);
  if (network.network_mode !== "VPC") return undefined;
  const config = first(network.network_mode_config);
  return { subnets: list(config.subnets), groups: list(config.security_groups) };
}

export function ensureAgentCoreEnis(world: FakeAwsWorld, runtime: Resource): void {
  const network = runtimeNetwork(runtime);
  if (!network) return;
  for (const subnetId of network.subnets) {
    const key = agentCoreKey(subnetId, network.groups);
    const existing = [...world.enis.values()].find((e) => e.createdBy === "agentcore" && agentCoreKey(e.SubnetId, e.Groups.map((g) => g.GroupId)) === key);
    if (existing) {
      delete existing.releaseAt;
      continue;
    }
    // agentic_ai, tagged AmazonBedrockAgentCoreManaged=true, ela-attach by amazon-aws, and RequesterManaged false as
    // observed in hashicorp/terraform-provider-aws#47399 (unlike NAT-gateway and endpoint ENIs); #46569; REFERENCE.md.
    const eni = serviceEni(world, {
      region: runtime.region,
      subnetId,
      groups: network.groups,
      type: "agentic_ai",
      description: "",
      requester: REQUESTER.agentcore,
      createdBy: "agentcore",
      tags: [{ Key: "AmazonBedrockAgentCoreManaged", Value: "true" }],
      requesterManaged: false,
    });
    if (world.options.managedEnisHidden) eni.Operator = { Managed: true, Principal: "bedrock-agentcore.amazonaws.com", HiddenByDefault: true };
  }
}

/**
 * AgentCore's own log group for the runtime's output, `/aws/bedrock-agentcore/runtimes/<runtime id>-DEFAULT`: it
 * creates it itself, untagged and without retention, and it outlives the runtime (README "Logs"; AgentCore
 * developer guide, "View observability data": runtime logs in /aws/bedrock-agentcore/runtimes/<agent_id>-<endpoint
 * name>). The world creates it at provisioning (the earlier of the two moments reported), so teardown meets it.
 */
export function ensureAgentCoreLogGroup(world: FakeAwsWorld, runtime: Resource): void {
  const name = `/aws/bedrock-agentcore/runtimes/${runtime.id}-DEFAULT`;
  if (world.find("aws_cloudwatch_log_group", name)) return;
  world.add({ type: "aws_cloudwatch_log_group", id: name, region: runtime.region, arn: `arn:aws:logs:${runtime.region}:${world.account}:log-group:${name}`, attributes: {}, tags: {} });
}

/** After a runtime is deleted, AgentCore keeps each of its ENIs until no runtime uses it, plus up to 8 hours. */
export function scheduleAgentCoreRelease(world: FakeAwsWorld, runtime: Resource, at: number): void {
  const network = runtimeNetwork(runtime);
  if (!network) return;
  const stillUsed = new Set(
    world
      .all("aws_bedrockagentcore_agent_runtime", runtime.region)
      .filter((r) => r.id !== runtime.id && r.status !== "deleting")
      .flatMap((r) => {
        const n = runtimeNetwork(r);
        return n ? n.subnets.map((s) => agentCoreKey(s, n.groups)) : [];
      }),
  );
  for (const eni of world.enis.values()) {
    if (eni.createdBy !== "agentcore") continue;
    const key = agentCoreKey(eni.SubnetId, eni.Groups.map((g) => g.GroupId));
    if (network.subnets.some((s) => agentCoreKey(s, network.groups) === key) && !stillUsed.has(key)) eni.releaseAt = at + world.options.eniReleaseMs;
  }
}

export function accessPointArns(runtime: Resource): string[] {
  const mounts = Array.isArray(runtime.attributes.filesystem_configuration) ? (runtime.attributes.filesystem_configuration as Record<string, unknown>[]) : [];
  return mounts.flatMap((f) => (Array.isArray(f.s3_files_access_point) ? (f.s3_files_access_point as Record<string, unknown>[]) : [])).map((a) => String(a.access_point_arn));
}

/** AgentCore validates the S3 Files mount when it creates or updates a runtime (REFERENCE.md "IAM actions and keys"). */
export function validateMounts(world: FakeAwsWorld, runtime: Resource): void {
  for (const arn of accessPointArns(runtime)) {
    const id = /access-point\/(fsap-[0-9a-f]+)$/.exec(arn)?.[1];
    const accessPoint = id ? world.find("aws_s3files_access_point", id) : undefined;
    if (!accessPoint || accessPoint.status !== "available") throw new AwsError("ValidationException", `S3 Files access point ${arn} was not found or is not available`);
  }
}

