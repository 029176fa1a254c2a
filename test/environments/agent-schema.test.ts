import { describe, expect, it } from "vitest";
import { EnvironmentConfigError, resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { environmentInput } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const DISCOVERY = "https://id.example.com/.well-known/openid-configuration";
const jwtSuppression: Partial<EnvironmentInput> = { audit: { suppress: [{ rule: "shell-iam-authorizes-commands", reason: "every client of the identity provider may run commands" }] } };

function problemsWith(agent: Record<string, unknown>, extra: Partial<EnvironmentInput> = {}): string[] {
  try {
    resolveEnvironments([environmentInput({ agent: { models: [HAIKU], ...agent } as EnvironmentInput["agent"], ...extra })]);
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.problems.map((p) => `${p.field} = ${JSON.stringify(p.value)}: ${p.problem}. Fix: ${p.fix}.`);
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("agent configuration errors", () => {
  it("no auth cannot be configured", () => {
    expect(problemsWith({ auth: { type: "NONE" } })).toEqual([
      expect.stringMatching(/^agent\.auth\.type = "NONE": an AgentCore runtime without inbound auth is not something this project will deploy.*Fix: use \{ type: "AWS_IAM" \}/),
    ]);
  });

  it("a JWT authorizer with neither audience nor clients, or a discovery URL that is not OIDC", () => {
    expect(problemsWith({ auth: { type: "CUSTOM_JWT", discoveryUrl: "http://id.example.com/keys" } })).toEqual([
      expect.stringMatching(/^agent\.auth\.discoveryUrl = "http:\/\/id\.example\.com\/keys": must be an https URL ending in \/\.well-known\/openid-configuration/),
      expect.stringMatching(/^agent\.auth = .*names no audience and no client\. Fix: set allowedAudience or allowedClients\.$/),
      expect.stringMatching(/^agent\.auth\.tokenHoldersCanRunCommands = undefined: is not true, but with a CUSTOM_JWT authorizer AgentCore authorizes InvokeAgentRuntimeCommand/),
    ]);
  });

  it("a JWT authorizer needs the acknowledgement that token holders can run commands, and, in a file, the audit suppression saying why", () => {
    expect(problemsWith({ auth: { type: "CUSTOM_JWT", discoveryUrl: DISCOVERY, allowedAudience: ["api"] } }, jwtSuppression)).toEqual([
      'agent.auth.tokenHoldersCanRunCommands = undefined: is not true, but with a CUSTOM_JWT authorizer AgentCore authorizes InvokeAgentRuntimeCommand and the interactive shell by the bearer token, not by IAM: every holder of a token this authorizer accepts could run commands in the runtime\'s microVMs with the execution role\'s credentials, whatever the operator policy says. Fix: use { type: "AWS_IAM" } so that only named operators can run commands, or set auth.tokenHoldersCanRunCommands to true and narrow allowedClients and allowedScopes to the callers who may.',
    ]);
    expect(problemsWith({ auth: { type: "CUSTOM_JWT", discoveryUrl: DISCOVERY, allowedAudience: ["api"], tokenHoldersCanRunCommands: true } })).toEqual([
      'agent.auth.tokenHoldersCanRunCommands = true: lets every holder of a token the authorizer accepts run commands in the runtime (InvokeAgentRuntimeCommand is authorized by the bearer token, not by IAM), which the audit fails. Fix: use { type: "AWS_IAM" }, or say why token holders may run commands in audit.suppress: { rule: "shell-iam-authorizes-commands", reason: "…" }.',
    ]);
    expect(resolveEnvironments([environmentInput({ agent: { models: [HAIKU], auth: { type: "CUSTOM_JWT", discoveryUrl: DISCOVERY, allowedAudience: ["api"], tokenHoldersCanRunCommands: true } }, ...jwtSuppression })])[0]!.agent.auth).toMatchObject({
      type: "CUSTOM_JWT",
      tokenHoldersCanRunCommands: true,
    });
  });

  it("a JWT authorizer takes no IAM principal lists: invokers would deny every JWT caller, and operators would get a policy that grants nothing", () => {
    const auth = { type: "CUSTOM_JWT", discoveryUrl: DISCOVERY, allowedAudience: ["api"], tokenHoldersCanRunCommands: true };
    expect(problemsWith({ auth, invokers: ["arn:aws:iam::123456789012:role/frontend"], operators: ["arn:aws:iam::123456789012:role/oncall"] }, jwtSuppression)).toEqual([
      'agent.invokers = ["arn:aws:iam::123456789012:role/frontend"]: cannot be combined with a CUSTOM_JWT authorizer: JWT callers are not IAM principals and carry no aws:PrincipalArn, so the resource policy\'s deny of everyone not listed would refuse every caller. Fix: remove invokers, and admit callers through the authorizer\'s allowedClients, allowedAudience and allowedScopes.',
      'agent.operators = ["arn:aws:iam::123456789012:role/oncall"]: would get a policy that grants nothing: a runtime with a CUSTOM_JWT authorizer refuses SigV4 requests, and AgentCore authorizes InvokeAgentRuntimeCommand and the interactive shell by the bearer token, not by IAM. Fix: remove operators; with a JWT authorizer, whoever holds a token it accepts can run commands.',
    ]);
  });

  it("a JWT scope AgentCore's API refuses is a configuration error, judged by the same table as synth's check", () => {
    const discoveryUrl = "https://id.example.com/.well-known/openid-configuration";
    expect(problemsWith({ auth: { type: "CUSTOM_JWT", discoveryUrl, allowedAudience: ["api"], allowedScopes: ["read write", "ok"], tokenHoldersCanRunCommands: true } }, jwtSuppression)).toEqual([
      expect.stringMatching(/^agent\.auth\.allowedScopes\.0 = "read write": is not accepted by AgentCore: must be printable ASCII without spaces, quotes or backslashes .*CustomJWTAuthorizerConfiguration\.allowedScopes/),
    ]);
  });

  it("a wildcard model", () => {
    expect(problemsWith({ models: ["anthropic.*"] })).toEqual([
      'agent.models.0 = "anthropic.*": is a wildcard; the execution role is scoped to the exact models the agent uses. Fix: name each model exactly, e.g. "anthropic.claude-3-haiku-20240307-v1:0" or "us.anthropic.claude-sonnet-4-5-20250929-v1:0".',
    ]);
  });

  it("an inference profile that does not route through the environment's Region", () => {
    expect(problemsWith({ models: ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"] })).toEqual([
      expect.stringMatching(/^agent\.models\.0 = "eu\.anthropic.*": is an inference profile that does not route through us-west-2/),
    ]);
  });

  it("a bad mount path, and two mounts on one path", () => {
    expect(problemsWith({ sessionStorageMountPath: "/workspace", s3FilesMountPath: "/mnt/a/b" })).toEqual([
      expect.stringMatching(/^agent\.sessionStorageMountPath = "\/workspace": must be a single directory directly under \/mnt/),
      expect.stringMatching(/^agent\.s3FilesMountPath = "\/mnt\/a\/b": must be a single directory directly under \/mnt/),
    ]);
    expect(problemsWith({ s3FilesMountPath: "/mnt/workspace/" })).toEqual([
      expect.stringMatching(/^agent\.s3FilesMountPath = "\/mnt\/workspace\/": is also used by agent\.sessionStorageMountPath; mount paths must be distinct/),
    ]);
  });

  it("too many mounts", () => {
    const s3files = (n: number) => ({
      type: "s3files",
      accessPointArn: `arn:aws:s3files:us-west-2:123456789012:file-system/fs-0123456789abcdef${n}/access-point/fsap-0123456789abcdef${n}`,
      fileSystemArn: `arn:aws:s3files:us-west-2:123456789012:file-system/fs-0123456789abcdef${n}`,
      mountPath: `/mnt/extra${n}`,
      mountTargetSecurityGroupId: "sg-0123456789abcdef0",
    });
    expect(problemsWith({ additionalMounts: [s3files(1), s3files(2)] })).toEqual([
      expect.stringMatching(/^agent\.additionalMounts = \["\/mnt\/extra1","\/mnt\/extra2"\]: adds up to 3 S3 Files access points; a runtime allows 2\. Fix: remove mounts\.$/),
    ]);
    const efs = (n: number) => ({
      type: "efs",
      accessPointArn: `arn:aws:elasticfilesystem:us-west-2:123456789012:access-point/fsap-0123456789abcdef${n}`,
      fileSystemArn: `arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123456789abcdef${n}`,
      mountPath: `/mnt/efs${n}`,
      mountTargetSecurityGroupId: "sg-0123456789abcdef0",
    });
    expect(problemsWith({ additionalMounts: [efs(1), efs(2), s3files(3), efs(4)] })).toEqual([
      expect.stringContaining("adds up to 6 file systems in all (session storage, this environment's S3 Files, 4 more); a runtime allows 5"),
      expect.stringContaining("adds up to 3 EFS access points; a runtime allows 2"),
    ]);
  });

  it("a lifecycle outside 60..28800 seconds, and an idle timeout longer than the lifetime", () => {
    expect(problemsWith({ idleTimeoutSeconds: 30, maxLifetimeSeconds: 30000 })).toEqual([
      expect.stringMatching(/^agent\.idleTimeoutSeconds = 30: must be a whole number of seconds from 60 to 28800/),
      expect.stringMatching(/^agent\.maxLifetimeSeconds = 30000: must be a whole number of seconds from 60 to 28800/),
    ]);
    expect(problemsWith({ idleTimeoutSeconds: 7200, maxLifetimeSeconds: 3600 })).toEqual([
      'agent.idleTimeoutSeconds = 7200: is longer than agent.maxLifetimeSeconds (3600), so sessions would end before they could idle out. Fix: make the idle timeout at most the maximum lifetime.',
    ]);
  });

  it("a secret-like environment variable, with its value hidden and a pointer to AgentCore Identity", () => {
    const problems = problemsWith({ environmentVariables: { GITHUB_TOKEN: "ghp_live_value", OPENAI_API_KEY: "sk-123", LOG_LEVEL: "info" } });
    expect(problems).toHaveLength(2);
    for (const [problem, name] of problems.map((p, i) => [p, ["GITHUB_TOKEN", "OPENAI_API_KEY"][i]] as const)) {
      expect(problem).toMatch(new RegExp(`^agent\\.environmentVariables\\.${name} = "\\(value hidden\\)": looks like a secret.*Fix: .*AgentCore Identity`));
      expect(problem).not.toMatch(/ghp_live_value|sk-123/);
    }
  });

  it("a credential-shaped value under a harmless name, hidden in the message", () => {
    const problems = problemsWith({ environmentVariables: { UPSTREAM: "AKIAABCDEFGHIJKLMNOP", LOG_LEVEL: "info" } });
    expect(problems).toEqual([expect.stringMatching(/^agent\.environmentVariables\.UPSTREAM = "\(value hidden\)": looks like a secret/)]);
    expect(problems[0]).not.toContain("AKIA");
  });

  it("overriding a variable the project sets, and too many variables", () => {
    expect(problemsWith({ environmentVariables: { AGENT_BUCKET: "elsewhere" } })).toEqual([
      expect.stringMatching(/^agent\.environmentVariables\.AGENT_BUCKET = "elsewhere": is set by the project/),
    ]);
    const many = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`SETTING_${i}`, "x"]));
    expect(problemsWith({ environmentVariables: many })).toEqual([expect.stringContaining("with the project's 7 that makes 51; a runtime allows 50")]);
  });

  it("production refuses to synthesize without an alert recipient", () => {
    expect(problemsWith({}, { stage: "production" })).toEqual([
      expect.stringMatching(/^agent\.alerts\.emails = \[\]: is empty, but shell access into a production runtime \(InvokeAgentRuntimeCommand\) must alert someone/),
    ]);
    expect(() => resolveEnvironments([environmentInput({ stage: "production", agent: { models: [HAIKU], alerts: { emails: ["oncall@example.com"] } } })])).not.toThrow();
  });

  it("operators must be IAM principals of the environment's account; a trail ARN must be a trail", () => {
    expect(
      problemsWith({ operators: ["arn:aws:iam::999999999999:role/x", "alice"], alerts: { cloudTrail: { existingTrailArn: "org-trail" } } }, { account: "123456789012" }),
    ).toEqual([
      expect.stringMatching(/^agent\.alerts\.cloudTrail\.existingTrailArn = "org-trail": is not a CloudTrail trail ARN/),
      expect.stringMatching(/^agent\.operators\.0 = "arn:aws:iam::999999999999:role\/x": is in account 999999999999; the operator policy is attached by name in 123456789012/),
      expect.stringMatching(/^agent\.operators\.1 = "alice": is not an ARN/),
    ]);
  });
});
