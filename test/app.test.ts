import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { environments } from "../environments/index.ts";
import { EnvironmentConfigError } from "../environments/schema.ts";
import { synthesize } from "../lib/synth.ts";
import { environmentInput, synthEnvironment } from "./helpers/synth.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("../cdktf.json", import.meta.url), "utf8")) as { targetVersions: Record<string, string> };

describe("full app synth of every shipped environment (cdktn validations on)", () => {
  const outdir = join(mkdtempSync(join(tmpdir(), "synth-")), "cdktf.out");
  const result = synthesize(environments, { outdir, targetVersions: cdktfJson.targetVersions });
  const stackJson = (name: string) => JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));

  it("writes four stacks <env>-<layer> per environment of environments/index.ts", () => {
    const expected = environments.map((e) => e.name).flatMap((e) => ["network", "storage", "registry", "agent"].map((l) => `${e}-${l}`));
    expect(result.stacks.map((s) => s.stack)).toEqual(expected);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([...expected].sort());
  });

  it("records the dependencies (storage on network; agent on network, storage and registry), so cdktn orders deploy and destroy", () => {
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks["dev-storage"].dependencies).toEqual(["dev-network"]);
    expect(manifest.stacks["dev-network"].dependencies).toEqual([]);
    expect(manifest.stacks["dev-registry"].dependencies).toEqual([]);
    expect([...manifest.stacks["dev-agent"].dependencies].sort()).toEqual(["dev-network", "dev-registry", "dev-storage"]);
  });

  it("configures each stack's provider with the environment's region and default tags", () => {
    const provider = stackJson("prod-storage").provider.aws[0];
    expect(provider).toMatchObject({
      region: "us-east-1",
      default_tags: [{ tags: expect.objectContaining({ Environment: "prod", "agentcore-s3files:environment": "prod", CostCenter: "agents-prod" }) }],
    });
  });

  it("keeps local state in the project directory, through a path relative to the stack folder where Terraform runs", () => {
    const { path } = stackJson("dev-network").terraform.backend.local;
    expect(isAbsolute(path)).toBe(false);
    expect(resolve(outdir, "stacks", "dev-network", path)).toBe(join(process.cwd(), "terraform.dev-network.tfstate"));
  });

  it("gives every stack output a description", () => {
    for (const name of ["dev-network", "dev-storage"]) {
      for (const [id, out] of Object.entries(stackJson(name).output as Record<string, { description?: string }>)) {
        if (id.startsWith("cross-stack-output-")) continue;
        expect(out.description, `${name} output ${id}`).toMatch(/\w+/);
      }
    }
  });
});

describe("backend, provider and account options", () => {
  it("an S3 state backend with native lock file synthesizes under the declared Terraform target", () => {
    const env = synthEnvironment({
      account: "123456789012",
      deployRoleArn: "arn:aws:iam::123456789012:role/deploy",
      state: { backend: "s3", bucket: "acme-tfstate", roleArn: "arn:aws:iam::999999999999:role/state" },
    });
    const json = env.storage();
    expect(json.terraform!.backend).toEqual({
      s3: {
        bucket: "acme-tfstate",
        key: "agentcore-s3files/test/test-storage.tfstate",
        region: "us-west-2",
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: "arn:aws:iam::999999999999:role/state" },
      },
    });
    // The cross-stack read of the network state goes through the same backend.
    expect(JSON.stringify(json.data!.terraform_remote_state)).toContain("test-network.tfstate");
    expect(json.provider!.aws![0]).toMatchObject({
      allowed_account_ids: ["123456789012"],
      assume_role: [{ role_arn: "arn:aws:iam::123456789012:role/deploy", session_name: "cdktn-test-storage" }],
    });
  });
});

describe("a malformed environment", () => {
  it("fails synth with its messages and writes nothing", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "synth-bad-")), "cdktf.out");
    const bad = environmentInput({ name: "bad", network: { mode: "create", cidr: "10.0.0.0/8", azCount: 1 } });
    expect(() => synthesize([...environments, bad], { outdir, targetVersions: cdktfJson.targetVersions })).toThrow(EnvironmentConfigError);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe("npm run synth (main.ts as a process)", () => {
  it("synthesizes every environment and prints a table of stacks, resource counts and backends", async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "synth-cli-")), "out");
    const run = await execa(process.execPath, ["main.ts"], {
      cwd: new URL("..", import.meta.url),
      env: { CDKTF_OUTDIR: outdir },
    });
    expect(run.stdout).toMatch(/^stack\s+resources\s+data sources\s+outputs\s+backend$/m);
    expect(run.stdout).toMatch(/^dev-network\s+\d+\s+\d+\s+\d+\s+local$/m);
    expect(run.stdout).toMatch(new RegExp(`^${environments.length * 4} stacks, \\d+ resources written to `, "m"));
    expect(existsSync(join(outdir, "stacks", "prod-agent", "cdk.tf.json"))).toBe(true);
    expect(run.stdout).toMatch(/^ {2}dev-agent +<account>\.dkr\.ecr\.us-west-2\.amazonaws\.com\/dev-agent@<digest> +\(no image built yet: npm run build-image, or --var=agent_image_digest=sha256:… at deploy\)$/m);
  });
});
