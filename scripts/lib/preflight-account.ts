/**
 * The preflight checks that predict the first apply in the account: each listed model or inference profile exists
 * and is usable in the Region, the quotas deploy consumes have room, the subnets of an existing VPC have addresses
 * for the ENIs, and the deploying principal may pass the execution role. Each failure names the fix.
 *
 * What deploy consumes is read from the synthesized stacks (footprint.ts), not assumed. The calls are read-only.
 * Shapes: Bedrock control plane (bedrock.json): ListFoundationModels → modelSummaries[].modelId/modelLifecycle.status,
 * ListInferenceProfiles → inferenceProfileSummaries[].inferenceProfileId/status, paginated by nextToken;
 * GetFoundationModelAvailability → authorizationStatus AUTHORIZED|NOT_AUTHORIZED, entitlementAvailability and
 * regionAvailability AVAILABLE|NOT_AVAILABLE, agreementAvailability.status AVAILABLE|PENDING|NOT_AVAILABLE|ERROR.
 * Service Quotas (@aws-sdk/client-service-quotas 3.1138, ServiceQuotasV20190624): GetServiceQuota → Quota.Value,
 * NoSuchResourceException when no value is applied, then GetAWSDefaultServiceQuota. EC2 (ec2.json): DescribeVpcs,
 * DescribeAddresses, DescribeNatGateways (State), DescribeSubnets (AvailableIpAddressCount, AvailabilityZoneId).
 * CloudTrail DescribeTrails (trailList[].HomeRegion). IAM SimulatePrincipalPolicy (EvaluationResults[].EvalDecision
 * allowed|explicitDeny|implicitDeny, iam.json PolicyEvaluationDecisionType).
 */
import { GetFoundationModelAvailabilityCommand, ListFoundationModelsCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { inferenceProfileGeography } from "../../lib/service-facts.ts";
import { classifyAwsError } from "./aws-errors.ts";
import type { CheckResult } from "./preflight.ts";

export interface SendsCommands {
  send(command: unknown): Promise<unknown>;
}

export interface PreflightAccountClients {
  readonly bedrock: SendsCommands;
  readonly serviceQuotas: SendsCommands;
  readonly iam: SendsCommands;
  readonly ec2: SendsCommands;
  readonly cloudtrail: SendsCommands;
  readonly agentcoreControl: SendsCommands;
}

const failed = (name: string, error: unknown, what: string): CheckResult => {
  const problem = classifyAwsError(error, what);
  return { name, ok: false, detail: problem.summary, ...(problem.fix && { fix: problem.fix }) };
};

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export const closest = (id: string, known: readonly string[]) => [...known].sort((x, y) => distance(id, x) - distance(id, y))[0];

async function pages<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...page.items);
    token = page.next;
  } while (token);
  return all;
}

/** Each model id: a foundation model or system inference profile the Region offers, that this account may invoke. */
export async function checkModels(clients: PreflightAccountClients, environment: EnvironmentDescription): Promise<CheckResult[]> {
  let models: { modelId?: string; modelLifecycle?: { status?: string } }[];
  let profiles: { inferenceProfileId?: string; status?: string }[];
  try {
    models = ((await clients.bedrock.send(new ListFoundationModelsCommand({}))) as { modelSummaries?: typeof models }).modelSummaries ?? [];
    profiles = await pages(async (nextToken) => {
      const page = (await clients.bedrock.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 1000, ...(nextToken && { nextToken }) }))) as { inferenceProfileSummaries?: typeof profiles; nextToken?: string };
      return { items: page.inferenceProfileSummaries ?? [], ...(page.nextToken && { next: page.nextToken }) };
    });
  } catch (error) {
    return [failed("models", error, `Bedrock in ${environment.region}`)];
  }
  const known = [...models.map((m) => m.modelId!), ...profiles.map((p) => p.inferenceProfileId!)];
  const results: CheckResult[] = [];
  for (const id of environment.agent.modelIds) {
    const name = `model ${id}`;
    const isProfile = inferenceProfileGeography(id) !== undefined;
    const found = isProfile ? profiles.find((p) => p.inferenceProfileId === id) : models.find((m) => m.modelId === id);
    if (found === undefined) {
      const suggestion = closest(id, known);
      results.push({
        name,
        ok: false,
        detail: `${environment.region} offers no ${isProfile ? "inference profile" : "foundation model"} ${id}`,
        fix: `${suggestion ? `did you mean ${suggestion}? ` : ""}fix agent.models in the environment (aws bedrock list-inference-profiles / list-foundation-models --region ${environment.region} list what the Region offers)`,
      });
      continue;
    }
    // A profile routes to its model in several Regions; access is granted on the model (the id without the geography).
    const modelId = isProfile ? id.slice(id.indexOf(".") + 1) : id;
    try {
      const a = (await clients.bedrock.send(new GetFoundationModelAvailabilityCommand({ modelId }))) as {
        authorizationStatus?: string;
        entitlementAvailability?: string;
        regionAvailability?: string;
        agreementAvailability?: { status?: string; errorMessage?: string };
      };
      const blockers = [
        a.authorizationStatus !== "AUTHORIZED" && `not authorized (${a.authorizationStatus})`,
        a.entitlementAvailability !== "AVAILABLE" && `not entitled (${a.entitlementAvailability})`,
        a.regionAvailability !== "AVAILABLE" && `not available in ${environment.region}`,
        a.agreementAvailability?.status !== "AVAILABLE" && `agreement ${a.agreementAvailability?.status}${a.agreementAvailability?.errorMessage ? `: ${a.agreementAvailability.errorMessage}` : ""}`,
      ].filter(Boolean);
      const lifecycle = isProfile ? undefined : (found as (typeof models)[number]).modelLifecycle?.status;
      if (blockers.length > 0) {
        results.push({ name, ok: false, detail: `${modelId}: ${blockers.join("; ")}`, fix: `request access to ${modelId} in the Bedrock console (Model access) in ${environment.region}, or accept its offer (the model's EULA)` });
      } else {
        results.push({ name, ok: true, detail: `${isProfile ? `inference profile, ${(found as (typeof profiles)[number]).status ?? "ACTIVE"}` : `foundation model, ${lifecycle ?? "ACTIVE"}`}; access granted${lifecycle === "LEGACY" ? " (LEGACY: plan a successor)" : ""}` });
      }
    } catch (error) {
      results.push(failed(name, error, `Bedrock in ${environment.region}`));
    }
  }
  return results;
}
