import { describe, expect, it } from "vitest";
import { ACCOUNT, ARNS, concretePolicy, decide, REGION } from "../helpers/iam.ts";
import { listOf, synthEnvironment } from "../helpers/synth.ts";

const PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const PROFILE_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${PROFILE}`;
const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const fm = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

const agent = synthEnvironment({
  account: ACCOUNT,
  agent: { models: [HAIKU, PROFILE], operators: [`arn:aws:iam::${ACCOUNT}:role/platform-oncall`] },
}).agent();
const policyNamed = (name: string) => concretePolicy(listOf(agent, "aws_iam_policy").find((p) => p.name === name)!.policy);
const executionRole = concretePolicy(listOf(agent, "aws_iam_role_policy")[0]!.policy);
const invoker = policyNamed("test-agent-invoke");
const operator = policyNamed("test-agent-operator");

describe("execution role: Bedrock limited to the listed models", () => {
  it("may invoke the listed foundation model, with Converse's InvokeModel and streaming", async () => {
    expect(await decide([executionRole], { action: "bedrock:InvokeModel", resource: fm(REGION, HAIKU) })).toBe("Allowed");
    expect(await decide([executionRole], { action: "bedrock:InvokeModelWithResponseStream", resource: fm(REGION, HAIKU) })).toBe("Allowed");
  });

  it("may not invoke any other model", async () => {
    expect(await decide([executionRole], { action: "bedrock:InvokeModel", resource: fm(REGION, "anthropic.claude-opus-4-1-20250805-v1:0") })).toBe("ImplicitlyDenied");
    expect(await decide([executionRole], { action: "bedrock:InvokeModel", resource: fm(REGION, "meta.llama3-70b-instruct-v1:0") })).toBe("ImplicitlyDenied");
  });

  it("may invoke the inference profile, and its model in each routed Region only through that profile", async () => {
    const model = PROFILE.slice(3);
    expect(await decide([executionRole], { action: "bedrock:InvokeModel", resource: PROFILE_ARN })).toBe("Allowed");
    for (const region of ["us-east-1", "us-east-2", "us-west-2"]) {
      expect(
        await decide([executionRole], { action: "bedrock:InvokeModel", resource: fm(region, model), context: { "bedrock:InferenceProfileArn": PROFILE_ARN } }),
        region,
      ).toBe("Allowed");
    }
    expect(await decide([executionRole], { action: "bedrock:InvokeModel", resource: fm("us-east-1", model) })).toBe("ImplicitlyDenied");
    expect(await decide([executionRole], { action: "bedrock:InvokeModel", resource: fm("eu-west-1", model), context: { "bedrock:InferenceProfileArn": PROFILE_ARN } })).toBe("ImplicitlyDenied");
  });
});

describe("execution role: logs", () => {
  it("may describe log groups (AWS's runtime-permissions example grants it; the action has no resource type, so IAM evaluates it on *)", async () => {
    expect(await decide([executionRole], { action: "logs:DescribeLogGroups", resource: "*" })).toBe("Allowed");
  });

  it("writes only to this runtime's log groups", async () => {
    const own = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/bedrock-agentcore/runtimes/test_agent-a1b2c3d4e5-DEFAULT`;
    expect(await decide([executionRole], { action: "logs:PutLogEvents", resource: `${own}:log-stream:runtime-logs` })).toBe("Allowed");
    expect(await decide([executionRole], { action: "logs:PutLogEvents", resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/other:log-stream:x` })).toBe("ImplicitlyDenied");
  });
});

describe("execution role: image, storage, shell", () => {
  it("may pull from the environment's repository and no other", async () => {
    expect(await decide([executionRole], { action: "ecr:BatchGetImage", resource: ARNS.repository })).toBe("Allowed");
    expect(await decide([executionRole], { action: "ecr:BatchGetImage", resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/other-team` })).toBe("ImplicitlyDenied");
    expect(await decide([executionRole], { action: "ecr:GetAuthorizationToken", resource: "*" })).toBe("Allowed");
  });

  it("may mount the file system only through the environment's access point", async () => {
    const other = `${ARNS.fileSystem}/access-point/fsap-0fedcba9876543210`;
    expect(await decide([executionRole], { action: "s3files:ClientMount", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": ARNS.accessPoint } })).toBe("Allowed");
    expect(await decide([executionRole], { action: "s3files:ClientWrite", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": ARNS.accessPoint } })).toBe("Allowed");
    expect(await decide([executionRole], { action: "s3files:ClientMount", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": other } })).toBe("ImplicitlyDenied");
    expect(await decide([executionRole], { action: "s3files:ClientRootAccess", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": ARNS.accessPoint } })).toBe("ImplicitlyDenied");
  });

  it("may use the bucket through the S3 API under the agent prefix only", async () => {
    expect(await decide([executionRole], { action: "s3:PutObject", resource: `${ARNS.bucket}/agent-data/run-1/result.json` })).toBe("Allowed");
    expect(await decide([executionRole], { action: "s3:GetObject", resource: `${ARNS.bucket}/agents/notes.txt` })).toBe("ImplicitlyDenied");
    expect(await decide([executionRole], { action: "s3:ListBucket", resource: ARNS.bucket, context: { "s3:prefix": "agent-data/run-1/" } })).toBe("Allowed");
    expect(await decide([executionRole], { action: "s3:ListBucket", resource: ARNS.bucket, context: { "s3:prefix": "" } })).toBe("ImplicitlyDenied");
  });

  it("is explicitly denied InvokeAgentRuntimeCommand, on this and any runtime", async () => {
    expect(await decide([executionRole], { action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: ARNS.runtime })).toBe("ExplicitlyDenied");
    expect(await decide([executionRole], { action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/other-x1y2z3w4v5` })).toBe("ExplicitlyDenied");
  });

  it("can be assumed only by AgentCore for this account's runtime of this name", () => {
    const trust = concretePolicy(listOf(agent, "aws_iam_role")[0]!.assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/test_agent-*` },
        },
      }),
    ]);
  });
});

describe("invoker and operator policies", () => {
  const endpoint = `${ARNS.runtime}/runtime-endpoint/live`;

  it("invokers may invoke the runtime and its endpoints, and nothing else", async () => {
    expect(await decide([invoker], { action: "bedrock-agentcore:InvokeAgentRuntime", resource: ARNS.runtime })).toBe("Allowed");
    expect(await decide([invoker], { action: "bedrock-agentcore:InvokeAgentRuntime", resource: endpoint })).toBe("Allowed");
    expect(await decide([invoker], { action: "bedrock-agentcore:InvokeAgentRuntime", resource: `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/other-x1y2z3w4v5` })).toBe("ImplicitlyDenied");
  });

  it("invokers may not run commands in the runtime", async () => {
    expect(await decide([invoker], { action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: ARNS.runtime })).toBe("ImplicitlyDenied");
    expect(await decide([invoker], { action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: endpoint })).toBe("ImplicitlyDenied");
  });

  it("operators may run commands in this runtime, and the operator policy grants nothing else", async () => {
    expect(await decide([operator], { action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: ARNS.runtime })).toBe("Allowed");
    expect(await decide([operator], { action: "bedrock-agentcore:InvokeAgentRuntime", resource: ARNS.runtime })).toBe("ImplicitlyDenied");
    expect(operator.Statement).toEqual([expect.objectContaining({ Action: "bedrock-agentcore:InvokeAgentRuntimeCommand" })]);
  });

  it("the operator policy is attached to the listed operators and nothing else; the invoker policy to nobody by default", () => {
    const operatorRef = (Object.entries(agent.resource!.aws_iam_policy!).find(([, p]) => p.name === "test-agent-operator")!)[0];
    const attachments = [
      ...listOf(agent, "aws_iam_role_policy_attachment"),
      ...listOf(agent, "aws_iam_user_policy_attachment"),
      ...listOf(agent, "aws_iam_group_policy_attachment"),
    ];
    expect(attachments).toEqual([{ role: "platform-oncall", policy_arn: `\${aws_iam_policy.${operatorRef}.arn}` }]);
  });

  it("no role gets the operator policy inline: InvokeAgentRuntimeCommand appears only in the operator policy and denies", () => {
    const grants = [executionRole, invoker, operator].flatMap((p) => p.Statement).filter((s) => s.Effect === "Allow" && JSON.stringify(s.Action).includes("InvokeAgentRuntimeCommand"));
    expect(grants).toEqual(operator.Statement);
  });
});

describe("runtime resource policy with an explicit invoker list", () => {
  const frontend = `arn:aws:iam::${ACCOUNT}:role/chat-frontend`;
  const json = synthEnvironment({ account: ACCOUNT, agent: { models: [HAIKU], invokers: [frontend] } }).agent();
  const resourcePolicy = concretePolicy(listOf(json, "aws_bedrockagentcore_resource_policy")[0]!.policy);

  it("denies every principal not listed, even one whose identity policy allows invoking", async () => {
    const identity = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock-agentcore:InvokeAgentRuntime", Resource: "*" }] };
    const request = (principal: string) => ({ action: "bedrock-agentcore:InvokeAgentRuntime", resource: ARNS.runtime, principal, context: { "aws:PrincipalArn": principal } });
    expect(await decideWithResourcePolicy(identity, resourcePolicy, request(frontend))).toBe("Allowed");
    expect(await decideWithResourcePolicy(identity, resourcePolicy, request(`arn:aws:iam::${ACCOUNT}:role/someone-else`))).toBe("ExplicitlyDenied");
  });

  it("is not created when the environment names no invokers", () => {
    expect(listOf(agent, "aws_bedrockagentcore_resource_policy")).toEqual([]);
  });
});

async function decideWithResourcePolicy(identity: object, resourcePolicy: object, request: { action: string; resource: string; principal: string; context: Record<string, string> }) {
  const { runSimulation } = await import("@cloud-copilot/iam-simulate");
  const response = await runSimulation(
    {
      identityPolicies: [{ name: "identity", policy: identity }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      request: { principal: request.principal, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: request.context },
    } as never,
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}
