/**
 * What the AWS provider does to the account for each Terraform resource type the stacks use, against the
 * fake world: the ids and computed attributes AWS returns, the side effects AWS has (a NAT gateway's ENI,
 * an interface endpoint's ENIs, a mount target's ENI, AgentCore's shared `agentic_ai` ENIs), and the errors
 * AWS answers (DependencyViolation while ENIs use a subnet, RepositoryNotEmptyException, S3 Files'
 * ConflictException while writes are pending export, …). The stand-in Terraform (terraform/) calls this
 * through the world's /__provider endpoints; it applies the provider's own retry and wait rules from
 * `schema()` (which errors the provider retries, for how long).
 *
 * Types not listed here get GENERIC: an id, their configuration as attributes, nothing else. They are
 * resources whose behaviour deploy and teardown do not depend on (route table associations, bucket
 * sub-resources, policies, event targets, …).
 *
 * Sources, per type, are in the comments; "provider" means hashicorp/terraform-provider-aws.
 */
import { AwsError } from "./errors.ts";
import { NETWORK_TYPES } from "./provider/network.ts";
import { SERVICE_TYPES } from "./provider/services.ts";
import { generic, type TypeSpec } from "./provider/spec.ts";
import type { FakeAwsWorld, Resource } from "./world.ts";

export { zoneName, type TypeSpec } from "./provider/spec.ts";

/** Every type the fake provider knows, network first. */
export const TYPES: Record<string, TypeSpec> = { ...NETWORK_TYPES, ...SERVICE_TYPES };

export function specOf(type: string): TypeSpec {
  return TYPES[type] ?? generic(type);
}

/** What the stand-in Terraform needs of each type: labels for its errors, replacement and retry rules. */
export type TypeSchema = Pick<TypeSpec, "label" | "service" | "createOperation" | "deleteOperation" | "forceNew" | "deleteRetryOn" | "deleteTimeoutMs">;

export function schema(): Record<string, TypeSchema> {
  return Object.fromEntries(
    Object.entries(TYPES).map(([type, spec]) => [
      type,
      { label: spec.label, service: spec.service, createOperation: spec.createOperation, deleteOperation: spec.deleteOperation, forceNew: spec.forceNew, ...(spec.deleteRetryOn && { deleteRetryOn: spec.deleteRetryOn }), ...(spec.deleteTimeoutMs && { deleteTimeoutMs: spec.deleteTimeoutMs }) },
    ]),
  );
}

export interface ProviderAnswer {
  readonly attributes?: Record<string, unknown>;
  /** How long to wait (virtual) for the operation to finish; -1: nothing to wait for. */
  readonly waitMs?: number;
  readonly gone?: boolean;
  readonly error?: { readonly code: string; readonly message: string; readonly status: number; readonly members?: Record<string, unknown> };
}

function failure(error: unknown): ProviderAnswer {
  if (error instanceof AwsError) return { error: { code: error.code, message: error.message, status: error.status, members: error.members } };
  throw error;
}

function snapshot(world: FakeAwsWorld, resource: Resource): Record<string, unknown> {
  const spec = specOf(resource.type);
  return { ...resource.attributes, ...spec.computed?.(world, resource), id: resource.id, ...(resource.arn !== undefined && { arn: resource.arn }), tags_all: resource.tags };
}

export function providerCreate(world: FakeAwsWorld, type: string, region: string, config: Record<string, unknown>, tags: Record<string, string>): ProviderAnswer {
  const spec = specOf(type);
  try {
    world.call("provider", spec.createOperation);
    const id = spec.id(world, config, region);
    if (type === "aws_default_security_group") {
      const sg = world.find("default_security_group", id)!;
      sg.tags = tags;
      return { attributes: { ...config, ...snapshot(world, sg) } };
    }
    const existing = world.find(type, id);
    if (existing && existing.status !== "deleting") throw new AwsError("AlreadyExists", `${spec.label} ${id} already exists`);
    const resource: Resource = { type, id, region, attributes: { ...config }, tags, status: "available" };
    const arn = spec.arn?.(world, id, config, region);
    if (arn !== undefined) resource.arn = arn;
    const duration = spec.create?.(world, resource) ?? 0;
    if (duration > 0) {
      resource.status = "creating";
      resource.readyAt = world.now() + duration;
    }
    world.add(resource);
    return { attributes: snapshot(world, resource), waitMs: duration };
  } catch (error) {
    return failure(error);
  }
}

export function providerUpdate(world: FakeAwsWorld, type: string, id: string, config: Record<string, unknown>, tags: Record<string, string>): ProviderAnswer {
  const spec = specOf(type);
  const resource = world.find(type, id);
  if (!resource) return { gone: true };
  try {
    world.call("provider", spec.createOperation.replace(/^(Create|Put)/, "Update"));
    const previous = resource.attributes;
    resource.attributes = { ...previous, ...config };
    resource.tags = tags;
    spec.update?.(world, resource, config);
    world.changes.push(`update ${type} ${id}`);
    return { attributes: snapshot(world, resource) };
  } catch (error) {
    return failure(error);
  }
}

export function providerRead(world: FakeAwsWorld, type: string, id: string): ProviderAnswer {
  world.call("provider", `Read:${type}`);
  if (type === "aws_default_security_group") {
    const sg = world.find("default_security_group", id);
    return sg ? { attributes: snapshot(world, sg) } : { gone: true };
  }
  const resource = world.find(type, id);
  if (!resource || resource.status === "deleting" || resource.status === "pending-deletion") return { gone: true };
  return { attributes: snapshot(world, resource) };
}

export function providerDelete(world: FakeAwsWorld, type: string, id: string): ProviderAnswer {
  const spec = specOf(type);
  if (type === "aws_default_security_group") return { waitMs: 0 };
  const resource = world.find(type, id);
  if (!resource || resource.status === "deleting" || resource.status === "pending-deletion") return { waitMs: 0 };
  try {
    world.call("provider", spec.deleteOperation);
    const duration = spec.remove?.(world, resource) ?? 0;
    world.changes.push(`delete ${type} ${id}`);
    if (duration < 0) return { waitMs: 0 };
    if (duration > 0) {
      resource.status = "deleting";
      resource.goneAt = world.now() + duration;
      return { waitMs: duration };
    }
    world.forget(resource);
    return { waitMs: 0 };
  } catch (error) {
    return failure(error);
  }
}

export function providerData(world: FakeAwsWorld, type: string): ProviderAnswer {
  world.call("provider", `Data:${type}`);
  if (type === "aws_caller_identity") {
    const arn = `arn:aws:sts::${world.account}:assumed-role/deployer/ci`;
    return { attributes: { account_id: world.account, arn, user_id: "AROAEXAMPLEDEPLOYER:ci", id: world.account } };
  }
  return { error: { code: "UnsupportedDataSource", message: `the fake world has no data source ${type}`, status: 400 } };
}
