/**
 * The IAM policy a principal needs to deploy, tear down and build the image of one environment, scoped to that
 * environment's resource names: what the Terraform AWS provider calls for each resource type the environment's
 * synthesized stacks contain (create, read, update, delete, tag), plus the SDK calls the scripts make themselves
 * (teardown's checks and sweep, build-image's push, deploy's state and identity). A grant is included only when
 * a stack contains one of its resource types, so an environment without NAT gateways or a trail gets none of their
 * permissions.
 *
 * Resource types and condition keys per action: the Service Authorization Reference ("Actions, resources, and
 * condition keys for <service>"). Where a service offers no resource-level permission for an action (Describe* and List*
 * of EC2, Tagging GetResources, ecr:GetAuthorizationToken, kms:CreateKey, sts:GetCallerIdentity, the vended-log
 * delivery APIs), the grant is on "*". EC2 resources get their ids at creation, so EC2 changes are scoped to the
 * Region and account, and deletions to resources tagged `agentcore-s3files:environment=<env>` (every resource carries
 * it through the provider's default_tags, applied at creation). IAM counts a managed policy's size without white
 * space and allows 6,144 characters (IAM User Guide, "IAM and AWS STS quotas"); a larger set is split.
 */
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { resourceNamesOf } from "../../modules/environment/description.ts";
import { ENVIRONMENT_TAG_KEY } from "../../modules/environment/props.ts";
import { arnParts } from "../../lib/arns.ts";
import type { Footprint } from "./footprint.ts";

export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

interface Scope {
  readonly p: string;
  readonly region: string;
  readonly account: string;
  readonly env: EnvironmentDescription;
  readonly names: ReturnType<typeof resourceNamesOf>;
  /** Resource types the environment's stacks contain. */
  readonly present: ReadonlySet<string>;
}

interface Grant {
  readonly sid: string;
  /** Resource types whose presence in a stack brings this grant; "script" grants are always in. */
  readonly types: readonly string[] | "script";
  readonly actions: readonly string[];
  readonly resources: (s: Scope) => string[];
  readonly condition?: (s: Scope) => PolicyStatement["Condition"];
}

const tagged = (s: Scope) => ({ StringEquals: { [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: s.env.name } });
const ec2 = (s: Scope) => [`arn:${s.p}:ec2:${s.region}:${s.account}:*`];
/** The EC2 calls that create the network's resources, with their tags (TagSpecifications). */
const NETWORK_CREATE_ACTIONS = ["CreateVpc", "CreateSubnet", "CreateRouteTable", "CreateInternetGateway", "AllocateAddress", "CreateNatGateway", "CreateSecurityGroup", "CreateVpcEndpoint", "CreateFlowLogs", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"];
const NETWORK = ["aws_vpc", "aws_subnet", "aws_route_table", "aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_security_group", "aws_vpc_endpoint", "aws_flow_log", "aws_default_security_group"];

export const GRANTS: readonly Grant[] = [
  { sid: "Identity", types: "script", actions: ["sts:GetCallerIdentity"], resources: () => ["*"] },
  {
    sid: "ReadOnlyDescribe",
    types: "script",
    // No resource-level permissions for these (Service Authorization Reference); teardown's ENI check and sweep, the provider's reads.
    actions: ["ec2:Describe*", "tag:GetResources", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:DescribeDeliveries", "logs:DescribeDeliverySources", "logs:DescribeDeliveryDestinations", "cloudtrail:DescribeTrails", "bedrock-agentcore:ListAgentRuntimes", "s3files:ListFileSystems", "s3files:ListMountTargets", "s3files:GetMountTarget", "kms:ListAliases"],
    resources: () => ["*"],
  },
  {
    sid: "NetworkCreate",
    types: NETWORK,
    actions: ["ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateRoute", "ec2:AssociateRouteTable", "ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:AllocateAddress", "ec2:CreateNatGateway", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:CreateFlowLogs", "ec2:ModifyVpcAttribute", "ec2:ModifySubnetAttribute", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:ReplaceRoute", "ec2:DeleteRoute", "ec2:DisassociateRouteTable", "ec2:DetachInternetGateway", "ec2:DisassociateAddress"],
    resources: ec2,
  },
  {
    // Tags as part of creating a resource only (ec2:CreateAction, EC2's condition key for CreateTags): a holder cannot
    // put the environment's tag on someone else's VPC and then delete it through NetworkDeleteTagged.
    sid: "NetworkTagOnCreate",
    types: NETWORK,
    actions: ["ec2:CreateTags"],
    resources: ec2,
    condition: () => ({ StringEquals: { "ec2:CreateAction": NETWORK_CREATE_ACTIONS } }),
  },
  // Tag changes later (default_tags, a renamed Name) only on resources already tagged with the environment.
  { sid: "NetworkRetagTagged", types: NETWORK, actions: ["ec2:CreateTags", "ec2:DeleteTags"], resources: ec2, condition: tagged },
  {
    sid: "NetworkDeleteTagged",
    types: NETWORK,
    actions: ["ec2:DeleteVpc", "ec2:DeleteSubnet", "ec2:DeleteRouteTable", "ec2:DeleteInternetGateway", "ec2:ReleaseAddress", "ec2:DeleteNatGateway", "ec2:DeleteSecurityGroup", "ec2:DeleteVpcEndpoints", "ec2:DeleteFlowLogs"],
    resources: ec2,
    condition: tagged,
  },
  // Teardown deletes unattached ENIs left in the environment's subnets (never another account's); they carry no tag of ours.
  { sid: "NetworkInterfaces", types: "script", actions: ["ec2:DeleteNetworkInterface", "ec2:DetachNetworkInterface"], resources: (s) => [`arn:${s.p}:ec2:${s.region}:${s.account}:network-interface/*`] },
  {
    sid: "Buckets",
    types: ["aws_s3_bucket"],
    actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucket*", "s3:PutBucket*", "s3:DeleteBucketPolicy", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetAccelerateConfiguration", "s3:GetReplicationConfiguration"],
    resources: (s) => [s.names.bucket, ...(s.present.has("aws_cloudtrail") ? [s.names.trailBucket] : [])].map((b) => `arn:${s.p}:s3:::${b}`),
  },
  { sid: "BucketObjects", types: ["aws_s3_bucket"], actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"], resources: (s) => [s.names.bucket, ...(s.present.has("aws_cloudtrail") ? [s.names.trailBucket] : [])].map((b) => `arn:${s.p}:s3:::${b}/*`) },
  {
    sid: "S3Files",
    types: ["aws_s3files_file_system"],
    actions: ["s3files:GetFileSystem", "s3files:CreateMountTarget", "s3files:UpdateMountTarget", "s3files:CreateAccessPoint", "s3files:GetAccessPoint", "s3files:ListAccessPoints", "s3files:PutFileSystemPolicy", "s3files:GetFileSystemPolicy", "s3files:DeleteFileSystemPolicy", "s3files:TagResource", "s3files:UntagResource", "s3files:ListTagsForResource"],
    resources: (s) => [`arn:${s.p}:s3files:${s.region}:${s.account}:file-system/*`],
  },
  {
    // Deletes only of file systems and access points tagged with the environment (both resource types take
    // aws:ResourceTag, Service Authorization Reference; default_tags reaches both): never another team's on the bucket.
    sid: "S3FilesDeleteTagged",
    types: ["aws_s3files_file_system"],
    actions: ["s3files:DeleteFileSystem", "s3files:DeleteMountTarget", "s3files:DeleteAccessPoint"],
    resources: (s) => [`arn:${s.p}:s3files:${s.region}:${s.account}:file-system/*`],
    condition: tagged,
  },
  {
    sid: "Roles",
    types: ["aws_iam_role"],
    actions: ["iam:CreateRole", "iam:GetRole", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"],
    resources: (s) => [s.names.executionRole, s.names.s3FilesRole, s.names.flowLogsRole].map((name) => `arn:${s.p}:iam::${s.account}:role/${name}`),
  },
  {
    sid: "PassRoles",
    types: ["aws_iam_role"],
    actions: ["iam:PassRole"],
    resources: (s) => [s.names.executionRole, s.names.s3FilesRole, s.names.flowLogsRole].map((name) => `arn:${s.p}:iam::${s.account}:role/${name}`),
    // Each role goes only to the service that assumes it: AgentCore, S3 Files (elasticfilesystem), VPC flow logs.
    condition: () => ({ StringEquals: { "iam:PassedToService": ["bedrock-agentcore.amazonaws.com", "elasticfilesystem.amazonaws.com", "vpc-flow-logs.amazonaws.com"] } }),
  },
  {
    sid: "ManagedPolicies",
    types: ["aws_iam_policy"],
    actions: ["iam:CreatePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy"],
    resources: (s) => [s.names.invokerPolicy, s.names.operatorPolicy].map((name) => `arn:${s.p}:iam::${s.account}:policy/${name}`),
  },
  {
    // Attaching the invoker and operator policies to agent.invokers / agent.operators, and to nothing else (iam:PolicyARN).
    sid: "AttachAgentPolicies",
    types: ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"],
    actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:AttachUserPolicy", "iam:DetachUserPolicy", "iam:AttachGroupPolicy", "iam:DetachGroupPolicy"],
    resources: (s) => ["role", "user", "group"].map((kind) => `arn:${s.p}:iam::${s.account}:${kind}/*`),
    condition: (s) => ({ ArnEquals: { "iam:PolicyARN": [s.names.invokerPolicy, s.names.operatorPolicy].map((name) => `arn:${s.p}:iam::${s.account}:policy/${name}`) } }),
  },
  {
    sid: "ListAttachments",
    types: ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"],
    actions: ["iam:ListAttachedRolePolicies", "iam:ListAttachedUserPolicies", "iam:ListAttachedGroupPolicies"],
    resources: (s) => ["role", "user", "group"].map((kind) => `arn:${s.p}:iam::${s.account}:${kind}/*`),
  },
  { sid: "RegistryToken", types: "script", actions: ["ecr:GetAuthorizationToken"], resources: () => ["*"] },
  {
    sid: "Registry",
    types: ["aws_ecr_repository"],
    actions: ["ecr:CreateRepository", "ecr:DescribeRepositories", "ecr:DeleteRepository", "ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy", "ecr:DeleteLifecyclePolicy", "ecr:ListTagsForResource", "ecr:TagResource", "ecr:UntagResource", "ecr:PutImageTagMutability", "ecr:PutImageScanningConfiguration", "ecr:GetRepositoryPolicy", "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages", "ecr:ListImages", "ecr:BatchDeleteImage"],
    resources: (s) => [`arn:${s.p}:ecr:${s.region}:${s.account}:repository/${s.names.repository}`],
  },
  {
    sid: "Runtime",
    types: ["aws_bedrockagentcore_agent_runtime"],
    actions: ["bedrock-agentcore:GetAgentRuntime", "bedrock-agentcore:UpdateAgentRuntime", "bedrock-agentcore:DeleteAgentRuntime", "bedrock-agentcore:CreateAgentRuntimeEndpoint", "bedrock-agentcore:GetAgentRuntimeEndpoint", "bedrock-agentcore:UpdateAgentRuntimeEndpoint", "bedrock-agentcore:DeleteAgentRuntimeEndpoint", "bedrock-agentcore:TagResource", "bedrock-agentcore:UntagResource", "bedrock-agentcore:ListTagsForResource"],
    // A runtime's id is `<runtime name>-<10 characters>` (AgentRuntimeId pattern): this environment's runtime and its endpoints only.
    resources: (s) => [`arn:${s.p}:bedrock-agentcore:${s.region}:${s.account}:runtime/${s.names.runtime}-*`],
  },
  {
    // Wildcard-only in the Service Authorization Reference (no resource type): creation is scoped by the environment's tag.
    sid: "CreateTagged",
    types: ["aws_s3files_file_system", "aws_bedrockagentcore_agent_runtime"],
    actions: ["s3files:CreateFileSystem", "bedrock-agentcore:CreateAgentRuntime"],
    resources: () => ["*"],
    condition: (s) => ({ StringEquals: { [`aws:RequestTag/${ENVIRONMENT_TAG_KEY}`]: s.env.name } }),
  },
  {
    // Wildcard-only too; read-only listings, and the account-level vended-log calls a log delivery makes
    // (logs:PutResourcePolicy: CloudWatch Logs adds the log group's policy for delivery.logs.amazonaws.com; README "Logs").
    // AllowVendedLogDeliveryForResource lists memory and payment-manager as its resource types, no runtime, so it is on "*".
    sid: "AccountLevel",
    types: ["aws_bedrockagentcore_agent_runtime", "aws_cloudwatch_log_delivery"],
    actions: ["bedrock-agentcore:ListAgentRuntimeVersions", "bedrock-agentcore:ListAgentRuntimeEndpoints", "bedrock-agentcore:AllowVendedLogDeliveryForResource", "logs:PutResourcePolicy", "logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
    resources: () => ["*"],
  },
  {
    sid: "RuntimePolicy",
    types: ["aws_bedrockagentcore_resource_policy"],
    actions: ["bedrock-agentcore:PutResourcePolicy", "bedrock-agentcore:GetResourcePolicy", "bedrock-agentcore:DeleteResourcePolicy"],
    resources: (s) => [`arn:${s.p}:bedrock-agentcore:${s.region}:${s.account}:runtime/${s.names.runtime}-*`],
  },
  // Creating a runtime validates its S3 Files mount as the caller (REFERENCE.md "IAM actions and keys").
  {
    // AgentCore makes its VPC ENIs through the service-linked role AWSServiceRoleForBedrockAgentCoreNetwork (trusting
    // network.bedrock-agentcore.amazonaws.com; AgentCore devguide, "Using service-linked roles", "Configuring ... for
    // VPC"), created on an account's first VPC runtime with the creating principal's iam:CreateServiceLinkedRole.
    sid: "AgentCoreNetworkServiceLinkedRole",
    types: ["aws_bedrockagentcore_agent_runtime"],
    actions: ["iam:CreateServiceLinkedRole"],
    resources: (s) => [`arn:${s.p}:iam::${s.account}:role/aws-service-role/network.bedrock-agentcore.amazonaws.com/AWSServiceRoleForBedrockAgentCoreNetwork`],
    condition: () => ({ StringEquals: { "iam:AWSServiceName": "network.bedrock-agentcore.amazonaws.com" } }),
  },
  { sid: "RuntimeMountValidation", types: ["aws_bedrockagentcore_agent_runtime"], actions: ["s3files:GetAccessPoint", "s3files:GetFileSystem"], resources: (s) => [`arn:${s.p}:s3files:${s.region}:${s.account}:file-system/*`] },
  {
    sid: "LogGroups",
    types: ["aws_cloudwatch_log_group", "aws_flow_log"],
    actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:TagLogGroup"],
    resources: (s) => [`arn:${s.p}:logs:${s.region}:${s.account}:log-group:/aws/vendedlogs/bedrock-agentcore/${s.names.runtime}/*`, `arn:${s.p}:logs:${s.region}:${s.account}:log-group:${s.names.flowLogGroup}`, `arn:${s.p}:logs:${s.region}:${s.account}:log-group:${s.names.flowLogGroup}:*`],
  },
  {
    sid: "LogDelivery",
    types: ["aws_cloudwatch_log_delivery"],
    actions: ["logs:PutDeliverySource", "logs:GetDeliverySource", "logs:DeleteDeliverySource", "logs:PutDeliveryDestination", "logs:GetDeliveryDestination", "logs:DeleteDeliveryDestination", "logs:CreateDelivery", "logs:GetDelivery", "logs:UpdateDeliveryConfiguration", "logs:DeleteDelivery"],
    resources: (s) => [`arn:${s.p}:logs:${s.region}:${s.account}:delivery-source:*`, `arn:${s.p}:logs:${s.region}:${s.account}:delivery-destination:*`, `arn:${s.p}:logs:${s.region}:${s.account}:delivery:*`, `arn:${s.p}:logs:${s.region}:${s.account}:log-group:/aws/vendedlogs/bedrock-agentcore/${s.names.runtime}/*`],
  },
  {
    sid: "AlertTopic",
    types: ["aws_sns_topic"],
    actions: ["sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
    resources: (s) => [`arn:${s.p}:sns:${s.region}:${s.account}:${s.names.alertTopic}`],
  },
  {
    sid: "AlertRule",
    types: ["aws_cloudwatch_event_rule"],
    actions: ["events:PutRule", "events:DescribeRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule", "events:TagResource", "events:UntagResource", "events:ListTagsForResource"],
    resources: (s) => [`arn:${s.p}:events:${s.region}:${s.account}:rule/${s.names.alertRule}`],
  },
  { sid: "AlertKeyCreate", types: ["aws_kms_key"], actions: ["kms:CreateKey"], resources: () => ["*"], condition: (s) => ({ StringEquals: { [`aws:RequestTag/${ENVIRONMENT_TAG_KEY}`]: s.env.name } }) },
  {
    sid: "AlertKey",
    types: ["aws_kms_key"],
    actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias"],
    resources: (s) => [`arn:${s.p}:kms:${s.region}:${s.account}:key/*`],
    condition: tagged,
  },
  { sid: "AlertKeyAlias", types: ["aws_kms_alias"], actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], resources: (s) => [`arn:${s.p}:kms:${s.region}:${s.account}:${s.names.alertKeyAlias}`] },
  {
    sid: "AlertTrail",
    types: ["aws_cloudtrail"],
    actions: ["cloudtrail:CreateTrail", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:PutEventSelectors", "cloudtrail:GetEventSelectors", "cloudtrail:AddTags", "cloudtrail:RemoveTags", "cloudtrail:ListTags"],
    resources: (s) => [`arn:${s.p}:cloudtrail:${s.region}:${s.account}:trail/${s.names.trail}`],
  },
];

/** The Terraform resource types a grant covers, for the test that every synthesized type is covered. */
export const COVERED_TYPES = new Set(GRANTS.flatMap((g) => (g.types === "script" ? [] : g.types)));
/** Types that need no permission of their own: their calls are their parent's (a route is the route table's, …). */
export const COVERED_BY_PARENT: Readonly<Record<string, string>> = {
  aws_route: "aws_route_table (ec2:CreateRoute, ec2:DeleteRoute in NetworkCreate)",
  aws_route_table_association: "aws_route_table (ec2:AssociateRouteTable, ec2:DisassociateRouteTable)",
  aws_vpc_security_group_ingress_rule: "aws_security_group (ec2:AuthorizeSecurityGroupIngress, ec2:RevokeSecurityGroupIngress)",
  aws_vpc_security_group_egress_rule: "aws_security_group (ec2:AuthorizeSecurityGroupEgress, ec2:RevokeSecurityGroupEgress)",
  aws_s3_bucket_lifecycle_configuration: "aws_s3_bucket (s3:PutLifecycleConfiguration)",
  aws_s3_bucket_ownership_controls: "aws_s3_bucket (s3:PutBucketOwnershipControls)",
  aws_s3_bucket_policy: "aws_s3_bucket (s3:PutBucketPolicy)",
  aws_s3_bucket_public_access_block: "aws_s3_bucket (s3:PutBucketPublicAccessBlock)",
  aws_s3_bucket_server_side_encryption_configuration: "aws_s3_bucket (s3:PutEncryptionConfiguration)",
  aws_s3_bucket_versioning: "aws_s3_bucket (s3:PutBucketVersioning)",
  aws_s3files_access_point: "aws_s3files_file_system (s3files:CreateAccessPoint)",
  aws_s3files_mount_target: "aws_s3files_file_system (s3files:CreateMountTarget)",
  aws_s3files_file_system_policy: "aws_s3files_file_system (s3files:PutFileSystemPolicy)",
  aws_iam_role_policy: "aws_iam_role (iam:PutRolePolicy)",
  aws_ecr_lifecycle_policy: "aws_ecr_repository (ecr:PutLifecyclePolicy)",
  aws_bedrockagentcore_agent_runtime_endpoint: "aws_bedrockagentcore_agent_runtime (CreateAgentRuntimeEndpoint)",
  aws_cloudwatch_log_delivery_source: "aws_cloudwatch_log_delivery (logs:PutDeliverySource)",
  aws_cloudwatch_log_delivery_destination: "aws_cloudwatch_log_delivery (logs:PutDeliveryDestination)",
  aws_cloudwatch_event_target: "aws_cloudwatch_event_rule (events:PutTargets)",
  aws_sns_topic_policy: "aws_sns_topic (sns:SetTopicAttributes)",
  aws_sns_topic_subscription: "aws_sns_topic (sns:Subscribe, sns:Unsubscribe, sns:GetSubscriptionAttributes)",
};

/** The environment's deployer policy, as one document or, past IAM's size limit, several. */
export function deployerPolicy(environment: EnvironmentDescription, footprint: Footprint, account: string): PolicyDocument[] {
  const present = new Set([...footprint.resourceTypes.values()].flat());
  const scope: Scope = { p: environment.partition, region: environment.region, account, env: environment, names: resourceNamesOf(environment, account), present };
  const statements: PolicyStatement[] = GRANTS.filter((g) => g.types === "script" || g.types.some((t) => present.has(t))).map((g) => ({
    Sid: g.sid,
    Effect: "Allow",
    Action: [...g.actions],
    Resource: g.resources(scope),
    ...(g.condition && { Condition: g.condition(scope) }),
  }));
  if (environment.state.backend === "s3") {
    const { bucket, keyPrefix } = environment.state;
    statements.push(
      { Sid: "StateObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`arn:${scope.p}:s3:::${bucket}/${keyPrefix}/*`] },
      { Sid: "StateList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:${scope.p}:s3:::${bucket}`], Condition: { StringLike: { "s3:prefix": [`${keyPrefix}/*`] } } },
    );
  }
  return split(statements);
}

/** The size IAM counts: the JSON without white space. */
export const policySize = (document: PolicyDocument) => JSON.stringify(document).length;

function split(statements: PolicyStatement[]): PolicyDocument[] {
  const documents: PolicyDocument[] = [{ Version: "2012-10-17", Statement: [] }];
  for (const statement of statements) {
    const last = documents.at(-1)!;
    if (last.Statement.length > 0 && policySize({ ...last, Statement: [...last.Statement, statement] }) > MANAGED_POLICY_MAX_CHARACTERS) documents.push({ Version: "2012-10-17", Statement: [statement] });
    else last.Statement.push(statement);
  }
  return documents;
}

/**
 * The account the deploying principal acts in, when the environment says it without an AWS call: its `account`,
 * else the account of its `deployRoleArn` (the role Terraform and the scripts assume, which must be in `account`).
 * The policy is for that principal, not for whoever runs the command.
 */
export function policyAccount(environment: Pick<EnvironmentDescription, "account" | "deployRoleArn">): string | undefined {
  return environment.account ?? (environment.deployRoleArn !== undefined ? arnParts(environment.deployRoleArn)?.accountId : undefined);
}
