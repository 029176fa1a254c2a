/**
 * Preflight's account checks against the fake AWS world: real SDK clients over HTTP (Bedrock, Service Quotas,
 * IAM, EC2, CloudTrail, AgentCore control, STS), answering with AWS's shapes (test/fake-aws/services/preflight.ts),
 * and what deploy consumes read from the environment's synthesized stacks.
 */
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { IAMClient } from "@aws-sdk/client-iam";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { afterEach, describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments, type Environment } from "../../environments/schema.ts";
import { describeEnvironment, type EnvironmentDescription } from "../../modules/environment/description.ts";
import { AgentEnvironment } from "../../modules/environment/agent-environment.ts";
import { LAYERS, type Layer } from "../../modules/environment/environment-stack.ts";
import { footprintOf, type StackJson } from "../../scripts/lib/footprint.ts";
import type { PreflightAccountClients } from "../../scripts/lib/preflight-account.ts";
import { runPreflight, type CheckResult } from "../../scripts/lib/preflight.ts";
import { AwsError } from "../fake-aws/errors.ts";
import { startFakeAws, type FakeAws } from "../fake-aws/harness.ts";
import { sdkClients } from "../fake-aws/in-process.ts";
import { preflightState } from "../fake-aws/services/preflight.ts";
import { EVERY_OPTION_IMPORTED_VPC } from "../helpers/every-option.ts";
import { FakeRunner } from "../helpers/fakes.ts";
import { resolved, synthStack, testApp } from "../helpers/synth.ts";

const machine = () =>
  new FakeRunner()
    .on("terraform version -json", { stdout: JSON.stringify({ terraform_version: "1.11.4" }) })
    .on("docker version", { stdout: "28.2.2" })
    .on("docker buildx version", { stdout: "github.com/docker/buildx v0.24.0" })
    .on("docker buildx inspect --bootstrap", { stdout: "Platforms: linux/amd64, linux/arm64\n" });

function stacksOf(environment: Environment): Map<Layer, StackJson> {
  const stacks = AgentEnvironment.fromEnvironment(testApp(), environment);
  return new Map(LAYERS.map((layer) => [layer, synthStack(stacks[layer]) as StackJson]));
}
const shipped = (name: string) => resolveEnvironments(environments).find((e) => e.name === name)!;

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function preflight(environment: Environment, arrange: (f: FakeAws) => void = () => {}, adjust: (d: EnvironmentDescription) => EnvironmentDescription = (d) => d) {
  fake = await startFakeAws();
  arrange(fake);
  const description = adjust(describeEnvironment(environment, "agent"));
  const base = sdkClients(fake.url, description.region);
  const config = { region: description.region, endpoint: fake.url, credentials: { accessKeyId: "AKIAFAKEWORLD0000000", secretAccessKey: "fake-world-secret" }, maxAttempts: 1 };
  const accountClients: PreflightAccountClients = { bedrock: new BedrockClient(config), serviceQuotas: new ServiceQuotasClient(config), iam: new IAMClient(config), ec2: base.ec2, cloudtrail: base.cloudtrail, agentcoreControl: base.agentcoreControl };
  const results = await runPreflight(description, {
    runner: machine(),
    clients: base,
    nodeVersion: "24.21.0",
    footprint: footprintOf(stacksOf(environment)),
    accountClients,
    providerInstall: { env: {}, fetch: async () => ({ ok: true, status: 200, json: async () => ({ "providers.v1": "/v1/providers/" }) }) },
  });
  return { results, byName: (name: string) => results.find((r) => r.name === name) as CheckResult, failed: results.filter((r) => !r.ok) };
}

describe("preflight in the account: what the first apply needs", () => {
  it("passes a shipped environment in an account with room, every model offered and granted, and PassRole allowed", async () => {
    const { results, failed } = await preflight(shipped("prod"));
    expect(failed).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "Terraform provider install",
        "model us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "model us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "quota: VPCs",
        "quota: Elastic IPs",
        "quota: NAT gateways per AZ",
        "quota: trails",
        "quota: AgentCore runtimes",
        "iam:PassRole on the execution role",
      ]),
    );
    expect(results.find((r) => r.name === "quota: NAT gateways per AZ")!.detail).toBe("use1-az1: 0 + 1, use1-az2: 0 + 1, use1-az4: 0 + 1; quota 5 per AZ (Service Quotas, AWS default)");
  });

  it("a model id with a typo fails, naming the closest id the Region offers", async () => {
    const typo = "us.anthropic.claude-sonet-4-5-20250929-v1:0";
    const { byName } = await preflight(shipped("dev"), () => {}, (d) => ({ ...d, agent: { ...d.agent, modelIds: [typo] } }));
    expect(byName(`model ${typo}`)).toMatchObject({ ok: false, detail: `us-west-2 offers no inference profile ${typo}`, fix: expect.stringMatching(/^did you mean us\.anthropic\.claude-sonnet-4-5-20250929-v1:0\? /) });
  });

  it("a model the account has no access to fails with how to get it; a LEGACY one passes with a note", async () => {
    const { byName } = await preflight(
      shipped("dev"),
      ({ world }) => preflightState(world).access.set("anthropic.claude-sonnet-4-5-20250929-v1:0", { authorizationStatus: "NOT_AUTHORIZED", entitlementAvailability: "AVAILABLE", regionAvailability: "AVAILABLE", agreementAvailability: { status: "PENDING" } }),
      (d) => ({ ...d, agent: { ...d.agent, modelIds: [...d.agent.modelIds, "anthropic.claude-3-5-haiku-20241022-v1:0"] } }),
    );
    expect(byName("model us.anthropic.claude-sonnet-4-5-20250929-v1:0")).toMatchObject({ ok: false, detail: "anthropic.claude-sonnet-4-5-20250929-v1:0: not authorized (NOT_AUTHORIZED); agreement PENDING", fix: expect.stringContaining("Model access") });
    expect(byName("model anthropic.claude-3-5-haiku-20241022-v1:0")).toMatchObject({ ok: true, detail: expect.stringContaining("LEGACY: plan a successor") });
  });

  it("quotas without room fail with the increase to request; an applied (raised) quota is read", async () => {
    const { byName } = await preflight(shipped("prod"), ({ world }) => {
      for (let i = 0; i < 5; i++) world.add({ type: "aws_vpc", id: `vpc-other${i}`, region: "us-east-1", attributes: {}, tags: {} });
      for (let i = 0; i < 3; i++) world.add({ type: "aws_eip", id: `eipalloc-other${i}`, region: "us-east-1", attributes: {}, tags: {} });
      preflightState(world).applied.set("ec2/L-0263D0A3", 10);
      preflightState(world).otherTrails.push(...[1, 2, 3, 4, 5].map((n) => ({ name: `org-trail-${n}`, region: "us-east-1" })));
    });
    expect(byName("quota: VPCs")).toMatchObject({ ok: false, detail: "5 in use + 1 to create, quota 5 (Service Quotas, AWS default)", fix: expect.stringContaining("--service-code vpc --quota-code L-F678F1CE") });
    expect(byName("quota: Elastic IPs")).toMatchObject({ ok: true, detail: "3 in use + 3 to create, quota 10 (Service Quotas)" });
    expect(byName("quota: trails")).toMatchObject({ ok: false, detail: "5 in use + 1 to create, quota 5 (CloudTrail, not adjustable)", fix: expect.stringContaining("agent.alerts.cloudTrail") });
  });

  it("an existing VPC's subnet without a free address for the ENIs fails, naming it", async () => {
    const environment = resolved(EVERY_OPTION_IMPORTED_VPC);
    const { byName } = await preflight(environment, ({ world }) => {
      const subnets = ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"];
      subnets.forEach((id, i) => world.add({ type: "aws_subnet", id, region: environment.region, attributes: { vpc_id: "vpc-0a1b2c3d4e5f67890", cidr_block: `10.9.${i}.0/24`, availability_zone_id: `usw2-az${i + 1}`, ...(i === 2 && { available_ip_address_count: 0 }) }, tags: {} }));
    });
    expect(byName("subnet subnet-0a1b2c3d4e5f67890")).toMatchObject({ ok: true, detail: expect.stringMatching(/^251 free addresses, \d needed \(ENIs\)$/) });
    expect(byName("subnet subnet-0a1b2c3d4e5f67892")).toMatchObject({ ok: false, detail: expect.stringMatching(/^0 free addresses, \d needed/), fix: expect.stringContaining("free addresses in the subnet") });
  });

  it("a caller who may not pass the execution role fails, with the statement to add; allowed only for AgentCore", async () => {
    const passOnlyToLambda = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", NotAction: "iam:PassRole", Resource: "*" },
        { Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
      ],
    };
    const denied = await preflight(shipped("dev"), ({ world }) => (preflightState(world).callerPolicies = [passOnlyToLambda]));
    expect(denied.byName("iam:PassRole on the execution role")).toMatchObject({
      ok: false,
      detail: "arn:aws:iam::123456789012:role/deployer: implicitDeny for iam:PassRole on arn:aws:iam::123456789012:role/dev-agent-execution",
      fix: expect.stringContaining("iam:PassedToService bedrock-agentcore.amazonaws.com"),
    });
    const toAgentCore = { ...passOnlyToLambda, Statement: [passOnlyToLambda.Statement[0]!, { ...passOnlyToLambda.Statement[1]!, Condition: { StringEquals: { "iam:PassedToService": "bedrock-agentcore.amazonaws.com" } } }] };
    const allowed = await preflight(shipped("dev"), ({ world }) => (preflightState(world).callerPolicies = [toAgentCore]));
    expect(allowed.byName("iam:PassRole on the execution role").ok).toBe(true);
  });

  it("expired credentials are told apart from missing ones and from an unreachable endpoint", async () => {
    const expired = await preflight(shipped("dev"), ({ world }) => world.failNext("sts", "GetCallerIdentity", new AwsError("ExpiredToken", "The security token included in the request is expired", 403)));
    expect(expired.byName("AWS credentials")).toMatchObject({ ok: false, detail: "the AWS credentials have expired (ExpiredToken)", fix: expect.stringContaining("aws sso login") });
    expect(expired.byName("account checks")).toMatchObject({ ok: false, fix: "fix the credentials first" });
  });
});
