/**
 * The builders the AWS constraints table is written with (see index.ts for what the table is).
 *
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
import type { ApiMember, Constraint, ConstraintRow, RuleSource } from "../types.ts";

export const model: RuleSource = { kind: "model" };
export const prose = (quote: string): RuleSource => ({ kind: "model-documentation", quote });
export const page = (url: string, quote: string): RuleSource => ({ kind: "documentation", url, quote });

export const pattern = (regex: string, says: string, source: RuleSource = model): Constraint => ({ kind: "pattern", pattern: regex, says, source });
export const length = (min: number | undefined, max: number | undefined, source: RuleSource = model): Constraint => ({
  kind: "length",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  source,
});
export const oneOf = (values: readonly string[], source: RuleSource = model): Constraint => ({ kind: "enum", values, source });
export const range = (min: number | undefined, max: number | undefined, source: RuleSource = model): Constraint => ({
  kind: "range",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  source,
});
export const count = (min: number | undefined, max: number | undefined, source: RuleSource = model): Constraint => ({
  kind: "count",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  source,
});

export const row = (resource: string, attribute: string, api: ApiMember, constraints: Constraint[], when?: string): ConstraintRow => ({
  resource,
  attribute,
  api,
  constraints,
  ...(when !== undefined && { when }),
});
export const rows = (resources: readonly string[], attribute: string, api: ApiMember, constraints: Constraint[]): ConstraintRow[] =>
  resources.map((resource) => row(resource, attribute, api, constraints));
