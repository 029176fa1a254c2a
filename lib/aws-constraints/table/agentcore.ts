import { model, pattern, length, oneOf, range, count, row } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// Bedrock AgentCore (control plane)
// ---------------------------------------------------------------------------------------------------

const agentcore = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "bedrock-agentcore-control", shape, member, ...(element && { element }) });
const RUNTIME = "aws_bedrockagentcore_agent_runtime";
const ENDPOINT = "aws_bedrockagentcore_agent_runtime_endpoint";
const MOUNT_PATH = [pattern("/mnt/[a-zA-Z0-9._-]+/?", "/mnt/<one directory>"), length(6, 200)];
const AGENTCORE_TAG_CHARACTERS = String.raw`[a-zA-Z0-9\s._:/=+@-]*`;

export const AGENTCORE_ROWS: ConstraintRow[] = [
  row(RUNTIME, "agent_runtime_name", agentcore("CreateAgentRuntimeRequest", "agentRuntimeName"), [pattern("[a-zA-Z][a-zA-Z0-9_]{0,47}", "a letter, then up to 47 letters, digits or underscores")]),
  row(RUNTIME, "description", agentcore("CreateAgentRuntimeRequest", "description"), [length(1, 4096)]),
  row(RUNTIME, "role_arn", agentcore("CreateAgentRuntimeRequest", "roleArn"), [pattern(String.raw`arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+`, "an IAM role ARN"), length(1, 2048)]),
  row(RUNTIME, "agent_runtime_artifact.container_configuration.container_uri", agentcore("ContainerConfiguration", "containerUri"), [
    pattern(
      String.raw`(([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?|public\.ecr\.aws)/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(?::([^:@]{1,300}))?(?:@(.+))?`,
      "an ECR image URI",
    ),
    length(1, 1024),
  ]),
  row(RUNTIME, "network_configuration.network_mode", agentcore("NetworkConfiguration", "networkMode"), [oneOf(["PUBLIC", "VPC"])]),
  row(RUNTIME, "network_configuration.network_mode_config.subnets[]", agentcore("VpcConfig", "subnets", "member"), [pattern("subnet-[0-9a-zA-Z]{8,17}", "a subnet id")]),
  row(RUNTIME, "network_configuration.network_mode_config.subnets{count}", agentcore("VpcConfig", "subnets"), [count(1, 16)]),
  row(RUNTIME, "network_configuration.network_mode_config.security_groups[]", agentcore("VpcConfig", "securityGroups", "member"), [pattern("sg-[0-9a-zA-Z]{8,17}", "a security group id")]),
  row(RUNTIME, "network_configuration.network_mode_config.security_groups{count}", agentcore("VpcConfig", "securityGroups"), [count(1, 16)]),
  row(RUNTIME, "protocol_configuration.server_protocol", agentcore("ProtocolConfiguration", "serverProtocol"), [oneOf(["MCP", "HTTP", "A2A", "AGUI"])]),
  row(RUNTIME, "authorizer_configuration.custom_jwt_authorizer.discovery_url", agentcore("CustomJWTAuthorizerConfiguration", "discoveryUrl"), [
    pattern(String.raw`.+/\.well-known/openid-configuration`, "a URL ending in /.well-known/openid-configuration"),
  ]),
  row(RUNTIME, "authorizer_configuration.custom_jwt_authorizer.allowed_scopes[]", agentcore("CustomJWTAuthorizerConfiguration", "allowedScopes", "member"), [
    pattern(String.raw`[\x21\x23-\x5B\x5D-\x7E]+`, "printable ASCII without spaces, quotes or backslashes"),
    length(1, 255),
  ]),
  ...["allowed_audience", "allowed_clients", "allowed_scopes"].map((field) =>
    row(RUNTIME, `authorizer_configuration.custom_jwt_authorizer.${field}{count}`, agentcore("CustomJWTAuthorizerConfiguration", field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())), [count(1, undefined)]),
  ),
  row(RUNTIME, "filesystem_configuration{count}", agentcore("CreateAgentRuntimeRequest", "filesystemConfigurations"), [count(0, 5)]),
  row(RUNTIME, "filesystem_configuration.session_storage.mount_path", agentcore("SessionStorageConfiguration", "mountPath"), MOUNT_PATH),
  row(RUNTIME, "filesystem_configuration.s3_files_access_point.mount_path", agentcore("S3FilesAccessPointConfiguration", "mountPath"), MOUNT_PATH),
  row(RUNTIME, "filesystem_configuration.s3_files_access_point.access_point_arn", agentcore("S3FilesAccessPointConfiguration", "accessPointArn"), [
    pattern(String.raw`arn:aws[-a-z]*:s3files:[0-9a-z-:]+:file-system/fs-[0-9a-f]{17,40}/access-point/fsap-[0-9a-f]{17,40}`, "an S3 Files access point ARN"),
    length(0, 256),
  ]),
  row(RUNTIME, "filesystem_configuration.efs_access_point.mount_path", agentcore("EfsAccessPointConfiguration", "mountPath"), MOUNT_PATH),
  row(RUNTIME, "filesystem_configuration.efs_access_point.access_point_arn", agentcore("EfsAccessPointConfiguration", "accessPointArn"), [
    pattern(String.raw`arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:access-point/fsap-[0-9a-f]{8,40}`, "an EFS access point ARN"),
    length(0, 128),
  ]),
  row(RUNTIME, "lifecycle_configuration.idle_runtime_session_timeout", agentcore("LifecycleConfiguration", "idleRuntimeSessionTimeout"), [range(60, 1209600)]),
  row(RUNTIME, "lifecycle_configuration.max_lifetime", agentcore("LifecycleConfiguration", "maxLifetime"), [range(60, 1209600)]),
  row(RUNTIME, "environment_variables{keys}", agentcore("CreateAgentRuntimeRequest", "environmentVariables", "key"), [length(1, 100)]),
  row(RUNTIME, "environment_variables{values}", agentcore("CreateAgentRuntimeRequest", "environmentVariables", "value"), [length(0, 5000)]),
  row(RUNTIME, "environment_variables{count}", agentcore("CreateAgentRuntimeRequest", "environmentVariables"), [count(0, 50)]),
  row(ENDPOINT, "name", agentcore("CreateAgentRuntimeEndpointRequest", "name"), [pattern("[a-zA-Z][a-zA-Z0-9_]{0,47}", "a letter, then up to 47 letters, digits or underscores")]),
  row(ENDPOINT, "description", agentcore("CreateAgentRuntimeEndpointRequest", "description"), [length(1, 256)]),
  row(ENDPOINT, "agent_runtime_id", agentcore("CreateAgentRuntimeEndpointRequest", "agentRuntimeId"), [pattern("[a-zA-Z][a-zA-Z0-9_]{0,99}-[a-zA-Z0-9]{10}", "a runtime id (<name>-<10 characters>)")]),
  row(ENDPOINT, "agent_runtime_version", agentcore("CreateAgentRuntimeEndpointRequest", "agentRuntimeVersion"), [pattern("([1-9][0-9]{0,4})", "a version number"), length(1, 5)]),
  ...[RUNTIME, ENDPOINT].flatMap((resource) => {
    const request = resource === RUNTIME ? "CreateAgentRuntimeRequest" : "CreateAgentRuntimeEndpointRequest";
    return [
      row(resource, "tags{keys}", agentcore(request, "tags", "key"), [pattern(AGENTCORE_TAG_CHARACTERS, "letters, digits, white space and ._:/=+@- only"), length(1, 128)]),
      row(resource, "tags{values}", agentcore(request, "tags", "value"), [pattern(AGENTCORE_TAG_CHARACTERS, "letters, digits, white space and ._:/=+@- only"), length(0, 256)]),
      row(resource, "tags{count}", agentcore(request, "tags"), [count(0, 50)]),
    ];
  }),
  row("aws_bedrockagentcore_resource_policy", "policy", agentcore("PutResourcePolicyRequest", "policy"), [
    { kind: "policy-size", max: 20480, source: model },
  ]),
];
