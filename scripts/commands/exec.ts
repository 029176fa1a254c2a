import { commandLine } from "../../lib/invocation.ts";
import { chalk } from "zx";
import { parseCommandLine, requireEnv, UsageError } from "../lib/cli.ts";
import { loadEnvironment } from "../lib/app.ts";
import { commandToSend } from "../lib/exec-command.ts";

export function usage(): string {
  return `
Usage: ${commandLine("exec", "--env <name> --session <id>|last (--command \"<command>\" | -- <program> [args…])")}
    [--timeout <seconds>] [--endpoint <name>]

Runs a command inside a live session's microVM (InvokeAgentRuntimeCommand), with the execution role's
credentials, and prints its output; the exit status is the command's. For operators holding the
environment's operator policy. Every call raises the environment's shell-access alert.

--command takes one plain command made of letters, digits, spaces and _ . / : , @ % + - = only (nothing a
shell would expand or treat as an operator, and no leading NAME=value). To pass anything else, give the
program and its arguments after --: every word is single-quoted and reaches the program literally.

  --env <name>           an environment of the app in ./cdktf.json
  --session <id>|last    the runtime session whose microVM runs the command (see ${commandLine("invoke")})
  --command "<command>"  a plain command, e.g. "df -h /mnt/workspace"
  --timeout <seconds>    how long the command may run (default 60)
  --endpoint <name>      endpoint qualifier (default: live)
  -h, --help             show this help
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const separator = argv.indexOf("--");
  const options = separator >= 0 ? argv.slice(0, separator) : argv;
  const commandArgv = separator >= 0 ? argv.slice(separator + 1) : undefined;
  const args = parseCommandLine(options, {
    env: { type: "string" },
    session: { type: "string" },
    command: { type: "string" },
    timeout: { type: "string", default: "60" },
    endpoint: { type: "string", default: "live" },
  });
  const name = requireEnv(args.env);
  if (args.session === undefined) throw new UsageError(`--session is required: commands run in a live session's microVM (use the id ${commandLine("invoke")} printed, or last)`);
  const timeout = Number(args.timeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) throw new UsageError(`--timeout "${args.timeout}" must be whole seconds from 1 to 3600`);
  const command = commandToSend({ ...(args.command !== undefined && { command: args.command }), ...(commandArgv !== undefined && { argv: commandArgv }) });
  const { environment } = await loadEnvironment(name);
  const { findRuntime, resolveSession, sessionFile } = await import("../lib/agent-client.ts");
  const session = resolveSession(args.session, sessionFile(environment.name));

  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { BedrockAgentCoreClient, InvokeAgentRuntimeCommandCommand } = await import("@aws-sdk/client-bedrock-agentcore");
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const { awsClients } = await import("../lib/aws.ts");
  const { resourceNamesOf } = await import("../../modules/environment/description.ts");
  const clients = awsClients(environment.region);
  const identity = (await clients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string; Arn?: string };
  console.error(chalk.yellow(`${identity.Arn} is running a command in ${environment.name} (session ${session.id}):\n  ${command}\nThis raises the ${environment.name} shell-access alert: InvokeAgentRuntimeCommand is reported on every use.`));
  const runtime = await findRuntime(clients.agentcoreControl, resourceNamesOf(environment, identity.Account!).runtime, environment.name);
  const data = new BedrockAgentCoreClient({ region: environment.region });
  // Named InvokeAgentRuntimeCommandCommand in the SDK; InvokeAgentRuntimeCommand there is the plain invoke.
  const response = await data.send(
    new InvokeAgentRuntimeCommandCommand({ agentRuntimeArn: runtime.agentRuntimeArn, qualifier: args.endpoint!, runtimeSessionId: session.id, body: { command, timeout } }),
  );
  let exitCode = 1;
  for await (const event of response.stream ?? []) {
    if (event.chunk?.contentDelta?.stdout) process.stdout.write(event.chunk.contentDelta.stdout);
    if (event.chunk?.contentDelta?.stderr) process.stderr.write(event.chunk.contentDelta.stderr);
    if (event.chunk?.contentStop) exitCode = event.chunk.contentStop.exitCode ?? 1;
    const problem = Object.entries(event).find(([key, value]) => key !== "chunk" && value !== undefined);
    if (problem) throw new Error(`${problem[0]}: ${(problem[1] as { message?: string }).message ?? "error"}`);
  }
  return exitCode;
}
