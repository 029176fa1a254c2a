import { commandLine } from "../../lib/invocation.ts";
import { loadEnvironment } from "../lib/app.ts";
import { EXIT, parseCommandLine, requireEnv } from "../lib/cli.ts";

export function usage(): string {
  return `
Usage: ${commandLine("preflight", "--env <name>")}

Checks that this machine and these credentials can deploy the environment: Node >= 22.19, Terraform >= 1.10
(or OpenTofu via TERRAFORM_BINARY_NAME=tofu), a Docker engine with buildx and a builder for linux/arm64,
AWS credentials for the environment's account, and AgentCore Runtime and S3 Files in its Region.
Each failed check says how to fix it. Exit status 1 if any check fails.

Options:
  --env <name>   an environment of the app in ./cdktf.json
  -h, --help     show this help
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, { env: { type: "string" } });
  const { environment } = await loadEnvironment(requireEnv(args.env));
  // Heavy modules (cdktn, the provider, AWS SDK clients) load only after the arguments are known good.
  const { awsClients } = await import("../lib/aws.ts");
  const { deployCredentials } = await import("../lib/credentials.ts");
  const { formatChecks, runPreflight } = await import("../lib/preflight.ts");
  const { ExecaRunner } = await import("../lib/runner.ts");
  const results = await runPreflight(environment, {
    runner: new ExecaRunner(),
    clients: awsClients(environment.region, deployCredentials(environment)),
    nodeVersion: process.versions.node,
    terraformBinary: process.env.TERRAFORM_BINARY_NAME ?? "terraform",
  });
  console.log(`Preflight for ${environment.name} (${environment.region}):\n${formatChecks(results)}`);
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) {
    console.error(`error: ${failed} check${failed === 1 ? "" : "s"} failed`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
