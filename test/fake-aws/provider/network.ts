/** The network's Terraform types in the fake world: VPC, subnets, security groups, gateways, routes, endpoints, flow logs. */
import { AwsError } from "../errors.ts";
import { arnOf, dependencyViolation, ec2Simple, generic, list, MINUTE, REQUESTER, serviceEni, sgRule, zoneName, type TypeSpec } from "./spec.ts";

export const NETWORK_TYPES: Record<string, TypeSpec> = {
  // provider internal/service/ec2/vpc_.go: DeleteVpc retried on DependencyViolation for the delete timeout.
  aws_vpc: {
    label: "EC2 VPC",
    service: "EC2",
    createOperation: "CreateVpc",
    deleteOperation: "DeleteVpc",
    forceNew: ["cidr_block"],
    deleteRetryOn: ["DependencyViolation"],
    deleteTimeoutMs: 5 * MINUTE,
    indexed: true,
    id: (world) => world.id("vpc"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `vpc/${id}`),
    create: (world, vpc) => {
      // Every VPC comes with its default security group and main route table.
      const id = world.id("sg");
      // Like every security group it has an ARN (arn:aws:ec2:<region>:<account>:security-group/<id>) and, once the
      // provider's aws_default_security_group adopts it with default_tags, the tagging index lists it.
      const sg = world.add({ type: "default_security_group", id, arn: arnOf(world, "ec2", vpc.region, `security-group/${id}`), region: vpc.region, attributes: { vpc_id: vpc.id, name: "default", description: "default VPC security group" }, tags: {} });
      sg.arn = arnOf(world, "ec2", vpc.region, `security-group/${sg.id}`);
      vpc.attributes.default_security_group_id = sg.id;
    },
    remove: (world, vpc) => {
      const inVpc = [...world.resources.values()].filter((r) => r.attributes.vpc_id === vpc.id && r.type !== "default_security_group" && r.status !== "deleting");
      if (inVpc.length > 0 || world.enisIn(vpc.region).some((e) => e.VpcId === vpc.id)) throw dependencyViolation(`The vpc '${vpc.id}' has dependencies and cannot be deleted.`);
      for (const sg of world.all("default_security_group", vpc.region).filter((r) => r.attributes.vpc_id === vpc.id)) world.forget(sg);
    },
  },
  // provider vpc_subnet.go: DeleteSubnet retried on DependencyViolation for the delete timeout (20 min).
  aws_subnet: {
    label: "EC2 Subnet",
    service: "EC2",
    createOperation: "CreateSubnet",
    deleteOperation: "DeleteSubnet",
    forceNew: ["vpc_id", "cidr_block", "availability_zone", "availability_zone_id"],
    deleteRetryOn: ["DependencyViolation"],
    deleteTimeoutMs: 20 * MINUTE,
    indexed: true,
    id: (world) => world.id("subnet"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `subnet/${id}`),
    computed: (_world, r) => ({ availability_zone: zoneName(r.region, r.attributes.availability_zone_id as string | undefined) }),
    remove: (world, sub) => {
      if (world.enisIn(sub.region).some((e) => e.SubnetId === sub.id)) throw dependencyViolation(`The subnet '${sub.id}' has dependencies and cannot be deleted.`);
    },
  },
  // provider vpc_security_group.go: DeleteSecurityGroup retried on DependencyViolation and InvalidGroup.InUse (15 min).
  aws_security_group: {
    label: "Security Group",
    service: "EC2",
    createOperation: "CreateSecurityGroup",
    deleteOperation: "DeleteSecurityGroup",
    forceNew: ["name", "description", "vpc_id"],
    deleteRetryOn: ["DependencyViolation", "InvalidGroup.InUse"],
    deleteTimeoutMs: 15 * MINUTE,
    indexed: true,
    id: (world) => world.id("sg"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `security-group/${id}`),
    remove: (world, sg) => {
      const usedByEni = world.enisIn(sg.region).some((e) => e.Groups.some((g) => g.GroupId === sg.id));
      const referenced = [...world.resources.values()].some((r) => r.attributes.referenced_security_group_id === sg.id && r.attributes.security_group_id !== sg.id);
      if (usedByEni || referenced) throw dependencyViolation(`resource ${sg.id} has a dependent object`);
    },
  },
  // provider default_security_group.go: adopts the VPC's default group; destroy only removes it from state.
  aws_default_security_group: {
    label: "Default Security Group",
    service: "EC2",
    createOperation: "DescribeSecurityGroups",
    deleteOperation: "RevokeSecurityGroupIngress",
    forceNew: ["vpc_id"],
    indexed: true,
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `security-group/${id}`),
    id: (world, config) => {
      const sg = [...world.resources.values()].find((r) => r.type === "default_security_group" && r.attributes.vpc_id === config.vpc_id);
      if (!sg) throw new AwsError("InvalidGroup.NotFound", `no default security group in ${String(config.vpc_id)}`);
      return sg.id;
    },
  },
  aws_vpc_security_group_ingress_rule: sgRule("Ingress"),
  aws_vpc_security_group_egress_rule: sgRule("Egress"),
  // provider internet_gateway.go: detaching retries DependencyViolation ("mapped public address(es)") for the delete timeout (20 min).
  aws_internet_gateway: {
    label: "EC2 Internet Gateway",
    service: "EC2",
    createOperation: "CreateInternetGateway",
    deleteOperation: "DetachInternetGateway",
    forceNew: [],
    deleteRetryOn: ["DependencyViolation"],
    deleteTimeoutMs: 20 * MINUTE,
    indexed: true,
    id: (world) => world.id("igw"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `internet-gateway/${id}`),
    remove: (world, igw) => {
      const mapped = world.all("aws_nat_gateway", igw.region).some((n) => world.get(String(n.attributes.subnet_id))?.attributes.vpc_id === igw.attributes.vpc_id);
      if (mapped) throw dependencyViolation(`Network ${String(igw.attributes.vpc_id)} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`);
    },
  },
  aws_eip: {
    label: "EC2 EIP",
    service: "EC2",
    createOperation: "AllocateAddress",
    deleteOperation: "ReleaseAddress",
    forceNew: ["domain"],
    indexed: true,
    id: (world) => world.id("eipalloc"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `elastic-ip/${id}`),
    computed: (world, r) => ({ allocation_id: r.id, public_ip: `203.0.113.${(Number.parseInt(r.id.slice(-4), 16) % 250) + 1}`, domain: "vpc" }),
  },
  // A public NAT gateway has one ENI: InterfaceType nat_gateway, "Interface for NAT Gateway nat-…" (EC2 API reference, CreateNatGateway; User Guide, "Requester-managed network interfaces").
  aws_nat_gateway: {
    label: "EC2 NAT Gateway",
    service: "EC2",
    createOperation: "CreateNatGateway",
    deleteOperation: "DeleteNatGateway",
    forceNew: ["allocation_id", "subnet_id", "connectivity_type"],
    indexed: true,
    id: (world) => world.id("nat"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `natgateway/${id}`),
    create: (world, nat) => {
      const eni = serviceEni(world, { region: nat.region, subnetId: String(nat.attributes.subnet_id), groups: [], type: "nat_gateway", description: `Interface for NAT Gateway ${nat.id}`, requester: REQUESTER.natGateway, createdBy: nat.id });
      nat.attributes.network_interface_id = eni.NetworkInterfaceId;
      nat.attributes.private_ip = eni.PrivateIpAddress;
      return world.options.durations.natGateway;
    },
    remove: (world) => world.options.durations.natGateway,
  },
  aws_route_table: { ...ec2Simple("Route Table", "rtb", "route-table", "DeleteRouteTable") },
  aws_route: { ...generic("aws_route"), label: "Route", service: "EC2", deleteOperation: "DeleteRoute" },
  aws_route_table_association: { ...generic("aws_route_table_association"), id: (world) => world.id("rtbassoc") },
  // Interface endpoints have one ENI per subnet (InterfaceType vpc_endpoint, "VPC Endpoint Interface vpce-…": EC2 User Guide,
  // "Requester-managed network interfaces"); a gateway endpoint has none and a prefix list instead.
  aws_vpc_endpoint: {
    label: "EC2 VPC Endpoint",
    service: "EC2",
    createOperation: "CreateVpcEndpoint",
    deleteOperation: "DeleteVpcEndpoints",
    forceNew: ["vpc_id", "service_name", "vpc_endpoint_type"],
    indexed: true,
    id: (world) => world.id("vpce"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `vpc-endpoint/${id}`),
    create: (world, endpoint) => {
      if (endpoint.attributes.vpc_endpoint_type !== "Interface") {
        endpoint.attributes.prefix_list_id = world.id("pl", 8);
        return;
      }
      const enis = list(endpoint.attributes.subnet_ids).map(
        (subnetId) =>
          serviceEni(world, { region: endpoint.region, subnetId, groups: list(endpoint.attributes.security_group_ids), type: "vpc_endpoint", description: `VPC Endpoint Interface ${endpoint.id}`, requester: REQUESTER.endpoint, createdBy: endpoint.id })
            .NetworkInterfaceId,
      );
      endpoint.attributes.network_interface_ids = enis;
      return world.options.durations.interfaceEndpoint;
    },
    remove: (world, endpoint) => (endpoint.attributes.vpc_endpoint_type === "Interface" ? world.options.durations.interfaceEndpoint : 0),
  },
  aws_flow_log: { ...ec2Simple("Flow Log", "fl", "vpc-flow-log", "DeleteFlowLogs") },
};
