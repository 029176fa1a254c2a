/**
 * Generated environment files, valid and broken (fast-check, fixed seeds, bounded counts). Whatever the input,
 * synth either succeeds with output that passes every output check (the audit: no unsuppressed error-level
 * finding; see test/helpers/output-checks.ts), or refuses with an EnvironmentConfigError whose every problem
 * names the environment, the field, the value and the fix. Never another exception.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EnvironmentConfigError, resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { synthesize } from "../../lib/synth.ts";
import { EVERY_OPTION_CREATED_VPC, EVERY_OPTION_IMPORTED_VPC, EVERY_OPTION_JWT } from "../helpers/every-option.ts";
import { OUTPUT_CHECKS } from "../helpers/output-checks.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };

type Outcome = { kind: "synthesized"; failures: string[] } | { kind: "refused"; bad: string[] };

/** Synthesizes the inputs and checks the output, or checks the refusal; anything else is thrown to the test. */
function synthOutcome(inputs: unknown[]): Outcome {
  try {
    resolveEnvironments(inputs);
  } catch (error) {
    if (!(error instanceof EnvironmentConfigError)) throw error;
    const bad = error.problems
      .filter((p) => [p.environment, p.field, p.problem, p.fix].some((part) => typeof part !== "string" || part.trim() === "") || !("value" in p))
      .map((p) => JSON.stringify(p));
    return { kind: "refused", bad };
  }
  const outdir = join(mkdtempSync(join(tmpdir(), "generated-")), "cdktf.out");
  try {
    const { environments } = synthesize(inputs, { outdir, targetVersions: cdktfJson.targetVersions });
    return { kind: "synthesized", failures: environments.flatMap((environment) => OUTPUT_CHECKS.flatMap((check) => check({ environment, outdir }))) };
  } finally {
    rmSync(join(outdir, ".."), { recursive: true, force: true });
  }
}

// --- valid environments, from the values each field accepts ---------------------------------------------------

const ACCOUNT = "123456789012";
const REGIONS = ["us-west-2", "us-east-1", "eu-west-1", "ap-southeast-2"] as const;
const GEOGRAPHY: Record<(typeof REGIONS)[number], string> = { "us-west-2": "us", "us-east-1": "us", "eu-west-1": "eu", "ap-southeast-2": "apac" };
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);

const validEnvironment = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6})?$/),
    stage: fc.constantFrom("development", "production"),
    region: fc.constantFrom(...REGIONS),
    pinAccount: fc.boolean(),
    second: fc.integer({ min: 0, max: 255 }),
    azCount: fc.constantFrom(2, 3),
    egress: fc.constantFrom("nat-single", "nat-per-az", "endpoints-only", undefined),
    flowLogs: fc.boolean(),
    posix: fc.integer({ min: 1, max: 60000 }),
    secondaryGids: fc.array(fc.integer({ min: 1, max: 60000 }), { maxLength: 3 }),
    rootDirectory: fc.constantFrom("/agents", "/tenants/agents", "/data/a.b_c-d"),
    kms: fc.boolean(),
    workload: fc.constantFrom("interactive", "batch", "long-running"),
    prefix: fc.constantFrom("agent-data", "cold", "agents-cold/x", "a.b/c_d-e/(f)"),
    mountNames: fc.uniqueArray(word, { minLength: 2, maxLength: 2 }),
    variables: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/).filter((n) => !n.startsWith("AGENT_") && !/KEY|TOKEN|PASS|SECRET|PWD|CRED/.test(n)), fc.constantFrom("info", "debug", "1024", "tiering,bench", "https://example.com/path"), { maxKeys: 4 }),
    operators: fc.uniqueArray(fc.tuple(fc.constantFrom("role", "user", "group"), word, fc.constantFrom("", "team/", "a/b/")), { maxLength: 3, selector: ([, name]) => name }),
    invokers: fc.option(fc.uniqueArray(fc.tuple(fc.constantFrom("role", "user"), word), { minLength: 1, maxLength: 3, selector: ([, name]) => name }), { nil: undefined }),
    emails: fc.array(fc.constantFrom("oncall@example.com", "sec@example.org"), { maxLength: 2 }),
    existingTrail: fc.boolean(),
    jwt: fc.boolean(),
  })
  .map((v): EnvironmentInput => {
    const account = v.pinAccount ? ACCOUNT : undefined;
    const production = v.stage === "production";
    return {
      name: v.name,
      stage: v.stage,
      region: v.region,
      ...(account !== undefined && { account }),
      network: { mode: "create", cidr: `10.${v.second}.0.0/16`, azCount: v.azCount, ...(v.egress !== undefined && { egress: v.egress }), flowLogs: { enabled: v.flowLogs } },
      storage: {
        posixUid: v.posix,
        posixGid: v.posix,
        secondaryGids: v.secondaryGids,
        rootDirectory: v.rootDirectory,
        retainDataOnTeardown: production,
        ...(v.kms && { kmsKeyArn: `arn:aws:kms:${v.region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }),
      },
      agent: {
        models: ["anthropic.claude-3-haiku-20240307-v1:0", `${GEOGRAPHY[v.region]}.anthropic.claude-sonnet-4-5-20250929-v1:0`],
        workload: v.workload,
        sessionStorageMountPath: `/mnt/${v.mountNames[0]}`,
        s3FilesMountPath: `/mnt/${v.mountNames[1]}`,
        agentPrefix: v.prefix,
        environmentVariables: v.variables,
        // IAM principal lists belong to SigV4 runtimes; a JWT runtime takes bearer tokens (and says so).
        ...(!v.jwt && { operators: v.operators.map(([kind, name, path]) => `arn:aws:iam::${ACCOUNT}:${kind}/${path}${name}`) }),
        ...(!v.jwt && v.invokers !== undefined && { invokers: v.invokers.map(([kind, name]) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`) }),
        ...(v.jwt && { auth: { type: "CUSTOM_JWT", discoveryUrl: "https://id.example.com/.well-known/openid-configuration", allowedAudience: ["agents"], tokenHoldersCanRunCommands: true } }),
        alerts: {
          emails: production && v.emails.length === 0 ? ["oncall@example.com"] : v.emails,
          ...(v.existingTrail && { cloudTrail: { existingTrailArn: `arn:aws:cloudtrail:${v.region}:${ACCOUNT}:trail/org-trail` } }),
        },
      },
      ...(v.jwt && { audit: { suppress: [{ rule: "shell-iam-authorizes-commands", reason: "every client the identity provider issues tokens to may run commands" }] } }),
    } as EnvironmentInput;
  })
  // A root directory and a cold-tier prefix that share their first segment are refused (and meant to be).
  .filter((e) => !e.storage!.rootDirectory!.slice(1).startsWith(`${e.agent.agentPrefix!.split("/")[0]}`));

// --- hostile values, and where to put them -------------------------------------------------------------------

const HOSTILE: readonly unknown[] = [
  null, undefined, "", " ", "*", "?", "..", ".", "/", "//", "-", "$(id)", "${aws:username}", "%{x}", "a\nb", "\u0000", "é", "；",
  0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE * 2, true, [], {}, [null], { "": 1 }, "x".repeat(5000),
  "arn:aws:iam::123456789012:role/oncall/", "arn:aws:iam::123456789012:root", "arn:aws:iam::999999999999:role/oncall", "arn:aws-cn:iam::123456789012:role/x",
  "arn:aws:sts::123456789012:assumed-role/x/y", "arn:aws:iam::123456789012:group/sre", "/mnt/..", "/mnt/.", "/mnt/a/b", "agent-data-secret",
  "arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "postgres://u:p@h/db",
  "__proto__", "constructor", "toString",
];

/** Every path to a value in an object tree, with the paths of one level of missing children too. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key])), [...prefix, Array.isArray(value) ? value.length : "unexpected"]];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  Object.defineProperty(copy, head, { value: setAt(copy[head], rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A valid environment with 1 to 3 of its values (or missing ones) replaced by hostile or foreign values. */
const brokenEnvironment = fc
  .tuple(fc.oneof(validEnvironment, fc.constant(EVERY_OPTION_CREATED_VPC), fc.constant(EVERY_OPTION_IMPORTED_VPC), fc.constant(EVERY_OPTION_JWT)), fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 2 }))), { minLength: 1, maxLength: 3 }))
  .map(([environment, mutations]) =>
    mutations.reduce<unknown>((env, [at, value]) => {
      const all = paths(env).filter((p) => p.length > 0);
      return setAt(env, all[at % all.length]!, value);
    }, environment),
  );

describe("generated environment files", () => {
  it("valid ones synthesize, and their output passes every output check (fixed seed, 40 environments)", () => {
    fc.assert(
      fc.property(validEnvironment, (input) => {
        const outcome = synthOutcome([input]);
        expect(outcome, JSON.stringify(input)).toEqual({ kind: "synthesized", failures: [] });
      }),
      { seed: 20261120, numRuns: 40, endOnFailure: true },
    );
  });

  it("broken ones are refused with problems naming environment, field, value and fix, or synthesize cleanly; nothing crashes (fixed seed, 1000 environments)", () => {
    let refused = 0;
    fc.assert(
      fc.property(brokenEnvironment, (input) => {
        const outcome = synthOutcome([input]);
        if (outcome.kind === "refused") {
          refused++;
          expect(outcome.bad, JSON.stringify(input).slice(0, 2000)).toEqual([]);
        } else expect(outcome.failures, JSON.stringify(input).slice(0, 2000)).toEqual([]);
      }),
      { seed: 7, numRuns: 1000, endOnFailure: true },
    );
    // The generator must mostly produce broken files, or this test would prove little.
    expect(refused).toBeGreaterThan(500);
  });

  it("several environments at once, broken ones among them, get every problem of every environment, or synthesize cleanly (fixed seed, 100 sets)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(brokenEnvironment, validEnvironment), { minLength: 2, maxLength: 3 }), (inputs) => {
        const outcome = synthOutcome(inputs);
        if (outcome.kind === "refused") expect(outcome.bad).toEqual([]);
        else expect(outcome.failures).toEqual([]);
      }),
      { seed: 5, numRuns: 100, endOnFailure: true },
    );
  });

  it("anything at all is refused with configuration problems, never an exception (fixed seed, 300 inputs)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom("name", "region", "network", "agent", "storage", "stage", "account", "tags", "audit", "state"), fc.anything())), (input) => {
        const outcome = synthOutcome([input]);
        if (outcome.kind === "refused") expect(outcome.bad).toEqual([]);
        else expect(outcome.failures).toEqual([]);
      }),
      { seed: 99, numRuns: 300, endOnFailure: true },
    );
  });
});
