export interface PrivateSubnet {
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
export const EGRESS_MODES: readonly EgressMode[] = ["nat-single", "nat-per-az", "endpoints-only"];

export interface FlowLogsProps {
  /** @default false */
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

export interface CreatedNetwork {
  readonly mode: "create";
  readonly cidr: string;
  readonly availabilityZoneIds: readonly string[];
  readonly egress: EgressMode;
  readonly interfaceEndpoints: readonly string[];
  readonly flowLogs: { readonly enabled: boolean; readonly retentionDays: number };
  /** Planned subnet ranges, index-aligned with `availabilityZoneIds`. */
  readonly subnets: { readonly private: readonly string[]; readonly public: readonly string[] };
}

export interface ImportedNetwork {
  readonly mode: "import";
  readonly vpcId: string;
  readonly privateSubnets: readonly PrivateSubnet[];
  readonly interfaceEndpoints: readonly string[];
  readonly interfaceEndpointsServeWholeVpc: boolean;
  readonly s3GatewayRouteTableIds: readonly string[];
}

/** The props with every default applied. */
export type ResolvedNetwork = CreatedNetwork | ImportedNetwork;
