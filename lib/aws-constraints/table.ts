/**
 * What AWS accepts for every attribute of every resource this project synthesizes that becomes an AWS API
 * field: one row per constrained field, each naming the API model member it is sent as (service model, shape,
 * member) and the rules AWS states for it.
 *
 * Source of the model rules: AWS's API models as published in botocore (`botocore/data/<service>/<version>/
 * service-2.json`, commit 0e6e2404b85d of 2026-08-07), the models the SDKs are generated from. Patterns are
 * copied verbatim, so a test can compare each row with the model file; rules AWS states only in prose (EC2's
 * allowed characters, KMS's deletion window) quote the sentence of the model's documentation that states them;
 * quotas and naming rules outside the models cite their page.
 *
 * How a Terraform attribute maps to an API member comes from the AWS provider's source
 * (hashicorp/terraform-provider-aws, internal/service/<service>/…): e.g. aws_vpc_security_group_egress_rule
 * sends `description` inside IpPermission.IpRanges[0] / Ipv6Ranges[0] / PrefixListIds[0] / UserIdGroupPairs[0]
 * depending on which one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id is set
 * (internal/service/ec2/vpc_security_group_ingress_rule.go, expandIPPermission).
 */
import type { ApiMember, Constraint, ConstraintRow, RuleSource } from "./types.ts";

const model: RuleSource = { kind: "model" };
const prose = (quote: string): RuleSource => ({ kind: "model-documentation", quote });
const page = (url: string, quote: string): RuleSource => ({ kind: "documentation", url, quote });

const pattern = (regex: string, says: string, source: RuleSource = model): Constraint => ({ kind: "pattern", pattern: regex, says, source });
const length = (min: number | undefined, max: number | undefined, source: RuleSource = model): Constraint => ({
  kind: "length",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  source,
});
const oneOf = (values: readonly string[], source: RuleSource = model): Constraint => ({ kind: "enum", values, source });
const range = (min: number | undefined, max: number | undefined, source: RuleSource = model): Constraint => ({
  kind: "range",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  source,
});
const count = (min: number | undefined, max: number | undefined, source: RuleSource = model): Constraint => ({
  kind: "count",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  source,
});

const row = (resource: string, attribute: string, api: ApiMember, constraints: Constraint[], when?: string): ConstraintRow => ({
  resource,
  attribute,
  api,
  constraints,
  ...(when !== undefined && { when }),
});
const rows = (resources: readonly string[], attribute: string, api: ApiMember, constraints: Constraint[]): ConstraintRow[] =>
  resources.map((resource) => row(resource, attribute, api, constraints));

// ---------------------------------------------------------------------------------------------------
// EC2: names, descriptions, tags (most of EC2's rules are prose in its model's documentation)
// ---------------------------------------------------------------------------------------------------

const EC2_CHARACTERS = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*";
/** The same list without "&": prefix-list and security-group-pair descriptions do not allow it. */
const EC2_CHARACTERS_NO_AMPERSAND = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$*";
const ec2Characters = String.raw`[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*`;
const ec2CharactersNoAmpersand = String.raw`[a-zA-Z0-9 ._\-:/()#,@\[\]+=;{}!$*]*`;

const ec2Member = (shape: string, member: string): ApiMember => ({ service: "ec2", shape, member });

/** A security-group rule's description: the API member depends on what the rule names as its other end. */
const RULE_DESCRIPTION_TARGETS: readonly [when: string, shape: string, characters: string, regex: string][] = [
  ["cidr_ipv4", "IpRange", EC2_CHARACTERS, ec2Characters],
  ["cidr_ipv6", "Ipv6Range", EC2_CHARACTERS, ec2Characters],
  ["prefix_list_id", "PrefixListId", EC2_CHARACTERS_NO_AMPERSAND, ec2CharactersNoAmpersand],
  ["referenced_security_group_id", "UserIdGroupPair", EC2_CHARACTERS_NO_AMPERSAND, ec2CharactersNoAmpersand],
];

const EC2_TAGGED = [
  "aws_vpc",
  "aws_subnet",
  "aws_security_group",
  "aws_default_security_group",
  "aws_route_table",
  "aws_internet_gateway",
  "aws_nat_gateway",
  "aws_eip",
  "aws_vpc_endpoint",
  "aws_flow_log",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
];

const EC2_ROWS: ConstraintRow[] = [
  row("aws_security_group", "name", ec2Member("CreateSecurityGroupRequest", "GroupName"), [
    pattern(ec2Characters, `only ${EC2_CHARACTERS}`, prose(`Valid characters: ${EC2_CHARACTERS}`)),
    length(undefined, 255, prose("Up to 255 characters in length")),
    { kind: "prefix", text: "sg-", forbidden: true, source: prose("Can't start with sg-") },
  ]),
  row("aws_security_group", "description", ec2Member("CreateSecurityGroupRequest", "Description"), [
    pattern(ec2Characters, `only ${EC2_CHARACTERS}`, prose(`Valid characters: ${EC2_CHARACTERS}`)),
    length(undefined, 255, prose("Up to 255 characters in length")),
  ]),
  ...["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((resource) =>
    RULE_DESCRIPTION_TARGETS.map(([when, shape, characters, regex]) =>
      row(
        resource,
        "description",
        ec2Member(shape, "Description"),
        [pattern(regex, `only ${characters}`, prose(`Allowed characters are ${characters}`)), length(undefined, 255, prose("Up to 255 characters in length"))],
        when,
      ),
    ),
  ),
  ...rows(EC2_TAGGED, "tags{keys}", ec2Member("Tag", "Key"), [
    length(1, 127, prose("accept a maximum of 127 Unicode characters")),
    { kind: "prefix", text: "aws:", forbidden: true, source: prose("May not begin with aws:") },
  ]),
  ...rows(EC2_TAGGED, "tags{values}", ec2Member("Tag", "Value"), [length(undefined, 256, prose("accept a maximum of 256 Unicode characters"))]),
  row("aws_flow_log", "traffic_type", ec2Member("CreateFlowLogsRequest", "TrafficType"), [oneOf(["ACCEPT", "REJECT", "ALL"])]),
  row("aws_flow_log", "log_destination_type", ec2Member("CreateFlowLogsRequest", "LogDestinationType"), [oneOf(["cloud-watch-logs", "s3", "kinesis-data-firehose"])]),
  row("aws_flow_log", "max_aggregation_interval", ec2Member("CreateFlowLogsRequest", "MaxAggregationInterval"), [
    oneOf(["60", "600"], prose("The possible values are 60 seconds (1 minute) or 600 seconds (10 minutes)")),
  ]),
  row("aws_vpc_endpoint", "vpc_endpoint_type", ec2Member("CreateVpcEndpointRequest", "VpcEndpointType"), [
    oneOf(["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"]),
  ]),
  row("aws_eip", "domain", ec2Member("AllocateAddressRequest", "Domain"), [oneOf(["vpc", "standard"])]),
];

// ---------------------------------------------------------------------------------------------------
// IAM: names, paths, descriptions, policy documents and their sizes
// ---------------------------------------------------------------------------------------------------

const IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const iamMember = (shape: string, member: string): ApiMember => ({ service: "iam", shape, member });
const IAM_NAME = String.raw`[\w+=,.@-]+`;
const IAM_NAME_SAYS = "letters, digits and +=,.@_- only";
const IAM_POLICY_CHARACTERS = String.raw`[\u0009\u000A\u000D\u0020-\u00FF]+`;
const IAM_POLICY_SAYS = "only tab, line feed, carriage return and characters U+0020 to U+00FF";

const iamPolicyDocument = (): Constraint[] => [
  pattern(IAM_POLICY_CHARACTERS, IAM_POLICY_SAYS),
  length(1, 131072),
];

const IAM_ROWS: ConstraintRow[] = [
  row("aws_iam_role", "name", iamMember("CreateRoleRequest", "RoleName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 64)]),
  row("aws_iam_role", "path", iamMember("CreateRoleRequest", "Path"), [
    pattern(String.raw`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, '"/" or a path that begins and ends with "/" (printable ASCII)'),
    length(1, 512),
  ]),
  row("aws_iam_role", "description", iamMember("CreateRoleRequest", "Description"), [
    pattern(String.raw`[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`, "only tab, line feed, carriage return and printable Latin-1 characters"),
    length(undefined, 1000),
  ]),
  row("aws_iam_role", "max_session_duration", iamMember("CreateRoleRequest", "MaxSessionDuration"), [range(3600, 43200)]),
  row("aws_iam_role", "assume_role_policy", iamMember("CreateRoleRequest", "AssumeRolePolicyDocument"), [
    ...iamPolicyDocument(),
    {
      kind: "policy-size",
      max: 2048,
      source: page(IAM_QUOTAS, "Role trust policy length: 2,048 characters (default quota; adjustable through Service Quotas). IAM doesn't count white space when calculating the size of a policy"),
    },
  ]),
  row("aws_iam_policy", "name", iamMember("CreatePolicyRequest", "PolicyName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 128)]),
  row("aws_iam_policy", "path", iamMember("CreatePolicyRequest", "Path"), [length(1, 512)]),
  row("aws_iam_policy", "description", iamMember("CreatePolicyRequest", "Description"), [length(undefined, 1000)]),
  row("aws_iam_policy", "policy", iamMember("CreatePolicyRequest", "PolicyDocument"), [
    ...iamPolicyDocument(),
    { kind: "policy-size", max: 6144, source: page(IAM_QUOTAS, "Managed policy size: 6,144 characters. IAM doesn't count white space when calculating the size of a policy") },
  ]),
  row("aws_iam_role_policy", "name", iamMember("PutRolePolicyRequest", "PolicyName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 128)]),
  row("aws_iam_role_policy", "role", iamMember("PutRolePolicyRequest", "RoleName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 64)]),
  row("aws_iam_role_policy", "policy", iamMember("PutRolePolicyRequest", "PolicyDocument"), [
    ...iamPolicyDocument(),
    {
      kind: "policy-size",
      max: 10240,
      perRole: true,
      source: page(IAM_QUOTAS, "Role policy size: 10,240 characters for all inline policies of a role together. IAM doesn't count white space when calculating the size of a policy"),
    },
  ]),
  row("aws_iam_role_policy_attachment", "role", iamMember("AttachRolePolicyRequest", "RoleName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 64)]),
  row("aws_iam_user_policy_attachment", "user", iamMember("AttachUserPolicyRequest", "UserName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 64)]),
  row("aws_iam_group_policy_attachment", "group", iamMember("AttachGroupPolicyRequest", "GroupName"), [pattern(IAM_NAME, IAM_NAME_SAYS), length(1, 128)]),
  ...["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"].map((resource) =>
    row(resource, "policy_arn", iamMember("AttachRolePolicyRequest", "PolicyArn"), [length(20, 2048)]),
  ),
  ...rows(["aws_iam_role", "aws_iam_policy"], "tags{keys}", iamMember("Tag", "Key"), [
    pattern(String.raw`[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, "letters, digits, spaces and _.:/=+-@ only"),
    length(1, 128),
  ]),
  ...rows(["aws_iam_role", "aws_iam_policy"], "tags{values}", iamMember("Tag", "Value"), [
    pattern(String.raw`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, "letters, digits, spaces and _.:/=+-@ only"),
    length(0, 256),
  ]),
  row("aws_iam_role", "tags{count}", iamMember("CreateRoleRequest", "Tags"), [count(undefined, 50)]),
  row("aws_iam_policy", "tags{count}", iamMember("CreatePolicyRequest", "Tags"), [count(undefined, 50)]),
];

// ---------------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------------

const S3_BUCKET_NAMING = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";
const s3Member = (shape: string, member: string): ApiMember => ({ service: "s3", shape, member });
const S3_BUCKETS = ["aws_s3_bucket"];

const S3_ROWS: ConstraintRow[] = [
  ...rows(S3_BUCKETS, "bucket", s3Member("CreateBucketRequest", "Bucket"), [
    length(3, 63, page(S3_BUCKET_NAMING, "Bucket names must be between 3 (min) and 63 (max) characters long.")),
    pattern(
      String.raw`[a-z0-9][a-z0-9.-]*[a-z0-9]`,
      "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit",
      page(S3_BUCKET_NAMING, "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-). Bucket names must begin and end with a letter or number."),
    ),
    pattern(String.raw`(?!.*\.\.).*`, "no two adjacent periods", page(S3_BUCKET_NAMING, "Bucket names must not contain two adjacent periods.")),
    pattern(String.raw`(?!\d+\.\d+\.\d+\.\d+$).*`, "not formatted as an IP address", page(S3_BUCKET_NAMING, "Bucket names must not be formatted as an IP address (for example, 192.168.5.4).")),
    pattern(String.raw`(?!xn--|sthree-|amzn-s3-demo-).*`, "no reserved prefix (xn--, sthree-, amzn-s3-demo-)", page(S3_BUCKET_NAMING, "Bucket names must not start with the prefix xn--.")),
    pattern(
      String.raw`(?!.*(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$).*`,
      "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)",
      page(S3_BUCKET_NAMING, "Bucket names must not end with the suffix -s3alias."),
    ),
  ]),
  row("aws_s3_bucket_policy", "policy", s3Member("PutBucketPolicyRequest", "Policy"), [
    { kind: "policy-size", max: 20480, source: page("https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html", "Bucket policies are limited to 20 KB in size.") },
  ]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.id", s3Member("LifecycleRule", "ID"), [length(undefined, 255, prose("The value cannot be longer than 255 characters."))]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.status", s3Member("LifecycleRule", "Status"), [oneOf(["Enabled", "Disabled"])]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.noncurrent_version_expiration.noncurrent_days", s3Member("NoncurrentVersionExpiration", "NoncurrentDays"), [
    range(1, undefined, prose("The value must be a non-zero positive integer.")),
  ]),
  row("aws_s3_bucket_lifecycle_configuration", "rule.expiration.days", s3Member("LifecycleExpiration", "Days"), [range(1, undefined, prose("The value must be a non-zero positive integer."))]),
  row("aws_s3_bucket_versioning", "versioning_configuration.status", s3Member("VersioningConfiguration", "Status"), [oneOf(["Enabled", "Suspended"])]),
  row("aws_s3_bucket_server_side_encryption_configuration", "rule.apply_server_side_encryption_by_default.sse_algorithm", s3Member("ServerSideEncryptionByDefault", "SSEAlgorithm"), [
    oneOf(["AES256", "aws:fsx", "aws:backup", "aws:kms", "aws:kms:dsse"]),
  ]),
  row("aws_s3_bucket_ownership_controls", "rule.object_ownership", s3Member("OwnershipControlsRule", "ObjectOwnership"), [oneOf(["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"])]),
  row("aws_s3_bucket", "tags{keys}", s3Member("Tag", "Key"), [length(1, undefined)]),
];

// ---------------------------------------------------------------------------------------------------
// S3 Files
// ---------------------------------------------------------------------------------------------------

const s3FilesMember = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "s3files", shape, member, ...(element && { element }) });
const FILE_SYSTEM_ID = String.raw`(arn:aws[-a-z]*:s3files:[0-9a-z-:]+:file-system/fs-[0-9a-f]{17,40}|fs-[0-9a-f]{17,40})`;
const POSIX_ID = [range(0, 4294967295)];

const S3FILES_ROWS: ConstraintRow[] = [
  row("aws_s3files_file_system", "bucket", s3FilesMember("CreateFileSystemRequest", "bucket"), [pattern(String.raw`(arn:aws[a-zA-Z0-9-]*:s3:::.+)`, "an S3 bucket ARN")]),
  row("aws_s3files_file_system", "role_arn", s3FilesMember("CreateFileSystemRequest", "roleArn"), [
    pattern(String.raw`arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`, "an IAM role ARN"),
    length(0, 2048),
  ]),
  row("aws_s3files_file_system", "kms_key_id", s3FilesMember("CreateFileSystemRequest", "kmsKeyId"), [
    pattern(
      String.raw`([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+|(arn:aws[-a-z]*:kms:[a-z0-9-]+:\d{12}:((key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(key/mrk-[0-9a-f]{32})|(alias/[a-zA-Z0-9/_-]+))))`,
      "a KMS key id, key ARN or alias",
    ),
    length(0, 2048),
  ]),
  row("aws_s3files_mount_target", "file_system_id", s3FilesMember("CreateMountTargetRequest", "fileSystemId"), [pattern(FILE_SYSTEM_ID, "a file system id or ARN"), length(0, 128)]),
  row("aws_s3files_mount_target", "subnet_id", s3FilesMember("CreateMountTargetRequest", "subnetId"), [pattern(String.raw`subnet-[0-9a-f]{8,40}`, "a subnet id"), length(15, 47)]),
  row("aws_s3files_mount_target", "security_groups[]", s3FilesMember("CreateMountTargetRequest", "securityGroups", "member"), [pattern(String.raw`(sg-[0-9a-f]{8,40})`, "a security group id"), length(11, 43)]),
  row("aws_s3files_mount_target", "security_groups{count}", s3FilesMember("CreateMountTargetRequest", "securityGroups"), [count(0, 100)]),
  row("aws_s3files_access_point", "file_system_id", s3FilesMember("CreateAccessPointRequest", "fileSystemId"), [pattern(FILE_SYSTEM_ID, "a file system id or ARN"), length(0, 128)]),
  row("aws_s3files_access_point", "posix_user.uid", s3FilesMember("PosixUser", "uid"), POSIX_ID),
  row("aws_s3files_access_point", "posix_user.gid", s3FilesMember("PosixUser", "gid"), POSIX_ID),
  row("aws_s3files_access_point", "posix_user.secondary_gids[]", s3FilesMember("PosixUser", "secondaryGids", "member"), POSIX_ID),
  row("aws_s3files_access_point", "root_directory.path", s3FilesMember("RootDirectory", "path"), [
    pattern("(\\/|(\\/(?!\\.)+[^$#<>;;`|&?{}^*/\\n]+){1,4})", '"/" or up to 4 path segments, none starting with "." or holding $#<>;`|&?{}^*'),
    length(1, 100),
  ]),
  row("aws_s3files_access_point", "root_directory.creation_permissions.owner_uid", s3FilesMember("CreationPermissions", "ownerUid"), POSIX_ID),
  row("aws_s3files_access_point", "root_directory.creation_permissions.owner_gid", s3FilesMember("CreationPermissions", "ownerGid"), POSIX_ID),
  row("aws_s3files_access_point", "root_directory.creation_permissions.permissions", s3FilesMember("CreationPermissions", "permissions"), [
    pattern("[0-7]{3,4}", "3 or 4 octal digits"),
    length(3, 4),
  ]),
  ...rows(["aws_s3files_file_system", "aws_s3files_access_point"], "tags{keys}", s3FilesMember("Tag", "key"), [
    pattern(String.raw`([\p{L}\p{Z}\p{N}_.:/=+\-@]+)`, "letters, digits, spaces and _.:/=+-@ only"),
    length(1, 128),
  ]),
  ...rows(["aws_s3files_file_system", "aws_s3files_access_point"], "tags{values}", s3FilesMember("Tag", "value"), [
    pattern(String.raw`([\p{L}\p{Z}\p{N}_.:/=+\-@]*)`, "letters, digits, spaces and _.:/=+-@ only"),
    length(0, 256),
  ]),
  row("aws_s3files_file_system", "tags{count}", s3FilesMember("CreateFileSystemRequest", "tags"), [count(1, 50)]),
  row("aws_s3files_access_point", "tags{count}", s3FilesMember("CreateAccessPointRequest", "tags"), [count(1, 50)]),
];

// ---------------------------------------------------------------------------------------------------
// Bedrock AgentCore (control plane)
// ---------------------------------------------------------------------------------------------------

const agentcore = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "bedrock-agentcore-control", shape, member, ...(element && { element }) });
const RUNTIME = "aws_bedrockagentcore_agent_runtime";
const ENDPOINT = "aws_bedrockagentcore_agent_runtime_endpoint";
const MOUNT_PATH = [pattern("/mnt/[a-zA-Z0-9._-]+/?", "/mnt/<one directory>"), length(6, 200)];
const AGENTCORE_TAG_CHARACTERS = String.raw`[a-zA-Z0-9\s._:/=+@-]*`;

const AGENTCORE_ROWS: ConstraintRow[] = [
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

// ---------------------------------------------------------------------------------------------------
// ECR
// ---------------------------------------------------------------------------------------------------

const ecr = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "ecr", shape, member, ...(element && { element }) });
const ECR_TAG_LIMITS = "Tag keys can have a maximum character length of 128 characters, and tag values can have a maximum length of 256 characters.";

const ECR_ROWS: ConstraintRow[] = [
  row("aws_ecr_repository", "name", ecr("CreateRepositoryRequest", "repositoryName"), [
    pattern(String.raw`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, "lowercase path segments of letters and digits joined by . _ __ or -"),
    length(2, 256),
  ]),
  row("aws_ecr_repository", "image_tag_mutability", ecr("CreateRepositoryRequest", "imageTagMutability"), [oneOf(["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"])]),
  row("aws_ecr_repository", "image_tag_mutability_exclusion_filter.filter", ecr("ImageTagMutabilityExclusionFilter", "filter"), [pattern("^[0-9a-zA-Z._*-]{1,128}$", "1 to 128 letters, digits or ._*-"), length(1, 128)]),
  row("aws_ecr_repository", "image_tag_mutability_exclusion_filter.filter_type", ecr("ImageTagMutabilityExclusionFilter", "filterType"), [oneOf(["WILDCARD"])]),
  row("aws_ecr_repository", "encryption_configuration.encryption_type", ecr("EncryptionConfiguration", "encryptionType"), [oneOf(["AES256", "KMS", "KMS_DSSE"])]),
  row("aws_ecr_repository", "encryption_configuration.kms_key", ecr("EncryptionConfiguration", "kmsKey"), [length(1, 2048)]),
  row("aws_ecr_repository", "tags{keys}", ecr("CreateRepositoryRequest", "tags"), [length(undefined, 128, prose(ECR_TAG_LIMITS))]),
  row("aws_ecr_repository", "tags{values}", ecr("CreateRepositoryRequest", "tags"), [length(undefined, 256, prose(ECR_TAG_LIMITS))]),
  row("aws_ecr_lifecycle_policy", "repository", ecr("PutLifecyclePolicyRequest", "repositoryName"), [length(2, 256)]),
  row("aws_ecr_lifecycle_policy", "policy", ecr("PutLifecyclePolicyRequest", "lifecyclePolicyText"), [length(100, 30720)]),
];

// ---------------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------------

const cloudtrail = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "cloudtrail", shape, member, ...(element && { element }) });
const OPERATOR_VALUE = [pattern(".+", "not empty"), length(1, 2048)];

const CLOUDTRAIL_ROWS: ConstraintRow[] = [
  row("aws_cloudtrail", "name", cloudtrail("PutEventSelectorsRequest", "TrailName"), [
    pattern(
      String.raw`[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*`,
      "ASCII letters, digits and ._- only, starting and ending with a letter or digit, no adjacent ._-",
      prose("Contain only ASCII letters (a-z, A-Z), numbers (0-9), periods (.), underscores (_), or dashes (-) Start with a letter or number, and end with a letter or number"),
    ),
    length(3, 128, prose("Be between 3 and 128 characters")),
    pattern(String.raw`(?!\d+\.\d+\.\d+\.\d+$).*`, "not in IP address format", prose("Not be in IP address format (for example, 192.168.5.4)")),
  ]),
  row("aws_cloudtrail", "advanced_event_selector.name", cloudtrail("AdvancedEventSelector", "Name"), [length(0, 1000)]),
  row("aws_cloudtrail", "advanced_event_selector.field_selector.field", cloudtrail("AdvancedFieldSelector", "Field"), [pattern(String.raw`[\w|\d|\.|_]+`, "a field name"), length(1, 1000)]),
  ...["equals", "not_equals", "starts_with", "not_starts_with", "ends_with", "not_ends_with"].flatMap((operator) => {
    const member = operator.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
    return [
      row("aws_cloudtrail", `advanced_event_selector.field_selector.${operator}[]`, cloudtrail("AdvancedFieldSelector", member, "member"), OPERATOR_VALUE),
      row("aws_cloudtrail", `advanced_event_selector.field_selector.${operator}{count}`, cloudtrail("AdvancedFieldSelector", member), [count(1, undefined)]),
    ];
  }),
  row("aws_cloudtrail", "tags{keys}", cloudtrail("Tag", "Key"), [length(1, 128)]),
  row("aws_cloudtrail", "tags{values}", cloudtrail("Tag", "Value"), [length(1, 256)]),
  row("aws_cloudtrail", "tags{count}", cloudtrail("CreateTrailRequest", "TagsList"), [count(undefined, 200)]),
];

// ---------------------------------------------------------------------------------------------------
// EventBridge
// ---------------------------------------------------------------------------------------------------

const events = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "events", shape, member, ...(element && { element }) });
const RULE_NAME = [pattern(String.raw`[\.\-_A-Za-z0-9]+`, "letters, digits and ._- only"), length(1, 64)];

const EVENTS_ROWS: ConstraintRow[] = [
  row("aws_cloudwatch_event_rule", "name", events("PutRuleRequest", "Name"), RULE_NAME),
  row("aws_cloudwatch_event_rule", "description", events("PutRuleRequest", "Description"), [length(undefined, 512)]),
  row("aws_cloudwatch_event_rule", "event_pattern", events("PutRuleRequest", "EventPattern"), [{ kind: "policy-size", max: 4096, source: model }]),
  row("aws_cloudwatch_event_rule", "state", events("PutRuleRequest", "State"), [oneOf(["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"])]),
  row("aws_cloudwatch_event_rule", "tags{keys}", events("Tag", "Key"), [length(1, 128)]),
  row("aws_cloudwatch_event_rule", "tags{values}", events("Tag", "Value"), [length(0, 256)]),
  row("aws_cloudwatch_event_target", "rule", events("PutTargetsRequest", "Rule"), RULE_NAME),
  row("aws_cloudwatch_event_target", "target_id", events("Target", "Id"), [pattern(String.raw`[\.\-_A-Za-z0-9]+`, "letters, digits and ._- only"), length(1, 64)]),
  row("aws_cloudwatch_event_target", "arn", events("Target", "Arn"), [length(1, 1600)]),
  row("aws_cloudwatch_event_target", "input_transformer.input_paths{keys}", events("InputTransformer", "InputPathsMap", "key"), [
    pattern(String.raw`[A-Za-z0-9\_\-]+`, "letters, digits, _ and - only"),
    length(1, 256),
  ]),
  row("aws_cloudwatch_event_target", "input_transformer.input_paths{values}", events("InputTransformer", "InputPathsMap", "value"), [length(undefined, 256)]),
  row("aws_cloudwatch_event_target", "input_transformer.input_paths{count}", events("InputTransformer", "InputPathsMap"), [count(undefined, 100)]),
  row("aws_cloudwatch_event_target", "input_transformer.input_template", events("InputTransformer", "InputTemplate"), [{ kind: "policy-size", max: 8192, source: model }]),
];

// ---------------------------------------------------------------------------------------------------
// SNS
// ---------------------------------------------------------------------------------------------------

const sns = (shape: string, member: string): ApiMember => ({ service: "sns", shape, member });
const SNS_SUBSCRIBE = "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html";

const SNS_ROWS: ConstraintRow[] = [
  row("aws_sns_topic", "name", sns("CreateTopicInput", "Name"), [
    pattern(
      "[A-Za-z0-9_-]+(\\.fifo)?",
      "ASCII letters, digits, _ and - only (a FIFO topic ends in .fifo)",
      prose("Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."),
    ),
    length(1, 256, prose("must be between 1 and 256 characters long")),
  ]),
  row("aws_sns_topic_subscription", "protocol", sns("SubscribeInput", "Protocol"), [
    oneOf(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"], page(SNS_SUBSCRIBE, "email-json – delivery of JSON-encoded message via SMTP")),
  ]),
  row("aws_sns_topic", "tags{keys}", sns("Tag", "Key"), [length(1, 128)]),
  row("aws_sns_topic", "tags{values}", sns("Tag", "Value"), [length(0, 256)]),
];

// ---------------------------------------------------------------------------------------------------
// KMS
// ---------------------------------------------------------------------------------------------------

const kms = (shape: string, member: string): ApiMember => ({ service: "kms", shape, member });
const KMS_QUOTAS = "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html";

const KMS_ROWS: ConstraintRow[] = [
  row("aws_kms_key", "description", kms("CreateKeyRequest", "Description"), [length(0, 8192)]),
  row("aws_kms_key", "policy", kms("CreateKeyRequest", "Policy"), [
    pattern(String.raw`[\u0009\u000A\u000D\u0020-\u00FF]+`, IAM_POLICY_SAYS),
    length(1, 131072),
    { kind: "policy-size", max: 32768, source: page(KMS_QUOTAS, "Key policy document size: 32 KB (32,768 bytes)") },
  ]),
  row("aws_kms_key", "deletion_window_in_days", kms("ScheduleKeyDeletionRequest", "PendingWindowInDays"), [
    range(1, 365),
    range(7, 30, prose("If you include a value, it must be between 7 and 30, inclusive.")),
  ]),
  row("aws_kms_alias", "name", kms("CreateAliasRequest", "AliasName"), [
    pattern("^[a-zA-Z0-9:/_-]+$", "letters, digits and :/_- only"),
    length(1, 256),
    { kind: "prefix", text: "alias/", source: prose("This value must begin with alias/ followed by a name") },
    { kind: "prefix", text: "alias/aws/", forbidden: true, source: prose("The alias name cannot begin with alias/aws/.") },
  ]),
  row("aws_kms_key", "tags{keys}", kms("Tag", "TagKey"), [length(1, 128)]),
  row("aws_kms_key", "tags{values}", kms("Tag", "TagValue"), [length(0, 256)]),
];

// ---------------------------------------------------------------------------------------------------
// CloudWatch Logs
// ---------------------------------------------------------------------------------------------------

const logs = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "logs", shape, member, ...(element && { element }) });
const LOG_GROUPS = ["aws_cloudwatch_log_group"];
const LOGS_TAGGED = ["aws_cloudwatch_log_group", "aws_cloudwatch_log_delivery_source", "aws_cloudwatch_log_delivery_destination", "aws_cloudwatch_log_delivery"];
const LOGS_TAG_CHARACTERS = String.raw`^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$`;

const LOGS_ROWS: ConstraintRow[] = [
  ...rows(LOG_GROUPS, "name", logs("CreateLogGroupRequest", "logGroupName"), [pattern(String.raw`[\.\-_/#A-Za-z0-9]+`, "letters, digits and ._-/# only"), length(1, 512)]),
  ...rows(LOG_GROUPS, "retention_in_days", logs("PutRetentionPolicyRequest", "retentionInDays"), [
    oneOf(
      ["1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653"],
      page(
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
        "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653.",
      ),
    ),
  ]),
  ...rows(LOGS_TAGGED, "tags{keys}", logs("CreateLogGroupRequest", "tags", "key"), [pattern(LOGS_TAG_CHARACTERS, "letters, digits, spaces and _.:/=+-@ only"), length(1, 128)]),
  ...rows(LOGS_TAGGED, "tags{values}", logs("CreateLogGroupRequest", "tags", "value"), [
    pattern(String.raw`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, "letters, digits, spaces and _.:/=+-@ only"),
    length(undefined, 256),
  ]),
  ...rows(LOGS_TAGGED, "tags{count}", logs("CreateLogGroupRequest", "tags"), [count(1, 50)]),
  row("aws_cloudwatch_log_delivery_source", "name", logs("PutDeliverySourceRequest", "name"), [pattern(String.raw`[\w-]*`, "letters, digits, _ and - only"), length(1, 60)]),
  row("aws_cloudwatch_log_delivery_source", "log_type", logs("PutDeliverySourceRequest", "logType"), [pattern(String.raw`[\w]*`, "letters, digits and _ only"), length(1, 255)]),
  row("aws_cloudwatch_log_delivery_destination", "name", logs("PutDeliveryDestinationRequest", "name"), [pattern(String.raw`[\w-]*`, "letters, digits, _ and - only"), length(1, 60)]),
  row("aws_cloudwatch_log_delivery_destination", "delivery_destination_type", logs("PutDeliveryDestinationRequest", "deliveryDestinationType"), [oneOf(["S3", "CWL", "FH", "XRAY"])]),
  row("aws_cloudwatch_log_delivery_destination", "output_format", logs("PutDeliveryDestinationRequest", "outputFormat"), [oneOf(["json", "plain", "w3c", "raw", "parquet"])]),
  row("aws_cloudwatch_log_delivery", "delivery_source_name", logs("CreateDeliveryRequest", "deliverySourceName"), [pattern(String.raw`[\w-]*`, "letters, digits, _ and - only"), length(1, 60)]),
];

/** Every row, by service. */
export const AWS_CONSTRAINTS: readonly ConstraintRow[] = [
  ...EC2_ROWS,
  ...IAM_ROWS,
  ...S3_ROWS,
  ...S3FILES_ROWS,
  ...AGENTCORE_ROWS,
  ...ECR_ROWS,
  ...CLOUDTRAIL_ROWS,
  ...EVENTS_ROWS,
  ...SNS_ROWS,
  ...KMS_ROWS,
  ...LOGS_ROWS,
];
