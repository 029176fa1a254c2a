/**
 * Generated props for every construct used directly (fast-check, fixed seeds, bounded counts): values of the
 * right type and of the wrong one, as JavaScript callers or parsed configuration can pass them. A construct
 * either builds and its stack synthesizes, or it throws a ConfigurationError whose every line names the
 * construct, a prop, the value and a fix. Never another exception.
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../lib/validation.ts";
import { Network } from "../../modules/network/index.ts";
import { AgentRegistry } from "../../modules/registry/index.ts";
import { AgentRuntime } from "../../modules/runtime/index.ts";
import { ShellAccessAlert } from "../../modules/security/index.ts";
import { S3FilesStorage } from "../../modules/storage/index.ts";
import { ACCOUNT, NETWORK, REGISTRY, RUNTIME, STORAGE } from "../helpers/handles.ts";
import { synthStack, testApp } from "../helpers/synth.ts";

const LINE = /^team\/construct: \S.* = .+: .+\. Fix: .+\.$/s;

/** A value for a prop: one of the listed (valid and invalid alike), or anything JSON can hold. */
const value = (...values: unknown[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const days = value(0, 1, 7, 10, 30, 90, 365, 1.5, -1);
const principals = value([`arn:aws:iam::${ACCOUNT}:role/oncall`], [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:group/sre`], ["arn:aws:iam::999999999999:role/x"], [`arn:aws:iam::${ACCOUNT}:root`], ["alice"], ["${var.x}"], []);
const subnets = value(NETWORK.privateSubnets, NETWORK.privateSubnets.slice(0, 1), [NETWORK.privateSubnets[0], { subnetId: "subnet-0a1b2c3d4e5f67899", availabilityZoneId: "usw2-az1" }], [{ subnetId: 5, availabilityZoneId: "usw2-az1" }]);

/** Valid props, with up to three of them replaced by generated values: every construct meets both outcomes. */
function propsOf(valid: Record<string, unknown>, replacements: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(replacements);
  return fc
    .uniqueArray(fc.constantFrom(...keys), { maxLength: 3 })
    .chain((chosen) => fc.tuple(...chosen.map((key) => replacements[key]!)).map((values) => ({ ...valid, ...Object.fromEntries(chosen.map((key, i) => [key, values[i]])) })));
}

const ARBITRARY_PROPS: Record<string, [fc.Arbitrary<Record<string, unknown>>, (scope: Construct, props: never) => Construct]> = {
  Network: [
    propsOf(
      { cidr: "10.0.0.0/16" },
      {
        cidr: value(undefined, "10.0.0.0/22", "10.0.0.0/8", "8.8.0.0/16", "10.0.0.1/16", "nonsense"),
        azCount: value(undefined, -1, 1, 2, 3, 4, 2.5),
        availabilityZoneIds: value(["usw2-az1", "usw2-az2"], ["usw2-az1"], ["usw2-az1", "usw2-az4"], ["us-west-2a", "usw2-az1"]),
        egress: value("nat-single", "nat-per-az", "endpoints-only", "nat"),
        interfaceEndpoints: value(["ecr.api", "ecr.dkr", "logs"], ["sts"], ["s3"], ["com.amazonaws.x"], ["logs", "logs"]),
        flowLogs: value({ enabled: true }, { enabled: true, retentionDays: 10 }, { retentionDays: 365 }),
        vpcId: value("vpc-0a1b2c3d4e5f67890", "vpc-x"),
        privateSubnets: subnets,
        s3GatewayRouteTableIds: value(["rtb-0a1b2c3d4e5f67890"], ["rtb-x"]),
        namePrefix: value("team", "Team", "a".repeat(70)),
      },
    ),
    (scope, props) => new Network(scope, "construct", props),
  ],
  S3FilesStorage: [
    propsOf(
      { network: NETWORK },
      {
        network: value({ ...NETWORK, privateSubnets: [] }, { ...NETWORK, privateSubnets: [NETWORK.privateSubnets[0], { subnetId: "subnet-0a1b2c3d4e5f67899", availabilityZoneId: "usw2-az1" }] }),
        posixUid: value(0, 1, 1000, 4294967295, -1, 2.5),
        posixGid: value(0, 1000),
        secondaryGids: value([3000], [0], Array.from({ length: 17 }, (_, i) => i + 1)),
        rootDirectory: value("/agents", "/a/b/c/d/e", "agents", "/a/../b", "/"),
        rootDirectoryPermissions: value("750", "0750", "999", "rwx"),
        retainDataOnTeardown: value(true, false),
        kmsKeyArn: value(`arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1`, "alias/x"),
        noncurrentVersionExpirationDays: days,
        bucketName: value("team-files", "Team_Files", "xn--team", "ab"),
      },
    ),
    (scope, props) => new S3FilesStorage(scope, "construct", props),
  ],
  AgentRegistry: [
    propsOf(
      {},
      {
        keepImages: value(-1, 0, 1, 30, 1000, 1001, 2.5),
        repositoryName: value("team-agent", "Team Agent", "a", "team/agent"),
        kmsKeyArn: value(`arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd`, "alias/x"),
      },
    ),
    (scope, props) => new AgentRegistry(scope, "construct", props),
  ],
  AgentRuntime: [
    propsOf(
      { network: NETWORK, storage: STORAGE, registry: REGISTRY, models: ["anthropic.claude-3-haiku-20240307-v1:0"] },
      {
        models: value(undefined, [], ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"], ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"], ["anthropic.*"], [{ id: "us.x.y", routedRegions: "us-east-1" }]),
        idleTimeoutSeconds: value(5, 60, 900, 30000),
        maxLifetimeSeconds: value(60, 3600, 28800, 30000),
        workload: value("interactive", "batch", "long-running", "forever"),
        protocol: value("HTTP", "MCP", "A2A", "GRPC"),
        auth: value({ type: "AWS_IAM" }, { type: "NONE" }, { type: "CUSTOM_JWT", discoveryUrl: "https://idp.example.com/.well-known/openid-configuration", allowedClients: ["c"] }, { type: "CUSTOM_JWT", discoveryUrl: "x" }),
        sessionStorageMountPath: value("/mnt/workspace", "/mnt/..", "/data", "/mnt/s3data"),
        s3FilesMountPath: value("/mnt/s3data", "/mnt/x/y"),
        additionalMounts: value([{ type: "efs", accessPointArn: "arn:x", fileSystemArn: "arn:y", mountPath: "/mnt/a", mountTargetSecurityGroupId: "sg-0123456789abcdef0" }], [{ type: "nfs" }]),
        agentPrefix: value("agent-data", "agents", "*", "a//b", "x".repeat(600)),
        environmentVariables: value({ LOG_LEVEL: "debug" }, { DB_PASSWORD: "x" }, { "1BAD": "x" }, { AGENT_PREFIX: "x" }, { A: "x".repeat(3000) }),
        logRetentionDays: days,
        endpointName: value("live", "live-v2"),
        imageDigest: value(`sha256:${"a".repeat(64)}`, "latest"),
        operators: principals,
        invokers: principals,
      },
    ),
    (scope, props) => new AgentRuntime(scope, "construct", props),
  ],
  ShellAccessAlert: [
    propsOf(
      { runtime: RUNTIME },
      {
        emails: value(["a@example.com"], ["oncall"], [""]),
        cloudTrail: value("create", { existingTrailArn: `arn:aws:cloudtrail:us-west-2:${ACCOUNT}:trail/org` }, { existingTrailArn: "org" }, "existing"),
        trailLogRetentionDays: days,
      },
    ),
    (scope, props) => new ShellAccessAlert(scope, "construct", props),
  ],
};

function stack(): TerraformStack {
  const s = new TerraformStack(testApp(), "team");
  new AwsProvider(s, "aws", { region: "us-west-2", allowedAccountIds: [ACCOUNT] });
  return s;
}

describe.each(Object.entries(ARBITRARY_PROPS))("%s with generated props", (_name, [props, build]) => {
  it("builds and synthesizes, or refuses with one well-formed line per problem; never another exception", () => {
    let refused = 0;
    fc.assert(
      fc.property(props, (generated) => {
        const scope = stack();
        try {
          build(scope, generated as never);
        } catch (error) {
          if (!(error instanceof ConfigurationError)) throw error;
          refused++;
          for (const line of error.message.split("\n")) expect(line).toMatch(LINE);
          return;
        }
        synthStack(scope);
      }),
      { seed: 13, numRuns: 150 },
    );
    // The generators reach both outcomes: a generator that only ever refused would prove nothing about builds.
    expect(refused).toBeGreaterThan(10);
    expect(refused).toBeLessThan(150);
  });
});
