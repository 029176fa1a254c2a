/**
 * What deploying an environment creates that counts against a quota or needs room in the network, read from its
 * synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json), and the names deployer-policy scopes to. Nothing here is
 * assumed from the environment's options: a NAT gateway counts because the network stack declares one.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { LAYERS, type Layer } from "../../modules/environment/environment-stack.ts";

export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly terraform?: { readonly required_providers?: Record<string, { source?: string; version?: string }> };
}

export interface Footprint {
  readonly vpcs: number;
  readonly elasticIps: number;
  /** NAT gateways by the AZ id of their subnet (quota "NAT gateways per Availability Zone"). */
  readonly natGatewaysByAz: ReadonlyMap<string, number>;
  readonly trails: number;
  readonly runtimes: number;
  /** Existing subnets (an imported VPC) the stacks put ENIs in, with how many: AgentCore's, a mount target, interface endpoints. */
  readonly existingSubnets: ReadonlyMap<string, number>;
  /** The AWS provider the stacks require (source and version), for the install check. */
  readonly provider?: { readonly source: string; readonly version: string };
  /** Resource types per stack, for deployer-policy. */
  readonly resourceTypes: ReadonlyMap<Layer, readonly string[]>;
}

export function readStacks(outdir: string, environment: EnvironmentDescription): Map<Layer, StackJson> {
  const stacks = new Map<Layer, StackJson>();
  for (const layer of LAYERS) {
    const file = join(outdir, "stacks", environment.stacks[layer], "cdk.tf.json");
    if (existsSync(file)) stacks.set(layer, JSON.parse(readFileSync(file, "utf8")) as StackJson);
  }
  return stacks;
}

const resources = (stack: StackJson | undefined, type: string) => Object.values(stack?.resource?.[type] ?? {});

export function footprintOf(stacks: ReadonlyMap<Layer, StackJson>): Footprint {
  const network = stacks.get("network");
  const subnetAz = new Map(Object.entries(network?.resource?.aws_subnet ?? {}).map(([id, s]) => [id, String(s.availability_zone_id ?? s.availability_zone ?? "unknown")]));
  const natGatewaysByAz = new Map<string, number>();
  for (const nat of resources(network, "aws_nat_gateway")) {
    const subnet = /aws_subnet\.([^.]+)\.id/.exec(String(nat.subnet_id))?.[1];
    const az = (subnet && subnetAz.get(subnet)) ?? "unknown";
    natGatewaysByAz.set(az, (natGatewaysByAz.get(az) ?? 0) + 1);
  }
  // Literal subnet ids appear only where the environment uses an existing VPC (a created VPC's are references).
  // Each such subnet gets AgentCore's ENI (one per subnet and security-group set, REFERENCE.md), the S3 Files
  // mount target of its AZ (one per AZ), and one ENI per interface endpoint the network stack creates there.
  const existingSubnets = new Map<string, number>();
  const interfaceEndpoints = resources(network, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface").length;
  const mountTargets = resources(stacks.get("storage"), "aws_s3files_mount_target").length > 0 ? 1 : 0;
  for (const id of new Set(JSON.stringify(network ?? {}).match(/subnet-[0-9a-f]{8,17}\b/g) ?? [])) existingSubnets.set(id, 1 + mountTargets + interfaceEndpoints);
  const aws = [...stacks.values()].map((s) => s.terraform?.required_providers?.aws).find((p) => p?.version !== undefined);
  return {
    vpcs: resources(network, "aws_vpc").length,
    elasticIps: resources(network, "aws_eip").length,
    natGatewaysByAz,
    trails: resources(stacks.get("agent"), "aws_cloudtrail").length,
    runtimes: resources(stacks.get("agent"), "aws_bedrockagentcore_agent_runtime").length,
    existingSubnets,
    ...(aws && { provider: { source: aws.source ?? "hashicorp/aws", version: aws.version! } }),
    resourceTypes: new Map([...stacks].map(([layer, stack]) => [layer, Object.keys(stack.resource ?? {}).sort()])),
  };
}
