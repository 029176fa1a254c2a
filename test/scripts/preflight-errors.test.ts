/**
 * Credential and network failures, as the real AWS SDK raises them, classified with their fix (no
 * `CredentialsProviderError` without one, and never "credentials" for a DNS failure); and whether Terraform can
 * install the AWS provider: the registry's discovery document over real HTTP, an unresolvable host, a mirror.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { classifyAwsError } from "../../scripts/lib/aws-errors.ts";
import { describeFailure } from "../../scripts/lib/cli.ts";
import { checkCredentials } from "../../scripts/lib/preflight.ts";
import { checkProviderInstall } from "../../scripts/lib/preflight-provider.ts";
import { shippedDescription } from "../helpers/descriptions.ts";

const dev = shippedDescription("dev");
const PROVIDER = { source: "hashicorp/aws", version: "6.66.0" };

async function stsError(config: ConstructorParameters<typeof STSClient>[0]): Promise<unknown> {
  try {
    await new STSClient({ region: "us-west-2", maxAttempts: 1, ...config }).send(new GetCallerIdentityCommand({}));
  } catch (error) {
    return error;
  }
  throw new Error("the call succeeded");
}

describe("AWS failures say what they are, with the fix", () => {
  it("no credentials: the SDK's CredentialsProviderError becomes what to configure", async () => {
    // The SDK's default chain with nothing to find: no keys, a profile no file defines, no instance metadata.
    const saved = { ...process.env };
    for (const key of Object.keys(process.env).filter((k) => k.startsWith("AWS_"))) delete process.env[key];
    Object.assign(process.env, { AWS_PROFILE: "agentcore-no-such-profile", AWS_CONFIG_FILE: "/nonexistent/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials", AWS_EC2_METADATA_DISABLED: "true" });
    let error: unknown;
    try {
      error = await stsError({});
    } finally {
      process.env = saved;
    }
    expect((error as Error).name).toBe("CredentialsProviderError");
    expect(classifyAwsError(error)).toMatchObject({ kind: "no-credentials", fix: expect.stringContaining("aws sso login") });
    const printed = describeFailure(error);
    expect(printed.message).not.toContain("CredentialsProviderError");
    expect(printed).toMatchObject({ exitCode: 1, hint: expect.stringMatching(/^fix: configure credentials/) });
  });

  it("an expired SSO session is 'expired', not 'missing'", () => {
    // @aws-sdk/credential-provider-sso (dist-cjs/index.js): `throw new CredentialsProviderError(\`The SSO session associated with this profile has expired. ${refreshMessage}\`)`.
    const error = Object.assign(new Error("The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile."), { name: "CredentialsProviderError" });
    expect(classifyAwsError(error).kind).toBe("expired-credentials");
  });

  it("a DNS failure is the network, and preflight does not blame credentials for it", async () => {
    const config = { endpoint: "https://sts.agentcore-preflight.invalid", credentials: { accessKeyId: "AKIAEXAMPLE000000000", secretAccessKey: "x" } };
    const error = await stsError(config);
    expect(classifyAwsError(error, "STS")).toMatchObject({ kind: "unreachable", summary: expect.stringMatching(/^cannot resolve STS's address \((ENOTFOUND|EAI_AGAIN)\): DNS, not credentials$/) });
    const check = await checkCredentials({ sts: new STSClient({ region: "us-west-2", maxAttempts: 1, ...config }) } as never, dev);
    expect(check).toMatchObject({ name: "AWS endpoint reachable", ok: false, fix: expect.stringContaining("DNS") });
  });

  it("a closed port is the network too; access denied names deployer-policy", async () => {
    const refused = await stsError({ endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "AKIAEXAMPLE000000000", secretAccessKey: "x" } });
    expect(classifyAwsError(refused)).toMatchObject({ kind: "unreachable", summary: expect.stringContaining("ECONNREFUSED") });
    const denied = Object.assign(new Error("User: arn:aws:sts::1:assumed-role/x/y is not authorized to perform: ec2:DescribeVpcs"), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } });
    expect(classifyAwsError(denied)).toMatchObject({ kind: "access-denied", fix: expect.stringContaining("deployer-policy") });
    expect(classifyAwsError(Object.assign(new Error("x"), { name: "DependencyViolation" })).kind).toBe("other");
  });
});

describe("the Terraform provider can be installed", () => {
  it("passes when the registry's discovery document answers (real HTTP)", async () => {
    const server = createServer((request, response) => {
      response.writeHead(request.url === "/.well-known/terraform.json" ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify({ "modules.v1": "/v1/modules/", "providers.v1": "/v1/providers/" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/terraform.json`;
      expect(await checkProviderInstall(PROVIDER, { env: {}, discoveryUrl: url, home: mkdtempSync(join(tmpdir(), "home-")) })).toMatchObject({ ok: true, detail: expect.stringContaining("hashicorp/aws 6.66.0 from the registry") });
    } finally {
      server.close();
    }
  });

  it("fails when the registry cannot be resolved and no mirror is configured, with how to set one up; a cache alone is not enough", async () => {
    const cache = mkdtempSync(join(tmpdir(), "plugin-cache-"));
    const result = await checkProviderInstall(PROVIDER, { env: { TF_PLUGIN_CACHE_DIR: cache, TF_CLI_CONFIG_FILE: join(cache, "missing.tfrc") }, discoveryUrl: "https://registry.agentcore-preflight.invalid/.well-known/terraform.json" });
    expect(result).toMatchObject({ ok: false, fix: expect.stringContaining("terraform providers mirror <dir>") });
    expect(result.detail).toMatch(/^registry\.agentcore-preflight\.invalid cannot be reached \(cannot resolve .*DNS, not credentials\), and no provider mirror is configured; TF_CLI_CONFIG_FILE names .*missing\.tfrc, which does not exist/);
  });

  it("passes without any network when the CLI configuration names a filesystem mirror", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tfrc-"));
    writeFileSync(join(dir, "mirror.tfrc"), `# offline\nprovider_installation {\n  filesystem_mirror {\n    path    = "/opt/terraform/providers"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`);
    const result = await checkProviderInstall(PROVIDER, { env: { TF_CLI_CONFIG_FILE: join(dir, "mirror.tfrc") }, discoveryUrl: "https://registry.agentcore-preflight.invalid/x", fetch: () => Promise.reject(new Error("no network call expected")) });
    expect(result).toMatchObject({ ok: true, detail: `hashicorp/aws 6.66.0 from filesystem_mirror /opt/terraform/providers (provider_installation in ${join(dir, "mirror.tfrc")})` });
  });
});
