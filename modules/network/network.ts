import { DataAwsSubnet } from "@cdktn/provider-aws/lib/data-aws-subnet/index.js";
import { DataAwsVpc } from "@cdktn/provider-aws/lib/data-aws-vpc/index.js";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group/index.js";
import { DefaultSecurityGroup } from "@cdktn/provider-aws/lib/default-security-group/index.js";
import { Eip } from "@cdktn/provider-aws/lib/eip/index.js";
import { FlowLog } from "@cdktn/provider-aws/lib/flow-log/index.js";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy/index.js";
import { InternetGateway } from "@cdktn/provider-aws/lib/internet-gateway/index.js";
import { NatGateway } from "@cdktn/provider-aws/lib/nat-gateway/index.js";
import { Route } from "@cdktn/provider-aws/lib/route/index.js";
import { RouteTable } from "@cdktn/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktn/provider-aws/lib/route-table-association/index.js";
import { SecurityGroup } from "@cdktn/provider-aws/lib/security-group/index.js";
import { Subnet } from "@cdktn/provider-aws/lib/subnet/index.js";
import { Vpc } from "@cdktn/provider-aws/lib/vpc/index.js";
import { VpcEndpoint } from "@cdktn/provider-aws/lib/vpc-endpoint/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktn/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktn/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Construct } from "constructs";
import { stackIdOf } from "../../lib/construct-checks.ts";
import { NAME_RULES } from "../../lib/names.ts";
import { awsContext, type AwsContext } from "../../lib/scope.ts";
import { throwIfProblems } from "../../lib/validation.ts";
import { flowLogsDeliveryPermissions, flowLogsTrustPolicy } from "../../policies/network.ts";
import type { CreatedNetwork, INetwork, NetworkProps, PrivateSubnet } from "./props.ts";
import { validateNetworkProps } from "./validate.ts";

/** NFS, the only port S3 Files mount targets listen on. */
export const NFS_PORT = 2049;
const HTTPS_PORT = 443;

/**
 * The agent's network: private subnets (created, or an existing VPC's), the egress AgentCore needs, an S3
 * gateway endpoint, and two security groups — the agent's (egress only) and the mount targets' (NFS from
 * the agent's group, nothing else).
 *
 * Validates its props before creating anything (validateNetworkProps) and throws a ConfigurationError naming
 * every problem. Region and account come from the stack's AWS provider.
 */
export class Network extends Construct implements INetwork {
  /** The VPC's id: the one created, or the one given. */
  readonly vpcId: string;
  /** One private subnet per Availability Zone; the runtime and the S3 Files mount targets use these. */
  readonly privateSubnets: readonly PrivateSubnet[];
  /** Security group of the runtime's ENIs: no inbound rules. */
  readonly agentSecurityGroupId: string;
  /** Security group of the S3 Files mount targets: TCP 2049 from the agent security group (and from the groups `S3FilesStorage.allowNfsFrom` admits). */
  readonly mountTargetSecurityGroupId: string;
  /** Security group of the interface endpoints, when there are any. */
  readonly endpointSecurityGroupId?: string;
  /** NAT gateways providing egress (none with endpoints-only egress or an existing VPC). */
  readonly natGatewayIds: readonly string[];
  /** The S3 gateway endpoint (a created VPC always has one; an existing one with `s3GatewayRouteTableIds`). */
  readonly s3GatewayEndpointId?: string;
  /** "create" when this construct made the VPC, "import" for an existing one. */
  readonly mode: "create" | "import";

  private readonly aws: AwsContext;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.aws = awsContext(this);
    this.namePrefix = props.namePrefix ?? stackIdOf(this);
    const { problems, resolved } = validateNetworkProps({ ...props, namePrefix: this.namePrefix }, this.aws.validation);
    throwIfProblems(this.node.path, problems);
    this.mode = resolved.mode;
    const names = (key: "agentSecurityGroup" | "mountTargetSecurityGroup" | "endpointSecurityGroup") => NAME_RULES[key].build({ name: this.namePrefix, region: "", accountId: "" });
    const tagged = (suffix: string) => ({ Name: `${this.namePrefix}-${suffix}` });

    let privateRouteTableIds: string[];
    let importedVpc: DataAwsVpc | undefined;
    if (resolved.mode === "create") {
      const created = this.createVpc(resolved, tagged);
      this.vpcId = created.vpcId;
      this.privateSubnets = created.privateSubnets;
      this.natGatewayIds = created.natGatewayIds;
      privateRouteTableIds = created.privateRouteTableIds;
    } else {
      importedVpc = this.checkImportedVpc(resolved.vpcId);
      this.vpcId = importedVpc.id;
      this.privateSubnets = resolved.privateSubnets.map((subnet) => this.checkImportedSubnet(resolved.vpcId, subnet));
      this.natGatewayIds = [];
      privateRouteTableIds = [...resolved.s3GatewayRouteTableIds];
    }

    let s3PrefixListId: string | undefined;
    if (privateRouteTableIds.length > 0) {
      // Since 2026-05-05 new VPC-mode runtimes get no service-managed S3 gateway: image layers and the
      // cold tier reach S3 through this endpoint (REFERENCE.md "VPC mode").
      const s3Gateway = new VpcEndpoint(this, "s3-gateway-endpoint", {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${this.aws.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTableIds,
        tags: tagged("s3-gateway"),
      });
      this.s3GatewayEndpointId = s3Gateway.id;
      s3PrefixListId = s3Gateway.prefixListId;
    }

    const agentSecurityGroupName = names("agentSecurityGroup");
    const mountTargetSecurityGroupName = names("mountTargetSecurityGroup");
    const agentSecurityGroup = new SecurityGroup(this, "agent-security-group", {
      name: agentSecurityGroupName,
      description: "AgentCore runtime ENIs: outbound only",
      vpcId: this.vpcId,
      tags: { Name: agentSecurityGroupName },
    });
    const mountTargetSecurityGroup = new SecurityGroup(this, "mount-target-security-group", {
      name: mountTargetSecurityGroupName,
      description: "S3 Files mount targets: NFS from the agent security group only",
      vpcId: this.vpcId,
      tags: { Name: mountTargetSecurityGroupName },
    });
    this.agentSecurityGroupId = agentSecurityGroup.id;
    this.mountTargetSecurityGroupId = mountTargetSecurityGroup.id;

    new VpcSecurityGroupIngressRule(this, "mount-target-ingress-nfs", {
      securityGroupId: mountTargetSecurityGroup.id,
      description: "NFS from the agent security group",
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: agentSecurityGroup.id,
    });
    new VpcSecurityGroupEgressRule(this, "agent-egress-nfs", {
      securityGroupId: agentSecurityGroup.id,
      description: "NFS to the S3 Files mount targets",
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: mountTargetSecurityGroup.id,
    });

    if (resolved.interfaceEndpoints.length > 0) {
      const endpointSecurityGroupName = names("endpointSecurityGroup");
      const endpointSecurityGroup = new SecurityGroup(this, "endpoint-security-group", {
        name: endpointSecurityGroupName,
        description: "Interface endpoints: HTTPS from the agent security group only",
        vpcId: this.vpcId,
        tags: { Name: endpointSecurityGroupName },
      });
      this.endpointSecurityGroupId = endpointSecurityGroup.id;
      new VpcSecurityGroupIngressRule(this, "endpoint-ingress-https", {
        securityGroupId: endpointSecurityGroup.id,
        description: "HTTPS from the agent security group",
        ipProtocol: "tcp",
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        referencedSecurityGroupId: agentSecurityGroup.id,
      });
      if (importedVpc !== undefined) {
        // In an existing VPC the endpoints' private DNS names answer for every workload (validateNetworkProps
        // refuses them until interfaceEndpointsServeWholeVpc says so): admit them all, or their calls would fail.
        new VpcSecurityGroupIngressRule(this, "endpoint-ingress-https-vpc", {
          securityGroupId: endpointSecurityGroup.id,
          description: "HTTPS from the VPC: with private DNS the endpoints serve every workload in it",
          ipProtocol: "tcp",
          fromPort: HTTPS_PORT,
          toPort: HTTPS_PORT,
          cidrIpv4: importedVpc.cidrBlock,
        });
      }
      for (const service of resolved.interfaceEndpoints) {
        new VpcEndpoint(this, `interface-endpoint-${service.replace(/\./g, "-")}`, {
          vpcId: this.vpcId,
          serviceName: `com.amazonaws.${this.aws.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((s) => s.subnetId),
          securityGroupIds: [endpointSecurityGroup.id],
          tags: tagged(`endpoint-${service}`),
        });
      }
    }

    const hasNat = resolved.mode === "import" || resolved.egress !== "endpoints-only";
    if (hasNat) {
      new VpcSecurityGroupEgressRule(this, "agent-egress-https", {
        securityGroupId: agentSecurityGroup.id,
        description: "HTTPS to AWS APIs and the internet through the VPC egress",
        ipProtocol: "tcp",
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        cidrIpv4: "0.0.0.0/0",
      });
    } else {
      // No NAT: HTTPS can only go to the interface endpoints and, through the gateway, to S3.
      if (this.endpointSecurityGroupId !== undefined) {
        new VpcSecurityGroupEgressRule(this, "agent-egress-https-endpoints", {
          securityGroupId: agentSecurityGroup.id,
          description: "HTTPS to the interface endpoints",
          ipProtocol: "tcp",
          fromPort: HTTPS_PORT,
          toPort: HTTPS_PORT,
          referencedSecurityGroupId: this.endpointSecurityGroupId,
        });
      }
      if (s3PrefixListId !== undefined) {
        new VpcSecurityGroupEgressRule(this, "agent-egress-https-s3", {
          securityGroupId: agentSecurityGroup.id,
          description: "HTTPS to S3 through the gateway endpoint",
          ipProtocol: "tcp",
          fromPort: HTTPS_PORT,
          toPort: HTTPS_PORT,
          prefixListId: s3PrefixListId,
        });
      }
    }
  }

  private createVpc(network: CreatedNetwork, tagged: (suffix: string) => Record<string, string>) {
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: network.cidr,
      // S3 Files mount targets and private interface endpoints are found through VPC DNS.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tagged("vpc"),
    });
    // The default security group allows all traffic between its members; nothing here uses it, so empty it.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: vpc.id, tags: tagged("default-unused") });

    const zones = network.availabilityZoneIds;
    const privateSubnets = zones.map((zone, i) => {
      const subnet = new Subnet(this, `private-subnet-${zone}`, {
        vpcId: vpc.id,
        cidrBlock: network.subnets.private[i],
        availabilityZoneId: zone,
        tags: { ...tagged(`private-${zone}`), Tier: "private" },
      });
      return { subnet, zone };
    });

    const natGatewayIds: string[] = [];
    const natByZone = new Map<string, string>();
    if (network.egress !== "endpoints-only") {
      const internetGateway = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: tagged("igw") });
      const publicRouteTable = new RouteTable(this, "public-route-table", { vpcId: vpc.id, tags: tagged("public") });
      new Route(this, "public-default-route", {
        routeTableId: publicRouteTable.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: internetGateway.id,
      });
      const natZones = network.egress === "nat-per-az" ? zones : zones.slice(0, 1);
      zones.forEach((zone, i) => {
        const publicSubnet = new Subnet(this, `public-subnet-${zone}`, {
          vpcId: vpc.id,
          cidrBlock: network.subnets.public[i],
          availabilityZoneId: zone,
          mapPublicIpOnLaunch: false,
          tags: { ...tagged(`public-${zone}`), Tier: "public" },
        });
        new RouteTableAssociation(this, `public-route-table-association-${zone}`, {
          subnetId: publicSubnet.id,
          routeTableId: publicRouteTable.id,
        });
        if (!natZones.includes(zone)) return;
        const eip = new Eip(this, `nat-eip-${zone}`, { domain: "vpc", tags: tagged(`nat-${zone}`) });
        const nat = new NatGateway(this, `nat-gateway-${zone}`, {
          allocationId: eip.allocationId,
          subnetId: publicSubnet.id,
          tags: tagged(`nat-${zone}`),
          dependsOn: [internetGateway],
        });
        natGatewayIds.push(nat.id);
        natByZone.set(zone, nat.id);
      });
    }

    const privateRouteTableIds = privateSubnets.map(({ subnet, zone }) => {
      const routeTable = new RouteTable(this, `private-route-table-${zone}`, { vpcId: vpc.id, tags: tagged(`private-${zone}`) });
      new RouteTableAssociation(this, `private-route-table-association-${zone}`, {
        subnetId: subnet.id,
        routeTableId: routeTable.id,
      });
      const natId = natByZone.get(zone) ?? natGatewayIds[0];
      if (natId !== undefined) {
        new Route(this, `private-default-route-${zone}`, {
          routeTableId: routeTable.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natId,
        });
      }
      return routeTable.id;
    });

    if (network.flowLogs.enabled) this.enableFlowLogs(network.flowLogs.retentionDays, vpc.id);

    return {
      vpcId: vpc.id,
      privateSubnets: privateSubnets.map(({ subnet, zone }) => ({ subnetId: subnet.id, availabilityZoneId: zone })),
      natGatewayIds,
      privateRouteTableIds,
    };
  }

  private enableFlowLogs(retentionDays: number, vpcId: string): void {
    const naming = { name: this.namePrefix, region: "", accountId: "" };
    const logGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: NAME_RULES.flowLogGroup.build(naming),
      retentionInDays: retentionDays,
    });
    const scope = { partition: this.aws.partition, region: this.aws.region, accountId: this.aws.accountId };
    const role = new IamRole(this, "flow-log-role", {
      name: NAME_RULES.flowLogsRole.build(naming),
      assumeRolePolicy: JSON.stringify(flowLogsTrustPolicy(scope)),
      // IAM refuses to delete a role with managed policies attached (DeleteRole, DeleteConflict), should anyone attach one.
      forceDetachPolicies: true,
    });
    new IamRolePolicy(this, "flow-log-role-policy", {
      role: role.id,
      name: "deliver-flow-logs",
      policy: JSON.stringify(flowLogsDeliveryPermissions({ logGroupArn: logGroup.arn })),
    });
    new FlowLog(this, "flow-log", {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }

  /** Fails the plan (not the apply) when the imported VPC lacks the DNS settings S3 Files needs. */
  private checkImportedVpc(vpcId: string): DataAwsVpc {
    const vpc = new DataAwsVpc(this, "imported-vpc", {
      id: vpcId,
      lifecycle: {
        postcondition: [
          {
            condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
            errorMessage: `VPC ${vpcId} must have DNS support and DNS hostnames enabled: S3 Files mount targets and private endpoints are resolved through VPC DNS.`,
          },
        ],
      },
    });
    return vpc;
  }

  /** Fails the plan when a declared subnet is in another VPC or another AZ than its privateSubnets entry says. */
  private checkImportedSubnet(vpcId: string, subnet: PrivateSubnet): PrivateSubnet {
    const found = new DataAwsSubnet(this, `imported-subnet-${subnet.availabilityZoneId}`, {
      id: subnet.subnetId,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.vpc_id == "${vpcId}" && self.availability_zone_id == "${subnet.availabilityZoneId}"}`,
            errorMessage: `Subnet ${subnet.subnetId} must be in ${vpcId} and in AZ ${subnet.availabilityZoneId}, as its privateSubnets entry declares; correct the subnet id or its availabilityZoneId.`,
          },
        ],
      },
    });
    return { subnetId: found.id, availabilityZoneId: subnet.availabilityZoneId };
  }
}
