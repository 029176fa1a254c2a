/**
 * The secret detector shared by the schema and the audit: it must catch current credential formats and
 * secret names in any spelling, and leave ordinary configuration alone (ARNs, UUIDs, digests, URLs without a
 * password, encoded configuration, identifiers). Generated inputs use fixed seeds: the same run every time.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EnvironmentConfigError, resolveEnvironments } from "../../environments/schema.ts";
import { configNoSecretEnv } from "../../policies/rules/config-no-secret-env.ts";
import { highEntropyToken, nameWords, secretLikeName, secretLikeValue } from "../../policies/secrets.ts";
import { environmentInput } from "../helpers/synth.ts";

describe("names: secret words anywhere, camelCase and run-together included", () => {
  it.each([
    "dbPassword", "DB_PASSWORD", "PRIVATEKEY", "privateKey", "apiKey", "x-api-key", "OPENAI_API_KEY", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY",
    "clientSecret", "SSH_KEY", "STRIPE_KEY", "db_pass", "SLACK_BOT_TOKEN", "refreshToken", "MY_CREDS", "ConnectionString", "passphrase",
    "KEY", "DBPASSWORD", "oauthAccessToken", "SIGNING_KEYS", "smtpPwd", "ANTHROPIC_API_KEY", "jwtSecret",
  ])("%s is secret-like", (name) => {
    expect(secretLikeName(name)).toMatch(/^its name (contains|has the word) [A-Z]+$/);
  });

  it.each([
    "MAX_TOKENS", "maxOutputTokens", "TOKEN_LIMIT", "CONTEXT_WINDOW_TOKENS", "S3_KEY_PREFIX", "CACHE_KEY", "KMS_KEY_ID", "PUBLIC_KEY_PATH",
    "LOG_LEVEL", "FEATURE_FLAGS", "TOKENIZER_PATH", "KEYBOARD_LAYOUT", "MONKEY_PATCH", "BYPASS_CACHE", "COMPASS_URL", "PARTITION_KEY",
    "AGENT_MODEL_IDS", "idempotencyKey",
  ])("%s is configuration", (name) => {
    expect(secretLikeName(name)).toBeUndefined();
  });

  it("splits names the way people write them", () => {
    expect(nameWords("dbPassword")).toEqual(["DB", "PASSWORD"]);
    expect(nameWords("DBPassword")).toEqual(["DB", "PASSWORD"]);
    expect(nameWords("x-api-key")).toEqual(["X", "API", "KEY"]);
    expect(nameWords("OPENAI_API_KEY")).toEqual(["OPENAI", "API", "KEY"]);
  });
});

describe("values: current credential formats", () => {
  it.each([
    ["sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_AbCdEfGh-1234", "an OpenAI API key (sk-proj-…)"],
    ["sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA-abcdefgh_ijk", "an Anthropic API key (sk-ant-…)"],
    ["sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "an OpenAI-style secret key (sk-…)"],
    ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "an AWS secret access key (40 characters of base64)"],
    ["aws_secret=Wb8u2Kq9Lx3Pz7Rt5Yv1Nm4Hc6Jd0Gf2Sa8Qe+Zi", "an AWS secret access key (40 characters of base64)"],
    ["AKIAIOSFODNN7EXAMPLE", "an AWS access key id"],
    ["ASIAY34FZKBOKMUTVV7A", "an AWS access key id"],
    ["github_pat_11ABCDEFG0123456789abcdef_ghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP", "a GitHub fine-grained token (github_pat_…)"],
    ["ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ", "a GitHub token (ghp_…)"],
    ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "a JSON Web Token"],
    ["sk_live_51HxYzAbCdEfGhIjKlMnOpQr", "a Stripe secret key (sk_live_…)"],
    ["rk_test_4eC39HqLyjWDarjtT1zdp7dc", "a Stripe secret key (sk_live_…)"],
    ["postgres://app:hunter2@db.internal:5432/app", "a URL with a password (scheme://user:password@host)"],
    ["redis://:s3cr3t@cache.internal:6379/0", "a URL with a password (scheme://user:password@host)"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "a PEM private key"],
    ["-----BEGIN RSA PRIVATE KEY-----", "a PEM private key"],
    ["xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "a Slack token (xox…-)"],
    ["https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "a Slack webhook URL"],
    ["AIzaSyA-1234567890abcdefghijklmnopqrstu", "a Google API key (AIza…)"],
    ["glpat-Ab3dEf6hIj9kLm2nOp5q", "a GitLab token (glpat-…)"],
    ["hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "a Hugging Face token (hf_…)"],
    ["npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAbCd", "an npm token (npm_…)"],
  ])("%s", (value, what) => {
    expect(secretLikeValue(value)).toBe(`its value looks like ${what}`);
  });

  it("flags a long random token under any name", () => {
    expect(secretLikeValue("X-Api: q7Vn2LpR9tXw4Zk8Bm3Hs6Jd1Fc5Gy0Ae2Ui")).toMatch(/long random-looking token/);
    // 32 random bytes, base64 (44 characters): a typical signing key.
    expect(secretLikeValue("secret=k3F9pLq2Zx7Vb0Nw8Ty5Rm1Hc4Jd6Gs9Ae2Ui7Oo3Wq=")).toMatch(/random-looking/);
  });
});

describe("values: ordinary configuration is not a secret (by design)", () => {
  it.each([
    "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123456789abcdef",
    "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/dev_agent-a1b2c3d4e5",
    "6f2c4f1e-0000-4000-8000-000000000000",
    `sha256:${"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}`,
    "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    "https://example.com/api/v1/resources?page=2&size=50",
    "https://user@example.com/repo.git",
    "redis://cache.internal:6379/0",
    "s3://test-files-123456789012-us-west-2/agent-data/reports/2026/11/summary-final-version.json",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "123456789012.dkr.ecr.us-west-2.amazonaws.com/dev-agent@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    Buffer.from(JSON.stringify({ feature: "tiering", level: "debug", tiers: ["session", "s3files"], retries: 3 })).toString("base64"),
    "tiering,bench",
    "0 */6 * * *",
    "agentSessionStorageWorkspaceMountPathOverride2026",
    "AGENT_SESSION_STORAGE_WORKSPACE_MOUNT_PATH_OVERRIDE",
    "agents/tenant-a/results/2026/report-final-version-with-summary",
    "the quick brown fox jumps over the lazy dog while the agent writes its report",
  ])("%s", (value) => {
    expect(secretLikeValue(value)).toBeUndefined();
  });
});

describe("the entropy measure, over generated inputs (fixed seeds)", () => {
  const alphanumeric = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".split(""));
  const hex = fc.constantFrom(..."0123456789abcdef".split(""));
  const words = fc.constantFrom("agent", "data", "results", "report", "final", "tenant", "bench", "storage", "session", "workspace", "model", "claude", "feature", "flags", "config", "us", "west", "v1", "2026");

  it("flags random 40-character keys almost always (≥ 95% of 500)", () => {
    const keys = fc.sample(fc.string({ unit: alphanumeric, minLength: 40, maxLength: 40 }), { seed: 42, numRuns: 500 });
    const flagged = keys.filter(highEntropyToken).length;
    expect(flagged / keys.length).toBeGreaterThanOrEqual(0.95);
  });

  it("never flags hexadecimal identifiers or configuration made of words", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: hex, minLength: 32, maxLength: 128 }),
          fc.uuid(),
          fc.array(words, { minLength: 4, maxLength: 12 }).map((w) => w.join("-")),
          fc.array(words, { minLength: 4, maxLength: 12 }).map((w) => w.join("/")),
          fc.array(words, { minLength: 4, maxLength: 12 }).map((w) => w.map((x, i) => (i === 0 ? x : x[0]!.toUpperCase() + x.slice(1))).join("")),
          fc.array(words, { minLength: 4, maxLength: 12 }).map((w) => w.join("_").toUpperCase()),
          fc.dictionary(words, fc.oneof(words, fc.integer())).map((o) => Buffer.from(JSON.stringify(o)).toString("base64")),
        ),
        (value) => secretLikeValue(value) === undefined,
      ),
      { seed: 7, numRuns: 400 },
    );
  });
});

describe("synth and the audit share the detector", () => {
  const refusedAtSynth = (name: string, value: string) => {
    try {
      resolveEnvironments([environmentInput({ agent: { models: ["anthropic.claude-3-haiku-20240307-v1:0"], environmentVariables: { [name]: value } } })]);
      return false;
    } catch (error) {
      return (error as EnvironmentConfigError).problems.some((p) => p.problem.startsWith("looks like a secret"));
    }
  };
  const failsTheAudit = (name: string, value: string) =>
    configNoSecretEnv.check({
      environment: "test",
      stage: "production",
      stacks: { network: {}, storage: {}, registry: {}, agent: { resource: { aws_bedrockagentcore_agent_runtime: { runtime: { environment_variables: { [name]: value } } } } } },
    }).status === "fail";

  it("refuse and report the same variables", () => {
    const names = fc.constantFrom("LOG_LEVEL", "dbPassword", "MAX_TOKENS", "UPSTREAM", "apiKey", "FEATURE_FLAGS", "CACHE_KEY");
    const values = fc.oneof(
      fc.constantFrom("info", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "postgres://a:b@h/db", "arn:aws:iam::123456789012:role/x", "1024"),
      fc.string({ minLength: 0, maxLength: 60 }),
    );
    fc.assert(fc.property(names, values, (name, value) => refusedAtSynth(name, value) === failsTheAudit(name, value)), { seed: 11, numRuns: 150 });
  });
});
