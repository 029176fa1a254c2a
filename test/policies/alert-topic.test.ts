/**
 * Who may publish to the shell-access alert topic, decided by a real policy evaluator over the synthesized
 * topic policy: only the EventBridge rule; nobody else, not even a principal of the account whose identity
 * policy allows sns:Publish on "*" (who could otherwise forge alerts, or bury a real one in noise).
 */
import { describe, expect, it } from "vitest";
import { ACCOUNT, ARNS, concretePolicy, decide } from "../helpers/iam.ts";
import { listOf, synthEnvironment } from "../helpers/synth.ts";

const json = synthEnvironment({ account: ACCOUNT, agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"] } }).agent();
const topicPolicy = concretePolicy(listOf(json, "aws_sns_topic_policy")[0]!.policy);
const publishAnything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "*" }] };
const tls = { "aws:SecureTransport": "true" };

const publish = (principal: string, identityPolicies: object[], context: Record<string, string>) =>
  decide(identityPolicies, { action: "sns:Publish", resource: ARNS.topic, principal, context: { ...tls, ...context }, resourcePolicy: topicPolicy });

describe("the alert topic", () => {
  it("accepts the shell-access rule's messages (EventBridge, with the rule as source)", async () => {
    expect(await publish("events.amazonaws.com", [], { "aws:SourceArn": ARNS.rule, "aws:SourceAccount": ACCOUNT })).toBe("Allowed");
  });

  it("denies a principal of the account that may publish anywhere (sns:Publish on *)", async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/ci-deployer`;
    expect(await publish(role, [publishAnything], { "aws:PrincipalArn": role, "aws:PrincipalAccount": ACCOUNT })).toBe("ExplicitlyDenied");
  });

  it("denies another EventBridge rule, of this account or another (confused deputy)", async () => {
    const otherRule = `arn:aws:events:us-west-2:${ACCOUNT}:rule/someone-elses-rule`;
    expect(await publish("events.amazonaws.com", [], { "aws:SourceArn": otherRule, "aws:SourceAccount": ACCOUNT })).toBe("ExplicitlyDenied");
    expect(await publish("events.amazonaws.com", [], { "aws:SourceArn": "arn:aws:events:us-west-2:999999999999:rule/x", "aws:SourceAccount": "999999999999" })).toBe("ExplicitlyDenied");
  });

  it("denies another service and a principal of another account", async () => {
    expect(await publish("s3.amazonaws.com", [], { "aws:SourceAccount": ACCOUNT })).toBe("ExplicitlyDenied");
    const stranger = "arn:aws:iam::999999999999:role/attacker";
    expect(await publish(stranger, [publishAnything], { "aws:PrincipalArn": stranger, "aws:PrincipalAccount": "999999999999" })).toBe("ExplicitlyDenied");
  });

  it("denies the rule itself without TLS", async () => {
    expect(await publish("events.amazonaws.com", [], { "aws:SourceArn": ARNS.rule, "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
  });
});
