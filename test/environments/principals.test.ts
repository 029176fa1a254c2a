/**
 * Operators and invokers: each must be exactly one IAM principal of the account the environment deploys to.
 * The operator policy (InvokeAgentRuntimeCommand: any command with the execution role's credentials) is
 * attached by *name*, so an ARN of another account would hand it to the same-named principal of whichever
 * account deploys; invokers are matched on aws:PrincipalArn, where an account root matches only the root user.
 */
import { describe, expect, it } from "vitest";
import { resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { parseIamPrincipalArn } from "../../lib/arns.ts";
import { configProblems } from "../helpers/problems.ts";
import { environmentInput, listOf, synthEnvironment } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const ACCOUNT = "123456789012";
const OTHER = "999999999999";

const problemsWith = (agent: Partial<EnvironmentInput["agent"]>, extra: Partial<EnvironmentInput> = {}) => configProblems(environmentInput({ agent: { models: [HAIKU], ...agent }, ...extra }));

describe("principal ARNs: one clear configuration error each, never a crash", () => {
  it.each([
    [`arn:aws:iam::${ACCOUNT}:role/oncall/`, 'ends with "/"; the last path segment is the principal\'s name', `remove the trailing slash: arn:aws:iam::${ACCOUNT}:role/oncall`],
    [`arn:aws:iam::${ACCOUNT}:role/team//oncall`, 'has an empty path segment ("//")', "no empty segment"],
    [`arn:aws:iam::${ACCOUNT}:role/*`, "contains a wildcard", "list each principal's full ARN"],
    [`arn:aws:iam::${ACCOUNT}:role/\${aws:username}`, 'contains "${" or "%{", which Terraform would evaluate', "remove the sequence"],
    [`arn:aws:sts::${ACCOUNT}:assumed-role/oncall/alice`, "is a role session (assumed-role) ARN", `use the role's ARN, arn:aws:iam::${ACCOUNT}:role/oncall`],
    [`arn:aws:iam::${ACCOUNT}:policy/oncall`, 'names "policy", not a role, user or group', "use the principal's ARN"],
    [`arn:aws:iam:us-east-1:${ACCOUNT}:role/oncall`, "names a Region; IAM ARNs have none", "arn:aws:iam::<account>"],
    [`arn:aws:iam::12345:role/oncall`, 'has "12345" where the 12-digit account id belongs', "use the principal's ARN"],
    [`arn:aws:iam::${ACCOUNT}:role/${"r".repeat(65)}`, "has a role name of 65 characters; IAM allows at most 64", "correct the name"],
    [`arn:aws:iam::${ACCOUNT}:role/on call`, 'has "on call": IAM names and path segments use letters, digits and _+=,.@- only', "use the principal's ARN"],
    ["oncall", "is not an ARN", "use the principal's ARN"],
  ])("operator %j", (arn, problem, fix) => {
    const problems = problemsWith({ operators: [arn] }, { account: ACCOUNT });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`agent.operators.0 = ${JSON.stringify(arn)}: ${problem}`);
    expect(problems[0]!.slice(problems[0]!.indexOf(" Fix: "))).toContain(fix);
  });

  it("refuses an operator of another account when the environment names its account (the policy would go to a same-named role there)", () => {
    expect(problemsWith({ operators: [`arn:aws:iam::${OTHER}:role/oncall`] }, { account: ACCOUNT })).toEqual([
      expect.stringMatching(/^agent\.operators\.0 = .*: is in account 999999999999; the operator policy is attached by name in 123456789012, so it would go to whichever role of that name exists there\. Fix: list principals of the environment's account/),
    ]);
  });

  it("refuses an invoker of another account when the environment names its account", () => {
    expect(problemsWith({ invokers: [`arn:aws:iam::${OTHER}:role/frontend`] }, { account: ACCOUNT })).toEqual([
      expect.stringMatching(/^agent\.invokers\.0 = .*: is in account 999999999999, not the environment's account 123456789012/),
    ]);
  });

  it("refuses principals of another partition than the Region's", () => {
    expect(problemsWith({ operators: [`arn:aws-cn:iam::${ACCOUNT}:role/oncall`], invokers: [`arn:aws-us-gov:iam::${ACCOUNT}:user/bot`] })).toEqual([
      expect.stringContaining("agent.operators.0 = \"arn:aws-cn:iam::123456789012:role/oncall\": is in partition aws-cn, but the environment's Region is in aws"),
      expect.stringContaining("agent.invokers.0 = \"arn:aws-us-gov:iam::123456789012:user/bot\": is in partition aws-us-gov, but the environment's Region is in aws"),
    ]);
  });

  it("refuses the same principal twice, including under two paths or in another case (IAM names are unique per account, case-insensitive)", () => {
    const problems = problemsWith({
      operators: [`arn:aws:iam::${ACCOUNT}:role/oncall`, `arn:aws:iam::${ACCOUNT}:role/oncall`, `arn:aws:iam::${ACCOUNT}:role/team-a/oncall`, `arn:aws:iam::${ACCOUNT}:role/OnCall`, `arn:aws:iam::${ACCOUNT}:user/oncall`],
    });
    expect(problems).toEqual([1, 2, 3].map((i) => expect.stringMatching(new RegExp(`^agent\\.operators\\.${i} = .*: names the same IAM role as agent\\.operators\\.0 .*Fix: list each principal once\\.$`))));
  });

  it("refuses the account root as an invoker (aws:PrincipalArn would admit only the root user) and as an operator", () => {
    expect(problemsWith({ invokers: [`arn:aws:iam::${ACCOUNT}:root`], operators: [`arn:aws:iam::${ACCOUNT}:root`] })).toEqual([
      expect.stringMatching(/^agent\.operators\.0 = .*: is the account root; the operator policy is attached to named roles, users or groups/),
      expect.stringMatching(/^agent\.invokers\.0 = .*: is the account root: the runtime policy matches callers on aws:PrincipalArn, .*lock out every role and user of that account\. Fix: list the roles and users/),
    ]);
  });

  it("refuses a group as an invoker (a resource policy cannot name a group)", () => {
    expect(problemsWith({ invokers: [`arn:aws:iam::${ACCOUNT}:group/sre`] })).toEqual([expect.stringContaining("is a group; a resource policy cannot name a group as a principal")]);
  });

  it("accepts roles, users and groups with paths and every character IAM names allow", () => {
    const operators = [`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123456789abcdef`, `arn:aws:iam::${ACCOUNT}:user/alice+ops=1,a.b@example.com`, `arn:aws:iam::${ACCOUNT}:group/sre`];
    expect(() => resolveEnvironments([environmentInput({ account: ACCOUNT, agent: { models: [HAIKU], operators, invokers: [operators[0]!, operators[1]!] } })])).not.toThrow();
    expect(parseIamPrincipalArn(operators[0]!)).toEqual({
      ok: true,
      value: { arn: operators[0], partition: "aws", accountId: ACCOUNT, kind: "role", path: "/aws-reserved/sso.amazonaws.com/", name: "AWSReservedSSO_Ops_0123456789abcdef" },
    });
  });
});

/**
 * Terraform is not available to the tests, so the precondition's one comparison is evaluated here the way
 * Terraform evaluates `==` on two strings, after substituting the caller identity's account_id.
 */
function preconditionHolds(condition: string, callerAccount: string): boolean {
  const match = /^\$\{\(data\.aws_caller_identity\.caller-identity\.account_id == "(\d{12})"\)\}$/.exec(condition);
  if (!match) throw new Error(`unexpected precondition shape: ${condition}`);
  return match[1] === callerAccount;
}

describe("without an account in the environment: the plan checks each principal against the deploying account", () => {
  const json = synthEnvironment({
    agent: { models: [HAIKU], operators: [`arn:aws:iam::${ACCOUNT}:role/oncall`, `arn:aws:iam::${ACCOUNT}:group/sre`], invokers: [`arn:aws:iam::${ACCOUNT}:role/frontend`] },
  }).agent();
  const preconditionsOf = (config: Record<string, unknown>) => ((config.lifecycle as { precondition?: { condition: string; error_message: string }[] } | undefined)?.precondition ?? []);

  it("puts a precondition on the caller identity on every attachment and on the runtime resource policy", () => {
    const guarded = [...listOf(json, "aws_iam_role_policy_attachment"), ...listOf(json, "aws_iam_group_policy_attachment"), ...listOf(json, "aws_bedrockagentcore_resource_policy")];
    expect(guarded).toHaveLength(3);
    for (const config of guarded) {
      const [precondition] = preconditionsOf(config);
      expect(precondition!.error_message).toMatch(/^arn:aws:iam::123456789012:(role|group)\/\w+ (gets the operator policy|may invoke the runtime), but it is not in the account being deployed to \(account 123456789012\)\./);
      expect(preconditionHolds(precondition!.condition, ACCOUNT)).toBe(true);
      expect(preconditionHolds(precondition!.condition, OTHER)).toBe(false);
    }
    expect(json.data?.aws_caller_identity).toBeDefined();
  });

  it("adds none when the account is pinned (synth has checked it, and the provider refuses other accounts)", () => {
    const pinned = synthEnvironment({ account: ACCOUNT, agent: { models: [HAIKU], operators: [`arn:aws:iam::${ACCOUNT}:role/oncall`] } }).agent();
    expect(preconditionsOf(listOf(pinned, "aws_iam_role_policy_attachment")[0]!)).toEqual([]);
  });
});

describe("the AgentRuntime construct, for apps that call its grants directly", () => {
  it("throws a clear error for a malformed ARN, a principal of another account or partition, and a principal granted twice", () => {
    const { stacks } = synthEnvironment({ account: ACCOUNT, agent: { models: [HAIKU] } });
    const runtime = stacks.agent.runtime;
    expect(() => runtime.grantOperate(`arn:aws:iam::${ACCOUNT}:role/oncall/`)).toThrow(`grantOperate(principal) = "arn:aws:iam::${ACCOUNT}:role/oncall/": ends with "/"`);
    expect(() => runtime.grantOperate(`arn:aws:iam::${OTHER}:role/oncall`)).toThrow(`is in account ${OTHER}, but the runtime is in ${ACCOUNT}`);
    expect(() => runtime.grantInvoke(`arn:aws-cn:iam::${ACCOUNT}:role/app`)).toThrow("is in partition aws-cn, but the runtime is in aws");
    expect(() => runtime.grantOperate(`arn:aws:iam::${ACCOUNT}:root`)).toThrow("is the account root. Fix: name a role or user or group instead");
    runtime.grantOperate(`arn:aws:iam::${ACCOUNT}:role/team-a/oncall`);
    expect(() => runtime.grantOperate(`arn:aws:iam::${ACCOUNT}:role/team-b/ONCALL`)).toThrow("names the same IAM role as arn:aws:iam::123456789012:role/team-a/oncall");
  });
});
