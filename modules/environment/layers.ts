/**
 * The four stacks of an environment, each holding one construct (two in the agent stack) built from the
 * environment's resolved settings, and the named outputs users and scripts read.
 */
import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import { Network } from "../network/network.ts";
import { AgentRegistry } from "../registry/registry.ts";
import { AgentRuntime } from "../runtime/runtime.ts";
import { ShellAccessAlert } from "../security/shell-access-alert.ts";
import { S3FilesStorage } from "../storage/storage.ts";
import { describeEnvironment, DESCRIPTION_KEY, EnvironmentDescriptionElement } from "./description.ts";
import { EnvironmentStack, type Layer } from "./environment-stack.ts";
import { environmentProps, omit, type Environment } from "./props.ts";

function output(stack: EnvironmentStack, id: string, value: unknown, description: string): void {
  new TerraformOutput(stack, id, { value, description });
}

/** A stack of the environment that carries its description under "//" (see description.ts). */
class DescribedStack extends EnvironmentStack {
  constructor(scope: Construct, layer: Layer, environment: Environment) {
    super(scope, layer, environment);
    new EnvironmentDescriptionElement(this, `${DESCRIPTION_KEY}-description`, describeEnvironment(environment, layer));
  }
}

/** `<env>-network`: the VPC (or an existing one), egress, endpoints and the two security groups. */
export class NetworkStack extends DescribedStack {
  /** The stack's Network. */
  readonly network: Network;

  constructor(scope: Construct, environment: Environment) {
    super(scope, "network", environment);
    this.network = new Network(this, "network", { ...environmentProps(environment).network, namePrefix: environment.name });
    const n = this.network;
    output(this, "vpc_id", n.vpcId, "VPC the agent runs in");
    output(this, "private_subnet_ids", n.privateSubnets.map((s) => s.subnetId), "Private subnets of the runtime and the S3 Files mount targets, one per AZ");
    output(this, "availability_zone_ids", n.privateSubnets.map((s) => s.availabilityZoneId), "AZ IDs of the private subnets, in the same order");
    output(this, "agent_security_group_id", n.agentSecurityGroupId, "Security group of the AgentCore runtime ENIs (egress only)");
    output(this, "mount_target_security_group_id", n.mountTargetSecurityGroupId, "Security group of the S3 Files mount targets (TCP 2049 from the agent security group, and from any security group given to S3FilesStorage.allowNfsFrom)");
    output(this, "nat_gateway_ids", n.natGatewayIds, "NAT gateways providing egress (empty with endpoints-only egress or an imported VPC)");
  }
}

/** `<env>-storage`: the bucket, the S3 Files file system, its mount targets and its access point. */
export class StorageStack extends DescribedStack {
  /** The stack's S3FilesStorage. */
  readonly storage: S3FilesStorage;

  constructor(scope: Construct, environment: Environment, network: Network) {
    super(scope, "storage", environment);
    this.storage = new S3FilesStorage(this, "storage", { ...environment.storage, network, namePrefix: environment.name });
    const st = this.storage;
    output(this, "bucket_name", st.bucketName, "S3 bucket behind the file system (the cold tier)");
    output(this, "bucket_arn", st.bucketArn, "ARN of the S3 bucket");
    output(this, "file_system_id", st.fileSystemId, "S3 Files file system id");
    output(this, "file_system_arn", st.fileSystemArn, "S3 Files file system ARN");
    output(this, "access_point_id", st.accessPointId, "S3 Files access point id");
    output(this, "access_point_arn", st.accessPointArn, "S3 Files access point ARN (what the runtime mounts)");
    output(this, "mount_target_ids", st.mountTargetIds, "S3 Files mount target ids by AZ ID");
    output(this, "data_retained_on_teardown", st.retainDataOnTeardown, "Whether teardown keeps the bucket and its objects");
  }
}

/** `<env>-registry`: the ECR repository of the agent image. */
export class RegistryStack extends DescribedStack {
  /** The stack's AgentRegistry. */
  readonly registry: AgentRegistry;

  constructor(scope: Construct, environment: Environment) {
    super(scope, "registry", environment);
    // The registry is encrypted with the environment's storage key, when it has one.
    this.registry = new AgentRegistry(this, "registry", {
      namePrefix: environment.name,
      keepImages: environment.agent.keepImages,
      ...(environment.storage.kmsKeyArn !== undefined && { kmsKeyArn: environment.storage.kmsKeyArn }),
    });
    output(this, "repository_url", this.registry.repositoryUrl, "ECR repository the agent image is pushed to");
    output(this, "repository_arn", this.registry.repositoryArn, "ARN of the ECR repository");
    output(this, "repository_name", this.registry.repositoryName, "Name of the ECR repository");
  }
}

/** `<env>-agent`: the AgentCore runtime, its IAM, and the shell-access alert. */
export class AgentStack extends DescribedStack {
  /** The stack's AgentRuntime. */
  readonly runtime: AgentRuntime;
  /** The stack's ShellAccessAlert. */
  readonly alert: ShellAccessAlert;

  constructor(scope: Construct, environment: Environment, network: Network, storage: S3FilesStorage, registry: AgentRegistry) {
    super(scope, "agent", environment);
    const { alerts, ...agent } = omit(environmentProps(environment).agent, "keepImages");
    this.runtime = new AgentRuntime(this, "runtime", { ...agent, network, storage, registry, namePrefix: environment.name });
    this.alert = new ShellAccessAlert(this, "shell-access-alert", {
      runtime: this.runtime,
      namePrefix: environment.name,
      ...alerts,
      trailLogRetentionDays: environment.agent.logRetentionDays,
    });

    const r = this.runtime;
    output(this, "runtime_arn", r.runtimeArn, "AgentCore runtime ARN (invoke it, or its endpoint)");
    output(this, "runtime_id", r.runtimeId, "AgentCore runtime id");
    output(this, "runtime_version", r.runtimeVersion, "Runtime version the endpoint serves");
    output(this, "endpoint_arn", r.endpointArn, `ARN of the "${r.settings.endpointName}" endpoint, which follows the latest version`);
    output(this, "execution_role_arn", r.executionRoleArn, "Role the agent's code runs as");
    output(this, "invoker_policy_arn", r.invokerPolicyArn, "Managed policy to attach to callers of the agent");
    output(this, "operator_policy_arn", r.operatorPolicyArn, "Managed policy allowing InvokeAgentRuntimeCommand (shell access); attached only to the environment's operators");
    output(this, "log_group_names", r.logGroupNames, "Log groups this stack owns for the runtime's vended application and usage logs (with the environment's retention)");
    output(this, "runtime_log_group_names", r.serviceLogGroupNames, "Log groups AgentCore creates and owns for the container's output, per endpoint (not managed by Terraform; set their retention after the first invocation)");
    output(this, "alert_topic_arn", this.alert.topicArn, "SNS topic told about every InvokeAgentRuntimeCommand call");
    output(this, "alert_trail_arn", this.alert.trailArn, "CloudTrail trail whose data events feed the shell-access alert");
    output(this, "container_uri", r.containerUri, "Image the runtime runs, by digest");
  }
}
