/**
 * What preflight asks the account beyond deploy's own calls: Bedrock's model catalog and model access (rest-json,
 * bedrock.json: GET /foundation-models, GET /inference-profiles?type&maxResults&nextToken, GET
 * /foundation-model-availability/{modelId}), Service Quotas (json 1.1, X-Amz-Target ServiceQuotasV20190624.*:
 * GetServiceQuota, GetAWSDefaultServiceQuota → {Quota: {ServiceCode, QuotaCode, QuotaName, Value, Unit,
 * Adjustable, GlobalQuota}}; NoSuchResourceException), IAM SimulatePrincipalPolicy (query, iam.json:
 * EvaluationResults member list of {EvalActionName, EvalResourceName, EvalDecision allowed|explicitDeny|implicitDeny},
 * IsTruncated) — decided by a real IAM policy evaluator over the caller's policies (test/helpers/iam.ts).
 *
 * The catalog holds models and US system inference profiles as the Bedrock user guide lists them ("Supported
 * foundation models in Amazon Bedrock", "Supported Regions and models for inference profiles"); a test changes it.
 */
import { AwsError } from "../errors.ts";
import { listParam, query, restJson, type AwsRequest, type HttpAnswer } from "../protocols.ts";
import type { FakeAwsWorld } from "../world.ts";
import { decideUnvalidated } from "../../helpers/iam.ts";

export interface ModelAccess {
  authorizationStatus: "AUTHORIZED" | "NOT_AUTHORIZED";
  entitlementAvailability: "AVAILABLE" | "NOT_AVAILABLE";
  regionAvailability: "AVAILABLE" | "NOT_AVAILABLE";
  agreementAvailability: { status: "AVAILABLE" | "PENDING" | "NOT_AVAILABLE" | "ERROR"; errorMessage?: string };
}

export interface PreflightState {
  foundationModels: { modelId: string; lifecycle: "ACTIVE" | "LEGACY" }[];
  inferenceProfiles: string[];
  /** Model access by model id (absent: granted). */
  access: Map<string, ModelAccess>;
  /** Applied quota values by "service/code" (absent: NoSuchResourceException, then AWS's default). */
  applied: Map<string, number>;
  /** AWS defaults by "service/code" (Service Quotas: GetAWSDefaultServiceQuota). */
  defaults: Map<string, number>;
  /** Trails the account already has, beyond the world's own (name, home Region). */
  otherTrails: { name: string; region: string }[];
  /** Runtimes other teams have in the account. */
  otherRuntimes: number;
  /** The identity-based policies of the caller's role, as IAM evaluates them. */
  callerPolicies: object[];
  /** Operations the caller may not call at all (e.g. "bedrock:ListFoundationModels"). */
  denied: Set<string>;
}

const states = new WeakMap<FakeAwsWorld, PreflightState>();

export function preflightState(world: FakeAwsWorld): PreflightState {
  let state = states.get(world);
  if (state === undefined) {
    state = {
      foundationModels: [
        { modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0", lifecycle: "ACTIVE" },
        { modelId: "anthropic.claude-haiku-4-5-20251001-v1:0", lifecycle: "ACTIVE" },
        { modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", lifecycle: "LEGACY" },
        { modelId: "amazon.titan-text-express-v1", lifecycle: "ACTIVE" },
        { modelId: "meta.llama3-70b-instruct-v1:0", lifecycle: "ACTIVE" },
      ],
      inferenceProfiles: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.meta.llama3-70b-instruct-v1:0"],
      access: new Map(),
      applied: new Map(),
      // The documented defaults (Amazon VPC quotas; Amazon EC2 quotas).
      defaults: new Map([["vpc/L-F678F1CE", 5], ["vpc/L-FE5A380F", 5], ["ec2/L-0263D0A3", 5]]),
      otherTrails: [],
      otherRuntimes: 0,
      callerPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
      denied: new Set(),
    };
    states.set(world, state);
  }
  return state;
}

const GRANTED: ModelAccess = { authorizationStatus: "AUTHORIZED", entitlementAvailability: "AVAILABLE", regionAvailability: "AVAILABLE", agreementAvailability: { status: "AVAILABLE" } };

function refuse(state: PreflightState, action: string, status = 403, code = "AccessDeniedException") {
  if (state.denied.has(action)) throw new AwsError(code, `User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: ${action}`, status);
}

/** Bedrock control plane (signing name "bedrock"). */
export function bedrock(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const state = preflightState(world);
  const { method, path, query: params } = request;
  let match: RegExpExecArray | null;
  if (method === "GET" && path === "/foundation-models") {
    world.call("bedrock", "ListFoundationModels");
    refuse(state, "bedrock:ListFoundationModels");
    return restJson.answer({
      modelSummaries: state.foundationModels.map((m) => ({ modelId: m.modelId, modelArn: `arn:aws:bedrock:${request.region}::foundation-model/${m.modelId}`, providerName: m.modelId.split(".")[0], inferenceTypesSupported: ["ON_DEMAND", "INFERENCE_PROFILE"], modelLifecycle: { status: m.lifecycle } })),
    });
  }
  if (method === "GET" && path === "/inference-profiles") {
    world.call("bedrock", "ListInferenceProfiles");
    refuse(state, "bedrock:ListInferenceProfiles");
    const max = Number(params.get("maxResults") ?? 1000);
    const start = Number(params.get("nextToken") ?? 0);
    const page = state.inferenceProfiles.slice(start, start + max);
    return restJson.answer({
      inferenceProfileSummaries: page.map((id) => ({ inferenceProfileId: id, inferenceProfileName: id, inferenceProfileArn: `arn:aws:bedrock:${request.region}:${world.account}:inference-profile/${id}`, status: "ACTIVE", type: "SYSTEM_DEFINED", models: [] })),
      ...(start + max < state.inferenceProfiles.length && { nextToken: String(start + max) }),
    });
  }
  if (method === "GET" && (match = /^\/foundation-model-availability\/(.+)$/.exec(path))) {
    world.call("bedrock", "GetFoundationModelAvailability");
    refuse(state, "bedrock:GetFoundationModelAvailability");
    const modelId = match[1]!;
    if (!state.foundationModels.some((m) => m.modelId === modelId)) throw new AwsError("ResourceNotFoundException", `The model ${modelId} does not exist.`, 404);
    return restJson.answer({ modelId, ...(state.access.get(modelId) ?? GRANTED) });
  }
  throw new AwsError("UnknownOperationException", `Bedrock ${method} ${path} is not modelled by the fake world`, 404);
}

/** Service Quotas (json 1.1). */
export function serviceQuotas(world: FakeAwsWorld, request: AwsRequest): unknown {
  const state = preflightState(world);
  const input = request.json!;
  const key = `${String(input.ServiceCode)}/${String(input.QuotaCode)}`;
  refuse(state, `servicequotas:${request.operation}`, 400);
  const quota = (value: number) => ({ Quota: { ServiceCode: input.ServiceCode, QuotaCode: input.QuotaCode, QuotaArn: `arn:aws:servicequotas:${request.region}:${world.account}:${String(input.ServiceCode)}/${String(input.QuotaCode)}`, Value: value, Unit: "None", Adjustable: true, GlobalQuota: false } });
  if (request.operation === "GetServiceQuota") {
    const value = state.applied.get(key);
    if (value === undefined) throw new AwsError("NoSuchResourceException", "The request failed because the specified resource does not exist.");
    return quota(value);
  }
  if (request.operation === "GetAWSDefaultServiceQuota") {
    const value = state.defaults.get(key);
    if (value === undefined) throw new AwsError("NoSuchResourceException", "The request failed because the specified resource does not exist.");
    return quota(value);
  }
  throw new AwsError("InvalidOperationException", `${request.operation} is not modelled`);
}

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const DECISIONS = { Allowed: "allowed", ExplicitlyDenied: "explicitDeny", ImplicitlyDenied: "implicitDeny" } as const;

/** IAM (query): SimulatePrincipalPolicy, decided over the caller's policies (server.ts routes only this operation here). */
export function handleIamSimulation(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const state = preflightState(world);
  const form = request.form!;
  try {
    world.call("iam", request.operation!);
    if (request.operation !== "SimulatePrincipalPolicy") throw new AwsError("InvalidAction", `${request.operation} is not modelled by the fake world`);
    refuse(state, "iam:SimulatePrincipalPolicy", 403, "AccessDenied");
    // ContextEntries: ContextKeyType "string" carries one value, "stringList" several (iam.json ContextKeyTypeEnum).
    const context: Record<string, string | string[]> = {};
    for (let n = 1; form.has(`ContextEntries.member.${n}.ContextKeyName`); n++) {
      const values = listParam(form, `ContextEntries.member.${n}.ContextKeyValues.member`);
      context[form.get(`ContextEntries.member.${n}.ContextKeyName`)!] = form.get(`ContextEntries.member.${n}.ContextKeyType`)?.endsWith("List") ? values : values[0]!;
    }
    const actions = listParam(form, "ActionNames.member");
    const resources = listParam(form, "ResourceArns.member");
    const results = actions.flatMap((action) => resources.map((resource) => ({ EvalActionName: action, EvalResourceName: resource, EvalDecision: DECISIONS[decideUnvalidated(state.callerPolicies, { action, resource, context })] })));
    return query.answer("SimulatePrincipalPolicy", IAM_NS, { EvaluationResults: results, IsTruncated: false });
  } catch (error) {
    if (error instanceof AwsError) return query.error(error, IAM_NS);
    throw error;
  }
}
