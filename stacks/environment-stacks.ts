import { TerraformOutput, TerraformVariable } from "cdktn";
import type { Construct } from "constructs";
import type { Environment } from "../environments/schema.ts";
import { resourceNames, type ResourceNames } from "../lib/names.ts";
import { Network, type NetworkProps } from "../modules/network/index.ts";
import { AgentRegistry } from "../modules/registry/index.ts";
import { AgentRuntime } from "../modules/runtime/index.ts";
import { ShellAccessAlert } from "../modules/security/index.ts";
import { S3FilesStorage } from "../modules/storage/index.ts";
import type { PROJECT_ENVIRONMENT_VARIABLES } from "../environments/schema.ts";
import { EnvironmentStack } from "./environment-stack.ts";

function output(stack: EnvironmentStack, id: string, value: unknown, description: string): void {
  new TerraformOutput(stack, id, { value, description });
}

function namesFor(stack: EnvironmentStack): ResourceNames {
  const env = stack.environment;
  return resourceNames({
    name: env.name,
    region: env.region,
    get accountId() {
      return stack.accountId;
    },
  });
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
  readonly registry: AgentRegistry;

  constructor(scope: Construct, environment: Environment) {
    super(scope, "registry", environment);
    const names = namesFor(this);
    this.registry = new AgentRegistry(this, "registry", {
      repositoryName: names.repository,
      keepImages: environment.agent.keepImages,
      ...(environment.storage.kmsKeyArn !== undefined && { kmsKeyArn: environment.storage.kmsKeyArn, accountId: this.accountId }),
    });
    output(this, "repository_url", this.registry.repositoryUrl, "ECR repository the agent image is pushed to");
    output(this, "repository_arn", this.registry.repositoryArn, "ARN of the ECR repository");
    output(this, "repository_name", this.registry.repositoryName, "Name of the ECR repository");
  }
}

/** Terraform variable carrying the image digest; build-image writes it, deploy passes it. */
export const IMAGE_DIGEST_VARIABLE = "agent_image_digest";
/** Name of the runtime endpoint that follows the latest version. */
export const ENDPOINT_NAME = "live";

/** `<env>-agent`: the AgentCore runtime, its IAM, and the shell-access alert. */
export class AgentStack extends EnvironmentStack {
  readonly runtime: AgentRuntime;
  readonly alert: ShellAccessAlert;

  constructor(scope: Construct, environment: Environment, network: Network, storage: S3FilesStorage, registry: AgentRegistry) {
    super(scope, "agent", environment);
    const names = namesFor(this);
    const agent = environment.agent;
    const accountScope = { region: environment.region, partition: environment.partition, accountId: this.accountId };

    // The runtime never re-pulls a moved tag, so it runs an image by digest. Synth needs no built image:
    // the digest arrives at deploy time (or is pinned in the environment file).
    const digest = new TerraformVariable(this, IMAGE_DIGEST_VARIABLE, {
      type: "string",
      description: `Digest (sha256:…) of the agent image in ${names.repository}, as printed by the image build`,
      ...(agent.imageDigest !== undefined && { default: agent.imageDigest }),
      validation: [
        {
          condition: `\${can(regex("^sha256:[a-f0-9]{64}$", var.${IMAGE_DIGEST_VARIABLE}))}`,
          errorMessage: `${IMAGE_DIGEST_VARIABLE} must be an image digest "sha256:<64 hex>"; build and push the image first and pass the digest it prints.`,
        },
      ],
    });

    const environmentVariables: Record<(typeof PROJECT_ENVIRONMENT_VARIABLES)[number], string> = {
      AGENT_ENVIRONMENT: environment.name,
      AGENT_REGION: environment.region,
      AGENT_BUCKET: storage.bucketName,
      AGENT_PREFIX: agent.agentPrefix,
      AGENT_MODEL_IDS: agent.models.map((m) => m.id).join(","),
      SESSION_STORAGE_PATH: agent.sessionStorageMountPath,
      S3FILES_MOUNT_PATH: agent.s3FilesMountPath,
    };

    this.runtime = new AgentRuntime(this, "runtime", {
      ...accountScope,
      runtimeName: names.runtime,
      description: `Agent runtime of environment ${environment.name}`,
      executionRoleName: names.executionRole,
      invokerPolicyName: names.invokerPolicy,
      operatorPolicyName: names.operatorPolicy,
      containerUri: `${registry.repositoryUrl}@${digest.stringValue}`,
      repositoryArn: registry.repositoryArn,
      subnetIds: network.privateSubnets.map((s) => s.subnetId),
      securityGroupIds: [network.agentSecurityGroupId],
      protocol: agent.protocol,
      auth: agent.auth,
      idleTimeoutSeconds: agent.idleTimeoutSeconds,
      maxLifetimeSeconds: agent.maxLifetimeSeconds,
      sessionStorageMountPath: agent.sessionStorageMountPath,
      s3Files: { accessPointArn: storage.accessPointArn, fileSystemArn: storage.fileSystemArn, mountPath: agent.s3FilesMountPath },
      additionalMounts: agent.additionalMounts,
      bucketArn: storage.bucketArn,
      ...(storage.kmsKeyArn !== undefined && { bucketKmsKeyArn: storage.kmsKeyArn }),
      agentPrefix: agent.agentPrefix,
      models: agent.models,
      environmentVariables: { ...agent.environmentVariables, ...environmentVariables },
      logRetentionDays: agent.logRetentionDays,
      endpointName: ENDPOINT_NAME,
      ...(agent.invokers !== undefined && { invokers: agent.invokers }),
    });
    for (const operator of agent.operators) this.runtime.grantOperate(operator);

    this.alert = new ShellAccessAlert(this, "shell-access-alert", {
      ...accountScope,
      runtimeArn: this.runtime.runtimeArn,
      ruleName: names.alertRule,
      topicName: names.alertTopic,
      keyAliasName: names.alertKeyAlias,
      emails: agent.alertEmails,
      trail:
        agent.cloudTrail === "create"
          ? {
              create: {
                trailName: names.trail,
                bucketName: names.trailBucket,
                retentionDays: agent.logRetentionDays,
                // CloudTrail writes hourly digest files here, so a kept bucket would block every agent-stack
                // destroy. These logs belong to the alert, not to agent data; durable audit logs belong in an
                // organization trail (agent.alerts.cloudTrail.existingTrailArn).
                forceDestroy: true,
              },
            }
          : { existingTrailArn: agent.cloudTrail.existingTrailArn },
    });

    const r = this.runtime;
    output(this, "runtime_arn", r.runtimeArn, "AgentCore runtime ARN (invoke it, or its endpoint)");
    output(this, "runtime_id", r.runtimeId, "AgentCore runtime id");
    output(this, "runtime_version", r.runtimeVersion, "Runtime version the endpoint serves");
    output(this, "endpoint_arn", r.endpointArn, `ARN of the "${ENDPOINT_NAME}" endpoint, which follows the latest version`);
    output(this, "execution_role_arn", r.executionRoleArn, "Role the agent's code runs as");
    output(this, "invoker_policy_arn", r.invokerPolicyArn, "Managed policy to attach to callers of the agent");
    output(this, "operator_policy_arn", r.operatorPolicyArn, "Managed policy allowing InvokeAgentRuntimeCommand (shell access); attached only to the environment's operators");
    output(this, "log_group_names", r.logGroupNames, "Log groups this stack owns for the runtime's vended application and usage logs (with the environment's retention)");
    output(this, "runtime_log_group_names", r.serviceLogGroupNames, "Log groups AgentCore creates and owns for the container's output, per endpoint (not managed by Terraform; set their retention after the first invocation)");
    output(this, "alert_topic_arn", this.alert.topicArn, "SNS topic told about every InvokeAgentRuntimeCommand call");
    output(this, "alert_trail_arn", this.alert.trailArn, "CloudTrail trail whose data events feed the shell-access alert");
    output(this, "container_uri", `${registry.repositoryUrl}@${digest.stringValue}`, "Image the runtime runs, by digest");
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
    this.agent = new AgentStack(scope, environment, this.network.network, this.storage.storage, this.registry.registry);
  }

  get all(): EnvironmentStack[] {
    return [this.network, this.storage, this.registry, this.agent];
  }
}
