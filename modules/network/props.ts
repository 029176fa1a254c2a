/** A private subnet the runtime's ENIs and an S3 Files mount target go in. */
export interface PrivateSubnet {
  /** The subnet's id (`subnet-…`). */
  readonly subnetId: string;
  /** AZ ID (e.g. usw2-az1): AgentCore's VPC support and S3 Files mount targets are per AZ ID. */
  readonly availabilityZoneId: string;
}

/**
 * The network an S3FilesStorage and an AgentRuntime are placed in. A `Network` implements it; so does a plain
 * object describing a network you manage yourself (its security groups must allow what `Network` sets up:
 * NFS, TCP 2049, from the agent group to the mount-target group, and HTTPS out from the agent group).
 */
export interface INetwork {
  /** The VPC's id (`vpc-…`). */
  readonly vpcId: string;
  /** One private subnet per Availability Zone, at least two; the runtime and the mount targets use them. */
  readonly privateSubnets: readonly PrivateSubnet[];
  /** Security group of the runtime's network interfaces. */
  readonly agentSecurityGroupId: string;
  /** Security group of the S3 Files mount targets (NFS from the agent security group). */
  readonly mountTargetSecurityGroupId: string;
}

/** `nat-single`: one NAT gateway; `nat-per-az`: one per AZ; `endpoints-only`: no internet route at all. */
export type EgressMode = "nat-single" | "nat-per-az" | "endpoints-only";
/** Every EgressMode, in the order messages list them. */
export const EGRESS_MODES: readonly EgressMode[] = ["nat-single", "nat-per-az", "endpoints-only"];

/** VPC flow logs of a created VPC, delivered to a CloudWatch Logs group the network creates. */
export interface FlowLogsProps {
  /** Turn flow logs on. @default false */
  readonly enabled?: boolean;
  /** Days CloudWatch Logs keeps the flow logs; one of the periods CloudWatch Logs accepts. @default 30 */
  readonly retentionDays?: number;
}

/**
 * Either create a VPC (give `cidr`) or use an existing one (give `vpcId` and `privateSubnets`); the two are
 * exclusive.
 */
export interface NetworkProps {
  /**
   * Prefix of every name (security groups, flow-log group and role) and Name tag: lowercase letters, digits and
   * single hyphens. @default the stack's id
   */
  readonly namePrefix?: string;

  /** IPv4 range of the VPC to create, /16 to /22, inside an RFC 1918 range. @default - none: required unless `vpcId` is given */
  readonly cidr?: string;
  /**
   * How many Availability Zones (one private subnet, one mount target each), at least 2.
   * @default 2 (or `availabilityZoneIds.length`)
   */
  readonly azCount?: number;
  /**
   * AZ IDs of the private subnets, in order. @default the first `azCount` AZ IDs where AgentCore supports VPC
   * mode in the stack's Region (lib/service-facts.ts)
   */
  readonly availabilityZoneIds?: readonly string[];
  /** How the VPC reaches AWS APIs and the internet. @default "nat-single" */
  readonly egress?: EgressMode;
  /** VPC flow logs to CloudWatch Logs (created VPCs only). @default - no flow logs */
  readonly flowLogs?: FlowLogsProps;

  /** An existing VPC to place the agent in (its DNS support and hostnames must be on). @default - create a VPC */
  readonly vpcId?: string;
  /** With `vpcId`: at least two private subnets of that VPC in distinct AZs, each checked at plan time. @default - none: required with `vpcId` */
  readonly privateSubnets?: readonly PrivateSubnet[];
  /** With `vpcId`: route tables that get an S3 gateway endpoint. @default none (the VPC already reaches S3) */
  readonly s3GatewayRouteTableIds?: readonly string[];

  /**
   * Interface endpoints (service suffixes such as "ecr.api"), one in every private subnet, with private DNS.
   * @default ecr.api, ecr.dkr, logs, bedrock-runtime and sts with `endpoints-only` egress; none otherwise
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * With `vpcId`: your acknowledgement that the interface endpoints become the endpoints of their services for every
   * workload in the existing VPC (private DNS resolves the services' names to them VPC-wide), that creating one
   * fails if the VPC already has an endpoint for that service, and that tearing this network down removes them.
   * When true, the endpoints admit HTTPS from the VPC's primary CIDR block as well as from the agent.
   * @default false — interface endpoints in an existing VPC are refused
   */
  readonly interfaceEndpointsServeWholeVpc?: boolean;
}

/** NetworkProps with every default applied, for a VPC the Network creates. */
export interface CreatedNetwork {
  /** The Network creates the VPC. */
  readonly mode: "create";
  /** The VPC's IPv4 range. */
  readonly cidr: string;
  /** AZ IDs of the private subnets, in order. */
  readonly availabilityZoneIds: readonly string[];
  /** How the VPC reaches AWS APIs and the internet. */
  readonly egress: EgressMode;
  /** Interface endpoints (service suffixes) in every private subnet. */
  readonly interfaceEndpoints: readonly string[];
  /** Whether flow logs are on, and for how many days they are kept. */
  readonly flowLogs: FlowLogSettings;
  /** Planned subnet ranges, index-aligned with `availabilityZoneIds`. */
  readonly subnets: PlannedSubnets;
}

/** Flow logs with their defaults applied. */
export interface FlowLogSettings {
  /** Whether the VPC's flow logs are delivered. */
  readonly enabled: boolean;
  /** Days CloudWatch Logs keeps them. */
  readonly retentionDays: number;
}

/** The subnet ranges a created VPC is cut into (lib/cidr.ts), one of each per Availability Zone. */
export interface PlannedSubnets {
  /** The private subnets' ranges: the runtime's ENIs and the mount targets. */
  readonly private: readonly string[];
  /** The public subnets' ranges: the NAT gateways (unused with endpoints-only egress). */
  readonly public: readonly string[];
}

/** NetworkProps with every default applied, for an existing VPC. */
export interface ImportedNetwork {
  /** The VPC exists; the Network adds security groups and endpoints to it. */
  readonly mode: "import";
  /** The existing VPC's id. */
  readonly vpcId: string;
  /** Its private subnets the agent uses. */
  readonly privateSubnets: readonly PrivateSubnet[];
  /** Interface endpoints the Network creates in it. */
  readonly interfaceEndpoints: readonly string[];
  /** Whether the interface endpoints may serve the whole VPC (interfaceEndpointsServeWholeVpc). */
  readonly interfaceEndpointsServeWholeVpc: boolean;
  /** Route tables given an S3 gateway endpoint. */
  readonly s3GatewayRouteTableIds: readonly string[];
}

/** The props with every default applied. */
export type ResolvedNetwork = CreatedNetwork | ImportedNetwork;
