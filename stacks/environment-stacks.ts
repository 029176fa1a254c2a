import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import type { Environment } from "../environments/schema";
import { resourceNames, type ResourceNames } from "../lib/names";
import { Network, type NetworkProps } from "../modules/network";
import { S3FilesStorage } from "../modules/storage";
import { EnvironmentStack } from "./environment-stack";

function output(stack: EnvironmentStack, id: string, value: unknown, description: string): void {
  new TerraformOutput(stack, id, { value, description });
}

function namesFor(stack: EnvironmentStack): ResourceNames {
  const env = stack.environment;
  return resourceNames({ name: env.name, region: env.region, accountId: stack.accountId });
}

/** `<env>-network`: the VPC (or an imported one), egress, endpoints and the two security groups. */
export class NetworkStack extends EnvironmentStack {
  readonly network: Network;

  constructor(scope: Construct, environment: Environment) {
    super(scope, "network", environment);
    const names = namesFor(this);
    const net = environment.network;
    const vpc: NetworkProps["vpc"] =
      net.mode === "create"
        ? {
            mode: "create",
            cidr: net.cidr,
            availabilityZoneIds: net.availabilityZoneIds,
            privateSubnetCidrs: net.subnets.private,
            publicSubnetCidrs: net.subnets.public,
            egress: net.egress,
          }
        : { mode: "import", vpcId: net.vpcId, privateSubnets: net.privateSubnets, s3GatewayRouteTableIds: net.s3GatewayRouteTableIds };
    this.network = new Network(this, "network", {
      name: environment.name,
      region: environment.region,
      partition: environment.partition,
      accountId: this.accountId,
      vpc,
      interfaceEndpoints: net.interfaceEndpoints,
      agentSecurityGroupName: names.agentSecurityGroup,
      mountTargetSecurityGroupName: names.mountTargetSecurityGroup,
      endpointSecurityGroupName: names.endpointSecurityGroup,
      ...(net.mode === "create" &&
        net.flowLogs.enabled && {
          flowLogs: { logGroupName: names.flowLogGroup, roleName: names.flowLogsRole, retentionDays: net.flowLogs.retentionDays },
        }),
    });

    const n = this.network;
    output(this, "vpc_id", n.vpcId, "VPC the agent runs in");
    output(this, "private_subnet_ids", n.privateSubnets.map((s) => s.subnetId), "Private subnets of the runtime and the S3 Files mount targets, one per AZ");
    output(this, "availability_zone_ids", n.privateSubnets.map((s) => s.availabilityZoneId), "AZ IDs of the private subnets, in the same order");
    output(this, "agent_security_group_id", n.agentSecurityGroupId, "Security group of the AgentCore runtime ENIs (egress only)");
    output(this, "mount_target_security_group_id", n.mountTargetSecurityGroupId, "Security group of the S3 Files mount targets (TCP 2049 from the agent security group only)");
    output(this, "nat_gateway_ids", n.natGatewayIds, "NAT gateways providing egress (empty with endpoints-only egress or an imported VPC)");
  }
}

/** `<env>-storage`: the bucket, the S3 Files file system, its mount targets and its access point. */
export class StorageStack extends EnvironmentStack {
  readonly storage: S3FilesStorage;

  constructor(scope: Construct, environment: Environment, network: Network) {
    super(scope, "storage", environment);
    const names = namesFor(this);
    const s = environment.storage;
    this.storage = new S3FilesStorage(this, "storage", {
      name: environment.name,
      region: environment.region,
      partition: environment.partition,
      accountId: this.accountId,
      bucketName: names.bucket,
      serviceRoleName: names.s3FilesRole,
      privateSubnets: network.privateSubnets,
      mountTargetSecurityGroupId: network.mountTargetSecurityGroupId,
      retainDataOnTeardown: s.retainDataOnTeardown,
      ...(s.kmsKeyArn !== undefined && { kmsKeyArn: s.kmsKeyArn }),
      noncurrentVersionExpirationDays: s.noncurrentVersionExpirationDays,
      posixUid: s.posixUid,
      posixGid: s.posixGid,
      secondaryGids: s.secondaryGids,
      rootDirectory: s.rootDirectory,
      rootDirectoryPermissions: s.rootDirectoryPermissions,
    });

    const st = this.storage;
    output(this, "bucket_name", st.bucketName, "S3 bucket behind the file system (the cold tier)");
    output(this, "bucket_arn", st.bucketArn, "ARN of the S3 bucket");
    output(this, "file_system_id", st.fileSystemId, "S3 Files file system id");
    output(this, "file_system_arn", st.fileSystemArn, "S3 Files file system ARN");
    output(this, "access_point_id", st.accessPointId, "S3 Files access point id");
    output(this, "access_point_arn", st.accessPointArn, "S3 Files access point ARN (what the runtime mounts)");
    output(this, "mount_target_ids", st.mountTargetIds, "S3 Files mount target ids by AZ ID");
    output(this, "data_retained_on_teardown", s.retainDataOnTeardown, "Whether teardown keeps the bucket and its objects");
  }
}

/** `<env>-registry`: the ECR repository of the agent image. */
export class RegistryStack extends EnvironmentStack {
  constructor(scope: Construct, environment: Environment) {
    super(scope, "registry", environment);
  }
}

/** `<env>-agent`: the AgentCore runtime and its IAM. */
export class AgentStack extends EnvironmentStack {
  constructor(scope: Construct, environment: Environment) {
    super(scope, "agent", environment);
  }
}

/** All four stacks of one environment, wired together through cross-stack references. */
export class EnvironmentStacks {
  readonly network: NetworkStack;
  readonly storage: StorageStack;
  readonly registry: RegistryStack;
  readonly agent: AgentStack;

  constructor(scope: Construct, environment: Environment) {
    this.network = new NetworkStack(scope, environment);
    this.storage = new StorageStack(scope, environment, this.network.network);
    this.registry = new RegistryStack(scope, environment);
    this.agent = new AgentStack(scope, environment);
  }

  get all(): EnvironmentStack[] {
    return [this.network, this.storage, this.registry, this.agent];
  }
}
