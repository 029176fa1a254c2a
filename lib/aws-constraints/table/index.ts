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
import { EC2_ROWS } from "./ec2.ts";
import { IAM_ROWS } from "./iam.ts";
import { S3_ROWS } from "./s3.ts";
import { S3FILES_ROWS } from "./s3files.ts";
import { AGENTCORE_ROWS } from "./agentcore.ts";
import { ECR_ROWS } from "./ecr.ts";
import { CLOUDTRAIL_ROWS } from "./cloudtrail.ts";
import { EVENTS_ROWS } from "./events.ts";
import { SNS_ROWS } from "./sns.ts";
import { KMS_ROWS } from "./kms.ts";
import { LOGS_ROWS } from "./logs.ts";

import type { ConstraintRow } from "../types.ts";

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
