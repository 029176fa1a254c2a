import { page, pattern, length, range, count, row, rows } from "./builders.ts";
import type { ApiMember, Constraint, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// IAM: names, paths, descriptions, policy documents and their sizes
// ---------------------------------------------------------------------------------------------------

const IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const iamMember = (shape: string, member: string): ApiMember => ({ service: "iam", shape, member });
const IAM_NAME = String.raw`[\w+=,.@-]+`;
const IAM_NAME_SAYS = "letters, digits and +=,.@_- only";
const IAM_POLICY_CHARACTERS = String.raw`[\u0009\u000A\u000D\u0020-\u00FF]+`;
export const IAM_POLICY_SAYS = "only tab, line feed, carriage return and characters U+0020 to U+00FF";

const iamPolicyDocument = (): Constraint[] => [
  pattern(IAM_POLICY_CHARACTERS, IAM_POLICY_SAYS),
  length(1, 131072),
];

export const IAM_ROWS: ConstraintRow[] = [
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
