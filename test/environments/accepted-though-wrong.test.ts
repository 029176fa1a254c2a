/**
 * Inputs the schema used to accept although AWS, or the intent of the field, says they are wrong. Each gets one
 * configuration error naming the field, the value and the fix. (Principals: principals.test.ts; the cold-tier
 * prefix and the bucket key: cold-tier.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { configProblems } from "../helpers/problems.ts";
import { environmentInput } from "../helpers/synth.ts";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

const problemsOf = (overrides: Partial<EnvironmentInput>) => configProblems(environmentInput(overrides));

describe("mount paths that AgentCore's pattern accepts but that are not a directory under /mnt", () => {
  it.each([
    ["/mnt/..", "resolves to / (the root of the container)"],
    ["/mnt/../", "resolves to / (the root of the container)"],
    ["/mnt/.", "resolves to /mnt itself"],
    ["/mnt/./", "resolves to /mnt itself"],
  ])("%s", (path, problem) => {
    expect(problemsOf({ agent: { models: [HAIKU], s3FilesMountPath: path } })).toEqual([
      `agent.s3FilesMountPath = ${JSON.stringify(path)}: ${problem}, not a directory of its own under /mnt. Fix: use a named directory such as "/mnt/data".`,
    ]);
  });

  it("still accepts names with dots", () => {
    expect(problemsOf({ agent: { models: [HAIKU], s3FilesMountPath: "/mnt/.cache", sessionStorageMountPath: "/mnt/work.v2" } })).toEqual([]);
  });
});

describe("POSIX identity", () => {
  it("refuses the root group among the secondary groups", () => {
    expect(problemsOf({ storage: { secondaryGids: [3000, 0] } })).toEqual([
      expect.stringMatching(/^storage\.secondaryGids\.1 = 0: is the root group: every client of the access point would act with gid 0 on the file system\. Fix: remove it/),
    ]);
  });
});

describe("ARNs of another partition or Region than the environment's", () => {
  it("refuses a KMS key, an existing trail and additional mounts of another partition", () => {
    const problems = problemsOf({
      storage: { kmsKeyArn: "arn:aws-cn:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      agent: {
        models: [HAIKU],
        alerts: { cloudTrail: { existingTrailArn: "arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/org" } },
        additionalMounts: [
          {
            type: "efs",
            accessPointArn: "arn:aws-cn:elasticfilesystem:us-west-2:123456789012:access-point/fsap-0123456789abcdef0",
            fileSystemArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0",
            mountPath: "/mnt/models",
            mountTargetSecurityGroupId: "sg-0123456789abcdef0",
          },
        ],
      },
    });
    expect(problems).toEqual([
      expect.stringContaining("storage.kmsKeyArn = \"arn:aws-cn:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\": is in partition aws-cn, but the Region is in aws"),
      expect.stringContaining("agent.additionalMounts.0.accessPointArn = \"arn:aws-cn:elasticfilesystem:us-west-2:123456789012:access-point/fsap-0123456789abcdef0\": is in aws-cn/us-west-2, but the runtime is in aws/us-west-2"),
      expect.stringContaining("agent.additionalMounts.0.fileSystemArn = \"arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0\": is in aws/eu-west-1, but the runtime is in aws/us-west-2"),
      expect.stringContaining('agent.alerts.cloudTrail.existingTrailArn = "arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/org": is in partition aws-us-gov'),
    ]);
  });

  it("refuses a trail of another Region unless the file says it is multi-Region", () => {
    const existingTrailArn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org";
    expect(problemsOf({ agent: { models: [HAIKU], alerts: { cloudTrail: { existingTrailArn } } } })).toEqual([
      `agent.alerts.cloudTrail.existingTrailArn = "${existingTrailArn}": is a trail of eu-west-1, but the runtime's command events happen in us-west-2; a trail that is not multi-Region logs only its own Region's events, so the alert would never fire. Fix: name a trail of us-west-2, or, if this trail is a multi-Region trail, say so with multiRegion: true.`,
    ]);
    expect(problemsOf({ agent: { models: [HAIKU], alerts: { cloudTrail: { existingTrailArn, multiRegion: true } } } })).toEqual([]);
  });

  it("refuses an S3 Files access point of another file system than the one named", () => {
    expect(
      problemsOf({
        agent: {
          models: [HAIKU],
          additionalMounts: [
            {
              type: "s3files",
              accessPointArn: "arn:aws:s3files:us-west-2:123456789012:file-system/fs-0fedcba9876543210/access-point/fsap-0fedcba9876543210",
              fileSystemArn: "arn:aws:s3files:us-west-2:123456789012:file-system/fs-0123456789abcdef0",
              mountPath: "/mnt/reference",
              mountTargetSecurityGroupId: "sg-0fedcba9876543210",
            },
          ],
        },
      }),
    ).toEqual([expect.stringMatching(/^agent\.additionalMounts\.0\.accessPointArn = .*: belongs to another file system than arn:aws:s3files:us-west-2:123456789012:file-system\/fs-0123456789abcdef0/)]);
  });
});

describe("found by the generated-input tests (test/environments/generated.test.ts)", () => {
  it("a Region named like an Object member is an unknown Region, not a crash", () => {
    for (const region of ["constructor", "toString", "__proto__"]) {
      expect(configProblems(environmentInput({ region }))[0], region).toMatch(new RegExp(`^region = "${region}": is not an AWS Region code`));
    }
    expect(configProblems(environmentInput({ agent: { models: ["constructor.anthropic.claude-x-v1:0"] } }))).toEqual([]);
  });

  it("a blank or unprintable name is reported by its place in the list", () => {
    expect(() => resolveEnvironments([environmentInput({ name: " " })])).toThrow(/environment "#1 \(name " "\)": name = " ": must start with a lowercase letter/);
  });

  it("odd keys are written so the field still reads as one: tags[\"\"], agent.environmentVariables[\"A B\"]", () => {
    expect(configProblems(environmentInput({ tags: { "": "x" } }))).toEqual(['tags[""] = "": tag keys must be 1 to 128 characters. Fix: shorten the tag key.']);
    expect(configProblems({ ...environmentInput(), "": 1 })).toEqual(['[""] = undefined: unknown field "". Fix: remove it or correct the spelling (see environments/schema.ts for the fields an environment takes).']);
  });

  it("a tag AWS refuses on the environment's resources (a control character, say) is a configuration problem, not a synth crash", () => {
    expect(configProblems(environmentInput({ tags: { Team: "a\u0000b" } }))).toEqual([
      expect.stringMatching(/^tags\.Team = "a\\u0000b": is refused by AWS as a tag value on the environment's resources: .*\. Fix: use letters, digits, spaces and \._:\/=\+@- in tag keys and values\.$/),
    ]);
  });

  it("Terraform template sequences in any setting are refused: Terraform would evaluate them", () => {
    expect(
      configProblems(
        environmentInput({
          tags: { Team: "${var.team}" },
          agent: {
            models: [HAIKU],
            environmentVariables: { GREETING: "hello %{if true}x%{endif}" },
            auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedAudience: ["${aws:username}"], tokenHoldersCanRunCommands: true },
          },
          audit: { suppress: [{ rule: "shell-iam-authorizes-commands", reason: "every client of the identity provider may run commands" }] },
        }),
      ),
    ).toEqual([
      'agent.auth.allowedAudience.0 = "${aws:username}": contains "${" or "%{", which Terraform would evaluate as an expression instead of passing the text on. Fix: remove the sequence (these settings take plain text).',
      'agent.environmentVariables.GREETING = "hello %{if true}x%{endif}": contains "${" or "%{", which Terraform would evaluate as an expression instead of passing the text on. Fix: remove the sequence (these settings take plain text).',
      'tags.Team = "${var.team}": contains "${" or "%{", which Terraform would evaluate as an expression instead of passing the text on. Fix: remove the sequence (these settings take plain text).',
    ]);
  });

  it("settings the project passes to the agent as variables get the same secret check as the agent's own", () => {
    expect(configProblems(environmentInput({ agent: { models: [HAIKU], agentPrefix: "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" } }))).toEqual([
      'agent.agentPrefix = "(value hidden)": looks like a secret (its value looks like an OpenAI API key (sk-proj-…)); it reaches the runtime as AGENT_PREFIX, readable by anyone who can describe the runtime. Fix: use a plain value here; keep secrets in AgentCore Identity or Secrets Manager.',
    ]);
  });

  it("a production environment that drops its data on teardown says why (the audit requires it kept)", () => {
    expect(configProblems(environmentInput({ stage: "production", storage: { retainDataOnTeardown: false } }))).toEqual([
      expect.stringMatching(/^storage\.retainDataOnTeardown = false: is false in a production environment.*Fix: keep it true, or, .*res-data-retained-in-production/),
    ]);
    const reason = "a load-test environment whose data is regenerated on every run";
    expect(configProblems(environmentInput({ stage: "production", storage: { retainDataOnTeardown: false }, audit: { suppress: [{ rule: "res-data-retained-in-production", reason }] } }))).toEqual([]);
  });
});
