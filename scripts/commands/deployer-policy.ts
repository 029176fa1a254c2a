import { commandLine } from "../../lib/invocation.ts";
import { loadEnvironment } from "../lib/app.ts";
import { EXIT, parseCommandLine, requireEnv, UsageError } from "../lib/cli.ts";

export function usage(): string {
  return `
Usage: ${commandLine("deployer-policy", "--env <name> [--account <id>] [--part <n>]")}

Prints the IAM policy a principal needs to deploy, tear down and build the image of the environment: what the
Terraform AWS provider calls for each resource type its synthesized stacks contain, and the scripts' own calls,
scoped to the environment's resource names (its bucket, roles, repository, runtime, topic, rule, trail) and, for
EC2 and S3 Files deletions, to resources tagged agentcore-s3files:environment=<name>. No AWS call unless the
environment pins neither an account nor a deployRoleArn and --account is not given (then sts:GetCallerIdentity).

The policy fits IAM's managed-policy size (6,144 characters without white space), or is split: then a JSON array
of documents is printed (--part <n> prints the n-th alone), each to create as its own managed policy:
  aws iam create-policy --policy-name <name>-deployer --policy-document "$(${commandLine("deployer-policy", "--env <name>")})"

Options:
  --env <name>      an environment of the app in ./cdktf.json
  --account <id>    the 12-digit account the policy is for (default: the environment's, else its
                    deployRoleArn's, else the caller's)
  --part <n>        only the n-th document when the policy is split
  -h, --help        show this help

Exit status: 0 printed; 1 the account could not be found; 2 bad arguments or configuration.
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, { env: { type: "string" }, account: { type: "string" }, part: { type: "string" } });
  const name = requireEnv(args.env);
  if (args.account !== undefined && !/^\d{12}$/.test(args.account)) throw new UsageError(`--account "${args.account}" is not an AWS account id (12 digits)`);
  if (args.part !== undefined && !/^[1-9]\d*$/.test(args.part)) throw new UsageError(`--part "${args.part}" is not a document number (1, 2, …)`);
  const { environment, outdir } = await loadEnvironment(name);
  const { footprintOf, readStacks } = await import("../lib/footprint.ts");
  const { deployerPolicy, policySize, MANAGED_POLICY_MAX_CHARACTERS } = await import("../lib/deployer-policy.ts");
  const { policyAccount } = await import("../lib/deployer-policy.ts");
  let account = args.account ?? policyAccount(environment);
  if (account === undefined) {
    // The account deploy acts in: the deploy role's when the environment names one (its ARN says it), else the caller's.
    const { environmentAccess } = await import("../lib/credentials.ts");
    const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    account = String(((await environmentAccess(environment).clients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string }).Account);
  }
  const documents = deployerPolicy(environment, footprintOf(readStacks(outdir, environment)), account);
  if (args.part !== undefined && Number(args.part) > documents.length) throw new UsageError(`--part ${args.part}: the policy has ${documents.length} document${documents.length === 1 ? "" : "s"}`);
  const chosen = args.part !== undefined ? documents[Number(args.part) - 1]! : documents.length === 1 ? documents[0]! : documents;
  console.log(JSON.stringify(chosen, null, 2));
  console.error(
    `${environment.name} (${environment.region}, account ${account}): ${documents.map((d, i) => `document ${i + 1}: ${d.Statement.length} statements, ${policySize(d)} of ${MANAGED_POLICY_MAX_CHARACTERS} characters`).join("; ")}`,
  );
  return EXIT.ok;
}
