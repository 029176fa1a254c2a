import { describe, expect, it } from "vitest";
import { checkCredentials, checkDocker, checkNode, checkRegion, checkTerraform, runPreflight } from "../../scripts/lib/preflight.ts";
import { awsError, FakeClient, FakeRunner, fakeClients } from "../helpers/fakes.ts";
import { described } from "../helpers/descriptions.ts";

const healthyRunner = () =>
  new FakeRunner()
    .on("terraform version -json", { stdout: JSON.stringify({ terraform_version: "1.11.4" }) })
    .on("docker version", { stdout: "28.2.2" })
    .on("docker buildx version", { stdout: "github.com/docker/buildx v0.24.0" })
    .on("docker buildx inspect --bootstrap", { stdout: "Name: default\nPlatforms: linux/amd64, linux/arm64, linux/arm/v7\n" });
const healthyClients = () =>
  fakeClients({
    agentcoreControl: new FakeClient().on("ListAgentRuntimesCommand", () => ({ agentRuntimes: [] })),
    s3files: new FakeClient().on("ListFileSystemsCommand", () => ({ fileSystems: [] })),
  });

describe("preflight", () => {
  it("passes every check on a machine and account that can deploy", async () => {
    const results = await runPreflight(described({ account: "123456789012" }), { runner: healthyRunner(), clients: healthyClients() as never, nodeVersion: "24.21.0" });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual([
      "Node.js", "Terraform", "Docker engine", "docker buildx", "builder can build linux/arm64", "AWS credentials", "AgentCore Runtime", "S3 Files",
    ]);
  });

  it("Node older than 22.19", () => {
    expect(checkNode("20.20.2")).toMatchObject({ ok: false, detail: "v20.20.2", fix: expect.stringContaining("run the commands through npm after `npm ci`") });
    expect(checkNode("20.20.2").fix).not.toContain("npx -y node@24"); // that hint failed inside npm run deploy
    expect(checkNode("22.19.0").ok).toBe(true);
  });

  it("Terraform missing, too old, or OpenTofu chosen", async () => {
    expect(await checkTerraform(new FakeRunner(), "terraform")).toMatchObject({ ok: false, detail: "terraform not found", fix: expect.stringContaining("TERRAFORM_BINARY_NAME=tofu") });
    expect(await checkTerraform(new FakeRunner().on("terraform version", { stdout: '{"terraform_version":"1.9.8"}' }), "terraform")).toMatchObject({ ok: false, fix: "upgrade Terraform to >= 1.10" });
    expect(await checkTerraform(new FakeRunner().on("tofu version", { stdout: '{"terraform_version":"1.10.2"}' }), "tofu")).toMatchObject({ ok: true, name: "OpenTofu", detail: "tofu 1.10.2" });
  });

  it("a Docker client without an engine", async () => {
    const runner = new FakeRunner().on("docker version", { exitCode: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock" });
    expect(await checkDocker(runner)).toEqual([
      expect.objectContaining({ name: "Docker engine", ok: false, detail: expect.stringContaining("no Docker engine"), fix: expect.stringContaining("DOCKER_HOST") }),
    ]);
  });

  it("a builder that cannot build linux/arm64", async () => {
    const amd64Only = new FakeRunner()
      .on("docker version", { stdout: "28.2.2" })
      .on("docker buildx version", { stdout: "v0.24.0" })
      .on("docker buildx inspect", { stdout: "Platforms: linux/amd64, linux/386" });
    expect((await checkDocker(amd64Only))[2]).toMatchObject({ ok: false, fix: expect.stringContaining("binfmt") });
  });

  it("no credentials, or credentials for another account", async () => {
    const none = fakeClients({ sts: new FakeClient().on("GetCallerIdentityCommand", () => { throw awsError("CredentialsProviderError", "Could not load credentials from any providers"); }) });
    expect(await checkCredentials(none as never, described())).toMatchObject({ ok: false, detail: expect.stringContaining("no AWS credentials found"), fix: expect.stringContaining("aws sso login") });
    const other = fakeClients();
    expect(await checkCredentials(other as never, described({ account: "999999999999" }))).toMatchObject({ ok: false, detail: expect.stringContaining("but test deploys to 999999999999") });
  });

  it("a Region without S3 Files, and skips Region probes without credentials", async () => {
    const clients = fakeClients({
      agentcoreControl: new FakeClient().on("ListAgentRuntimesCommand", () => ({})),
      s3files: new FakeClient().on("ListFileSystemsCommand", () => { throw awsError("UnknownEndpoint", "Inaccessible host: s3files.us-west-2.amazonaws.com"); }),
    });
    expect(await checkRegion(clients as never, "us-west-2")).toEqual([
      expect.objectContaining({ name: "AgentCore Runtime", ok: true }),
      expect.objectContaining({ name: "S3 Files", ok: false, fix: "choose a Region that offers S3 Files" }),
    ]);
    const noCredentials = fakeClients({ sts: new FakeClient().on("GetCallerIdentityCommand", () => { throw awsError("ExpiredToken"); }) });
    const results = await runPreflight(described(), { runner: healthyRunner(), clients: noCredentials as never, nodeVersion: "24.0.0" });
    expect(results.at(-1)).toMatchObject({ name: "account checks", ok: false, fix: "fix the credentials first" });
    expect((noCredentials.agentcoreControl as FakeClient).sent).toEqual([]);
  });
});
