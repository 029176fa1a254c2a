/**
 * IAM (query protocol, shared/aws-models/iam.json; namespace https://iam.amazonaws.com/doc/2010-05-08/): the
 * managed-policy attachments users make to their own principals, which teardown must undo before the agent
 * stack's DeletePolicy (IAM answers DeleteConflict, 409, "Cannot delete a policy attached to entities." while any
 * remains; iam model DeleteConflictException, DeletePolicy's documentation: detach from all users, groups and roles first).
 *
 *   ListEntitiesForPolicy   PolicyArn [EntityFilter] [PolicyUsageFilter] [Marker] [MaxItems] → PolicyUsers/PolicyGroups/PolicyRoles, IsTruncated, Marker
 *   DetachUserPolicy        UserName, PolicyArn   (NoSuchEntity, 404, when not attached)
 *   DetachGroupPolicy       GroupName, PolicyArn
 *   DetachRolePolicy        RoleName, PolicyArn
 */
import { AwsError } from "../errors.ts";
import { query, type AwsRequest, type HttpAnswer } from "../protocols.ts";
import type { FakeAwsWorld } from "../world.ts";

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
type Kind = "users" | "groups" | "roles";

const noSuchPolicy = (arn: string) => new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);

export function handleIam(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const action = request.operation!;
  const form = request.form!;
  try {
    world.call("iam", action);
    const arn = form.get("PolicyArn") ?? "";
    const policy = world.all("aws_iam_policy").find((p) => p.id === arn);
    if (action === "ListEntitiesForPolicy") {
      if (!policy) throw noSuchPolicy(arn);
      // PolicyUsageFilter: PermissionsPolicy | PermissionsBoundary (iam model PolicyUsageType). The fake world
      // attaches policies as permissions only; no principal uses one as a boundary.
      const usage = form.get("PolicyUsageFilter");
      if (usage !== undefined && usage !== "PermissionsPolicy" && usage !== "PermissionsBoundary") throw new AwsError("ValidationError", `1 validation error detected: Value '${usage}' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]`);
      const attached = usage === "PermissionsBoundary" ? { users: new Set<string>(), groups: new Set<string>(), roles: new Set<string>() } : world.attachmentsOf(arn);
      const all = [
        ...[...attached.users].map((name) => ({ kind: "users" as Kind, name })),
        ...[...attached.groups].map((name) => ({ kind: "groups" as Kind, name })),
        ...[...attached.roles].map((name) => ({ kind: "roles" as Kind, name })),
      ];
      // MaxItems defaults to 100 (iam model maxItemsType, 1-1000); Marker continues where IsTruncated left off.
      const start = Number(form.get("Marker") ?? 0);
      const size = Number(form.get("MaxItems") ?? 100);
      const items = all.slice(start, start + size);
      const truncated = start + size < all.length;
      const id = (name: string) => `AIDA${name.toUpperCase().padEnd(17, "X").slice(0, 17)}`;
      return query.answer(action, IAM_NS, {
        PolicyGroups: items.filter((i) => i.kind === "groups").map((i) => ({ GroupName: i.name, GroupId: id(i.name) })),
        PolicyUsers: items.filter((i) => i.kind === "users").map((i) => ({ UserName: i.name, UserId: id(i.name) })),
        PolicyRoles: items.filter((i) => i.kind === "roles").map((i) => ({ RoleName: i.name, RoleId: id(i.name) })),
        IsTruncated: truncated,
        ...(truncated && { Marker: String(start + size) }),
      });
    }
    const detach = { DetachUserPolicy: ["users", "UserName"], DetachGroupPolicy: ["groups", "GroupName"], DetachRolePolicy: ["roles", "RoleName"] } as const;
    if (action in detach) {
      const [kind, member] = detach[action as keyof typeof detach];
      const name = form.get(member) ?? "";
      if (!policy || !world.attachmentsOf(arn)[kind].delete(name)) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found or is not attached to ${name}.`, 404);
      world.changes.push(`${action} ${name} ${arn}`);
      return query.answer(action, IAM_NS, {});
    }
    throw new AwsError("InvalidAction", `${action} is not modelled by the fake world`);
  } catch (error) {
    if (error instanceof AwsError) return query.error(error, IAM_NS);
    throw error;
  }
}
