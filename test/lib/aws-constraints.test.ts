import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import {
  AWS_CONSTRAINTS,
  AwsConstraintError,
  checkAwsConstraints,
  compilePattern,
  documentSize,
  formatViolation,
  readSynthesizedStacks,
  selectValues,
  type ConstraintRow,
  type SynthesizedStack,
} from "../../lib/aws-constraints/index.ts";
import { runSynthCommand, synthesize } from "../../lib/synth.ts";
import { AWS_MODELS_DIR, memberKey, resolveMember, resolveMemberFromModels, writeModelExtract } from "../helpers/aws-models.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };
const tempOutdir = () => join(mkdtempSync(join(tmpdir(), "constraints-")), "cdktf.out");

// Every shipped environment and both every-option environments (created and imported VPC), synthesized once;
// with synth's own check off, so the test below reports every violation rather than synth's first refusal.
const outdir = tempOutdir();
synthesize([...environments, ...EVERY_OPTION_ENVIRONMENTS], { outdir, targetVersions: cdktfJson.targetVersions, constraints: [] });
const synthesized = readSynthesizedStacks(outdir);
const stack = (name: string) => synthesized.find((s) => s.name === name)!;
const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/** A deep copy of one synthesized stack with one resource's attribute changed. */
function withValue(name: string, type: string, match: (config: Record<string, unknown>) => boolean, change: (config: Record<string, unknown>) => void): SynthesizedStack {
  const copy = structuredClone(stack(name)) as { name: string; json: { resource: Record<string, Record<string, Record<string, unknown>>> } };
  const found = Object.values(copy.json.resource[type] ?? {}).find(match);
  if (!found) throw new Error(`no ${type} in ${name} matches`);
  change(found);
  return copy as SynthesizedStack;
}

describe("the AWS API constraints table says what AWS's API models say", () => {
  if (process.env.UPDATE_AWS_MODEL_EXTRACT === "1") writeModelExtract(AWS_CONSTRAINTS.map((row) => row.api));

  const label = (row: ConstraintRow) => `${row.resource}.${row.attribute}${row.when ? ` (with ${row.when})` : ""} → ${row.api.service} ${row.api.shape}.${row.api.member}`;

  it.each(AWS_CONSTRAINTS.map((row) => [label(row), row] as const))("%s", (_, row) => {
    const { target, documentation } = resolveMember(row.api);
    for (const constraint of row.constraints) {
      const source = constraint.source;
      if (source.kind === "model-documentation") {
        expect(normalize(documentation), "the quoted prose is in the model's documentation of this member").toContain(normalize(source.quote));
        continue;
      }
      if (source.kind === "documentation") {
        // A rule from outside the model (a quota, a naming rule): it must not be looser than the model itself.
        if ((constraint.kind === "length" || constraint.kind === "policy-size") && constraint.max !== undefined && target.max !== undefined) {
          expect(constraint.max).toBeLessThanOrEqual(target.max);
        }
        expect(source.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
        continue;
      }
      switch (constraint.kind) {
        case "pattern":
          expect(constraint.pattern, "pattern copied verbatim from the model").toBe(target.pattern);
          break;
        case "enum":
          expect([...constraint.values].sort()).toEqual([...(target.enum ?? [])].sort());
          break;
        case "length":
        case "range":
        case "count":
          expect({ min: constraint.min, max: constraint.max }).toEqual({ min: target.min, max: target.max });
          break;
        case "policy-size":
          expect(constraint.max).toBe(target.max);
          break;
        case "prefix":
          throw new Error("a prefix rule is prose; it needs a quoted source");
      }
    }
  });

  it("every pattern compiles (AWS's Java-style patterns included)", () => {
    for (const row of AWS_CONSTRAINTS) for (const c of row.constraints) if (c.kind === "pattern") expect(() => compilePattern(c.pattern), c.pattern).not.toThrow();
  });

  it("covers at least the services the issue names", () => {
    const services = new Set(AWS_CONSTRAINTS.map((row) => row.api.service));
    for (const service of ["ec2", "iam", "s3", "s3files", "bedrock-agentcore-control", "ecr", "cloudtrail", "events", "sns", "kms", "logs"]) expect(services).toContain(service);
  });
});

// The extract the table is checked against is AWS's models, where they are (this workplace and its CI keep them
// beside the repository; a user's clone does not, and checks the table against the committed extract alone).
describe.runIf(existsSync(AWS_MODELS_DIR))("the committed extract of AWS's models is what the models say", () => {
  it.each([...new Set(AWS_CONSTRAINTS.map((row) => memberKey(row.api)))].map((key) => [key, AWS_CONSTRAINTS.find((row) => memberKey(row.api) === key)!.api] as const))("%s", (_, api) => {
    expect(resolveMember(api)).toEqual(resolveMemberFromModels(api));
  });
});

describe("every synthesized value passes", () => {
  it("in every shipped environment and in both every-option environments (created and imported VPC)", () => {
    expect(synthesized.map((s) => s.name)).toEqual(expect.arrayContaining(["dev-network", "staging-agent", "prod-storage", "everything-agent", "everything-imported-network"]));
    expect(checkAwsConstraints(synthesized).map(formatViolation)).toEqual([]);
  });

  // Rows whose attribute this project never sets; every other row must have checked at least one value, so a
  // row whose path no longer matches what cdktn writes cannot pass silently.
  const NOT_SET_BY_THIS_PROJECT = new Set([
    "aws_vpc_security_group_ingress_rule description when cidr_ipv6",
    "aws_vpc_security_group_ingress_rule description when prefix_list_id",
    "aws_vpc_security_group_egress_rule description when cidr_ipv6",
    "aws_iam_role path",
    "aws_iam_policy path",
    ...["not_equals", "not_starts_with", "ends_with", "not_ends_with"].flatMap((op) => [
      `aws_cloudtrail advanced_event_selector.field_selector.${op}[]`,
      `aws_cloudtrail advanced_event_selector.field_selector.${op}{count}`,
    ]),
    "aws_cloudwatch_event_rule state",
    "aws_cloudwatch_event_target target_id",
    "aws_cloudwatch_log_delivery_destination output_format",
  ]);

  it("every row checks real values, except the attributes this project never sets", () => {
    const unexercised = AWS_CONSTRAINTS.filter((row) => {
      const values = synthesized.flatMap((s) =>
        Object.values(s.json.resource?.[row.resource] ?? {})
          .filter((config) => row.when === undefined || config[row.when] !== undefined)
          .flatMap((config) => selectValues(config, row.attribute, { Project: "x" })),
      );
      return values.length === 0;
    }).map((row) => `${row.resource} ${row.attribute}${row.when ? ` when ${row.when}` : ""}`);
    expect(new Set(unexercised)).toEqual(NOT_SET_BY_THIS_PROJECT);
  });
});

describe("a value AWS would refuse is reported with stack, resource, attribute, value and rule", () => {
  it("pattern: the apostrophe in a security-group rule description (EC2's allowed characters)", () => {
    const bad = withValue("dev-network", "aws_vpc_security_group_egress_rule", (c) => c.cidr_ipv4 === "0.0.0.0/0", (c) => {
      c.description = "HTTPS to AWS APIs and the internet through the VPC's egress";
    });
    const [violation, ...others] = checkAwsConstraints([bad]);
    expect(others).toEqual([]);
    expect(violation).toMatchObject({
      stack: "dev-network",
      address: expect.stringMatching(/^aws_vpc_security_group_egress_rule\.network_agent-egress-https_/),
      attribute: "description",
      value: "HTTPS to AWS APIs and the internet through the VPC's egress",
      rule: expect.stringContaining("a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"),
      source: expect.stringContaining("ec2 IpRange.Description"),
    });
    expect(formatViolation(violation!)).toMatch(/^dev-network: aws_vpc_security_group_egress_rule\.\S+ description = "HTTPS to AWS APIs and the internet through the VPC's egress": must be only a-z/);
  });

  it("pattern: the member depends on the rule's other end (a group reference allows no '&')", () => {
    const bad = withValue("dev-network", "aws_vpc_security_group_ingress_rule", (c) => c.referenced_security_group_id !== undefined, (c) => {
      c.description = "NFS from agents & tools";
    });
    expect(checkAwsConstraints([bad]).map((v) => v.source)).toEqual([expect.stringContaining("ec2 UserIdGroupPair.Description")]);
  });

  it("length: a security-group description over 255 characters", () => {
    const bad = withValue("dev-network", "aws_security_group", () => true, (c) => {
      c.description = "x".repeat(256);
    });
    expect(checkAwsConstraints([bad])).toEqual([expect.objectContaining({ attribute: "description", rule: "must be 0 to 255 characters long, is 256" })]);
  });

  it("enum: a log retention CloudWatch Logs does not offer", () => {
    const bad = withValue("prod-network", "aws_cloudwatch_log_group", () => true, (c) => {
      c.retention_in_days = 10;
    });
    expect(checkAwsConstraints([bad])).toEqual([expect.objectContaining({ attribute: "retention_in_days", value: "10", rule: expect.stringMatching(/^must be one of 1, 3, 5/) })]);
  });

  it("range: an IAM role session shorter than an hour, and a KMS deletion window AWS's prose forbids", () => {
    const role = withValue("dev-agent", "aws_iam_role", () => true, (c) => {
      c.max_session_duration = 600;
    });
    expect(checkAwsConstraints([role])).toEqual([expect.objectContaining({ attribute: "max_session_duration", rule: "must be a number from 3600 to 43200" })]);
    const key = withValue("dev-agent", "aws_kms_key", () => true, (c) => {
      c.deletion_window_in_days = 60;
    });
    expect(checkAwsConstraints([key])).toEqual([expect.objectContaining({ attribute: "deletion_window_in_days", source: expect.stringContaining("must be between 7 and 30") })]);
  });

  it("count: more environment variables than a runtime takes", () => {
    const bad = withValue("dev-agent", "aws_bedrockagentcore_agent_runtime", () => true, (c) => {
      c.environment_variables = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`VAR_${i}`, "x"]));
    });
    expect(checkAwsConstraints([bad])).toEqual([expect.objectContaining({ attribute: "environment_variables", rule: "must hold 0 to 50 entries, holds 51" })]);
  });

  it("prefix: a KMS alias that does not start with alias/, and a reserved one", () => {
    const missing = withValue("dev-agent", "aws_kms_alias", () => true, (c) => {
      c.name = "dev-agent-shell-access";
    });
    expect(checkAwsConstraints([missing])).toEqual([expect.objectContaining({ attribute: "name", rule: 'must start with "alias/"' })]);
    const reserved = withValue("dev-agent", "aws_kms_alias", () => true, (c) => {
      c.name = "alias/aws/sns";
    });
    expect(checkAwsConstraints([reserved])).toEqual([expect.objectContaining({ rule: 'must not start with "alias/aws/"' })]);
  });

  it("tags: a default tag too long for EC2 is reported on every EC2 resource, named as coming from default_tags", () => {
    const copy = structuredClone(stack("dev-network")) as { name: string; json: { provider: { aws: { default_tags: { tags: Record<string, string> }[] }[] } } };
    copy.json.provider.aws[0]!.default_tags[0]!.tags["k".repeat(128)] = "v";
    const violations = checkAwsConstraints([copy as unknown as SynthesizedStack]);
    expect(violations.length).toBeGreaterThan(5);
    expect(violations[0]).toMatchObject({ attribute: `tags["${"k".repeat(128)}"] (from the provider's default_tags)`, rule: "must be 1 to 127 characters long, is 128" });
  });
});

describe("policy sizes (IAM quotas: white space not counted; references counted at their longest)", () => {
  const statement = (i: number) => ({ Sid: `S${i}`, Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-${"x".repeat(40)}/${i}/*` });
  const policyOf = (statements: number) => JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: statements }, (_, i) => statement(i)) });

  it("a managed policy over 6,144 characters", () => {
    const bad = withValue("dev-agent", "aws_iam_policy", (c) => String(c.name).endsWith("-agent-invoke"), (c) => {
      c.policy = policyOf(70);
    });
    expect(checkAwsConstraints([bad])).toEqual([expect.objectContaining({ attribute: "policy", rule: expect.stringMatching(/^must be at most 6,144 characters, white space not counted, is \d,\d{3}$/) })]);
  });

  it("a role's inline policies over 10,240 characters together, though each alone is under", () => {
    const copy = structuredClone(stack("dev-agent")) as { name: string; json: { resource: Record<string, Record<string, Record<string, unknown>>> } };
    const [id, original] = Object.entries(copy.json.resource.aws_iam_role_policy!)[0]!;
    copy.json.resource.aws_iam_role_policy![`${id}-second`] = { ...original, name: "second", policy: policyOf(60) };
    copy.json.resource.aws_iam_role_policy![`${id}-third`] = { ...original, name: "third", policy: policyOf(60) };
    const violations = checkAwsConstraints([copy as unknown as SynthesizedStack]);
    expect(violations).toEqual([expect.objectContaining({ value: expect.stringMatching(/characters in 3 inline policies of role \$\{aws_iam_role\./), rule: expect.stringContaining("for all inline policies of the role together") })]);
  });

  it("a trust policy whose references, at their longest, pass 2,048 characters", () => {
    const trust = (refs: number) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: Array.from({ length: refs }, (_, i) => `\${aws_iam_role.other_${i}.arn}`) }, Action: "sts:AssumeRole" }] });
    expect(documentSize(trust(7))).toBeLessThan(2048);
    const bad = withValue("dev-agent", "aws_iam_role", () => true, (c) => {
      c.assume_role_policy = trust(8);
    });
    expect(checkAwsConstraints([bad])).toEqual([expect.objectContaining({ attribute: "assume_role_policy", rule: expect.stringContaining("with its references at their longest") })]);
  });

  it("white space is not counted, references are", () => {
    expect(documentSize('{ "a": "b" }')).toBe('{"a":"b"}'.length);
    expect(documentSize("${data.aws_caller_identity.caller-identity.account_id}")).toBe(12);
    expect(documentSize('${can(regex("^x{2}$", var.v))}')).toBe(256);
  });
});

describe("values with Terraform references", () => {
  it("skip patterns they cannot be judged by, but still check the literal text of character-set patterns", () => {
    const literalBad = withValue("dev-agent", "aws_cloudwatch_event_rule", () => true, (c) => {
      c.name = "${var.prefix}-rule with space";
    });
    expect(checkAwsConstraints([literalBad])).toEqual([expect.objectContaining({ attribute: "name", rule: expect.stringContaining('the literal text "-rule with space" is not') })]);
    const referenceOnly = withValue("dev-agent", "aws_cloudwatch_event_rule", () => true, (c) => {
      c.name = "${var.rule_name}";
    });
    expect(checkAwsConstraints([referenceOnly])).toEqual([]);
  });
});

describe("npm run synth refuses a value AWS would refuse, and writes nothing", () => {
  const forbidLiveEndpoint: ConstraintRow = {
    resource: "aws_bedrockagentcore_agent_runtime_endpoint",
    attribute: "name",
    api: { service: "bedrock-agentcore-control", shape: "CreateAgentRuntimeEndpointRequest", member: "name" },
    constraints: [{ kind: "pattern", pattern: "(?!live$).*", says: "anything but live (a test rule)", source: { kind: "model" } }],
  };

  it("throws AwsConstraintError listing each value, and the output folder is not created", () => {
    const target = tempOutdir();
    let error: unknown;
    try {
      synthesize(EVERY_OPTION_ENVIRONMENTS, { outdir: target, targetVersions: cdktfJson.targetVersions, constraints: [forbidLiveEndpoint] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AwsConstraintError);
    expect((error as AwsConstraintError).violations.map((v) => `${v.stack} ${v.attribute} ${v.value}`)).toEqual(["everything-agent name live", "everything-imported-agent name live", "everything-jwt-agent name live"]);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(target, "..", `.cdktf.out.staging-${process.pid}`))).toBe(false);
  });

  it("the synth command returns exit status 1 and prints one line per violation", () => {
    const target = tempOutdir();
    const errors: string[] = [];
    const status = runSynthCommand(EVERY_OPTION_ENVIRONMENTS, { outdir: target, targetVersions: cdktfJson.targetVersions, constraints: [forbidLiveEndpoint] }, { log: () => {}, error: (line) => errors.push(line) });
    expect(status).toBe(1);
    const lines = errors.join("\n").split("\n");
    expect(lines[0]).toBe("synth refused: 3 values AWS would refuse:");
    expect(lines[1]).toMatch(/^ {2}- everything-agent: aws_bedrockagentcore_agent_runtime_endpoint\.\S+ name = "live": must be anything but live/);
    expect(lines.at(-1)).toBe("Nothing was written.");
    expect(existsSync(target)).toBe(false);
  });
});
