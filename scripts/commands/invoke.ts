import { commandLine } from "../../lib/invocation.ts";
import { readFileSync } from "node:fs";
import { parseCommandLine, requireEnv, ScriptError, UsageError } from "../lib/cli.ts";
import { loadEnvironment } from "../lib/app.ts";

export function usage(): string {
  return `
Usage: ${commandLine("invoke", "--env <name> (--prompt <text> | --payload <json> | --payload-file <file> | --report | --bench)")}
    [--sizes 1KB,100KB,1MB,10MB] [--session <id>|last] [--endpoint <name>]

Invokes the environment's agent runtime (InvokeAgentRuntime) and prints the response.

  --prompt <text>        ask the agent ({"prompt": …})
  --payload <json>       send this JSON payload as is
  --payload-file <file>  send the JSON in this file
  --report               storage report: what is mounted where, free space, session storage use
  --bench                storage benchmark per tier, printed beside the source lab's figures
  --sizes <list>         sizes for --bench (default 1KB,100KB,1MB,10MB)
  --session <id>|last    reuse a runtime session (same microVM and session storage); default: a new one.
                         The session id is printed and remembered for --session last.
  --endpoint <name>      endpoint qualifier (default: live, the endpoint that follows the latest version)
  -h, --help             show this help
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    prompt: { type: "string" },
    payload: { type: "string" },
    "payload-file": { type: "string" },
    report: { type: "boolean", default: false },
    bench: { type: "boolean", default: false },
    sizes: { type: "string" },
    session: { type: "string" },
    endpoint: { type: "string", default: "live" },
  });
  const name = requireEnv(args.env);
  const chosen = [args.prompt !== undefined, args.payload !== undefined, args["payload-file"] !== undefined, args.report, args.bench].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError("give exactly one of --prompt, --payload, --payload-file, --report, --bench");
  if (args.sizes !== undefined && !args.bench) throw new UsageError("--sizes goes with --bench");
  let payload: unknown;
  if (args.prompt !== undefined && args.prompt.trim() === "") throw new UsageError('--prompt is empty: give the agent something to answer, e.g. --prompt "What is in /mnt/s3data?"');
  if (args.prompt !== undefined) payload = { prompt: args.prompt };
  else if (args.report) payload = { action: "storage_report" };
  else if (args.bench) payload = { action: "storage_bench", ...(args.sizes !== undefined && { sizes: args.sizes.split(",").map((s) => s.trim()) }) };
  else {
    let text: string;
    try {
      text = args.payload ?? readFileSync(args["payload-file"]!, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UsageError(`--payload-file ${args["payload-file"]}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "not readable" : (error as Error).message}`);
    }
    try {
      payload = JSON.parse(text);
    } catch {
      throw new UsageError("the payload is not valid JSON");
    }
  }
  const { environment } = await loadEnvironment(name);
  const { resolveSession, rememberSession, sessionFile, findRuntime, formatBenchTable } = await import("../lib/agent-client.ts");
  const file = sessionFile(environment.name);
  const session = resolveSession(args.session, file);

  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { BedrockAgentCoreClient, InvokeAgentRuntimeCommand } = await import("@aws-sdk/client-bedrock-agentcore");
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const { awsClients } = await import("../lib/aws.ts");
  const { resourceNamesOf } = await import("../../modules/environment/description.ts");
  const clients = awsClients(environment.region);
  const identity = (await clients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string };
  const runtime = await findRuntime(clients.agentcoreControl, resourceNamesOf(environment, identity.Account!).runtime, environment.name);
  const data = new BedrockAgentCoreClient({ region: environment.region });
  const response = await data.send(
    new InvokeAgentRuntimeCommand({
      agentRuntimeArn: runtime.agentRuntimeArn,
      qualifier: args.endpoint!,
      runtimeSessionId: session.id,
      contentType: "application/json",
      accept: "application/json",
      payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  rememberSession(session.id, file);
  const text = (await response.response?.transformToString()) ?? "";
  console.error(`session ${session.id}${session.reused ? " (reused)" : " (new; reuse with --session last)"}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    console.log(text);
    return;
  }
  if ((response.statusCode ?? 200) >= 400 || (body as { error?: unknown }).error !== undefined) {
    console.log(JSON.stringify(body, null, 2));
    throw new ScriptError(`the agent answered with an error (${response.statusCode ?? "?"})`);
  }
  if (args.bench) console.log(formatBenchTable((body as { rows: Parameters<typeof formatBenchTable>[0] }).rows));
  else if (args.prompt !== undefined) console.log((body as { response?: string }).response ?? JSON.stringify(body, null, 2));
  else console.log(JSON.stringify(body, null, 2));
}
