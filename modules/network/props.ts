export interface PrivateSubnet {
  readonly subnetId: string;
  /** AZ ID (e.g. usw2-az1): AgentCore's VPC support and S3 Files mount targets are per AZ ID. */
  readonly availabilityZoneId: string;
}

export interface CreateVpcOptions {
  readonly mode: "create";
  readonly cidr: string;
  readonly availabilityZoneIds: readonly string[];
  /** Index-aligned with `availabilityZoneIds`. */
  readonly privateSubnetCidrs: readonly string[];
  /** Index-aligned with `availabilityZoneIds`; used only with NAT egress. */
  readonly publicSubnetCidrs: readonly string[];
  /** `nat-single`: one NAT gateway; `nat-per-az`: one per AZ; `endpoints-only`: no internet route at all. */
  readonly egress: "nat-single" | "nat-per-az" | "endpoints-only";
}

export interface ImportVpcOptions {
  readonly mode: "import";
  readonly vpcId: string;
  /** At least two, in distinct AZs; each is checked at plan time against its declared VPC and AZ. */
  readonly privateSubnets: readonly PrivateSubnet[];
  /** Route tables that get an S3 gateway endpoint. @default none */
  readonly s3GatewayRouteTableIds: readonly string[];
}

export interface NetworkProps {
  /** Environment name, used in Name tags. */
  readonly name: string;
  readonly region: string;
  readonly partition: string;
  /** Account id (or a Terraform token for it), used in confused-deputy conditions. */
  readonly accountId: string;
  readonly vpc: CreateVpcOptions | ImportVpcOptions;
  /** Interface endpoint service suffixes (e.g. "ecr.api"), placed in every private subnet. @default none */
  readonly interfaceEndpoints: readonly string[];
  readonly agentSecurityGroupName: string;
  readonly mountTargetSecurityGroupName: string;
  readonly endpointSecurityGroupName: string;
  /** VPC flow logs to CloudWatch Logs (created VPCs only). @default - no flow logs */
  readonly flowLogs?: {
    readonly logGroupName: string;
    readonly roleName: string;
    readonly retentionDays: number;
  };
}
