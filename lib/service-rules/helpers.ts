/**
 * What the service rules share: typed access to synthesized resources, IAM statements and wildcard matching,
 * the access points a runtime mounts, the stacks of each environment.
 */
import type { SynthesizedStack } from "../aws-constraints/index.ts";

export type Config = Record<string, unknown>;
export interface Found {
  readonly stack: SynthesizedStack;
  readonly id: string;
  readonly config: Config;
}
export interface Statement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const list = <T>(value: T | readonly T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value as T));
export const resources = (stack: SynthesizedStack, type: string): Found[] => Object.entries(stack.json.resource?.[type] ?? {}).map(([id, config]) => ({ stack, id, config }));
export const all = (stacks: readonly SynthesizedStack[], type: string): Found[] => stacks.flatMap((stack) => resources(stack, type));
export const address = (found: Found, type: string) => `${found.stack.name} ${type}.${found.id}`;
export const refersTo = (value: unknown, type: string, id: string) => String(value).includes(`${type}.${id}.`);
export const statementsOf = (policy: unknown): Statement[] => {
  try {
    return list((JSON.parse(String(policy)) as { Statement?: Statement | Statement[] }).Statement);
  } catch {
    return [];
  }
};
export const hasService = (statement: Statement, service: string) => JSON.stringify(statement.Principal ?? {}).includes(`"${service}"`);
export const actionsOf = (statement: Statement) => list(statement.Action);
/** The output a cross-stack reference reads (`…outputs.cross-stack-output-<name>}`), which names the resource. */
export const crossStackOutput = (reference: unknown) => /cross-stack-output-([^}]+)\}/.exec(String(reference))?.[1];
/** Whether a value is (or holds) a Terraform reference, known only at plan time. */
export const isReference = (value: string) => value.includes("${");
/** IAM's wildcard match of a Resource pattern against an ARN: `*` any run of characters, `?` one (IAM User Guide, "IAM JSON policy elements: Resource"). */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern.split(/([*?])/).map((part) => (part === "*" ? ".*" : part === "?" ? "." : part.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${regex}$`).test(value);
}
/** The access point ARNs of one kind a runtime mounts (`s3_files_access_point` or `efs_access_point` blocks). */
export const mountedAccessPoints = (runtime: Found, kind: "s3_files_access_point" | "efs_access_point"): string[] =>
  list(runtime.config.filesystem_configuration as Config[]).flatMap((f) => list(f[kind] as Config[]).map((m) => String(m.access_point_arn)));
/** A security group rule that lets NFS (TCP 2049) through. */
export const isNfs = (c: Config) => c.ip_protocol === "tcp" && Number(c.from_port) <= 2049 && Number(c.to_port) >= 2049;
/** Stacks by environment (`<env>-<layer>`). */
export function byEnvironment(stacks: readonly SynthesizedStack[]): Map<string, Partial<Record<"network" | "storage" | "registry" | "agent", SynthesizedStack>>> {
  const environments = new Map<string, Partial<Record<"network" | "storage" | "registry" | "agent", SynthesizedStack>>>();
  for (const stack of stacks) {
    const match = /^(.+)-(network|storage|registry|agent)$/.exec(stack.name);
    if (!match) continue;
    environments.set(match[1]!, { ...environments.get(match[1]!), [match[2]!]: stack });
  }
  return environments;
}
/** What a runtime's VPC configuration names: its subnets or its security groups. */
export const runtimeVpc = (runtime: Found, field: "subnets" | "security_groups"): string[] =>
  list(runtime.config.network_configuration as Config[]).flatMap((n) => list(n.network_mode_config as Config[]).flatMap((c) => list(c[field] as string[])));
/** Topics an EventBridge rule of the stack sends to, with the key that encrypts each. */
export function eventBridgeTopics(stack: SynthesizedStack): { topic: Found; key?: Found }[] {
  return resources(stack, "aws_sns_topic")
    .filter((topic) => resources(stack, "aws_cloudwatch_event_target").some((target) => refersTo(target.config.arn, "aws_sns_topic", topic.id)))
    .map((topic) => {
      const key = resources(stack, "aws_kms_key").find((k) => refersTo(topic.config.kms_master_key_id, "aws_kms_key", k.id));
      return key ? { topic, key } : { topic };
    });
}
export const SOURCE_KEYS = /aws:Source(Arn|Account|OrgID)/i;
