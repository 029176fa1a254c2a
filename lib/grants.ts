/**
 * Grants as inline role policies, placed where the dependency between stacks runs the right way: a role that is a
 * construct gets the policy as its own child (in its own stack, which then depends on the grantor's stack, as a
 * role that uses a resource must); a role given as `{ name, arn }` gets it beside the grantor.
 */
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy/index.js";
import { Token } from "cdktn";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../policies/document.ts";
import { pathName } from "./construct-checks.ts";
import { ConfigurationError } from "./validation.ts";

/** An IAM role to grant to: an `IamRole` satisfies it, as does `{ name, arn }` of a role defined elsewhere. */
export interface RoleHandle {
  /** The role's name: the inline policy is attached by name. */
  readonly name: string;
  /** The role's ARN. */
  readonly arn: string;
}

/**
 * Attaches `statements` to `role` as one inline policy named `<kind>-<grantor path>`; the construct id is the same
 * name, so the grant's Terraform address is stable. Granting the same kind twice to one role is refused.
 */
export function grantToRole(grantor: Construct, role: RoleHandle, kind: string, statements: readonly PolicyStatement[], method: string): IamRolePolicy {
  const name = `${kind}-${pathName(grantor)}`;
  let scope: Construct;
  let id: string;
  if (role instanceof Construct) {
    scope = role;
    id = name;
  } else if (!Token.isUnresolved(role.name)) {
    scope = grantor;
    id = `${kind}-${role.name}`;
  } else {
    throw new ConfigurationError(grantor.node.path, [
      { field: `${method}(role)`, value: role.name, problem: "names the role by a Terraform token, so the grant would have no stable address", fix: "pass the IamRole construct itself, or the role's literal name and ARN" },
    ]);
  }
  if (scope.node.tryFindChild(id) !== undefined) {
    throw new ConfigurationError(grantor.node.path, [
      { field: `${method}(role)`, value: role instanceof Construct ? role.node.path : role.name, problem: "was already granted this", fix: "grant it once" },
    ]);
  }
  // IAM inline policy names: [\w+=,.@-]{1,128} (IAM API model, PutRolePolicy PolicyName).
  return new IamRolePolicy(scope, id, { role: role.name, name: name.slice(0, 128), policy: JSON.stringify(policyDocument(...statements)) });
}
