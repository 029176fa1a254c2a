/**
 * The environment description every stack carries under "//": what the scripts will read instead of
 * environments/index.ts. It must say what the environment files say, change when they change, and be refused by
 * name when it is not one this version reads.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import type { EnvironmentInput } from "../../environments/schema.ts";
import { resourceNames } from "../../lib/names.ts";
import { synthesize } from "../../lib/synth.ts";
import { ACCOUNT_PLACEHOLDER, DESCRIPTION_KEY, EnvironmentDescriptionError, readEnvironmentDescriptions, type EnvironmentDescription } from "../../modules/environment/index.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };

function synthesized(inputs: readonly EnvironmentInput[]) {
  const outdir = join(mkdtempSync(join(tmpdir(), "descriptions-")), "cdktf.out");
  const result = synthesize(inputs, { outdir, targetVersions: cdktfJson.targetVersions });
  return { outdir, environments: result.environments };
}

describe("every shipped and every-option environment, read back from its synthesized stacks", () => {
  const { outdir, environments: resolved } = synthesized([...environments, ...EVERY_OPTION_ENVIRONMENTS]);
  const descriptions = readEnvironmentDescriptions(outdir);

  it("one description per environment", () => {
    expect(descriptions.map((d) => d.name).sort()).toEqual(resolved.map((e) => e.name).sort());
  });

  for (const env of resolved) {
    it(`${env.name}: says what the environment file resolves to`, () => {
      const d = descriptions.find((x) => x.name === env.name)!;
      expect(d).toMatchObject({
        schemaVersion: 1,
        stage: env.stage,
        region: env.region,
        account: env.account ?? null,
        partition: env.partition,
        state: env.state,
        stacks: { network: `${env.name}-network`, storage: `${env.name}-storage`, registry: `${env.name}-registry`, agent: `${env.name}-agent` },
        network: { mode: env.network.mode, ...(env.network.mode === "import" && { vpcId: env.network.vpcId }) },
        storage: { retainDataOnTeardown: env.storage.retainDataOnTeardown, rootDirectory: env.storage.rootDirectory },
        agent: { modelIds: env.agent.models.map((m) => m.id), endpointName: "live", s3FilesMountPath: env.agent.s3FilesMountPath, logRetentionDays: env.agent.logRetentionDays, imageDigestVariable: "agent_image_digest" },
        auditSuppressions: env.auditSuppressions,
      });
      expect(d.deployRoleArn).toBe(env.deployRoleArn);
      expect(d.agent.imageDigest).toBe(env.agent.imageDigest);
      expect(d.names).toEqual({ ...resourceNames({ name: env.name, region: env.region, accountId: env.account ?? ACCOUNT_PLACEHOLDER }) });
    });
  }

  it("every stack of an environment carries it, each naming its own layer", () => {
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    const layers = Object.entries(manifest.stacks)
      .filter(([name]) => name.startsWith("dev-"))
      .map(([, s]) => (JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8"))["//"][DESCRIPTION_KEY] as EnvironmentDescription).layer);
    expect(layers.sort()).toEqual(["agent", "network", "registry", "storage"]);
  });
});

describe("a change of an environment file changes what the scripts read", () => {
  const dev = environments.find((e) => e.name === "dev")!;
  const read = (input: EnvironmentInput) => readEnvironmentDescriptions(synthesized([input]).outdir)[0]!;
  const before = read(dev);

  it.each<[string, Partial<EnvironmentInput>, (d: EnvironmentDescription) => unknown, unknown]>([
    ["data kept on teardown", { storage: { retainDataOnTeardown: true } }, (d) => d.storage.retainDataOnTeardown, true],
    ["a pinned account in every name", { account: "210987654321" }, (d) => d.names.bucket, "dev-files-210987654321-us-west-2"],
    ["another Region", { region: "us-east-1" }, (d) => d.region, "us-east-1"],
    ["an S3 state backend", { state: { backend: "s3", bucket: "acme-tfstate" } }, (d) => d.state, { backend: "s3", bucket: "acme-tfstate", keyPrefix: "agentcore-s3files/dev", region: "us-west-2" }],
    ["a pinned image", { agent: { ...dev.agent, imageDigest: `sha256:${"b".repeat(64)}` } }, (d) => d.agent.imageDigest, `sha256:${"b".repeat(64)}`],
  ])("%s", (_what, change, field, expected) => {
    expect(field(before)).not.toEqual(expected);
    expect(field(read({ ...dev, ...change }))).toEqual(expected);
  });
});

describe("a description this version cannot read is refused by name", () => {
  const { outdir } = synthesized([environments.find((e) => e.name === "dev")!]);
  const file = join(outdir, "stacks", "dev-agent", "cdk.tf.json");
  const original = readFileSync(file, "utf8");
  const rewrite = (edit: (description: Record<string, unknown>) => void) => {
    const json = JSON.parse(original);
    edit(json["//"][DESCRIPTION_KEY]);
    writeFileSync(file, JSON.stringify(json));
  };

  it("reads the untouched output", () => {
    writeFileSync(file, original);
    expect(readEnvironmentDescriptions(outdir).map((d) => d.name)).toEqual(["dev"]);
  });

  it("another schema version", () => {
    rewrite((d) => (d.schemaVersion = 2));
    expect(() => readEnvironmentDescriptions(outdir)).toThrow(new EnvironmentDescriptionError("stack dev-agent: its environment description has schemaVersion 2, but this version of agentcore-s3files-infra reads 1; synthesize the app with the same version of the package as the scripts"));
  });

  it("a field missing", () => {
    rewrite((d) => delete d.region);
    expect(() => readEnvironmentDescriptions(outdir)).toThrow(/^stack dev-agent: its environment description is malformed at region: /);
  });

  it("stacks of one environment that disagree", () => {
    rewrite((d) => (d.stage = "production"));
    expect(() => readEnvironmentDescriptions(outdir)).toThrow(/^environment dev: its \w+ and \w+ stacks describe it differently/);
  });

  it("a stack without a description (not an environment's) is passed over", () => {
    rewrite(() => {});
    const json = JSON.parse(original);
    delete json["//"][DESCRIPTION_KEY];
    writeFileSync(file, JSON.stringify(json));
    expect(readEnvironmentDescriptions(outdir).map((d) => d.name)).toEqual(["dev"]);
  });
});
