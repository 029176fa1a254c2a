import { describe, expect, it } from "vitest";
import { environments } from "../../environments";
import { resolveEnvironments } from "../../environments/schema";
import { EnvironmentStacks } from "../../stacks/environment-stacks";
import { listOf, synthStack, testApp, type TerraformJson } from "../helpers/synth";

/**
 * The only actions any policy in any stack allows on Resource "*", and why the service leaves no choice.
 * Adding to this list needs a reason written here.
 */
const ALLOWED_ON_ANY_RESOURCE: Record<string, string> = {
  "ecr:GetAuthorizationToken": "registry tokens cover the whole registry; the action has no resource-level permissions",
  "xray:PutTraceSegments": "X-Ray trace submission has no resource-level permissions",
  "xray:PutTelemetryRecords": "X-Ray telemetry has no resource-level permissions",
  "xray:GetSamplingRules": "X-Ray sampling has no resource-level permissions",
  "xray:GetSamplingTargets": "X-Ray sampling has no resource-level permissions",
  "cloudwatch:PutMetricData": "no resource-level permissions; scoped by the cloudwatch:namespace condition instead",
  "s3files:ListMountTargets": "mount targets have no ARN",
  "s3files:GetMountTarget": "mount targets have no ARN",
  "kms:*": 'key policy: Resource "*" means this key; the account statement makes the key manageable through IAM',
  "kms:GenerateDataKey": 'key policy: Resource "*" means this key; EventBridge encrypts alerts for the one rule',
  "kms:Decrypt": 'key policy: Resource "*" means this key; EventBridge encrypts alerts for the one rule',
};

function policiesOf(json: TerraformJson): { where: string; policy: { Statement: Record<string, unknown>[] } }[] {
  const fields: [string, string][] = [
    ["aws_iam_role", "assume_role_policy"],
    ["aws_iam_role_policy", "policy"],
    ["aws_iam_policy", "policy"],
    ["aws_s3_bucket_policy", "policy"],
    ["aws_s3files_file_system_policy", "policy"],
    ["aws_sns_topic_policy", "policy"],
    ["aws_kms_key", "policy"],
    ["aws_bedrockagentcore_resource_policy", "policy"],
    ["aws_ecr_repository_policy", "policy"],
  ];
  return fields.flatMap(([type, field]) =>
    Object.entries(json.resource?.[type] ?? {}).map(([id, config]) => ({ where: `${type}.${id}`, policy: JSON.parse(String(config[field])) })),
  );
}

describe("no statement grants an action on * except the few the services require", () => {
  const app = testApp();
  const all = resolveEnvironments(environments).flatMap((env) => new EnvironmentStacks(app, env).all);
  const statements = all.flatMap((stack) =>
    policiesOf(synthStack(stack)).flatMap(({ where, policy }) => policy.Statement.map((s) => ({ where: `${stack.node.id} ${where}`, statement: s }))),
  );

  it("finds the policies of every stack (the check is not vacuous)", () => {
    expect(statements.length).toBeGreaterThan(50);
    expect(new Set(statements.map((s) => s.where.split(" ")[0]))).toEqual(new Set(["staging-network", "prod-network", "dev-storage", "staging-storage", "prod-storage", "dev-agent", "staging-agent", "prod-agent"]));
  });

  it("every Allow on Resource * is in the justified list", () => {
    const offenders = statements
      .filter(({ statement }) => statement.Effect === "Allow" && [statement.Resource].flat().includes("*"))
      .flatMap(({ where, statement }) => [statement.Action].flat().filter((a) => !(String(a) in ALLOWED_ON_ANY_RESOURCE)).map((a) => `${where}: ${a}`));
    expect(offenders).toEqual([]);
  });

  it("no Allow names every action of a service outside a key policy, and no Allow has a wildcard principal", () => {
    for (const { where, statement } of statements.filter((s) => s.statement.Effect === "Allow")) {
      for (const action of [statement.Action].flat().map(String)) {
        if (action === "*" || (action.endsWith(":*") && !where.includes("aws_kms_key"))) throw new Error(`${where} allows ${action}`);
      }
      expect(JSON.stringify(statement.Principal ?? {}), where).not.toMatch(/"\*"/);
    }
  });

  it("no foundation-model or inference-profile ARN has a wildcard model id", () => {
    const modelResources = statements.flatMap(({ statement }) => [statement.Resource].flat().map(String)).filter((r) => /foundation-model|inference-profile/.test(r));
    expect(modelResources.length).toBeGreaterThan(0);
    for (const resource of modelResources) expect(resource).not.toMatch(/(foundation-model|inference-profile)\/[^/]*\*/);
  });
});

describe("the allowlist itself", () => {
  it("every entry is used somewhere (no stale exceptions)", () => {
    const app = testApp();
    const [prod] = resolveEnvironments(environments).filter((e) => e.name === "prod");
    const json = synthStack(new EnvironmentStacks(app, prod!).agent);
    const used = new Set(
      ["aws_iam_role_policy", "aws_kms_key"].flatMap((t) => listOf(json, t)).flatMap((c) => JSON.parse(String(c.policy)).Statement).filter((s: Record<string, unknown>) => [s.Resource].flat().includes("*")).flatMap((s: Record<string, unknown>) => [s.Action].flat()),
    );
    for (const action of Object.keys(ALLOWED_ON_ANY_RESOURCE)) expect(used, action).toContain(action);
  });
});
