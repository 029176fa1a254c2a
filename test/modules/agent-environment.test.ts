/**
 * AgentEnvironment used directly (not through an environment file): its validation, the runtime's grants and
 * extra execution-role statements on it, and that a resolved environment builds the same environment again.
 */
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack } from "cdktn";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments } from "../../environments/schema.ts";
import { auditContext, runAudit } from "../../lib/audit/report.ts";
import { ConfigurationError } from "../../lib/validation.ts";
import { AgentEnvironment, environmentProps, validateAgentEnvironmentProps, type AgentEnvironmentProps } from "../../modules/environment/index.ts";
import { ACCOUNT, ARNS, concretePolicy, decide, REGION } from "../helpers/iam.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";
import { listOf, synthStack, testApp } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const MINIMAL: AgentEnvironmentProps = {
  region: REGION,
  account: ACCOUNT,
  network: { cidr: "10.60.0.0/16" },
  agent: { models: [HAIKU], alerts: { emails: ["oncall@example.com"] } },
};

describe("AgentEnvironment validates its whole props before creating anything", () => {
  it("names each problem by its field, in the environment's terms", () => {
    const app = testApp();
    let error: unknown;
    try {
      new AgentEnvironment(app, "acme", { ...MINIMAL, network: { cidr: "10.60.0.0/16", azCount: 1 }, storage: { posixUid: 0 }, agent: { models: ["anthropic.*"], idleTimeoutSeconds: 5 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message.split("\n")).toEqual([
      expect.stringMatching(/^environment "acme": network\.azCount = 1: must be a whole number of at least 2.*Fix: set network\.azCount to 2 or 3\.$/),
      expect.stringMatching(/^environment "acme": storage\.posixUid = 0: 0 is root/),
      expect.stringMatching(/^environment "acme": agent\.idleTimeoutSeconds = 5: must be a whole number of seconds from 60 to 28800/),
      expect.stringMatching(/^environment "acme": agent\.models\.0 = "anthropic\.\*": is a wildcard/),
    ]);
    expect(app.node.children).toEqual([]);
  });

  it("judges its own props' types first: a stage it does not know, a missing Region", () => {
    expect(() => new AgentEnvironment(testApp(), "acme", { ...MINIMAL, stage: "prod" as never })).toThrow(
      'environment "acme": stage = "prod": is not one of the allowed values. Fix: use one of "development", "production".',
    );
    expect(() => new AgentEnvironment(testApp(), "acme", { ...MINIMAL, region: undefined } as never)).toThrow('environment "acme": region = (missing): is required. Fix: set region to a Region with AgentCore Runtime, e.g. "us-west-2".');
  });

  it("builds four stacks named <name>-<layer> as direct children of the app", () => {
    const app = testApp();
    const env = new AgentEnvironment(app, "acme", MINIMAL);
    expect(app.node.children.map((c) => c.node.id)).toEqual(["acme-network", "acme-storage", "acme-registry", "acme-agent"]);
    expect(env.all.map((s) => s.node.path)).toEqual(["acme-network", "acme-storage", "acme-registry", "acme-agent"]);
    expect(env.environment.stage).toBe("production");
  });
});

describe("a resolved environment builds itself again (environmentProps is the inverse of the resolution)", () => {
  for (const env of resolveEnvironments([...environments, ...EVERY_OPTION_ENVIRONMENTS])) {
    it(env.name, () => {
      expect(validateAgentEnvironmentProps(env.name, environmentProps(env))).toEqual({ problems: [], resolved: env });
    });
  }
});

describe("the runtime's grants on an AgentEnvironment", () => {
  const app = testApp();
  const env = new AgentEnvironment(app, "test", { ...MINIMAL, agent: { ...MINIMAL.agent, invokers: [`arn:aws:iam::${ACCOUNT}:role/chat-frontend`] } });
  const callers = new TerraformStack(app, "callers");
  new AwsProvider(callers, "aws", { region: REGION });
  const batch = new IamRole(callers, "batch", { name: "batch", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
  env.runtime.grantInvoke(`arn:aws:iam::${ACCOUNT}:user/reporting`);
  env.runtime.grantInvoke(batch);
  const agent = synthStack(env.agent);
  const resourcePolicy = listOf(agent, "aws_bedrockagentcore_resource_policy")[0]!.policy as string;
  const invoker = concretePolicy(listOf(agent, "aws_iam_policy").find((p) => p.name === "test-agent-invoke")!.policy);

  it("attaches the invoker policy to each granted principal, a construct by its own name", () => {
    const attachments = [...listOf(agent, "aws_iam_role_policy_attachment"), ...listOf(agent, "aws_iam_user_policy_attachment")];
    expect(attachments.map((a) => a.role ?? a.user)).toEqual([expect.stringContaining("aws_iam_rolebatch"), "reporting"]);
  });

  it("adds every granted principal to the runtime's invoker list, which still denies everyone else", async () => {
    expect(resourcePolicy).toContain("aws_iam_rolebatch");
    const concrete = concretePolicy(resourcePolicy.replace(/\$\{[^}]*aws_iam_rolebatch[^}]*\}/g, `arn:aws:iam::${ACCOUNT}:role/batch`));
    // The simulator takes aws:PrincipalArn as request context, as AWS sets it from the caller.
    const asPrincipal = (principal: string) => ({ action: "bedrock-agentcore:InvokeAgentRuntime", resource: ARNS.runtime, principal, context: { "aws:PrincipalArn": principal }, resourcePolicy: concrete });
    expect(await decide([invoker], asPrincipal(`arn:aws:iam::${ACCOUNT}:user/reporting`))).toBe("Allowed");
    expect(await decide([invoker], asPrincipal(`arn:aws:iam::${ACCOUNT}:role/batch`))).toBe("Allowed");
    expect(await decide([invoker], asPrincipal(`arn:aws:iam::${ACCOUNT}:role/someone-else`))).toBe("ExplicitlyDenied");
  });

  it("refuses a group once the runtime has an invoker list (a resource policy cannot name one), and a principal granted twice", () => {
    expect(() => env.runtime.grantInvoke(`arn:aws:iam::${ACCOUNT}:group/analysts`)).toThrow("test-agent/runtime: grantInvoke(principal) = \"arn:aws:iam::123456789012:group/analysts\": is a group. Fix: name a role or user instead.");
    expect(() => env.runtime.grantInvoke(`arn:aws:iam::${ACCOUNT}:user/Reporting`)).toThrow("names the same IAM user as arn:aws:iam::123456789012:user/reporting");
  });
});

describe("addToExecutionRolePolicy", () => {
  function auditWith(statement: Parameters<AgentEnvironment["runtime"]["addToExecutionRolePolicy"]>[0]) {
    const app = testApp();
    const env = new AgentEnvironment(app, "test", MINIMAL);
    env.runtime.addToExecutionRolePolicy(statement);
    const outdir = app.outdir;
    app.synth();
    const rolePolicies = listOf(synthStack(env.agent), "aws_iam_role_policy");
    return { rolePolicies, report: runAudit(auditContext(env.environment, outdir), []) };
  }

  it("joins the same inline policy (no new resource address), and the audit passes a scoped statement", () => {
    const { rolePolicies, report } = auditWith({ Sid: "ReadTheOrdersTable", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders` });
    expect(rolePolicies).toHaveLength(1);
    expect(JSON.parse(String(rolePolicies[0]!.policy)).Statement).toContainEqual(expect.objectContaining({ Sid: "ReadTheOrdersTable" }));
    expect(report.results.find((r) => r.rule === "iam-wildcard-resources")!.status).toBe("pass");
  });

  it("is judged by the audit like every statement: an Allow on Resource \"*\" fails iam-wildcard-resources", () => {
    const { report } = auditWith({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
    expect(report.results.find((r) => r.rule === "iam-wildcard-resources")).toMatchObject({ status: "fail", finding: expect.stringContaining("s3:GetObject in aws_iam_role_policy.") });
    expect(report.blocking).toContain("iam-wildcard-resources");
  });

  it("refuses what is not an identity-policy statement", () => {
    const app = testApp();
    const env = new AgentEnvironment(app, "test", MINIMAL);
    expect(() => env.runtime.addToExecutionRolePolicy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" })).toThrow("has a Principal");
    expect(() => env.runtime.addToExecutionRolePolicy({ Effect: "Permit", Action: "s3:GetObject" } as never)).toThrow("is not an IAM policy statement");
  });
});
