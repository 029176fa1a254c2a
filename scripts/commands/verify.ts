import { commandLine } from "../../lib/invocation.ts";
import { chalk } from "zx";
import { EXIT, parseCommandLine, requireEnv } from "../lib/cli.ts";
import { parseDuration } from "../lib/duration.ts";
import { loadEnvironment } from "../lib/app.ts";

export function usage(): string {
  return `
Usage: ${commandLine("verify", "--env <name> [--json] [--endpoint <name>] [--export-wait <duration>] [--alert-wait <duration>]")}

Checks a deployed environment end to end and prints pass, fail or skipped (with why) for each promise, with
what it observed:
  - the runtime is READY on the expected image digest (expected: the agent stack's Terraform state, output
    container_uri; else the environment's pinned agent.imageDigest; else the last image build record)
  - an invocation answers (InvokeAgentRuntime, {"action": "storage_report"})
  - session storage, the S3 Files mount and the bucket prefix are writable (the storage report, and a 1 KB
    write and read on each tier with the agent's benchmark)
  - exec of a harmless command succeeds for an operator (it writes a marker file into the S3 Files mount)
  - that file appears in the bucket within the export window
  - the shell-access alert the exec raised reaches its topic (through a temporary SQS queue subscribed to it;
    without permission to subscribe, the rule's Invocations/FailedInvocations metrics)
  - the execution role is refused a model outside its list (iam:SimulatePrincipalPolicy)
  - AgentCore's own log groups have a retention period

A check the caller lacks permission for is skipped, with the permission it needs. verify removes everything it
created (the session, the marker file and its object versions, the queue and its subscription), also on
failure or Ctrl-C, and changes none of the environment's own resources. The exec raises the environment's
shell-access alert: its recipients get an email.

Options:
  --env <name>               an environment of the app in ./cdktf.json
  --json                     print the report as JSON on stdout
  --endpoint <name>          endpoint to call through (default: live)
  --export-wait <duration>   how long the marker may take to reach the bucket (default 5m; S3 Files exports
                             after about 60 s without writes)
  --alert-wait <duration>    how long the alert may take to reach the topic (default 10m)
  -h, --help                 show this help

Exit status: 0 no check failed (skipped ones are listed); 1 a check failed, or cleanup left something behind;
2 bad arguments or configuration (nothing was touched).
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    json: { type: "boolean", default: false },
    endpoint: { type: "string", default: "live" },
    "export-wait": { type: "string", default: "5m" },
    "alert-wait": { type: "string", default: "10m" },
  });
  const name = requireEnv(args.env);
  const options = {
    endpoint: args.endpoint!,
    exportWaitMs: parseDuration(args["export-wait"]!, "--export-wait"),
    alertWaitMs: parseDuration(args["alert-wait"]!, "--alert-wait"),
  };
  const { environment } = await loadEnvironment(name);

  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { randomBytes } = await import("node:crypto");
  const { verifyClients } = await import("../lib/aws.ts");
  const { realClock } = await import("../lib/teardown/index.ts");
  const { readImageRecord } = await import("../../lib/image-records.ts");
  const { expectedImage, formatVerifyReport, verifyEnvironment } = await import("../lib/verify/index.ts");

  const { environmentAccess } = await import("../lib/credentials.ts");
  const state = environment.state;
  const record = readImageRecord(environment.name);
  const expected = await expectedImage(environment, {
    // The state is read as deploy and teardown read it: through the backend's role_arn when it names one.
    ...(state.backend === "s3" && { s3ForState: environmentAccess(environment).stateBucket(state.region) }),
    ...(record !== undefined && { imageRecordDigest: record.digest }),
  });

  // Ctrl-C stops the waiting, and verify still removes what it created before exiting.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const report = await verifyEnvironment(
    {
      environment,
      clients: await verifyClients(environment.region),
      clock: realClock,
      expected,
      newId: () => randomBytes(4).toString("hex"),
      signal: interrupt.signal,
      ...(!args.json && { log: (line: string) => console.error(chalk.dim(line)) }),
    },
    options,
  );
  if (args.json) console.log(JSON.stringify(report, null, 2));
  else console.log(`\n${(report.status === "passed" ? chalk.green : chalk.red)(formatVerifyReport(report))}`);
  return report.status === "passed" && !interrupt.signal.aborted ? EXIT.ok : EXIT.failed;
}
