/**
 * Checks that the machine and the account can deploy an environment, each with the fix when it fails.
 */
import { ListAgentRuntimesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { ListFileSystemsCommand } from "@aws-sdk/client-s3files";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { AGENTCORE_RUNTIME_REGIONS } from "../../lib/service-facts.ts";
import { errorName, type AwsClients } from "./aws.ts";
import type { ProcessRunner } from "./runner.ts";
import { MIN_NODE, nodeAtLeast } from "./node-version.ts";
import { classifyAwsError } from "./aws-errors.ts";
import type { Footprint } from "./footprint.ts";
import { checkModels, type PreflightAccountClients } from "./preflight-account.ts";
import { checkProviderInstall, type ProviderInstallDeps } from "./preflight-provider.ts";
import { checkPassRole, checkQuotas, checkSubnets } from "./preflight-quotas.ts";

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was found. */
  readonly detail: string;
  /** What to do when it failed. */
  readonly fix?: string;
}

export interface PreflightDeps {
  readonly runner: ProcessRunner;
  readonly clients: AwsClients;
  readonly nodeVersion: string;
  /** TERRAFORM_BINARY_NAME, as cdktn reads it. @default "terraform" */
  readonly terraformBinary?: string;
  /** What deploy creates, from the synthesized stacks: with it, the provider, quota and subnet checks run. */
  readonly footprint?: Footprint;
  /** Bedrock, Service Quotas and IAM (with the EC2, CloudTrail and AgentCore clients): the account checks. */
  readonly accountClients?: PreflightAccountClients;
  /** Where the provider check looks (the environment variables, a discovery URL for tests). */
  readonly providerInstall?: ProviderInstallDeps;
}

export { MIN_NODE } from "./node-version.ts";
export const MIN_TERRAFORM = [1, 10] as const;

const atLeast = nodeAtLeast;

export function checkNode(version: string): CheckResult {
  const ok = atLeast(version, MIN_NODE);
  return {
    name: "Node.js",
    ok,
    detail: `v${version.replace(/^v/, "")}`,
    ...(!ok && { fix: `the cdktn CLI needs Node >= ${MIN_NODE.join(".")}: run the commands through npm after \`npm ci\` (the project's devDependency node@24 is first on an npm script's PATH), or install Node 24` }),
  };
}

export async function checkTerraform(runner: ProcessRunner, binary: string): Promise<CheckResult> {
  const name = binary === "tofu" ? "OpenTofu" : "Terraform";
  const result = await runner.run(binary, ["version", "-json"]);
  if (result.exitCode !== 0) {
    return {
      name,
      ok: false,
      detail: result.exitCode === 127 ? `${binary} not found` : `${binary} version failed: ${result.stderr.trim().split("\n")[0]}`,
      fix: `install ${name} >= ${MIN_TERRAFORM.join(".")} (S3-native state locking needs it), or set TERRAFORM_BINARY_NAME=tofu to use OpenTofu`,
    };
  }
  const version = String((JSON.parse(result.stdout) as { terraform_version?: string }).terraform_version ?? "unknown");
  const ok = atLeast(version, MIN_TERRAFORM);
  return { name, ok, detail: `${binary} ${version}`, ...(!ok && { fix: `upgrade ${name} to >= ${MIN_TERRAFORM.join(".")}` }) };
}

export async function checkDocker(runner: ProcessRunner): Promise<CheckResult[]> {
  const engine = await runner.run("docker", ["version", "--format", "{{.Server.Version}}"]);
  if (engine.exitCode !== 0) {
    return [
      {
        name: "Docker engine",
        ok: false,
        detail: engine.exitCode === 127 ? "docker not found" : "no Docker engine answered (the client alone cannot build)",
        fix: "start Docker (Desktop, colima, or dockerd) or point DOCKER_HOST at a running engine",
      },
    ];
  }
  const results: CheckResult[] = [{ name: "Docker engine", ok: true, detail: `server ${engine.stdout.trim()}` }];
  const buildx = await runner.run("docker", ["buildx", "version"]);
  if (buildx.exitCode !== 0) {
    results.push({ name: "docker buildx", ok: false, detail: "buildx plugin missing", fix: "install the docker-buildx plugin (docker-buildx-plugin package)" });
    return results;
  }
  results.push({ name: "docker buildx", ok: true, detail: buildx.stdout.trim().split("\n")[0]! });
  const inspect = await runner.run("docker", ["buildx", "inspect", "--bootstrap"]);
  const platforms = /Platforms:\s*(.+)/.exec(inspect.stdout)?.[1] ?? "";
  const arm64 = platforms.split(",").map((p) => p.trim()).some((p) => p.startsWith("linux/arm64"));
  results.push({
    name: "builder can build linux/arm64",
    ok: inspect.exitCode === 0 && arm64,
    detail: inspect.exitCode === 0 ? `platforms: ${platforms || "none reported"}` : "docker buildx inspect failed",
    ...(!(inspect.exitCode === 0 && arm64) && {
      fix: "AgentCore runs arm64 only: build on an arm64 host, or enable emulation (docker run --privileged --rm tonistiigi/binfmt --install arm64) and recreate the builder",
    }),
  });
  return results;
}

export async function checkCredentials(clients: AwsClients, environment: EnvironmentDescription): Promise<CheckResult> {
  try {
    const identity = (await clients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string; Arn?: string };
    const account = identity.Account ?? "unknown";
    if (environment.account !== null && account !== environment.account && environment.deployRoleArn === undefined) {
      return {
        name: "AWS credentials",
        ok: false,
        detail: `${identity.Arn} is in account ${account}, but ${environment.name} deploys to ${environment.account}`,
        fix: `use credentials for account ${environment.account} (AWS_PROFILE=…), or set deployRoleArn in the environment`,
      };
    }
    return { name: "AWS credentials", ok: true, detail: `${identity.Arn} (account ${account})` };
  } catch (error) {
    // No credentials, expired ones, unknown keys, or no way to reach STS at all (DNS, network): each its own fix.
    const problem = classifyAwsError(error, `STS in ${environment.region}`);
    const name = problem.kind === "unreachable" ? "AWS endpoint reachable" : "AWS credentials";
    return { name, ok: false, detail: problem.summary, fix: problem.fix || "configure credentials (aws sso login, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)" };
  }
}

/** The Region must offer both services; the calls are read-only and list at most one item. */
export async function checkRegion(clients: AwsClients, region: string): Promise<CheckResult[]> {
  const probe = async (name: string, call: () => Promise<unknown>): Promise<CheckResult> => {
    try {
      await call();
      return { name, ok: true, detail: `available in ${region}` };
    } catch (error) {
      const code = errorName(error);
      // Access denied still proves the endpoint exists; only an unknown endpoint means the service is absent.
      if (/AccessDenied|UnauthorizedOperation/.test(code)) return { name, ok: true, detail: `endpoint answers in ${region} (${code} listing)` };
      return { name, ok: false, detail: `${code}: ${(error as Error).message}`, fix: `choose a Region that offers ${name}` };
    }
  };
  const listed = AGENTCORE_RUNTIME_REGIONS.includes(region);
  return [
    listed
      ? await probe("AgentCore Runtime", () => clients.agentcoreControl.send(new ListAgentRuntimesCommand({ maxResults: 1 })))
      : { name: "AgentCore Runtime", ok: false, detail: `${region} is not an AgentCore Runtime Region`, fix: `choose one of ${AGENTCORE_RUNTIME_REGIONS.join(", ")}` },
    await probe("S3 Files", () => clients.s3files.send(new ListFileSystemsCommand({ maxResults: 1 }))),
  ];
}

export async function runPreflight(environment: EnvironmentDescription, deps: PreflightDeps): Promise<CheckResult[]> {
  const local = [
    checkNode(deps.nodeVersion),
    await checkTerraform(deps.runner, deps.terraformBinary ?? "terraform"),
    ...(deps.footprint !== undefined ? [await checkProviderInstall(deps.footprint.provider, deps.providerInstall ?? { env: process.env })] : []),
    ...(await checkDocker(deps.runner)),
  ];
  const credentials = await checkCredentials(deps.clients, environment);
  // Without credentials (or a way to AWS) the account checks would only repeat that failure.
  if (!credentials.ok) {
    const first = credentials.name === "AWS endpoint reachable" ? "fix the network path to AWS first" : "fix the credentials first";
    return [...local, credentials, { name: "account checks", ok: false, detail: "not run: AWS could not be called", fix: first }];
  }
  const region = await checkRegion(deps.clients, environment.region);
  if (deps.accountClients === undefined || deps.footprint === undefined) return [...local, credentials, ...region];
  const identity = /^(\S+) \(account (\d{12})\)$/.exec(credentials.detail);
  const caller = { arn: identity?.[1] ?? "", account: identity?.[2] ?? environment.account ?? "" };
  return [
    ...local,
    credentials,
    ...region,
    ...(await checkModels(deps.accountClients, environment)),
    ...(await checkQuotas(deps.accountClients, environment, deps.footprint)),
    ...(await checkSubnets(deps.accountClients, deps.footprint)),
    await checkPassRole(deps.accountClients, environment, caller),
  ];
}

export function formatChecks(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => `${r.ok ? "pass" : "FAIL"}  ${r.name.padEnd(width)}  ${r.detail}${r.ok || !r.fix ? "" : `\n      ${"".padEnd(width)}  fix: ${r.fix}`}`)
    .join("\n");
}
