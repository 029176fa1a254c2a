/**
 * Before the agent stack's destroy: the invoker and operator managed policies may be attached to principals
 * outside the stacks (the README invites users to attach them to their own roles, users and groups). IAM's
 * DeletePolicy refuses while any attachment remains (DeleteConflict: "Cannot delete a policy attached to
 * entities."; iam model, DeletePolicy: "detach the policy from all users, groups, and roles", listed with
 * ListEntitiesForPolicy). The user asked to delete the environment these policies belong to, so teardown
 * detaches them — each one reported — and the plan says it will.
 */
import { DetachGroupPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand, paginateListEntitiesForPolicy } from "@aws-sdk/client-iam";
import { errorName } from "../aws.ts";
import { managedResources, type StackState } from "../stack-state.ts";
import type { TeardownContext } from "./context.ts";

export interface Detachment {
  readonly policyArn: string;
  readonly kind: "user" | "group" | "role";
  readonly name: string;
}

/** The managed policies the agent stack's state holds (aws_iam_policy: its `arn`). */
export function managedPolicyArns(state: StackState): string[] {
  return managedResources(state)
    .filter((r) => r.type === "aws_iam_policy")
    .flatMap((r) => r.instances.map((i) => i.attributes.arn))
    .filter((arn): arn is string => typeof arn === "string");
}

export async function detachManagedPolicies(ctx: TeardownContext, state: StackState): Promise<Detachment[]> {
  const iam = ctx.deps.clients.iam;
  const detached: Detachment[] = [];
  for (const policyArn of managedPolicyArns(state)) {
    const found: Detachment[] = [];
    try {
      for await (const page of paginateListEntitiesForPolicy({ client: iam }, { PolicyArn: policyArn, PolicyUsageFilter: "PermissionsPolicy" })) {
        for (const u of page.PolicyUsers ?? []) found.push({ policyArn, kind: "user", name: u.UserName! });
        for (const g of page.PolicyGroups ?? []) found.push({ policyArn, kind: "group", name: g.GroupName! });
        for (const r of page.PolicyRoles ?? []) found.push({ policyArn, kind: "role", name: r.RoleName! });
      }
    } catch (error) {
      if (errorName(error) === "NoSuchEntity" || errorName(error) === "NoSuchEntityException") continue;
      throw error;
    }
    for (const d of found) {
      try {
        if (d.kind === "user") await iam.send(new DetachUserPolicyCommand({ PolicyArn: policyArn, UserName: d.name }));
        else if (d.kind === "group") await iam.send(new DetachGroupPolicyCommand({ PolicyArn: policyArn, GroupName: d.name }));
        else await iam.send(new DetachRolePolicyCommand({ PolicyArn: policyArn, RoleName: d.name }));
      } catch (error) {
        // Detached meanwhile by someone else: the goal is reached.
        if (!/NoSuchEntity/.test(errorName(error))) throw error;
      }
      ctx.deps.log("agent", `detached ${policyArn} from ${d.kind} ${d.name} (attached outside the stacks; the environment it belongs to is being deleted)`);
      detached.push(d);
    }
  }
  return detached;
}
