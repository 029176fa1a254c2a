import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import {
  ENVIRONMENT_TAG_KEY,
  EnvironmentConfigError,
  resolveEnvironments,
  type EnvironmentInput,
} from "../../environments/schema.ts";
import { environmentInput } from "../helpers/synth.ts";

/** The messages resolveEnvironments produces for these inputs (it must throw). */
function problemsOf(...inputs: unknown[]): string[] {
  try {
    resolveEnvironments(inputs);
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

function withNetwork(network: EnvironmentInput["network"], extra: Partial<EnvironmentInput> = {}) {
  return environmentInput({ network, ...extra });
}

describe("the shipped environments", () => {
  const [dev, staging, prod] = resolveEnvironments(environments);

  it("are dev, staging and prod, each in its own address range", () => {
    expect([dev!.name, staging!.name, prod!.name]).toEqual(["dev", "staging", "prod"]);
  });

  it("dev is cheap: one NAT gateway, two AZs, no flow logs, data deleted on teardown", () => {
    expect(dev!.network).toMatchObject({ mode: "create", egress: "nat-single", flowLogs: { enabled: false } });
    expect(dev!.network.mode === "create" && dev!.network.availabilityZoneIds).toEqual(["usw2-az1", "usw2-az2"]);
    expect(dev!.storage.retainDataOnTeardown).toBe(false);
    expect(dev!.state).toEqual({ backend: "local" });
  });

  it("prod is resilient: a NAT gateway in each of three AZs, flow logs kept a year, data retained", () => {
    expect(prod!.network).toMatchObject({ egress: "nat-per-az", flowLogs: { enabled: true, retentionDays: 365 } });
    expect(prod!.network.mode === "create" && prod!.network.availabilityZoneIds).toEqual(["use1-az1", "use1-az2", "use1-az4"]);
    expect(prod!.storage.retainDataOnTeardown).toBe(true);
  });

  it("staging reaches AWS through interface endpoints only", () => {
    expect(staging!.network).toMatchObject({
      egress: "endpoints-only",
      interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "bedrock-runtime", "sts"],
    });
  });

  it("every environment file in environments/ is listed in environments/index.ts", async () => {
    const files = readdirSync(new URL("../../environments/", import.meta.url)).filter(
      (f) => f.endsWith(".ts") && !["index.ts", "schema.ts"].includes(f),
    );
    for (const file of files) {
      const module = (await import(/* @vite-ignore */ new URL(`../../environments/${file}`, import.meta.url).href)) as {
        default: EnvironmentInput;
      };
      expect(environments, `${file} is not listed in environments/index.ts`).toContain(module.default);
    }
  });
});

describe("defaults", () => {
  it("an environment that names no stage gets the production defaults (data retained)", () => {
    const [env] = resolveEnvironments([
      { name: "x", region: "us-east-2", network: { mode: "create", cidr: "10.9.0.0/16" }, agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], alerts: { emails: ["a@example.com"] } } },
    ]);
    expect(env!.stage).toBe("production");
    expect(env!.storage.retainDataOnTeardown).toBe(true);
    expect(env!.network).toMatchObject({ egress: "nat-per-az", availabilityZoneIds: ["use2-az1", "use2-az2", "use2-az3"] });
  });

  it("storage defaults to a non-root POSIX user and a root directory S3 Files creates", () => {
    const [env] = resolveEnvironments([environmentInput()]);
    expect(env!.storage).toMatchObject({ posixUid: 1000, posixGid: 1000, rootDirectory: "/agents", rootDirectoryPermissions: "750" });
  });

  it("tags every resource with the environment, and the teardown sweep tag cannot be overridden", () => {
    const [env] = resolveEnvironments([environmentInput({ tags: { Team: "ml" } })]);
    expect(env!.tags).toMatchObject({ Environment: "test", Team: "ml", [ENVIRONMENT_TAG_KEY]: "test", ManagedBy: "cdktn" });
  });

  it("an S3 state backend gets a per-environment key prefix and the environment's region", () => {
    const [env] = resolveEnvironments([environmentInput({ state: { backend: "s3", bucket: "acme-tfstate" } })]);
    expect(env!.state).toEqual({ backend: "s3", bucket: "acme-tfstate", keyPrefix: "agentcore-s3files/test", region: "us-west-2" });
  });
});

describe("invalid configuration: one message naming environment, field, value and fix", () => {
  it("an AZ count of 1", () => {
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.0.0/16", azCount: 1 }))).toEqual([
      'environment "test": network.azCount = 1: must be a whole number of at least 2, so the runtime and the S3 Files mount targets survive the loss of one Availability Zone. Fix: set network.azCount to 2 or 3.',
    ]);
  });

  it("more AZs than the region supports for AgentCore", () => {
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.0.0/16", azCount: 4 }))).toEqual([
      expect.stringMatching(/^environment "test": network\.azCount = 4: us-west-2 has 3 .*usw2-az1, usw2-az2, usw2-az3.*Fix: set network\.azCount to at most 3\.$/),
    ]);
  });

  it("a malformed CIDR", () => {
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.0.0/33" }))).toEqual([
      'environment "test": network.cidr = "10.50.0.0/33": has a prefix length greater than /32. Fix: use a network address with a prefix length, e.g. "10.20.0.0/16".',
    ]);
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.1.0/16" }))[0]).toContain("host bits set (the network address is 10.50.0.0/16)");
  });

  it("a CIDR too small for the subnet layout, or outside private address space", () => {
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.0.0/24" }))[0]).toMatch(/network\.cidr = "10\.50\.0\.0\/24": has a \/24 prefix.*Fix: choose a prefix length between \/16 and \/22\./);
    expect(problemsOf(withNetwork({ mode: "create", cidr: "52.0.0.0/16" }))[0]).toMatch(/not inside a private \(RFC 1918\) range/);
  });

  it("overlapping CIDRs across environments", () => {
    const problems = problemsOf(
      environmentInput({ name: "blue", network: { mode: "create", cidr: "10.60.0.0/16" } }),
      environmentInput({ name: "green", network: { mode: "create", cidr: "10.60.128.0/17" } }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^environment "green": network\.cidr = "10\.60\.128\.0\/17": overlaps environment "blue" \(10\.60\.0\.0\/16\).*Fix: give each environment its own range/),
    ]);
  });

  it("a bad region: malformed, and well-formed but without AgentCore Runtime", () => {
    expect(problemsOf(environmentInput({ region: "us-westt-2x" }))).toEqual([
      'environment "test": region = "us-westt-2x": is not an AWS Region code. Fix: use a Region code such as "us-west-2".',
    ]);
    expect(problemsOf(environmentInput({ region: "af-south-1" }))[0]).toMatch(
      /region = "af-south-1": does not offer Amazon Bedrock AgentCore Runtime\. Fix: choose one of us-east-1, .*us-west-2/,
    );
  });

  it("a supported region with no known AZ list asks for explicit AZ IDs", () => {
    expect(problemsOf(environmentInput({ region: "eu-west-2" }))[0]).toMatch(/network\.availabilityZoneIds = \(missing\): .*eu-west-2.*Fix: list them/);
    const [env] = resolveEnvironments([
      environmentInput({ region: "eu-west-2", network: { mode: "create", cidr: "10.50.0.0/16", availabilityZoneIds: ["euw2-az1", "euw2-az2"] } }),
    ]);
    expect(env!.network).toMatchObject({ availabilityZoneIds: ["euw2-az1", "euw2-az2"] });
  });

  it("an AZ where AgentCore does not support VPC mode, or a zone name instead of an ID", () => {
    const problems = problemsOf(
      withNetwork({ mode: "create", cidr: "10.50.0.0/16", availabilityZoneIds: ["usw2-az4", "us-west-2b"] }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/network\.availabilityZoneIds\.0 = "usw2-az4": is not an AZ where AgentCore supports VPC mode in us-west-2\. Fix: use one of usw2-az1/),
      expect.stringMatching(/network\.availabilityZoneIds\.1 = "us-west-2b": is not an Availability Zone ID\. Fix: use a zone ID such as "usw2-az1"/),
    ]);
  });

  it("imported subnets all in one AZ", () => {
    const problems = problemsOf(
      withNetwork({
        mode: "import",
        vpcId: "vpc-0123456789abcdef0",
        privateSubnets: [
          { subnetId: "subnet-0123456789abcdef0", availabilityZoneId: "usw2-az1" },
          { subnetId: "subnet-0123456789abcdef1", availabilityZoneId: "usw2-az1" },
        ],
      }),
    );
    expect(problems).toEqual([
      'environment "test": network.privateSubnets[*].availabilityZoneId = ["usw2-az1","usw2-az1"]: names the same Availability Zone more than once; every subnet must be in a different one. Fix: list at least two distinct AZ IDs.',
    ]);
  });

  it("an imported VPC with one subnet and malformed ids", () => {
    const problems = problemsOf(
      withNetwork({ mode: "import", vpcId: "vpc-xyz", privateSubnets: [{ subnetId: "sub-1", availabilityZoneId: "usw2-az1" }] }),
    );
    expect(problems).toEqual([
      expect.stringContaining('network.vpcId = "vpc-xyz": is not a VPC id'),
      expect.stringContaining('network.privateSubnets.0.subnetId = "sub-1": is not a subnet id'),
      expect.stringContaining("network.privateSubnets = [\"sub-1\"]: lists 1 subnet; the runtime and the S3 Files mount targets need at least 2"),
    ]);
  });

  it("a name too long for the resources it names", () => {
    // 35 characters + "-files-<12-digit account>-us-west-2" = 64, one over the S3 bucket limit (the trail bucket too).
    expect(problemsOf(environmentInput({ name: "customer-analytics-sandbox-eu-west2" }))).toEqual([
      'environment "customer-analytics-sandbox-eu-west2": name = "customer-analytics-sandbox-eu-west2": makes the S3 bucket name "customer-analytics-sandbox-eu-west2-files-123456789012-us-west-2" 64 characters long (limit 63). Fix: shorten the environment name to at most 34 characters.',
      'environment "customer-analytics-sandbox-eu-west2": name = "customer-analytics-sandbox-eu-west2": makes the CloudTrail S3 bucket name "customer-analytics-sandbox-eu-west2-trail-123456789012-us-west-2" 64 characters long (limit 63). Fix: shorten the environment name to at most 34 characters.',
    ]);
  });

  it("a name that is not lowercase letters, digits and hyphens", () => {
    expect(problemsOf(environmentInput({ name: "Dev_1" }))[0]).toMatch(/^environment "Dev_1": name = "Dev_1": must start with a lowercase letter/);
  });

  it("unknown fields, missing fields and wrong types", () => {
    const problems = problemsOf({ name: "typo", region: "us-west-2", netwrok: {}, storage: { posixUid: "1000" } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environment "typo": network = \(missing\): is required\. Fix: set network to an object\.$/),
        expect.stringMatching(/^environment "typo": storage\.posixUid = "1000": must be a number, not a string\. Fix: set storage\.posixUid to a number\.$/),
        expect.stringMatching(/^environment "typo": netwrok = \(missing\): unknown field "netwrok"\. Fix: remove it or correct the spelling/),
      ]),
    );
  });

  it("an unknown network mode or egress", () => {
    expect(problemsOf(withNetwork({ mode: "peered" } as never))).toEqual([
      'environment "test": network.mode = "peered": is not a known option. Fix: use one of "create", "import".',
    ]);
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.0.0/16", egress: "nat" as never }))).toEqual([
      'environment "test": network.egress = "nat": is not one of the allowed values. Fix: use one of "nat-single", "nat-per-az", "endpoints-only".',
    ]);
  });

  it("endpoints-only egress without the endpoints an image pull needs", () => {
    expect(problemsOf(withNetwork({ mode: "create", cidr: "10.50.0.0/16", egress: "endpoints-only", interfaceEndpoints: ["sts"] }))).toEqual([
      expect.stringMatching(/network\.interfaceEndpoints = \["sts"\]: lacks ecr\.api, ecr\.dkr, logs.*Fix: add "ecr\.api", "ecr\.dkr", "logs" or choose a NAT egress mode\./),
    ]);
  });

  it("storage: root uid, a KMS key in another region, a relative root directory", () => {
    const problems = problemsOf(
      environmentInput({
        storage: { posixUid: 0, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", rootDirectory: "agents/../x" },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/storage\.posixUid = 0: 0 is root; .*ClientRootAccess.*Fix: use the non-root uid/),
      expect.stringMatching(/storage\.rootDirectory = "agents\/\.\.\/x": must be an absolute path/),
      expect.stringMatching(/storage\.kmsKeyArn = ".*": is in eu-west-1, but the bucket is in us-west-2\. Fix: use a key in us-west-2\./),
    ]);
  });

  it("a deploy role in another account than the environment's", () => {
    expect(problemsOf(environmentInput({ account: "111111111111", deployRoleArn: "arn:aws:iam::222222222222:role/deploy" }))).toEqual([
      expect.stringMatching(/deployRoleArn = "arn:aws:iam::222222222222:role\/deploy": is in account 222222222222, not the environment's account 111111111111/),
    ]);
  });

  it("flow log retention CloudWatch does not accept, and a reserved tag", () => {
    const problems = problemsOf(
      environmentInput({
        network: { mode: "create", cidr: "10.50.0.0/16", flowLogs: { enabled: true, retentionDays: 10 } },
        tags: { [ENVIRONMENT_TAG_KEY]: "other", "aws:owner": "me" },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/tags\.agentcore-s3files:environment = "other": is set by the project/),
      expect.stringMatching(/tags\.aws:owner = "aws:owner": the "aws:" prefix is reserved/),
      expect.stringMatching(/network\.flowLogs\.retentionDays = 10: is not a retention period CloudWatch Logs accepts\. Fix: use one of 1, 3, 5, 7, 14, 30/),
    ]);
  });

  it("two environments with the same name", () => {
    expect(problemsOf(environmentInput(), environmentInput({ network: { mode: "create", cidr: "10.51.0.0/16" } }))).toEqual([
      expect.stringMatching(/^environment "test": name = "test": is used by another environment too/),
    ]);
  });

  it("reports every problem of every environment at once", () => {
    const error = (() => {
      try {
        resolveEnvironments([environmentInput({ region: "nowhere" }), environmentInput({ name: "b", network: { mode: "create", cidr: "x", azCount: 1 } })]);
      } catch (e) {
        return e as EnvironmentConfigError;
      }
      throw new Error("expected a refusal");
    })();
    expect(error.problems.map((p) => `${p.environment}:${p.field}`)).toEqual(["test:region", "b:network.cidr", "b:network.azCount"]);
    expect(error.message).toMatch(/^3 configuration problems in 2 environments:/);
  });
});
