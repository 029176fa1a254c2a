import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { EnvironmentConfigError, resolveEnvironments, type Environment, type EnvironmentInput } from "../../environments/schema.ts";
import { formatAudit, runAudit } from "../../lib/audit/report.ts";
import { describeLevel, RULES, type AuditContext, type Rule } from "../../policies/rules/index.ts";
import { AgentEnvironment } from "../../modules/environment/agent-environment.ts";
import { environmentInput, synthStack, testApp } from "../helpers/synth.ts";

function contextOf(environment: Environment): AuditContext {
  const stacks = AgentEnvironment.fromEnvironment(testApp(), environment);
  return {
    environment: environment.name,
    stage: environment.stage,
    stacks: { network: synthStack(stacks.network), storage: synthStack(stacks.storage), registry: synthStack(stacks.registry), agent: synthStack(stacks.agent) },
  };
}

const shippedInputs = environments as EnvironmentInput[];
const prodInput = shippedInputs.find((e) => e.name === "prod")!;
const prod = contextOf(resolveEnvironments([prodInput])[0]!);
const jwt = contextOf(
  resolveEnvironments([
    {
      ...prodInput,
      agent: { ...prodInput.agent, auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedAudience: ["agents"], tokenHoldersCanRunCommands: true } },
      audit: { suppress: [{ rule: "shell-iam-authorizes-commands", reason: "every client the identity provider issues tokens to may run commands" }] },
    },
  ])[0]!,
);

type Config = Record<string, unknown>;
/** A deep copy of the shipped prod configuration, changed the way a careless edit would. */
function weakened(change: (stacks: AuditContext["stacks"]) => void, base: AuditContext = prod): AuditContext {
  const copy = structuredClone(base) as AuditContext;
  change(copy.stacks);
  return copy;
}
const all = (json: AuditContext["stacks"][keyof AuditContext["stacks"]], type: string) => Object.values(json.resource?.[type] ?? {}) as Config[];
const one = (json: AuditContext["stacks"][keyof AuditContext["stacks"]], type: string, match: (c: Config) => boolean = () => true) => all(json, type).find(match)!;
function editPolicy(config: Config, field: string, edit: (doc: { Statement: Config[] }) => void): void {
  const doc = JSON.parse(String(config[field])) as { Statement: Config[] };
  edit(doc);
  config[field] = JSON.stringify(doc);
}
const executionPolicy = (s: AuditContext["stacks"]) => one(s.agent, "aws_iam_role_policy");
const managed = (s: AuditContext["stacks"], suffix: string) => one(s.agent, "aws_iam_policy", (p) => String(p.name).endsWith(suffix));
function addResource(json: AuditContext["stacks"]["agent"], type: string, id: string, config: Config): void {
  const resource = json.resource as Record<string, Record<string, Config>>;
  (resource[type] ??= {})[id] = config;
}

/** For each rule: a weakened copy of prod and the finding that must name the problem. */
const WEAKENED: Record<string, { context: () => AuditContext; finding: RegExp }> = {
  "iam-bedrock-model-scoped": {
    context: () => weakened((s) => editPolicy(executionPolicy(s), "policy", (d) => (d.Statement[0]!.Resource = "arn:aws:bedrock:us-east-1::foundation-model/*"))),
    finding: /model access is not scoped: arn:aws:bedrock:us-east-1::foundation-model\/\*/,
  },
  "iam-ecr-repository-scoped": {
    context: () => weakened((s) => editPolicy(executionPolicy(s), "policy", (d) => (d.Statement.find((x) => x.Sid === "PullTheAgentImageOnly")!.Resource = "arn:aws:ecr:us-east-1:123456789012:repository/*"))),
    finding: /image pull allowed on arn:aws:ecr:us-east-1:123456789012:repository\/\*/,
  },
  "iam-trust-scoped": {
    context: () => weakened((s) => editPolicy(one(s.agent, "aws_iam_role"), "assume_role_policy", (d) => delete d.Statement[0]!.Condition)),
    finding: /trust has no aws:SourceAccount condition/,
  },
  "iam-wildcard-resources": {
    context: () => weakened((s) => editPolicy(executionPolicy(s), "policy", (d) => d.Statement.push({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }))),
    finding: /allowed on \*: s3:GetObject in aws_iam_role_policy\./,
  },
  "auth-inbound-not-none": {
    context: () =>
      weakened((s) =>
        addResource(s.agent, "aws_bedrockagentcore_resource_policy", "open", {
          resource_arn: "x",
          policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "bedrock-agentcore:InvokeAgentRuntime", Resource: "*" }] }),
        }),
      ),
    finding: /allows any principal without a condition/,
  },
  "auth-jwt-complete": {
    context: () =>
      weakened((s) => {
        const runtime = one(s.agent, "aws_bedrockagentcore_agent_runtime");
        const authorizer = (runtime.authorizer_configuration as { custom_jwt_authorizer: Config[] }[])[0]!.custom_jwt_authorizer[0]!;
        delete authorizer.allowed_audience;
      }, jwt),
    finding: /names no audience and no client/,
  },
  "shell-separate-policy": {
    context: () => weakened((s) => editPolicy(managed(s, "-agent-invoke"), "policy", (d) => ((d.Statement[0]!.Action as string[]).push("bedrock-agentcore:InvokeAgentRuntimeCommand")))),
    finding: /InvokeAgentRuntimeCommand allowed in aws_iam_policy\..*invoker-policy.* beside other actions/,
  },
  "shell-named-operators-only": {
    context: () =>
      weakened((s) => {
        const [id] = Object.entries(s.agent.resource!.aws_iam_policy!).find(([, p]) => String(p.name).endsWith("-agent-operator"))!;
        addResource(s.agent, "aws_iam_policy_attachment", "everyone", { name: "all", policy_arn: `\${aws_iam_policy.${id}.arn}`, groups: ["developers"] });
      }),
    finding: /attached through aws_iam_policy_attachment everyone/,
  },
  "shell-iam-authorizes-commands": {
    // The defect the outside review found: with a JWT authorizer, any token holder runs commands; no IAM policy applies.
    context: () => jwt,
    finding: /JWT authorizer \(https:\/\/id\.example\.com\/\.well-known\/openid-configuration\) lets every holder of a token it accepts run commands/,
  },
  "shell-alert-configured": {
    context: () => weakened((s) => all(s.agent, "aws_sns_topic").forEach((t) => delete t.kms_master_key_id)),
    finding: /the alert topic is not encrypted/,
  },
  "shell-alert-recipients": {
    context: () => weakened((s) => delete (s.agent.resource as Record<string, unknown>).aws_sns_topic_subscription),
    finding: /the alert topic has no subscriber/,
  },
  "shell-cloudtrail-selects-commands": {
    // A trail that selects the runtime but not its endpoints: exec through the "live" endpoint goes unlogged.
    context: () =>
      weakened((s) => {
        const trail = one(s.agent, "aws_cloudtrail");
        trail.advanced_event_selector = (trail.advanced_event_selector as Config[]).slice(0, 1);
      }),
    finding: /does not select command data events of AWS::BedrockAgentCore::RuntimeEndpoint/,
  },
  "config-no-secret-env": {
    context: () =>
      weakened((s) => {
        const runtime = one(s.agent, "aws_bedrockagentcore_agent_runtime");
        runtime.environment_variables = { ...(runtime.environment_variables as Config), GITHUB_TOKEN: "ghp_0123456789abcdefghij0123", UPSTREAM: "AKIAABCDEFGHIJKLMNOP" };
      }),
    finding: /secret-like variables: GITHUB_TOKEN \(its name has the word TOKEN\), UPSTREAM \(its value looks like an AWS access key id\); values not shown/,
  },
  "config-image-by-digest": {
    context: () => weakened((s) => (one(s.agent, "aws_bedrockagentcore_agent_runtime").agent_runtime_artifact = [{ container_configuration: [{ container_uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/prod-agent:latest" }] }])),
    finding: /is not referenced by digest/,
  },
  "obs-log-retention": {
    context: () => weakened((s) => all(s.agent, "aws_cloudwatch_log_group").forEach((g) => delete g.retention_in_days)),
    finding: /no retention on \/aws\/vendedlogs\/bedrock-agentcore\/prod_agent\/application-logs/,
  },
  "obs-tracing-permitted": {
    context: () => weakened((s) => editPolicy(executionPolicy(s), "policy", (d) => (d.Statement = d.Statement.filter((x) => x.Sid !== "SendTraces")))),
    finding: /the execution role cannot xray:PutTraceSegments/,
  },
  "perf-lifecycle-explicit": {
    context: () => weakened((s) => delete one(s.agent, "aws_bedrockagentcore_agent_runtime").lifecycle_configuration),
    finding: /lifecycle left to the service defaults/,
  },
  "perf-endpoint-follows-version": {
    context: () => weakened((s) => delete one(s.agent, "aws_bedrockagentcore_agent_runtime_endpoint").agent_runtime_version),
    finding: /endpoints without a version: live/,
  },
  "res-bucket-versioned": {
    context: () => weakened((s) => (one(s.storage, "aws_s3_bucket_versioning").versioning_configuration = { status: "Suspended" })),
    finding: /versioning is not Enabled/,
  },
  "res-bucket-encrypted": {
    context: () => weakened((s) => delete (s.storage.resource as Record<string, unknown>).aws_s3_bucket_server_side_encryption_configuration),
    finding: /no default encryption/,
  },
  "res-bucket-tls-only": {
    context: () => weakened((s) => editPolicy(one(s.storage, "aws_s3_bucket_policy"), "policy", (d) => (d.Statement = d.Statement.filter((x) => x.Sid !== "DenyInsecureTransport")))),
    finding: /no bucket policy denies requests without TLS/,
  },
  "res-bucket-public-access-blocked": {
    context: () => weakened((s) => (one(s.storage, "aws_s3_bucket_public_access_block").block_public_policy = false)),
    finding: /off: block_public_policy/,
  },
  "res-mount-target-sg": {
    context: () =>
      weakened((s) => {
        const [id] = Object.entries(s.network.resource!.aws_security_group!).find(([, g]) => String(g.name).endsWith("-s3files-mount-targets"))!;
        addResource(s.network, "aws_vpc_security_group_ingress_rule", "wide-open", { security_group_id: `\${aws_security_group.${id}.id}`, ip_protocol: "tcp", from_port: 2049, to_port: 2049, cidr_ipv4: "0.0.0.0/0" });
      }),
    finding: /other ingress on the mount targets: tcp 2049-2049 from 0\.0\.0\.0\/0/,
  },
  "res-data-retained-in-production": {
    context: () => weakened((s) => (one(s.storage, "aws_s3_bucket").force_destroy = true)),
    finding: /force_destroy: teardown would delete its data/,
  },
};

describe("each rule: compliant on the shipped prod, non-compliant on a weakened copy", () => {
  it("every rule has a weakened case here", () => {
    expect(Object.keys(WEAKENED).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    it(`${rule.id} (${describeLevel(rule)}, ${rule.group})`, () => {
      const compliant = rule.id === "auth-jwt-complete" ? jwt : prod;
      expect(rule.check(compliant), "compliant").toMatchObject({ status: "pass" });
      const { context, finding } = WEAKENED[rule.id]!;
      const result = rule.check(context());
      expect(result.status, "weakened").toBe("fail");
      expect(result.finding).toMatch(finding);
    });
  }

  it("obs-log-retention also fails when the stack manages AgentCore's own log group, or delivers the runtime's logs nowhere", () => {
    const rule = RULES.find((r) => r.id === "obs-log-retention")!;
    const managed = weakened((s) => addResource(s.agent, "aws_cloudwatch_log_group", "service", { name: "/aws/bedrock-agentcore/runtimes/${aws_bedrockagentcore_agent_runtime.x.agent_runtime_id}-DEFAULT", retention_in_days: 365 }));
    expect(rule.check(managed)).toMatchObject({ status: "fail", finding: expect.stringContaining("manages AgentCore's own log groups /aws/bedrock-agentcore/runtimes/") });
    const undelivered = weakened((s) => delete (s.agent.resource as Record<string, unknown>).aws_cloudwatch_log_delivery);
    expect(rule.check(undelivered)).toEqual({ status: "fail", finding: "the runtime's application logs are not delivered to a log group of this environment, so nothing of them has a retention period" });
  });

  it("shell-cloudtrail-selects-commands also fails when no trail selects the command events at all", () => {
    const noTrail = weakened((s) => delete (s.agent.resource as Record<string, unknown>).aws_cloudtrail);
    expect(RULES.find((r) => r.id === "shell-cloudtrail-selects-commands")!.check(noTrail)).toEqual({ status: "fail", finding: "no trail selects InvokeAgentRuntimeCommand data events" });
  });

  it("rules that do not apply say so", () => {
    expect(RULES.find((r) => r.id === "auth-jwt-complete")!.check(prod)).toEqual({ status: "n/a", finding: "inbound auth is AWS_IAM" });
    const dev = contextOf(resolveEnvironments([shippedInputs.find((e) => e.name === "dev")!])[0]!);
    expect(RULES.find((r) => r.id === "res-data-retained-in-production")!.check(dev)).toEqual({ status: "n/a", finding: "development environment" });
  });
});

describe("the audit of an environment", () => {
  it("passes the shipped prod; a production file that drops its data must say why, and the audit then reports it as suppressed", () => {
    expect(runAudit(prod, []).blocking).toEqual([]);
    const careless = { ...prodInput, storage: { retainDataOnTeardown: false }, agent: { ...prodInput.agent, alerts: { emails: ["x@example.com"], cloudTrail: { existingTrailArn: "arn:aws:cloudtrail:us-east-1:123456789012:trail/org" } } } };
    expect(() => resolveEnvironments([careless])).toThrow(/storage\.retainDataOnTeardown = false: is false in a production environment/);
    const reason = "a load-test environment: its data is regenerated on every run";
    const explained = resolveEnvironments([{ ...careless, audit: { suppress: [{ rule: "res-data-retained-in-production", reason }] } }])[0]!;
    const report = runAudit(contextOf(explained), explained.auditSuppressions);
    expect(report.blocking).toEqual([]);
    expect(report.results.find((r) => r.rule === "res-data-retained-in-production")).toMatchObject({ status: "fail", suppressed: reason });
    expect(report.results.find((r) => r.rule === "shell-cloudtrail-selects-commands")!.finding).toMatch(/relies on existing trail arn:aws:cloudtrail:us-east-1:123456789012:trail\/org/);
  });

  it("a suppression with a reason turns a failure into a reported, non-blocking one", () => {
    const context = WEAKENED["res-bucket-encrypted"]!.context();
    const reason = "encryption is enforced by an organization-wide SCP and bucket key policy";
    const report = runAudit(context, [{ rule: "res-bucket-encrypted", reason }]);
    expect(report.blocking).toEqual([]);
    expect(report.results.find((r) => r.rule === "res-bucket-encrypted")).toMatchObject({ status: "fail", suppressed: reason });
    expect(formatAudit(report)).toContain(`[supp] res-bucket-encrypted`);
    expect(formatAudit(report)).toContain(`suppressed: ${reason}`);
  });

  it("a requirement the stage table makes optional in development is an error only in production", () => {
    const withoutRecipients = (base: AuditContext) => weakened((s) => delete (s.agent.resource as Record<string, unknown>).aws_sns_topic_subscription, base);
    const production = runAudit(withoutRecipients(prod), []);
    expect(production.blocking).toEqual(["shell-alert-recipients"]);
    const development = runAudit(withoutRecipients({ ...prod, stage: "development" }), []);
    expect(development.results.find((r) => r.rule === "shell-alert-recipients")).toMatchObject({ status: "fail", level: "warning" });
    expect(development.blocking).toEqual([]);
  });

  it("the shipped environments, dev included, have no error-level finding (npm run audit -- --all exits 0)", () => {
    for (const input of shippedInputs) {
      const environment = resolveEnvironments([input])[0]!;
      expect(runAudit(contextOf(environment), environment.auditSuppressions).blocking, environment.name).toEqual([]);
    }
  });

  it("warnings are reported but do not block", () => {
    const report = runAudit(WEAKENED["perf-lifecycle-explicit"]!.context(), []);
    expect(report.results.find((r) => r.rule === "perf-lifecycle-explicit")!.status).toBe("fail");
    expect(report.blocking).toEqual([]);
  });

  it("a rule that cannot read the configuration fails visibly", () => {
    const broken: Rule = { ...RULES[0]!, check: () => { throw new Error("unexpected shape"); } };
    expect(runAudit(prod, [], [broken]).results[0]).toMatchObject({ status: "fail", finding: "the rule could not evaluate the configuration: unexpected shape" });
  });

  it("groups the checklist like the source: IAM, Authentication, Shell access, Code/config, Observability, Performance, Resources", () => {
    const text = formatAudit(runAudit(prod, []));
    const positions = ["IAM", "Authentication", "Shell access", "Code/config", "Observability", "Performance", "Resources"].map((g) => text.indexOf(`\n${g}\n`));
    expect(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
  });

  it("suppressions need a known rule and a written reason", () => {
    expect(() => resolveEnvironments([environmentInput({ audit: { suppress: [{ rule: "no-such-rule", reason: "because the platform team said so" }, { rule: "res-bucket-encrypted", reason: "ok" }] } })])).toThrow(EnvironmentConfigError);
    try {
      resolveEnvironments([environmentInput({ audit: { suppress: [{ rule: "no-such-rule", reason: "because the platform team said so" }, { rule: "res-bucket-encrypted", reason: "ok" }] } })]);
    } catch (error) {
      expect((error as EnvironmentConfigError).problems.map((p) => `${p.field}: ${p.problem}`)).toEqual([
        "audit.suppress.0.rule: is not an audit rule",
        "audit.suppress.1.reason: is too short to tell a reviewer why the rule does not apply",
      ]);
    }
  });
});

describe("the README's rules table", () => {
  it("lists every rule with its level, group and cause", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const rule of RULES) {
      expect(readme, rule.id).toContain(`| \`${rule.id}\` | ${describeLevel(rule)} | ${rule.group} | ${rule.cause} |`);
    }
  });
});
