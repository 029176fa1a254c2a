import { commandLine } from "../../lib/invocation.ts";
import { loadEnvironment } from "../lib/app.ts";
import { EXIT, parseCommandLine, requireEnv, requireRemoteState } from "../lib/cli.ts";

export function usage(): string {
  return `
Usage: ${commandLine("drift", "--env <name> [--json]")}

Plans every stack of the environment against its Terraform state and the live account (terraform plan
-detailed-exitcode in cdktf.out/stacks/<stack>) and lists what differs: each resource's address and action,
from terraform show -json of the saved plan, and changed outputs. Changes nothing. The agent stack is planned
with the image digest it runs (its state's container_uri output, else the runtime in the account). Meant for
a scheduled CI job.

Options:
  --env <name>   an environment of the app in ./cdktf.json
  --json         print the report as JSON on stdout (environment, status, stacks with their changes)
  --require-remote-state
                 refuse an environment whose Terraform state is on this machine's disk (for CI runners)
  -h, --help     show this help

Exit status: 0 no drift; 5 drift (the configuration and the account differ); 1 failed (a plan could not run);
2 bad arguments.
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, { env: { type: "string" }, json: { type: "boolean", default: false }, "require-remote-state": { type: "boolean", default: false } });
  const name = requireEnv(args.env);
  const { environment } = await loadEnvironment(name);
  requireRemoteState(args["require-remote-state"], environment);
  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { readCdktfConfig, synthesizeApp } = await import("../lib/app.ts");
  const { ExecaRunner } = await import("../lib/runner.ts");
  const { deployedImage } = await import("../lib/deployed-image.ts");
  const { driftOf, formatDrift } = await import("../lib/drift.ts");
  const { resourceNamesOf } = await import("../../modules/environment/description.ts");
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");

  const outdir = readCdktfConfig(process.cwd()).output;
  await synthesizeApp({ dir: process.cwd(), outdir, only: [environment.name] });
  const { environmentAccess } = await import("../lib/credentials.ts");
  const { refuseForeignAccount } = await import("../lib/account-guard.ts");
  const { clients, stateBucket } = environmentAccess(environment);
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  await refuseForeignAccount("plan", environment, { account: identity.Account!, ...(identity.Arn !== undefined && { arn: identity.Arn }) }, { outdir, stateBucket });
  const image = await deployedImage(environment, { outdir, stateBucket, agentcoreControl: clients.agentcoreControl, runtimeName: resourceNamesOf(environment, identity.Account!).runtime });
  const report = await driftOf(environment, {
    runner: new ExecaRunner(),
    outdir,
    stateBucket,
    terraformBinary: process.env.TERRAFORM_BINARY_NAME ?? "terraform",
    ...(image !== undefined && { image }),
  }).catch((error: unknown) => {
    // --json says so on stdout too: a scheduled job parsing it must not meet an empty stream.
    if (args.json) console.log(JSON.stringify({ environment: environment.name, status: "failed", message: (error as Error).message }, null, 2));
    throw error;
  });
  console.log(args.json ? JSON.stringify(report, null, 2) : formatDrift(report));
  return report.status === "drift" ? EXIT.drift : EXIT.ok;
}
