import { describe, expect, it } from "vitest";
import { listOf, refTo, synthEnvironment, type TerraformJson } from "../helpers/synth.ts";

const sgRef = (json: TerraformJson, name: string) => refTo(json, "aws_security_group", (c) => c.name === name);

describe("created VPC, nat-single (development default)", () => {
  const json = synthEnvironment().network();

  it("enables DNS support and hostnames (S3 Files mount targets are resolved through VPC DNS)", () => {
    expect(listOf(json, "aws_vpc")).toEqual([expect.objectContaining({ cidr_block: "10.50.0.0/16", enable_dns_support: true, enable_dns_hostnames: true })]);
  });

  it("creates one private subnet per AgentCore-supported AZ ID, with the planned ranges", () => {
    const privateSubnets = listOf(json, "aws_subnet").filter((s) => (s.tags as Record<string, string>).Tier === "private");
    expect(privateSubnets.map((s) => [s.availability_zone_id, s.cidr_block])).toEqual([
      ["usw2-az1", "10.50.0.0/19"],
      ["usw2-az2", "10.50.32.0/19"],
    ]);
  });

  it("has one NAT gateway in a public subnet, and every private route table defaults to it", () => {
    const nats = listOf(json, "aws_nat_gateway");
    expect(nats).toHaveLength(1);
    const natRef = refTo(json, "aws_nat_gateway", () => true);
    const privateDefaults = listOf(json, "aws_route").filter((r) => r.nat_gateway_id !== undefined);
    expect(privateDefaults).toHaveLength(2);
    for (const route of privateDefaults) expect(route).toMatchObject({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: natRef });
    expect(listOf(json, "aws_subnet").filter((s) => s.map_public_ip_on_launch === false)).toHaveLength(2);
  });

  it("always adds an S3 gateway endpoint on every private route table", () => {
    const privateTables = Object.entries(json.resource!.aws_route_table!)
      .filter(([, c]) => String((c.tags as Record<string, string>).Name).includes("private"))
      .map(([id]) => `\${aws_route_table.${id}.id}`);
    expect(listOf(json, "aws_vpc_endpoint")).toEqual([
      expect.objectContaining({ service_name: "com.amazonaws.us-west-2.s3", vpc_endpoint_type: "Gateway", route_table_ids: privateTables }),
    ]);
  });

  it("the mount-target security group accepts TCP 2049 from the agent security group and nothing else", () => {
    const agent = sgRef(json, "test-agent");
    const mountTargets = sgRef(json, "test-s3files-mount-targets");
    const ingress = listOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === mountTargets);
    expect(ingress).toEqual([
      expect.objectContaining({ ip_protocol: "tcp", from_port: 2049, to_port: 2049, referenced_security_group_id: agent }),
    ]);
    expect(ingress[0]).not.toHaveProperty("cidr_ipv4");
    expect(listOf(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === mountTargets)).toEqual([]);
    for (const sg of listOf(json, "aws_security_group")) {
      expect(sg).not.toHaveProperty("ingress");
      expect(sg).not.toHaveProperty("egress");
    }
  });

  it("the agent security group has no inbound rule; outbound is NFS to the mount targets and HTTPS", () => {
    const agent = sgRef(json, "test-agent");
    expect(listOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === agent)).toEqual([]);
    const egress = listOf(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === agent);
    expect(egress.map((r) => [r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4])).toEqual(
      expect.arrayContaining([
        [2049, sgRef(json, "test-s3files-mount-targets")],
        [443, "0.0.0.0/0"],
      ]),
    );
    expect(egress).toHaveLength(2);
  });

  it("empties the VPC's default security group and has no flow logs in development", () => {
    expect(listOf(json, "aws_default_security_group")).toEqual([expect.not.objectContaining({ ingress: expect.anything() })]);
    expect(listOf(json, "aws_flow_log")).toEqual([]);
  });
});

describe("created VPC, nat-per-az with flow logs (production default)", () => {
  const json = synthEnvironment({ stage: "production" }).network();

  it("routes each private subnet through the NAT gateway in its own AZ", () => {
    const nats = Object.entries(json.resource!.aws_nat_gateway!);
    expect(nats).toHaveLength(3);
    for (const zone of ["usw2-az1", "usw2-az2", "usw2-az3"]) {
      const [natId] = nats.find(([id]) => id.includes(zone))!;
      const route = Object.entries(json.resource!.aws_route!).find(([id]) => id.includes(`private-default-route-${zone}`))![1];
      expect(route.nat_gateway_id).toBe(`\${aws_nat_gateway.${natId}.id}`);
    }
  });

  it("delivers flow logs to a log group with the production retention, through a role only the flow-logs service of this account can assume", () => {
    expect(listOf(json, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: "/vpc/test/flow-logs", retention_in_days: 365 })]);
    expect(listOf(json, "aws_flow_log")).toEqual([expect.objectContaining({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" })]);
    const trust = JSON.parse(String(listOf(json, "aws_iam_role")[0]!.assume_role_policy)) as { Statement: Record<string, unknown>[] };
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Condition: {
        StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.caller-identity.account_id}" },
        ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-west-2:${data.aws_caller_identity.caller-identity.account_id}:vpc-flow-log/*" },
      },
    });
  });
});

describe("created VPC, endpoints-only", () => {
  const json = synthEnvironment({ network: { mode: "create", cidr: "10.50.0.0/16", egress: "endpoints-only" } }).network();

  it("has no internet gateway, NAT gateway, public subnet or default route", () => {
    expect(listOf(json, "aws_internet_gateway")).toEqual([]);
    expect(listOf(json, "aws_nat_gateway")).toEqual([]);
    expect(listOf(json, "aws_eip")).toEqual([]);
    expect(listOf(json, "aws_route")).toEqual([]);
    expect(listOf(json, "aws_subnet")).toHaveLength(2);
  });

  it("creates private-DNS interface endpoints for ECR, logs, Bedrock runtime and STS in the private subnets", () => {
    const endpoints = listOf(json, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ["bedrock-runtime", "ecr.api", "ecr.dkr", "logs", "sts"].map((s) => `com.amazonaws.us-west-2.${s}`),
    );
    const endpointSg = sgRef(json, "test-vpc-endpoints");
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({ private_dns_enabled: true, security_group_ids: [endpointSg] });
      expect(endpoint.subnet_ids).toHaveLength(2);
    }
  });

  it("lets the agent reach HTTPS only at the endpoints and S3, and the endpoints accept HTTPS only from the agent", () => {
    const agent = sgRef(json, "test-agent");
    const endpointSg = sgRef(json, "test-vpc-endpoints");
    const egress = listOf(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === agent && r.from_port === 443);
    expect(egress).toHaveLength(2);
    expect(egress.some((r) => r.cidr_ipv4 !== undefined)).toBe(false);
    expect(egress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ referenced_security_group_id: endpointSg }),
        expect.objectContaining({ prefix_list_id: expect.stringMatching(/^\$\{aws_vpc_endpoint\..*\.prefix_list_id\}$/) }),
      ]),
    );
    expect(listOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === endpointSg)).toEqual([
      expect.objectContaining({ from_port: 443, referenced_security_group_id: agent }),
    ]);
  });
});

describe("imported VPC", () => {
  const json = synthEnvironment({
    network: {
      mode: "import",
      vpcId: "vpc-0123456789abcdef0",
      privateSubnets: [
        { subnetId: "subnet-0123456789abcdef0", availabilityZoneId: "usw2-az1" },
        { subnetId: "subnet-0123456789abcdef1", availabilityZoneId: "usw2-az3" },
      ],
    },
  }).network();

  it("creates only the two security groups, in the given VPC", () => {
    const created = Object.keys(json.resource!);
    expect(created.sort()).toEqual(["aws_security_group", "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule"]);
    const vpcRef = `\${data.aws_vpc.${Object.keys(json.data!.aws_vpc!)[0]}.id}`;
    expect(listOf(json, "aws_security_group").map((sg) => [sg.name, sg.vpc_id]).sort()).toEqual([
      ["test-agent", vpcRef],
      ["test-s3files-mount-targets", vpcRef],
    ]);
  });

  it("checks at plan time that the VPC has DNS on and each subnet is in the declared VPC and AZ", () => {
    const vpc = Object.values(json.data!.aws_vpc!)[0]!;
    expect(vpc).toMatchObject({ id: "vpc-0123456789abcdef0" });
    expect(JSON.stringify(vpc.lifecycle)).toContain("self.enable_dns_support && self.enable_dns_hostnames");
    const subnets = Object.values(json.data!.aws_subnet!);
    expect(subnets.map((s) => s.id)).toEqual(["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
    expect(JSON.stringify(subnets[1]!.lifecycle)).toContain('self.availability_zone_id == \\"usw2-az3\\"');
  });
});

describe("imported VPC with interface endpoints", () => {
  const imported = {
    mode: "import" as const,
    vpcId: "vpc-0123456789abcdef0",
    privateSubnets: [
      { subnetId: "subnet-0123456789abcdef0", availabilityZoneId: "usw2-az1" },
      { subnetId: "subnet-0123456789abcdef1", availabilityZoneId: "usw2-az3" },
    ],
    interfaceEndpoints: ["ecr.api", "logs"],
  };

  it("are refused until the environment says they serve the whole VPC (private DNS answers for every workload in it)", () => {
    expect(() => synthEnvironment({ network: imported })).toThrow(/network\.interfaceEndpoints = \["ecr\.api","logs"\]: would become, through private DNS, the endpoints of these services for every workload in the existing VPC.*Fix: remove them if the VPC already reaches these services .*or set network\.interfaceEndpointsServeWholeVpc to true/);
  });

  it("then admit HTTPS from the VPC's own range as well as from the agent", () => {
    const json = synthEnvironment({ network: { ...imported, interfaceEndpointsServeWholeVpc: true } }).network();
    const endpointGroup = sgRef(json, "test-vpc-endpoints");
    const vpcRange = `\${data.aws_vpc.${Object.keys(json.data!.aws_vpc!)[0]}.cidr_block}`;
    expect(listOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === endpointGroup).map((r) => [r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4])).toEqual(expect.arrayContaining([
      [443, sgRef(json, "test-agent")],
      [443, vpcRange],
    ]));
    expect(listOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === endpointGroup)).toHaveLength(2);
    expect(listOf(json, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface").map((e) => e.private_dns_enabled)).toEqual([true, true]);
  });

  it("an acknowledgement with no interface endpoints to serve is refused (it would do nothing)", () => {
    expect(() => synthEnvironment({ network: { ...imported, interfaceEndpoints: [], interfaceEndpointsServeWholeVpc: true } })).toThrow(
      /network\.interfaceEndpointsServeWholeVpc = true: has no effect: this network creates no interface endpoints\. Fix: remove it, or list the endpoints in network\.interfaceEndpoints/,
    );
  });

  it("the acknowledgement belongs to an existing VPC only", () => {
    expect(() => synthEnvironment({ network: { mode: "create", cidr: "10.50.0.0/16", interfaceEndpointsServeWholeVpc: true } as never })).toThrow(/network\.interfaceEndpointsServeWholeVpc/);
  });
});
