/**
 * The only actions any policy of this project allows on Resource "*", each because the service leaves no
 * narrower choice. The wildcard test and the audit rule iam-wildcard-resources both enforce this list.
 */
export const ALLOWED_ON_ANY_RESOURCE: Readonly<Record<string, string>> = {
  "ecr:GetAuthorizationToken": "registry tokens cover the whole registry; the action has no resource-level permissions",
  "xray:PutTraceSegments": "X-Ray trace submission has no resource-level permissions",
  "xray:PutTelemetryRecords": "X-Ray telemetry has no resource-level permissions",
  "xray:GetSamplingRules": "X-Ray sampling has no resource-level permissions",
  "xray:GetSamplingTargets": "X-Ray sampling has no resource-level permissions",
  "logs:DescribeLogGroups": "no resource-level permissions (Service Authorization Reference lists no resource type); the runtime finds its log groups with it",
  "cloudwatch:PutMetricData": "no resource-level permissions; scoped by the cloudwatch:namespace condition instead",
  "events:ListRules": "no resource-level permissions (Service Authorization Reference lists no resource type); the S3 Files service role finds its rules with it",
  "events:ListRuleNamesByTarget": "no resource-level permissions (Service Authorization Reference lists no resource type); the S3 Files service role finds its rules with it",
  "kms:*": 'key policy: Resource "*" means this key; the account statement makes the key manageable through IAM',
  "kms:GenerateDataKey*": 'key policy: Resource "*" means this key, which encrypts only the alert topic; EventBridge publishes to it',
  "kms:Decrypt": 'key policy: Resource "*" means this key, which encrypts only the alert topic; EventBridge publishes to it',
};
