/**
 * Every policy an environment synthesizes, parsed, with the ARNs AWS would put where Terraform references stand:
 * what the IAM decision matrix (test/policies/iam-matrix.test.ts) evaluates.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Environment, EnvironmentInput } from "../../environments/schema.ts";
import { resourceNames } from "../../lib/names.ts";
import { synthesize } from "../../lib/synth.ts";
import { stackName } from "../../modules/environment/environment-stack.ts";
import { ACCOUNT, concretePolicy } from "./iam.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };

type Json = { resource?: Record<string, Record<string, Record<string, unknown>>> };
type Policy = ReturnType<typeof concretePolicy>;

/** One environment's synthesized policies, with the ARNs AWS would put where Terraform references stand. */
export interface Deployed {
  readonly env: Environment;
  readonly names: ReturnType<typeof resourceNames>;
  readonly executionRole: Policy;
  readonly executionTrust: Policy;
  readonly invoker: Policy;
  readonly operator: Policy;
  readonly runtimePolicy?: Policy;
  readonly serviceRole: Policy;
  readonly serviceTrust: Policy;
  readonly topicPolicy: Policy;
  readonly keyPolicy: Policy;
  readonly bucketPolicy: Policy;
  readonly trailBucketPolicy?: Policy;
  /** Principal names the operator policy is attached to, by kind. */
  readonly operatorAttachments: string[];
  /** The runtime's authorizer_configuration, when it has one (a JWT authorizer). */
  readonly authorizer?: unknown;
}

export function synthesized(inputs: readonly EnvironmentInput[]): Deployed[] {
  const outdir = join(mkdtempSync(join(tmpdir(), "iam-matrix-")), "cdktf.out");
  const { environments } = synthesize(inputs, { outdir, targetVersions: cdktfJson.targetVersions });
  return environments.map((env) => {
    const read = (layer: "agent" | "storage") => JSON.parse(readFileSync(join(outdir, "stacks", stackName(env.name, layer), "cdk.tf.json"), "utf8")) as Json;
    const agent = read("agent");
    const storage = read("storage");
    const all = (json: Json, type: string) => Object.values(json.resource?.[type] ?? {});
    const names = resourceNames({ name: env.name, region: env.region, accountId: ACCOUNT });
    const managed = (name: string) => concretePolicy(all(agent, "aws_iam_policy").find((p) => p.name === name)!.policy);
    const [runtimePolicy] = all(agent, "aws_bedrockagentcore_resource_policy");
    const [trailBucketPolicy] = all(agent, "aws_s3_bucket_policy");
    const authorizer = all(agent, "aws_bedrockagentcore_agent_runtime")[0]!.authorizer_configuration;
    const operatorArn = `\${aws_iam_policy.${Object.entries(agent.resource!.aws_iam_policy!).find(([, p]) => p.name === names.operatorPolicy)![0]}.arn}`;
    return {
      env,
      names,
      executionRole: concretePolicy(all(agent, "aws_iam_role_policy")[0]!.policy),
      executionTrust: concretePolicy(all(agent, "aws_iam_role")[0]!.assume_role_policy),
      invoker: managed(names.invokerPolicy),
      operator: managed(names.operatorPolicy),
      ...(runtimePolicy !== undefined && { runtimePolicy: concretePolicy(runtimePolicy.policy) }),
      serviceRole: concretePolicy(all(storage, "aws_iam_role_policy")[0]!.policy),
      serviceTrust: concretePolicy(all(storage, "aws_iam_role")[0]!.assume_role_policy),
      topicPolicy: concretePolicy(all(agent, "aws_sns_topic_policy")[0]!.policy),
      keyPolicy: concretePolicy(all(agent, "aws_kms_key")[0]!.policy),
      bucketPolicy: concretePolicy(all(storage, "aws_s3_bucket_policy")[0]!.policy),
      ...(trailBucketPolicy !== undefined && { trailBucketPolicy: concretePolicy(trailBucketPolicy.policy) }),
      ...(authorizer !== undefined && { authorizer }),
      operatorAttachments: ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"].flatMap((type) =>
        all(agent, type)
          .filter((a) => a.policy_arn === operatorArn)
          .map((a) => `${type.split("_")[2]}/${String(a.role ?? a.user ?? a.group)}`),
      ),
    };
  });
}

