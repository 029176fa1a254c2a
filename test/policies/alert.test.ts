import { describe, expect, it } from "vitest";
import { matchesPattern } from "../helpers/event-pattern.ts";
import { ACCOUNT, ARNS, concretePolicy, REGION } from "../helpers/iam.ts";
import { listOf, synthEnvironment } from "../helpers/synth.ts";

/** A CloudTrail record as EventBridge delivers it (shape of AWS API Call via CloudTrail events). */
function cloudTrailEvent(eventName: string, resourceArn: string) {
  return {
    version: "0",
    id: "6f2c4f1e-0000-4000-8000-000000000000",
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.bedrock-agentcore",
    account: ACCOUNT,
    time: "2026-11-20T10:15:00Z",
    region: REGION,
    resources: [],
    detail: {
      eventVersion: "1.11",
      userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/platform-oncall/alice` },
      eventTime: "2026-11-20T10:15:00Z",
      eventSource: "bedrock-agentcore.amazonaws.com",
      eventName,
      awsRegion: REGION,
      sourceIPAddress: "203.0.113.10",
      requestParameters: null,
      resources: [{ accountId: ACCOUNT, type: "AWS::BedrockAgentCore::Runtime", ARN: resourceArn }],
      eventCategory: "Data",
    },
  };
}

/**
 * The values an EventBridge input transformer extracts: its JSON paths (dot notation, array indices) read from the
 * event; a path that is not in the event creates no variable ("If you specify a variable to match a JSON path that
 * doesn't exist in the event, that variable isn't created": EventBridge User Guide, "Input transformation").
 */
function transformerVariables(inputPaths: Record<string, string>, event: unknown): Record<string, unknown> {
  const read = (path: string) =>
    path
      .replace(/^\$\.?/, "")
      .split(/\.|\[(\d+)\]/)
      .filter((step) => step !== undefined && step !== "")
      .reduce<unknown>((value, step) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[step] : undefined), event);
  return Object.fromEntries(Object.entries(inputPaths).flatMap(([name, path]) => (read(path) === undefined ? [] : [[name, read(path)]])));
}

/**
 * A command sent with a bearer token to a runtime with a JWT authorizer, as CloudTrail records such callers: no IAM
 * identity, a userIdentity of type AWSAccount with accountId "anonymous" (the form of AgentCore's bearer-token
 * records in its devguide, "Understanding Gateway CloudTrail events").
 */
function bearerTokenEvent(eventName: string, resourceArn: string) {
  const event = cloudTrailEvent(eventName, resourceArn);
  return { ...event, detail: { ...event.detail, userIdentity: { type: "AWSAccount", principalId: "", accountId: "anonymous" }, userAgent: "python-httpx/0.28.1" } };
}

const json = synthEnvironment({ account: ACCOUNT, agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], alerts: { emails: ["oncall@example.com", "sec@example.com"] } } }).agent();
const rule = listOf(json, "aws_cloudwatch_event_rule")[0]!;
const pattern = JSON.parse(String(rule.event_pattern).replace(/\$\{[^}]*agent_runtime_arn\}/g, ARNS.runtime));

describe("shell-access alert rule", () => {
  it("matches InvokeAgentRuntimeCommand on this runtime and on its endpoints", () => {
    expect(matchesPattern(pattern, cloudTrailEvent("InvokeAgentRuntimeCommand", ARNS.runtime))).toBe(true);
    expect(matchesPattern(pattern, cloudTrailEvent("InvokeAgentRuntimeCommand", `${ARNS.runtime}/runtime-endpoint/live`))).toBe(true);
    expect(matchesPattern(pattern, cloudTrailEvent("InvokeAgentRuntimeCommandShell", ARNS.runtime))).toBe(true);
  });

  it("does not match ordinary invocations, or commands on another runtime", () => {
    expect(matchesPattern(pattern, cloudTrailEvent("InvokeAgentRuntime", ARNS.runtime))).toBe(false);
    expect(matchesPattern(pattern, cloudTrailEvent("InvokeAgentRuntimeCommand", `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/other_agent-z9y8x7w6v5`))).toBe(false);
  });

  it("the message names an IAM caller by its ARN, and a bearer-token caller of a JWT runtime by what its record carries", () => {
    const iamTarget = listOf(json, "aws_cloudwatch_event_target")[0]!.input_transformer as { input_paths: Record<string, string> };
    expect(Object.keys(transformerVariables(iamTarget.input_paths, cloudTrailEvent("InvokeAgentRuntimeCommand", ARNS.runtime))).sort()).toEqual(Object.keys(iamTarget.input_paths).sort());
    // A bearer-token caller's record has no userIdentity.arn: the IAM message would lose the one thing it says about the caller.
    expect(transformerVariables(iamTarget.input_paths, bearerTokenEvent("InvokeAgentRuntimeCommand", ARNS.runtime))).not.toHaveProperty("caller");

    const jwtAgent = synthEnvironment({
      account: ACCOUNT,
      agent: {
        models: ["anthropic.claude-3-haiku-20240307-v1:0"],
        auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedClients: ["web"], tokenHoldersCanRunCommands: true },
      },
      audit: { suppress: [{ rule: "shell-iam-authorizes-commands", reason: "every client of the identity provider may run commands" }] },
    }).agent();
    const jwtTarget = listOf(jwtAgent, "aws_cloudwatch_event_target")[0]!.input_transformer as { input_paths: Record<string, string>; input_template: string };
    const variables = transformerVariables(jwtTarget.input_paths, bearerTokenEvent("InvokeAgentRuntimeCommand", ARNS.runtime));
    expect(Object.keys(variables).sort()).toEqual(Object.keys(jwtTarget.input_paths).sort());
    expect(variables).toMatchObject({ identityType: "AWSAccount", identityAccount: "anonymous", sourceIp: "203.0.113.10", userAgent: "python-httpx/0.28.1" });
    expect(jwtTarget.input_template).toContain("anyone holding a token it accepts can run commands");
    for (const name of Object.keys(jwtTarget.input_paths)) expect(jwtTarget.input_template).toContain(`<${name}>`);
  });

  it("sends to a KMS-encrypted topic with an email subscription per recipient", () => {
    const topic = listOf(json, "aws_sns_topic")[0]!;
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    expect(listOf(json, "aws_sns_topic_subscription").map((s) => [s.protocol, s.endpoint])).toEqual([
      ["email", "oncall@example.com"],
      ["email", "sec@example.com"],
    ]);
    expect(listOf(json, "aws_cloudwatch_event_target")[0]).toMatchObject({ arn: expect.stringMatching(/aws_sns_topic\..*\.arn/) });
    expect(listOf(json, "aws_kms_key")[0]).toMatchObject({ enable_key_rotation: true });
  });

  it("only the rule may publish to the topic (the topic policy carries the source conditions)", () => {
    const topicPolicy = concretePolicy(listOf(json, "aws_sns_topic_policy")[0]!.policy);
    expect(topicPolicy.Statement[0]).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Condition: { ArnEquals: { "aws:SourceArn": ARNS.rule }, StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
  });

  it("EventBridge may use the topic's key in the form the SNS guide documents: no source conditions, which KMS does not support on this path", () => {
    const keyPolicy = concretePolicy(listOf(json, "aws_kms_key")[0]!.policy);
    const forEventBridge = keyPolicy.Statement.filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "events.amazonaws.com" }));
    expect(forEventBridge).toEqual([{ Sid: "EventBridgePublishesToTheEncryptedTopic", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" }]);
    // SNS developer guide: aws:SourceAccount, aws:SourceArn and aws:SourceOrgID in a KMS policy are "not supported
    // for EventBridge-to-encrypted topics".
    expect(JSON.stringify(keyPolicy)).not.toMatch(/aws:Source(Arn|Account|OrgID)/i);
    expect(keyPolicy.Statement[0]).toMatchObject({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } });
    expect(JSON.stringify(keyPolicy)).not.toMatch(/"AWS":"\*"/);
  });

  it("creates a trail that logs exactly this runtime's command data events, on the runtime and on its endpoints", () => {
    const trail = listOf(json, "aws_cloudtrail")[0]!;
    expect(trail).toMatchObject({ enable_log_file_validation: true, is_multi_region_trail: false, include_global_service_events: false });
    const selectors = trail.advanced_event_selector as { name: string; field_selector: Record<string, unknown>[] }[];
    // One selector per resource type: CloudTrail allows one resources.type field per selector.
    expect(selectors.map((s) => s.field_selector.find((f) => f.field === "resources.type"))).toEqual([
      { field: "resources.type", equals: ["AWS::BedrockAgentCore::Runtime"] },
      { field: "resources.type", equals: ["AWS::BedrockAgentCore::RuntimeEndpoint"] },
    ]);
    for (const selector of selectors) {
      expect(selector.field_selector).toEqual(
        expect.arrayContaining([
          { field: "eventCategory", equals: ["Data"] },
          { field: "eventName", equals: ["InvokeAgentRuntimeCommand", "InvokeAgentRuntimeCommandShell"] },
          { field: "resources.ARN", starts_with: [expect.stringMatching(/agent_runtime_arn/)] },
        ]),
      );
      expect(selector.field_selector).toHaveLength(4);
    }
  });

  it("lets the trail bucket go with the agent stack even where data is retained (CloudTrail keeps writing digests into it)", () => {
    const prodLike = synthEnvironment({ stage: "production", storage: { retainDataOnTeardown: true }, agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], alerts: { emails: ["a@example.com"] } } }).agent();
    expect(listOf(prodLike, "aws_s3_bucket")).toEqual([expect.objectContaining({ force_destroy: true })]);
  });

  it("lets only CloudTrail, for this trail, write into the trail bucket", () => {
    const policy = concretePolicy(listOf(json, "aws_s3_bucket_policy")[0]!.policy);
    expect(policy.Statement[1]).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${ARNS.trailBucket}/AWSLogs/${ACCOUNT}/*`,
      Condition: { StringEquals: { "aws:SourceArn": `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/test-agent-commands` } },
    });
  });

  it("uses an existing trail instead when the environment names one", () => {
    // An organization's multi-Region trail, whose home Region is not the environment's.
    const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`;
    const existing = synthEnvironment({ agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], alerts: { cloudTrail: { existingTrailArn: trailArn, multiRegion: true } } } }).agent();
    expect(listOf(existing, "aws_cloudtrail")).toEqual([]);
    expect(existing.output!.alert_trail_arn!.value).toBe(trailArn);
  });
});
