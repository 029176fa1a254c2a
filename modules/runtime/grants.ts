/**
 * Attaching the runtime's managed policies (invoke, operate) to IAM principals, by ARN or by construct, each
 * principal once, each checked against the runtime's partition and account.
 */
import { IamGroupPolicyAttachment } from "@cdktn/provider-aws/lib/iam-group-policy-attachment/index.js";
import { IamRolePolicyAttachment } from "@cdktn/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamUserPolicyAttachment } from "@cdktn/provider-aws/lib/iam-user-policy-attachment/index.js";
import { TerraformResource, Token, type Precondition } from "cdktn";
import type { Construct } from "constructs";
import { parseIamPrincipalArn, principalIdentity, type IamPrincipalArn, type PrincipalKind } from "../../lib/arns.ts";
import { pathName } from "../../lib/construct-checks.ts";
import { inAccountPrecondition, withPreconditions } from "../../lib/plan-checks.ts";
import type { AwsContext } from "../../lib/scope.ts";
import { ConfigurationError } from "../../lib/validation.ts";
import type { PrincipalArnOrHandle } from "./props.ts";

export type Purpose = "invoker" | "operator";

/** A principal to attach a policy to: parsed from its ARN, or (for an IAM resource of this app) by its name. */
export interface GrantTarget {
  readonly arn: string;
  readonly kind: Exclude<PrincipalKind, "root">;
  /** The friendly name the attachment takes (a Terraform reference for a resource of this app). */
  readonly name: string;
  /** `<kind>-<name>` for an ARN, `<kind>-<construct path>` for a resource: the attachment's construct id. */
  readonly key: string;
  /** Set when the ARN was parsed (a literal). */
  readonly parsed?: IamPrincipalArn;
}

const RESOURCE_KINDS: Readonly<Record<string, GrantTarget["kind"]>> = { aws_iam_role: "role", aws_iam_user: "user", aws_iam_group: "group" };

/**
 * The principal as a grant target, or a ConfigurationError naming what is wrong with it. A literal ARN is parsed
 * and checked against the runtime's partition and (when known) account; an IAM role, user or group resource of
 * this app is taken by its name.
 */
export function grantTarget(where: string, method: string, principal: PrincipalArnOrHandle, kinds: readonly PrincipalKind[], aws: AwsContext): GrantTarget {
  const arn = typeof principal === "string" ? principal : principal.arn;
  const refuse = (problem: string, fix: string): never => {
    throw new ConfigurationError(where, [{ field: `${method}(principal)`, value: arn, problem, fix }]);
  };
  if (Token.isUnresolved(arn)) {
    const kind = principal instanceof TerraformResource ? RESOURCE_KINDS[principal.terraformResourceType] : undefined;
    if (!(principal instanceof TerraformResource) || kind === undefined) {
      return refuse("is a Terraform token that is not an IAM role, user or group of this app, so what to attach to is unknown at synth", "pass the IamRole, IamUser or IamGroup construct, or the principal's literal ARN");
    }
    if (!kinds.includes(kind)) return refuse(`is an IAM ${kind}`, `name a ${kinds.join(" or ")} instead`);
    return { arn, kind, name: (principal as unknown as { name: string }).name, key: `${kind}-${pathName(principal)}` };
  }
  const parsed = parseIamPrincipalArn(arn);
  if (!parsed.ok) return refuse(parsed.problem, parsed.fix);
  const p = parsed.value;
  if (p.kind === "root" || !kinds.includes(p.kind)) return refuse(`is ${p.kind === "root" ? "the account root" : `a ${p.kind}`}`, `name a ${kinds.join(" or ")} instead`);
  const { partition, accountId } = aws.validation;
  if (partition !== undefined && p.partition !== partition) return refuse(`is in partition ${p.partition}, but the runtime is in ${partition}`, `name a principal of the ${partition} partition`);
  if (accountId !== undefined && p.accountId !== accountId) return refuse(`is in account ${p.accountId}, but the runtime is in ${accountId}`, "name principals of the runtime's account (people of other accounts assume a role there)");
  return { arn, kind: p.kind, name: p.name, key: `${p.kind}-${p.name}`, parsed: p };
}

/** Where the account is known only at plan time (the caller's), a precondition that the principal is in it. */
export function inDeployingAccount(aws: AwsContext, target: GrantTarget, what: string): Precondition[] {
  if (target.parsed === undefined || aws.literalAccountId !== undefined) return [];
  const principal = target.parsed;
  return inAccountPrecondition(
    aws.accountId,
    principal.accountId,
    `${principal.arn} ${what}, but it is not in the account being deployed to (account ${principal.accountId}). List principals of the deploying account, or set the environment's account so synth checks this.`,
  );
}

/**
 * Attaches a managed policy to each principal once (IAM names are unique in an account whatever the path, and
 * not case-sensitive, so two ARNs can name one principal).
 */
export class PolicyAttachments {
  private readonly attached = new Map<string, string>();
  private readonly scope: Construct;
  private readonly aws: AwsContext;

  constructor(scope: Construct, aws: AwsContext) {
    this.scope = scope;
    this.aws = aws;
  }

  attach(purpose: Purpose, policyArn: string, target: GrantTarget, method: string): void {
    const identity = target.parsed !== undefined ? principalIdentity(target.parsed) : target.key;
    const key = `${purpose}|${identity}`;
    const earlier = this.attached.get(key);
    if (earlier !== undefined) {
      throw new ConfigurationError(this.scope.node.path, [
        {
          field: `${method}(principal)`,
          value: target.arn,
          problem: `names the same IAM ${target.kind} as ${earlier} (IAM names are unique in an account whatever the path, and not case-sensitive)`,
          fix: `grant the ${purpose} policy once`,
        },
      ]);
    }
    this.attached.set(key, target.arn);
    // The attachment goes to a name in whichever account deploys: where that account is not known at synth,
    // the plan checks it is the principal's.
    const common = { policyArn, ...withPreconditions(inDeployingAccount(this.aws, target, `gets the ${purpose} policy`)) };
    // Construct ids are Terraform addresses: keep `<purpose>-<kind>-<name>` stable.
    const id = `${purpose}-${target.key}`;
    const taken = this.scope.node.tryFindChild(id);
    if (taken !== undefined) {
      // A role named like another role construct's path (`team-oncall` and the IamRole at team/oncall) would claim
      // the same address.
      throw new ConfigurationError(this.scope.node.path, [
        {
          field: `${method}(principal)`,
          value: target.arn,
          problem: `would take the Terraform address ${id}, which another ${purpose} grant already holds (a principal named like another one's construct path)`,
          fix: "grant the role construct by its literal ARN (its attachment is then named after the role), or give the construct another id",
        },
      ]);
    }
    if (target.kind === "role") new IamRolePolicyAttachment(this.scope, id, { role: target.name, ...common });
    else if (target.kind === "user") new IamUserPolicyAttachment(this.scope, id, { user: target.name, ...common });
    else new IamGroupPolicyAttachment(this.scope, id, { group: target.name, ...common });
  }
}
