/**
 * EC2 (protocol "ec2": form-encoded Action requests, XML answers with `<item>` lists, errors as
 * <Response><Errors>). Shapes and member names from the EC2 model (shared/aws-models/ec2.json: vpcSet,
 * networkInterfaceSet, tagSet, …); error codes and messages from the EC2 API reference "Error codes".
 */
import { AwsError } from "../errors.ts";
import { ec2, filtersParam, listParam, type AwsRequest, type HttpAnswer } from "../protocols.ts";
import type { Eni, FakeAwsWorld, Resource } from "../world.ts";

const tagSet = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

type Filter = { name: string; values: string[] };

function matchesTags(tags: Record<string, string>, filter: Filter): boolean | undefined {
  if (filter.name.startsWith("tag:")) return filter.values.includes(tags[filter.name.slice(4)] ?? "\u0000");
  if (filter.name === "tag-key") return filter.values.some((k) => k in tags);
  return undefined;
}

function selectResources(world: FakeAwsWorld, request: AwsRequest, types: readonly string[], idParam: string, notFound: (id: string) => AwsError, fields: Record<string, (r: Resource) => unknown>): Resource[] {
  const form = request.form!;
  const ids = listParam(form, idParam);
  const all = types.flatMap((t) => world.all(t, request.region));
  for (const id of ids) if (!all.some((r) => r.id === id)) throw notFound(id);
  const filters = filtersParam(form);
  return all.filter(
    (r) =>
      (ids.length === 0 || ids.includes(r.id)) &&
      filters.every((f) => matchesTags(r.tags, f) ?? (fields[f.name] ? f.values.includes(String(fields[f.name]!(r))) : true)),
  );
}

function page<T>(items: T[], form: URLSearchParams): { items: T[]; nextToken?: string } {
  const max = Number(form.get("MaxResults") ?? 1000);
  const start = Number(form.get("NextToken") ?? 0);
  const slice = items.slice(start, start + max);
  return { items: slice, ...(start + max < items.length && { nextToken: String(start + max) }) };
}

function eniShape(eni: Eni) {
  return {
    networkInterfaceId: eni.NetworkInterfaceId,
    subnetId: eni.SubnetId,
    vpcId: eni.VpcId,
    availabilityZone: eni.AvailabilityZone,
    description: eni.Description,
    ownerId: eni.OwnerId,
    ...(eni.RequesterId !== undefined && { requesterId: eni.RequesterId }),
    requesterManaged: eni.RequesterManaged,
    status: eni.Status,
    interfaceType: eni.InterfaceType,
    privateIpAddress: eni.PrivateIpAddress,
    groupSet: eni.Groups.map((g) => ({ groupId: g.GroupId, groupName: g.GroupName })),
    ...(eni.Attachment && {
      attachment: {
        attachmentId: eni.Attachment.AttachmentId,
        instanceOwnerId: eni.Attachment.InstanceOwnerId,
        deviceIndex: eni.Attachment.DeviceIndex,
        status: eni.Attachment.Status,
        attachTime: eni.Attachment.AttachTime,
        deleteOnTermination: eni.Attachment.DeleteOnTermination,
      },
    }),
    tagSet: eni.TagSet.map((t) => ({ key: t.Key, value: t.Value })),
    ...(eni.Operator && { operator: { managed: eni.Operator.Managed, ...(eni.Operator.Principal && { principal: eni.Operator.Principal }), hiddenByDefault: eni.Operator.HiddenByDefault } }),
  };
}

const ENI_FILTERS: Record<string, (e: Eni) => string[]> = {
  "vpc-id": (e) => [e.VpcId],
  "subnet-id": (e) => [e.SubnetId],
  "group-id": (e) => e.Groups.map((g) => g.GroupId),
  "interface-type": (e) => [e.InterfaceType],
  "requester-managed": (e) => [String(e.RequesterManaged)],
  "owner-id": (e) => [e.OwnerId],
  status: (e) => [e.Status],
  "attachment.instance-owner-id": (e) => (e.Attachment ? [e.Attachment.InstanceOwnerId] : []),
};

function describeNetworkInterfaces(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const form = request.form!;
  const ids = listParam(form, "NetworkInterfaceId");
  if (ids.length > 0 && form.has("MaxResults")) throw new AwsError("InvalidParameterCombination", "The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
  // IncludeManagedResources: managed ENIs hidden by the account's visibility setting appear only when asked for.
  const includeManaged = form.get("IncludeManagedResources") === "true";
  const all = world.enisIn(request.region).filter((e) => includeManaged || !e.Operator?.HiddenByDefault);
  for (const id of ids) if (!all.some((e) => e.NetworkInterfaceId === id)) throw new AwsError("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`);
  const filters = filtersParam(form);
  const selected = all.filter(
    (e) =>
      (ids.length === 0 || ids.includes(e.NetworkInterfaceId)) &&
      filters.every((f) => {
        const tags = Object.fromEntries(e.TagSet.map((t) => [t.Key, t.Value]));
        return matchesTags(tags, f) ?? (ENI_FILTERS[f.name] ? ENI_FILTERS[f.name]!(e).some((v) => f.values.includes(v)) : true);
      }),
  );
  const { items, nextToken } = page(selected, form);
  return ec2.answer("DescribeNetworkInterfaces", { networkInterfaceSet: items.map(eniShape), ...(nextToken && { nextToken }) });
}

/** Deleted NAT gateways and endpoints stay visible in state "deleted" for about an hour (EC2 API reference, DescribeNatGateways). */
const RECENTLY_DELETED_MS = 60 * 60_000;

/**
 * AvailableIpAddressCount: the CIDR's addresses less the 5 AWS reserves in every subnet (Amazon VPC user guide,
 * "Subnet CIDR blocks": the first four and the last) less one per ENI in it; a test may pin it (attribute
 * available_ip_address_count) to stand for addresses other tenants of an existing VPC hold.
 */
function freeAddresses(world: FakeAwsWorld, subnet: Resource): number {
  if (typeof subnet.attributes.available_ip_address_count === "number") return subnet.attributes.available_ip_address_count;
  const bits = Number(/\/(\d+)$/.exec(String(subnet.attributes.cidr_block ?? ""))?.[1] ?? 28);
  return 2 ** (32 - bits) - 5 - world.enisIn(subnet.region).filter((e) => e.SubnetId === subnet.id).length;
}

export function handleEc2(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const action = request.operation!;
  world.call("ec2", action);
  const form = request.form!;
  const region = request.region;
  switch (action) {
    case "DescribeVpcs": {
      const vpcs = selectResources(world, request, ["aws_vpc"], "VpcId", (id) => new AwsError("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`), { "vpc-id": (r) => r.id });
      return ec2.answer(action, { vpcSet: vpcs.map((v) => ({ vpcId: v.id, state: "available", cidrBlock: v.attributes.cidr_block, ownerId: world.account, isDefault: false, tagSet: tagSet(v.tags) })) });
    }
    case "DescribeSubnets": {
      const subnets = selectResources(world, request, ["aws_subnet"], "SubnetId", (id) => new AwsError("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`), { "vpc-id": (r) => r.attributes.vpc_id, "subnet-id": (r) => r.id });
      return ec2.answer(action, {
        subnetSet: subnets.map((s) => ({ subnetId: s.id, subnetArn: s.arn, vpcId: s.attributes.vpc_id, cidrBlock: s.attributes.cidr_block, availabilityZone: s.attributes.availability_zone, availabilityZoneId: s.attributes.availability_zone_id, availableIpAddressCount: freeAddresses(world, s), state: "available", ownerId: world.account, tagSet: tagSet(s.tags) })),
      });
    }
    case "DescribeSecurityGroups": {
      const groups = selectResources(world, request, ["aws_security_group", "default_security_group"], "GroupId", (id) => new AwsError("InvalidGroup.NotFound", `The security group '${id}' does not exist`), {
        "vpc-id": (r) => r.attributes.vpc_id,
        "group-id": (r) => r.id,
        "group-name": (r) => r.attributes.name,
      });
      return ec2.answer(action, {
        securityGroupInfo: groups.map((g) => ({ groupId: g.id, groupName: g.attributes.name, groupDescription: g.attributes.description ?? "", vpcId: g.attributes.vpc_id, ownerId: world.account, securityGroupArn: g.arn, tagSet: tagSet(g.tags) })),
      });
    }
    case "DescribeSecurityGroupRules": {
      const rules = selectResources(world, request, ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"], "SecurityGroupRuleId", (id) => new AwsError("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`), {
        "group-id": (r) => r.attributes.security_group_id,
      });
      return ec2.answer(action, { securityGroupRuleSet: rules.map((r) => ({ securityGroupRuleId: r.id, groupId: r.attributes.security_group_id, isEgress: r.type.includes("egress"), ipProtocol: r.attributes.ip_protocol, tagSet: tagSet(r.tags) })) });
    }
    case "DescribeInternetGateways": {
      const gateways = selectResources(world, request, ["aws_internet_gateway"], "InternetGatewayId", (id) => new AwsError("InvalidInternetGatewayID.NotFound", `The internetGateway ID '${id}' does not exist`), {
        "attachment.vpc-id": (r) => r.attributes.vpc_id,
      });
      return ec2.answer(action, { internetGatewaySet: gateways.map((g) => ({ internetGatewayId: g.id, ownerId: world.account, attachmentSet: [{ vpcId: g.attributes.vpc_id, state: "available" }], tagSet: tagSet(g.tags) })) });
    }
    case "DescribeRouteTables": {
      const tables = selectResources(world, request, ["aws_route_table"], "RouteTableId", (id) => new AwsError("InvalidRouteTableID.NotFound", `The routeTable ID '${id}' does not exist`), { "vpc-id": (r) => r.attributes.vpc_id });
      return ec2.answer(action, { routeTableSet: tables.map((t) => ({ routeTableId: t.id, vpcId: t.attributes.vpc_id, ownerId: world.account, tagSet: tagSet(t.tags) })) });
    }
    case "DescribeAddresses": {
      const addresses = selectResources(world, request, ["aws_eip"], "AllocationId", (id) => new AwsError("InvalidAllocationID.NotFound", `The allocation ID '${id}' does not exist`), {});
      return ec2.answer(action, { addressesSet: addresses.map((a) => ({ allocationId: a.id, publicIp: a.attributes.public_ip, domain: "vpc", tagSet: tagSet(a.tags) })) });
    }
    case "DescribeFlowLogs": {
      const ids = listParam(form, "FlowLogId");
      const logs = world.all("aws_flow_log", region).filter((l) => ids.length === 0 || ids.includes(l.id));
      return ec2.answer(action, { flowLogSet: logs.map((l) => ({ flowLogId: l.id, flowLogStatus: "ACTIVE", resourceId: l.attributes.vpc_id, tagSet: tagSet(l.tags) })) });
    }
    case "DescribeNatGateways": {
      const ids = listParam(form, "NatGatewayId");
      const recent = world.gone.filter((g) => g.resource.type === "aws_nat_gateway" && g.resource.region === region && world.now() - g.at < RECENTLY_DELETED_MS).map((g) => ({ ...g.resource, status: "deleted" as const }));
      const all = [...world.all("aws_nat_gateway", region), ...recent];
      for (const id of ids) if (!all.some((n) => n.id === id)) throw new AwsError("NatGatewayNotFound", `The Nat Gateway ${id} was not found`);
      const state = (n: { status: string }) => (n.status === "creating" ? "pending" : n.status);
      return ec2.answer(action, { natGatewaySet: all.filter((n) => ids.length === 0 || ids.includes(n.id)).map((n) => ({ natGatewayId: n.id, state: state(n), subnetId: n.attributes.subnet_id, tagSet: tagSet(n.tags) })) });
    }
    case "DescribeVpcEndpoints": {
      const ids = listParam(form, "VpcEndpointId");
      const recent = world.gone.filter((g) => g.resource.type === "aws_vpc_endpoint" && g.resource.region === region && world.now() - g.at < RECENTLY_DELETED_MS).map((g) => ({ ...g.resource, status: "deleted" as const }));
      const all = [...world.all("aws_vpc_endpoint", region), ...recent];
      for (const id of ids) if (!all.some((n) => n.id === id)) throw new AwsError("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${id}' does not exist`);
      return ec2.answer(action, {
        vpcEndpointSet: all
          .filter((e) => ids.length === 0 || ids.includes(e.id))
          .map((e) => ({ vpcEndpointId: e.id, vpcEndpointType: e.attributes.vpc_endpoint_type, vpcId: e.attributes.vpc_id, serviceName: e.attributes.service_name, state: e.status === "creating" ? "pending" : e.status, tagSet: tagSet(e.tags) })),
      });
    }
    case "DescribeNetworkInterfaces":
      return describeNetworkInterfaces(world, request);
    case "DeleteNetworkInterface": {
      const id = form.get("NetworkInterfaceId") ?? "";
      const eni = world.enisIn(region).find((e) => e.NetworkInterfaceId === id);
      if (!eni) throw new AwsError("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`);
      if (eni.OwnerId !== world.account) throw new AwsError("UnauthorizedOperation", "You are not authorized to perform this operation.", 403);
      if (eni.Attachment) throw new AwsError("InvalidNetworkInterface.InUse", `Network interface '${id}' is currently in use.`);
      world.enis.delete(id);
      world.changes.push(`DeleteNetworkInterface ${id}`);
      return ec2.answer(action, { return: true });
    }
    case "DetachNetworkInterface": {
      const attachment = form.get("AttachmentId") ?? "";
      // REFERENCE.md / hashicorp/terraform-provider-aws#47399: detaching a service's ela-attach attachment is refused.
      if (attachment.startsWith("ela-attach")) throw new AwsError("OperationNotPermitted", "You are not allowed to manage 'ela-attach' attachments.");
      throw new AwsError("InvalidAttachmentID.NotFound", `The attachment ID '${attachment}' does not exist`);
    }
    default:
      throw new AwsError("InvalidAction", `The action ${action} is not valid for this web service (fake world: not modelled).`);
  }
}
