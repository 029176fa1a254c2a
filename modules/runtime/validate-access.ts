/**
 * Who and what the runtime talks to: the models its role may call, the inbound authorizer, the principals that
 * may invoke it or open a shell in it. Part of validateAgentRuntimeProps.
 */
import { Token } from "cdktn";
import { z } from "zod";
import { parseIamPrincipalArn, principalIdentity, type IamPrincipalArn, type PrincipalKind } from "../../lib/arns.ts";
import { checkAgainstAws } from "../../lib/construct-checks.ts";
import { INFERENCE_PROFILE_ONLY_MODELS, INFERENCE_PROFILE_REGIONS, inferenceProfileGeography, REGION_PATTERN } from "../../lib/service-facts.ts";
import type { ProblemCollector } from "../../lib/validation.ts";
import type { ModelProps, ResolvedRuntimeAuth, RuntimeModel } from "./props.ts";

const MODEL_ID_PATTERN = /^[a-z0-9-]+\.[a-zA-Z0-9._:-]+$/;

const AUTH_FIX =
  'use { type: "AWS_IAM" } (SigV4, the default) or { type: "CUSTOM_JWT", discoveryUrl, allowedAudience or allowedClients, tokenHoldersCanRunCommands: true } (every token holder can then run shell commands: see the README\'s "JWT runtimes")';

const authInput = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("AWS_IAM") }),
  z.strictObject({
    type: z.literal("CUSTOM_JWT"),
    discoveryUrl: z.string(),
    allowedAudience: z.array(z.string()).optional(),
    allowedClients: z.array(z.string()).optional(),
    allowedScopes: z.array(z.string()).optional(),
    tokenHoldersCanRunCommands: z.boolean().optional(),
  }),
]);

export function resolveModels(check: ProblemCollector, models: readonly (string | ModelProps)[] | undefined): RuntimeModel[] {
  const region = check.context.region;
  if (models === undefined) {
    check.report("models", undefined, "is required", 'list the model or inference profile ids the agent uses, e.g. ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]');
    return [];
  }
  if (!Array.isArray(models)) {
    check.report("models", models, "must be a list of model or inference profile ids", 'write e.g. ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]');
    return [];
  }
  if (models.length === 0) {
    check.report("models", models, "is empty; the agent could not call any model", 'list the model or inference profile ids it uses, e.g. "us.anthropic.claude-sonnet-4-5-20250929-v1:0"');
    return [];
  }
  return models.map((model, i) => {
    const field = typeof model === "string" ? `models.${i}` : `models.${i}.id`;
    const id = typeof model === "string" ? model : (model as { id?: unknown } | null)?.id;
    if (typeof id !== "string" || id.includes("*") || !MODEL_ID_PATTERN.test(id)) {
      check.report(
        field,
        id,
        typeof id === "string" && id.includes("*") ? "is a wildcard; the execution role is scoped to the exact models the agent uses" : "is not a Bedrock model or inference profile id",
        'name each model exactly, e.g. "anthropic.claude-3-haiku-20240307-v1:0" or "us.anthropic.claude-sonnet-4-5-20250929-v1:0"',
      );
      return { id: String(id), routedRegions: [] };
    }
    const geography = inferenceProfileGeography(id);
    if (geography === undefined) {
      if (typeof model !== "string" && model.routedRegions !== undefined) {
        check.report(`models.${i}.routedRegions`, model.routedRegions, "applies only to inference profiles (ids with a geography prefix such as us. or global.)", "remove routedRegions");
      }
      if (Object.hasOwn(INFERENCE_PROFILE_ONLY_MODELS, id)) {
        const local = region !== undefined ? Object.keys(INFERENCE_PROFILE_REGIONS).find((g) => g !== "global" && INFERENCE_PROFILE_REGIONS[g]!.includes(region)) : undefined;
        check.report(
          field,
          id,
          `is a model Bedrock serves only through an inference profile: invoked by its bare id, every call fails with "ValidationException: Invocation of model ID ${id} with on-demand throughput isn't supported" (on record: ${INFERENCE_PROFILE_ONLY_MODELS[id]})`,
          `use an inference profile id, e.g. "${local ?? "us"}.${id}"${local === undefined ? " (the prefix of your Region's geography)" : ""} or "global.${id}"`,
        );
      }
      return { id, routedRegions: [] };
    }
    const given = typeof model !== "string" && model.routedRegions !== undefined ? check.list<string>(`models.${i}.routedRegions`, (model as ModelProps).routedRegions) : undefined;
    const routedRegions: readonly string[] = given ?? INFERENCE_PROFILE_REGIONS[geography]!;
    routedRegions.forEach((r, j) => {
      if (r !== "*" && !REGION_PATTERN.test(r)) check.report(`models.${i}.routedRegions.${j}`, r, "is not an AWS Region code", 'use Region codes such as "us-east-1"');
    });
    if (region !== undefined && !routedRegions.includes(region) && !routedRegions.includes("*")) {
      check.report(field, id, `is an inference profile that does not route through ${region}, where the agent runs`, `use a profile of ${check.owner}'s geography, or list routedRegions including it`);
    }
    return { id, routedRegions };
  });
}

export function resolveAuth(check: ProblemCollector, auth: unknown): ResolvedRuntimeAuth {
  if (auth === undefined) return { type: "AWS_IAM" };
  const parsed = authInput.safeParse(auth);
  if (!parsed.success) {
    const type = (auth as { type?: unknown } | null)?.type;
    const none = typeof type === "string" && /^none$/i.test(type);
    // A known type with one bad field: name the field (zod's issue path), not the whole object.
    const field = type === "AWS_IAM" || type === "CUSTOM_JWT" ? parsed.error.issues.find((issue) => issue.path.length > 0 || issue.code === "unrecognized_keys") : undefined;
    if (field !== undefined && !none) {
      const path = field.code === "unrecognized_keys" ? field.keys[0]! : field.path.join(".");
      const value = (field.code === "unrecognized_keys" ? [path] : field.path).reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key], auth);
      check.report(`auth.${path}`, value, field.code === "unrecognized_keys" ? `is not a setting of ${type} auth` : field.message.replace(/^Invalid input: /, "is invalid: "), AUTH_FIX);
      return { type: "AWS_IAM" };
    }
    check.report(
      none ? "auth.type" : "auth",
      none ? type : auth,
      none
        ? "an AgentCore runtime without inbound auth is not something this project will deploy: anyone who can reach the endpoint could run the agent"
        : "is not a valid auth configuration",
      AUTH_FIX,
    );
    return { type: "AWS_IAM" };
  }
  const value = parsed.data;
  if (value.type === "AWS_IAM") return value;
  if (!Token.isUnresolved(value.discoveryUrl) && !/^https:\/\/[^\s]+\/\.well-known\/openid-configuration$/.test(value.discoveryUrl)) {
    check.report("auth.discoveryUrl", value.discoveryUrl, "must be an https URL ending in /.well-known/openid-configuration", "use your identity provider's OIDC discovery URL");
  }
  const allowedAudience = value.allowedAudience ?? [];
  const allowedClients = value.allowedClients ?? [];
  if (allowedAudience.length === 0 && allowedClients.length === 0) {
    check.report("auth", value, "accepts any token the issuer signs, for any application, because it names no audience and no client", "set allowedAudience or allowedClients");
  }
  const allowedScopes = value.allowedScopes ?? [];
  for (const [field, list] of [["allowedAudience", allowedAudience], ["allowedClients", allowedClients], ["allowedScopes", allowedScopes]] as const) {
    const attribute = `authorizer_configuration.custom_jwt_authorizer.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}[]`;
    list.forEach((entry, i) => {
      checkAgainstAws(check, `auth.${field}.${i}`, entry, { resource: "aws_bedrockagentcore_agent_runtime", attribute, service: "AgentCore", fix: "use the value your identity provider issues" });
    });
  }
  const tokenHoldersCanRunCommands = value.tokenHoldersCanRunCommands ?? false;
  if (!tokenHoldersCanRunCommands) {
    check.report(
      "auth.tokenHoldersCanRunCommands",
      value.tokenHoldersCanRunCommands,
      `is not true, but with a CUSTOM_JWT authorizer ${JWT_COMMANDS}: every holder of a token this authorizer accepts could run commands in the runtime's microVMs with the execution role's credentials, whatever the operator policy says`,
      'use { type: "AWS_IAM" } so that only named operators can run commands, or set auth.tokenHoldersCanRunCommands to true and narrow allowedClients and allowedScopes to the callers who may',
    );
  }
  return { type: "CUSTOM_JWT", discoveryUrl: value.discoveryUrl, allowedAudience, allowedClients, allowedScopes, tokenHoldersCanRunCommands };
}

/**
 * What a JWT authorizer means for commands: AgentCore accepts bearer tokens on InvokeAgentRuntimeCommand and the
 * interactive shell of such a runtime, and refuses SigV4 requests to it ("Authorization method mismatch … (OAuth or
 * SigV4)"): AgentCore devguide, "Interactive shells" (runtime-get-started-command-shell) and "Authenticate and
 * authorize with Inbound Auth" (runtime-oauth).
 */
export const JWT_COMMANDS = "AgentCore authorizes InvokeAgentRuntimeCommand and the interactive shell by the bearer token, not by IAM";

/**
 * The principal lists of an IAM runtime mean nothing to a JWT one: its callers carry a bearer token, not an IAM
 * identity, so they have no aws:PrincipalArn (a resource policy's "everyone else" deny would refuse every one of
 * them; AgentCore devguide, "Resource-based policies": OAuth callers can only be matched as Principal "*" with
 * source VPC or VPC endpoint conditions), and the operator policy's SigV4 requests are refused.
 */
export function checkJwtPrincipals(check: ProblemCollector, auth: ResolvedRuntimeAuth, invokers: readonly string[] | undefined, operators: readonly string[]): void {
  if (auth.type !== "CUSTOM_JWT") return;
  if (invokers !== undefined) {
    check.report(
      "invokers",
      invokers,
      "cannot be combined with a CUSTOM_JWT authorizer: JWT callers are not IAM principals and carry no aws:PrincipalArn, so the resource policy's deny of everyone not listed would refuse every caller",
      "remove invokers, and admit callers through the authorizer's allowedClients, allowedAudience and allowedScopes",
    );
  }
  if (operators.length > 0) {
    check.report(
      "operators",
      operators,
      `would get a policy that grants nothing: a runtime with a CUSTOM_JWT authorizer refuses SigV4 requests, and ${JWT_COMMANDS}`,
      "remove operators; with a JWT authorizer, whoever holds a token it accepts can run commands",
    );
  }
}

/** The principal kinds each list takes: a resource policy cannot name a group. */
/**
 * Which IAM principals each list takes: operators get a managed policy attached (a role, user or group can hold
 * one); invokers are matched by the runtime policy on `aws:PrincipalArn`, which is never a group's.
 */
export const PRINCIPAL_KINDS = {
  /** Holders of the operator policy. */
  operators: ["role", "user", "group"],
  /** Principals the runtime resource policy lets invoke. */
  invokers: ["role", "user"],
} as const satisfies Record<string, readonly PrincipalKind[]>;

/**
 * Operators get the operator policy attached by name, and invokers are matched on aws:PrincipalArn, so each must
 * be exactly one principal of the runtime's own account and partition. Where the account is not known at synth,
 * the runtime checks it at plan time instead (a precondition on the caller identity). Returns the parsed
 * principals (tokens are passed through unparsed).
 */
export function checkPrincipals(check: ProblemCollector, field: "operators" | "invokers", arns: readonly string[]): IamPrincipalArn[] {
  const { accountId: account, partition } = check.context;
  const kinds: readonly PrincipalKind[] = PRINCIPAL_KINDS[field];
  const seen = new Map<string, number>();
  const parsedPrincipals: IamPrincipalArn[] = [];
  arns.forEach((arn, i) => {
    const at = `${field}.${i}`;
    if (typeof arn !== "string") return check.report(at, arn, "is not an ARN", 'write the principal\'s ARN, e.g. "arn:aws:iam::123456789012:role/platform-oncall"');
    if (Token.isUnresolved(arn)) {
      // The resource policy can carry a reference; a policy attachment needs the principal's kind and name at synth.
      if (field === "operators") check.report(at, arn, "is a Terraform token; the operator policy is attached by name, which synth must know", "give the literal ARN, or call grantOperate with the IamRole, IamUser or IamGroup construct");
      return;
    }
    const parsed = parseIamPrincipalArn(arn);
    if (!parsed.ok) return check.report(at, arn, parsed.problem, parsed.fix);
    const principal = parsed.value;
    if (principal.kind === "root") {
      return field === "operators"
        ? check.report(at, arn, "is the account root; the operator policy is attached to named roles, users or groups", "list the roles, users or groups that may run commands")
        : check.report(
            at,
            arn,
            "is the account root: the runtime policy matches callers on aws:PrincipalArn, which for a role or user is its own ARN, so this would admit only the root user and lock out every role and user of that account",
            "list the roles and users that may invoke the runtime",
          );
    }
    if (!kinds.includes(principal.kind)) {
      return check.report(at, arn, "is a group; a resource policy cannot name a group as a principal", "list the roles and users that may invoke the runtime");
    }
    if (partition !== undefined && principal.partition !== partition) {
      return check.report(at, arn, `is in partition ${principal.partition}, but ${check.owner}'s Region is in ${partition}`, `use a principal of the ${partition} partition`);
    }
    if (account !== undefined && principal.accountId !== account) {
      return check.report(
        at,
        arn,
        field === "operators"
          ? `is in account ${principal.accountId}; the operator policy is attached by name in ${account}, so it would go to whichever ${principal.kind} of that name exists there`
          : `is in account ${principal.accountId}, not ${check.owner}'s account ${account}`,
        `list principals of ${check.owner}'s account (people of other accounts assume a role there)`,
      );
    }
    const identity = principalIdentity(principal);
    const first = seen.get(identity);
    if (first !== undefined) {
      return check.report(at, arn, `names the same IAM ${principal.kind} as ${check.name(field)}.${first} (IAM names are unique in an account whatever the path, and not case-sensitive)`, "list each principal once");
    }
    seen.set(identity, i);
    parsedPrincipals.push(principal);
  });
  return parsedPrincipals;
}
