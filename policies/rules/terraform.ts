/** Reading synthesized Terraform JSON: resources by type, and every policy document with where it sits. */
import type { PolicyStatement } from "../document.ts";
import type { AuditContext, TerraformJson } from "./rule.ts";

export type Entry = readonly [logicalId: string, config: Record<string, unknown>];

export function resources(json: TerraformJson, type: string): Entry[] {
  return Object.entries(json.resource?.[type] ?? {});
}

export function allResources(context: AuditContext, type: string): Entry[] {
  return Object.values(context.stacks).flatMap((json) => resources(json, type));
}

/** `${type.id.attribute}`: how one resource refers to another in the same stack. */
export function reference(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}

const POLICY_FIELDS: readonly (readonly [type: string, field: string])[] = [
  ["aws_iam_role", "assume_role_policy"],
  ["aws_iam_role_policy", "policy"],
  ["aws_iam_policy", "policy"],
  ["aws_s3_bucket_policy", "policy"],
  ["aws_s3files_file_system_policy", "policy"],
  ["aws_sns_topic_policy", "policy"],
  ["aws_kms_key", "policy"],
  ["aws_bedrockagentcore_resource_policy", "policy"],
];

export interface LocatedStatement {
  readonly type: string;
  readonly id: string;
  readonly statement: PolicyStatement;
}

export function statements(context: AuditContext): LocatedStatement[] {
  return POLICY_FIELDS.flatMap(([type, field]) =>
    allResources(context, type).flatMap(([id, config]) =>
      typeof config[field] === "string"
        ? (JSON.parse(config[field] as string) as { Statement: PolicyStatement[] }).Statement.map((statement) => ({ type, id, statement }))
        : [],
    ),
  );
}

export const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

/** Whether an IAM action pattern (with * wildcards) covers an action. */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return regex.test(action);
}

/** The runtime's configuration, if the agent stack has one. */
export function runtime(context: AuditContext): Record<string, unknown> | undefined {
  return resources(context.stacks.agent, "aws_bedrockagentcore_agent_runtime")[0]?.[1];
}

/** The runtime's custom JWT authorizer block, when its inbound auth is CUSTOM_JWT. */
export function jwtAuthorizer(config: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return (config?.authorizer_configuration as { custom_jwt_authorizer?: Record<string, unknown>[] }[] | undefined)?.[0]?.custom_jwt_authorizer?.[0];
}
