import { commandLine } from "../../lib/invocation.ts";
import { createInterface } from "node:readline/promises";
import { chalk } from "zx";
import type { TeardownReport } from "../lib/teardown/index.ts";
import { EXIT, parseCommandLine, requireEnv, requireRemoteState, ScriptError, UsageError } from "../lib/cli.ts";
import { parseDuration } from "../lib/duration.ts";
import { loadEnvironment } from "../lib/app.ts";

export function usage(): string {
  return `
Usage: ${commandLine("teardown", "--env <name> [--yes] [--dry-run] [--only agent] [--wait-enis <duration>] [--json]")}
    [--delete-images] [--wait-export <duration>] [--discard-unexported-writes]

Removes an environment in the order AWS accepts: the agent stack; at once, what the network bills by the
hour (NAT gateways and their Elastic IPs, interface endpoints, flow-log delivery); then, side by side,
storage (S3 Files access point → mount targets → file system, waiting while writes are still exporting to
S3; the bucket only if the environment does not retain data), the registry (its images only with
--delete-images), and the check for the ENIs AgentCore leaves in the subnets (InterfaceType agentic_ai);
then the rest of the network, all free of charge; then a sweep for anything still tagged with the
environment, each confirmed with its own service. The report says what is still billed. Running it again
continues from what is really there.

Options:
  --env <name>                  an environment of the app in ./cdktf.json
  --yes                         do not ask (otherwise you type the environment name; required off a terminal)
  --dry-run                     print the ordered plan; touch nothing
  --only agent                  remove only <env>-agent; the network, storage and registry stay for the next
                                runtime (${commandLine("deploy", "--env <name> --only agent")}), with no ENI wait
  --wait-enis <duration>        wait this long for AgentCore's ENIs to be released (default 10m; they can
                                take up to 8h: when they outlast the wait, the network stays and teardown
                                exits 3, resumable)
  --wait-export <duration>      wait this long for the file system to export pending writes (default 10m)
  --delete-images               also delete the repository's images (otherwise the repository is kept)
  --discard-unexported-writes   delete the file system even if writes are not yet in S3 (they are lost)
  --json                        print the report as JSON on stdout
  --require-remote-state        refuse an environment whose Terraform state is on this machine's disk (CI runners)
  -h, --help                    show this help

Exit status: 0 torn down (anything kept was kept on purpose and is listed); 1 failed; 2 bad arguments;
3 stopped in a resumable state (re-run later); 4 not confirmed; 130 interrupted (Ctrl-C: running steps
finished, nothing new started; re-run to continue).
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    yes: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    "wait-enis": { type: "string", default: "10m" },
    "wait-export": { type: "string", default: "10m" },
    "delete-images": { type: "boolean", default: false },
    "discard-unexported-writes": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    only: { type: "string" },
    "require-remote-state": { type: "boolean", default: false },
  });
  try {
    const name = requireEnv(args.env);
    if (args.only !== undefined && args.only !== "agent") throw new UsageError(`--only ${JSON.stringify(args.only)}: the one part teardown can remove alone is the agent (--only agent)`);
    if (args.only === "agent") {
      // Both would touch what --only agent keeps: refuse rather than ignore them.
      for (const flag of ["delete-images", "discard-unexported-writes"] as const) {
        if (args[flag]) throw new UsageError(`--${flag} acts on the ${flag === "delete-images" ? "registry" : "storage"}, which --only agent keeps; drop one of the two`);
      }
    }
    const options = {
      waitEnisMs: parseDuration(args["wait-enis"]!, "--wait-enis"),
      waitExportMs: parseDuration(args["wait-export"]!, "--wait-export"),
      deleteImages: args["delete-images"]!,
      discardUnexportedWrites: args["discard-unexported-writes"]!,
      only: args.only === "agent" ? ("agent" as const) : ("all" as const),
    };
    return await tearDown(name, options, { yes: args.yes!, dryRun: args["dry-run"]!, json: args.json!, requireRemoteState: args["require-remote-state"]! });
  } catch (error) {
    // --json: stdout is JSON whatever happens, so automation never meets an empty or a text stream.
    if (args.json) {
      const { describeFailure } = await import("../lib/cli.ts");
      const { message, hint } = describeFailure(error);
      console.log(JSON.stringify({ environment: args.env ?? null, status: "failed", message, ...(hint !== undefined && { hint }) }, null, 2));
    }
    throw error;
  }
}

/** The environment as the app defines it; else, if its file was deleted, as its last synth left it in cdktf.json's output folder. */
async function environmentToTearDown(name: string): Promise<{ environment: Awaited<ReturnType<typeof loadEnvironment>>["environment"]; kept: boolean }> {
  try {
    return { environment: (await loadEnvironment(name)).environment, kept: false };
  } catch (error) {
    if (!(error instanceof UsageError) || !error.message.startsWith("unknown environment")) throw error;
    const { keptEnvironment, readCdktfConfig } = await import("../lib/app.ts");
    const outdir = readCdktfConfig(process.cwd()).output;
    const environment = keptEnvironment(name, outdir);
    if (environment === undefined) throw new UsageError(`${error.message}; nor are stack folders of "${name}" left in ${outdir}/stacks to tear it down from`);
    return { environment, kept: true };
  }
}

type Options = { waitEnisMs: number; waitExportMs: number; deleteImages: boolean; discardUnexportedWrites: boolean; only: "all" | "agent" };

async function tearDown(name: string, options: Options, args: { yes: boolean; dryRun: boolean; json: boolean; requireRemoteState: boolean }): Promise<number> {
  const { environment, kept } = await environmentToTearDown(name);
  requireRemoteState(args.requireRemoteState, environment);
  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { formatTeardownPlan, formatReport, teardown, teardownJournalPath, teardownSteps } = await import("../lib/teardown/index.ts");
  const { clockFromEnvironment } = await import("../lib/clock.ts");

  const plan = formatTeardownPlan(environment, options);
  if (args.dryRun) {
    const steps = teardownSteps(options).map((s) => ({ id: s.id, label: s.label, needs: s.needs, does: s.describe(environment) }));
    console.log(args.json ? JSON.stringify({ environment: environment.name, region: environment.region, dryRun: true, only: options.only, options, steps }, null, 2) : plan);
    return EXIT.ok;
  }
  if (!args.json) console.log(plan);
  if (!args.yes) {
    if (!process.stdin.isTTY) throw new ScriptError("refusing to tear down without --yes when not on a terminal", EXIT.refused);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(`\nThis deletes ${options.only === "agent" ? `${environment.name}'s agent` : environment.name}. Type the environment name to continue: `);
    prompt.close();
    if (answer.trim() !== environment.name) throw new ScriptError("not confirmed; nothing was deleted", EXIT.refused);
  }

  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const { ExecaRunner } = await import("../lib/runner.ts");
  const { progressView } = await import("../lib/progress.ts");
  const { readCdktfConfig, synthesizeApp } = await import("../lib/app.ts");
  const { readImageRecord } = await import("../../lib/image-records.ts");

  const { environmentAccess } = await import("../lib/credentials.ts");
  const { clients, stateBucket } = environmentAccess(environment);
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  // cdktn destroys what the app synthesized into cdktf.json's output folder: synthesize it first, as deploy does.
  const outdir = readCdktfConfig(process.cwd()).output;
  // An environment the app no longer defines is torn down from the stack folders its last synth left.
  if (kept) console.error(`${environment.name} is no longer defined by the app: tearing it down from ${outdir}/stacks/${environment.name}-* (its last synth); its state says what is deployed`);
  else await synthesizeApp({ dir: process.cwd(), outdir, only: [environment.name] });

  const lastImage = readImageRecord(environment.name);
  const view = progressView();
  const { onInterrupt } = await import("../lib/interrupt.ts");
  const interrupt = onInterrupt("teardown", (line) => view.log(line));
  const report: TeardownReport = await teardown(
    {
      environment,
      runner: new ExecaRunner(),
      clients,
      clock: clockFromEnvironment(),
      accountId: identity.Account!,
      outdir,
      stateBucket,
      journalFile: teardownJournalPath(environment.name),
      log: (step, line) => view.log(`[${step}] ${line}`),
      onUpdate: (states) => view.update(states),
      stopped: interrupt.stopped,
      ...(lastImage !== undefined && { imageDigest: lastImage.digest }),
    },
    options,
  );
  interrupt.dispose();
  view.stop();
  if (args.json) console.log(JSON.stringify(report, null, 2));
  else console.log(`\n${(report.status === "clean" ? chalk.green : report.status === "resumable" ? chalk.yellow : chalk.red)(formatReport(report, environment))}`);
  if (report.interrupted) return EXIT.interrupted;
  return report.status === "clean" ? EXIT.ok : report.status === "resumable" ? EXIT.resumable : EXIT.failed;
}
