import { commandLine } from "../../lib/invocation.ts";
import { loadEnvironment } from "../lib/app.ts";
import { EXIT, parseCommandLine, requireEnv } from "../lib/cli.ts";

export function usage(): string {
  return `
Usage: ${commandLine("preflight", "--env <name>")}

Predicts the first apply: Node >= 22.19, Terraform >= 1.10 (or OpenTofu via TERRAFORM_BINARY_NAME=tofu), that
Terraform can install the AWS provider (the registry answers, or the CLI configuration names a provider mirror),
a Docker engine with buildx and a builder for linux/arm64, AWS credentials for the environment's account
(no credentials, expired ones and an unreachable endpoint told apart), AgentCore Runtime and S3 Files in its
Region, each listed model or inference profile offered in the Region with access granted (a typo gets the
closest id), room in the quotas deploy consumes (VPCs, Elastic IPs, NAT gateways per AZ, trails, AgentCore
runtimes; counted from the synthesized stacks), free addresses in an existing VPC's subnets, and iam:PassRole
on the execution role for the caller. Read-only. Each failed check says how to fix it.
Exit status: 0 every check passed; 1 a check failed; 2 bad arguments or configuration.

Options:
  --env <name>   an environment of the app in ./cdktf.json
  -h, --help     show this help
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, { env: { type: "string" } });
  const { environment, outdir } = await loadEnvironment(requireEnv(args.env));
  // Heavy modules (cdktn, the provider, AWS SDK clients) load only after the arguments are known good.
  const { awsClients, preflightAccountClients } = await import("../lib/aws.ts");
  const { deployCredentials } = await import("../lib/credentials.ts");
  const { formatChecks, runPreflight } = await import("../lib/preflight.ts");
  const { footprintOf, readStacks } = await import("../lib/footprint.ts");
  const { ExecaRunner } = await import("../lib/runner.ts");
  const credentials = deployCredentials(environment);
  const clients = awsClients(environment.region, credentials);
  const results = await runPreflight(environment, {
    runner: new ExecaRunner(),
    clients,
    nodeVersion: process.versions.node,
    terraformBinary: process.env.TERRAFORM_BINARY_NAME ?? "terraform",
    footprint: footprintOf(readStacks(outdir, environment)),
    accountClients: await preflightAccountClients(environment.region, clients, credentials),
    providerInstall: { env: process.env },
  });
  console.log(`Preflight for ${environment.name} (${environment.region}):\n${formatChecks(results)}`);
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) {
    console.error(`error: ${failed} check${failed === 1 ? "" : "s"} failed`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
