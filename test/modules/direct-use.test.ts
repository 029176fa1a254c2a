/**
 * The constructs as a platform team uses them in its own app: each with minimal props, in stacks of its own with
 * only an AWS provider, wired through typed handles. What they synthesize must be what AWS accepts (the
 * constraints table) and pass the production-readiness rules that apply.
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack } from "cdktn";
import { describe, expect, it } from "vitest";
import { checkAwsConstraints, formatViolation } from "../../lib/aws-constraints/index.ts";
import { runAudit } from "../../lib/audit/report.ts";
import { Network } from "../../modules/network/index.ts";
import { AgentRegistry } from "../../modules/registry/index.ts";
import { AgentRuntime } from "../../modules/runtime/index.ts";
import { ShellAccessAlert } from "../../modules/security/index.ts";
import { S3FilesStorage } from "../../modules/storage/index.ts";
import type { TerraformJson as RuleJson } from "../../policies/rules/index.ts";
import { listOf, synthStack, testApp, type TerraformJson } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

function stackIn(app: ReturnType<typeof testApp>, id: string, providerProps: { region: string; allowedAccountIds?: string[] } = { region: "us-west-2" }) {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", providerProps);
  return stack;
}

/** A consumer's app: network, data, images and agent stacks, each construct with only the props it requires. */
function minimalApp() {
  const app = testApp();
  const network = new Network(stackIn(app, "acme-net"), "network", { cidr: "10.80.0.0/16" });
  const storage = new S3FilesStorage(stackIn(app, "acme-data"), "storage", { network });
  const registry = new AgentRegistry(stackIn(app, "acme-images"), "registry");
  const agentStack = stackIn(app, "acme-agent");
  const runtime = new AgentRuntime(agentStack, "runtime", { network, storage, registry, models: [HAIKU] });
  const alert = new ShellAccessAlert(agentStack, "alert", { runtime, emails: ["oncall@example.com"] });
  return { app, network, storage, registry, runtime, alert };
}

describe("every construct used directly with minimal props", () => {
  const built = minimalApp();
  const json = {
    network: synthStack(built.network.node.scope as TerraformStack),
    storage: synthStack(built.storage.node.scope as TerraformStack),
    registry: synthStack(built.registry.node.scope as TerraformStack),
    agent: synthStack(built.runtime.node.scope as TerraformStack),
  };

  it("synthesizes only values AWS accepts (the constraints table, every stack)", () => {
    const violations = checkAwsConstraints(Object.entries(json).map(([name, stack]) => ({ name, json: stack as never })));
    expect(violations.map(formatViolation)).toEqual([]);
  });

  it("passes every production-readiness rule that applies (none fails, none is skipped for want of a resource)", () => {
    const report = runAudit({ environment: "acme", stage: "production", stacks: json as unknown as Record<"network" | "storage" | "registry" | "agent", RuleJson> }, []);
    expect(report.results.filter((r) => r.status === "fail").map((r) => `${r.rule}: ${r.finding}`)).toEqual([]);
    expect(report.results.filter((r) => r.status === "n/a").map((r) => r.rule)).toEqual(["auth-jwt-complete"]);
  });

  it("takes its defaults: names from the stack id, two AZs, one NAT, data kept, 30-day logs, HTTP on IAM auth", () => {
    expect(listOf(json.network, "aws_subnet").filter((s) => (s.tags as Record<string, string>).Tier === "private").map((s) => s.availability_zone_id)).toEqual(["usw2-az1", "usw2-az2"]);
    expect(listOf(json.network, "aws_nat_gateway")).toHaveLength(1);
    expect(listOf(json.network, "aws_security_group").map((g) => g.name)).toEqual(["acme-net-agent", "acme-net-s3files-mount-targets"]);
    expect(listOf(json.storage, "aws_s3_bucket")[0]).toMatchObject({ bucket: "acme-data-files-${data.aws_caller_identity.caller-identity.account_id}-us-west-2", force_destroy: false });
    expect(listOf(json.storage, "aws_s3files_access_point")[0]).toMatchObject({ posix_user: [{ uid: 1000, gid: 1000 }], root_directory: [{ path: "/agents" }] });
    expect(listOf(json.registry, "aws_ecr_repository")[0]).toMatchObject({ name: "acme-images-agent" });
    const runtime = listOf(json.agent, "aws_bedrockagentcore_agent_runtime")[0]!;
    expect(runtime).toMatchObject({ agent_runtime_name: "acme_agent_agent", protocol_configuration: [{ server_protocol: "HTTP" }] });
    expect(runtime).not.toHaveProperty("authorizer_configuration");
    expect(listOf(json.agent, "aws_cloudwatch_log_group").map((g) => g.retention_in_days)).toEqual([30, 30]);
    expect(listOf(json.agent, "aws_cloudtrail")).toHaveLength(1);
  });

  it("wires the handles across stacks: the runtime runs in the network's subnets and mounts the storage's access point", () => {
    const runtime = listOf(json.agent, "aws_bedrockagentcore_agent_runtime")[0]!;
    expect(JSON.stringify(runtime.network_configuration)).toContain("cross-stack-reference-input-acme-net");
    expect(JSON.stringify(runtime.filesystem_configuration)).toContain("cross-stack-reference-input-acme-data");
    expect(built.app.node.children.filter((c) => c instanceof TerraformStack).map((s) => s.node.id)).toEqual(["acme-net", "acme-data", "acme-images", "acme-agent"]);
  });
});

describe("a construct reads Region and account from its stack's provider", () => {
  it("a pinned account becomes part of the names and no caller-identity lookup is made", () => {
    const app = testApp();
    const stack = stackIn(app, "pinned", { region: "eu-west-1", allowedAccountIds: ["123456789012"] });
    const network = new Network(stack, "network", { cidr: "10.81.0.0/16", namePrefix: "team" });
    new S3FilesStorage(stack, "storage", { network, namePrefix: "team" });
    const json = synthStack(stack) as TerraformJson;
    expect(listOf(json, "aws_s3_bucket")[0]).toMatchObject({ bucket: "team-files-123456789012-eu-west-1" });
    expect(listOf(json, "aws_subnet").map((s) => s.availability_zone_id)).toContain("euw1-az1");
    expect(json.data?.aws_caller_identity).toBeUndefined();
  });

  it("a Region the stack's provider does not state is read at plan time, and the AZ IDs must then be given", () => {
    const app = testApp();
    const stack = new TerraformStack(app, "unpinned");
    new AwsProvider(stack, "aws", {});
    expect(() => new Network(stack, "network", { cidr: "10.82.0.0/16" })).toThrow(
      'unpinned/network: availabilityZoneIds = (missing): cannot default: the stack\'s Region is not known at synth, so the AZ IDs where AgentCore supports VPC mode cannot be looked up. Fix: list them (e.g. ["usw2-az1", "usw2-az2"]), or give the stack\'s AWS provider a literal region.',
    );
    new Network(stack, "given", { cidr: "10.82.0.0/16", availabilityZoneIds: ["usw2-az1", "usw2-az2"] });
    const json = synthStack(stack);
    expect(listOf(json, "aws_vpc_endpoint")[0]!.service_name).toBe("com.amazonaws.${data.aws_region.region.region}.s3");
  });
});
