import { commandLine } from "../../lib/invocation.ts";
import { loadEnvironment } from "../lib/app.ts";
import { createInterface } from "node:readline/promises";
import { chalk } from "zx";
import { EXIT, parseCommandLine, requireEnv, requireRemoteState, ScriptError, UsageError } from "../lib/cli.ts";

export function usage(): string {
  return `
Usage: ${commandLine("deploy", "--env <name> [--yes] [--dry-run] [--only agent] [--context <dir>] [--allow-dirty] [--image-from <env>] [--force] [--json]")}

Deploys an environment in dependency order: preflight and synth; a preview of what <env>-storage will
replace (said before anything changes); <env>-registry; then <env>-network → <env>-storage and the arm64
image build side by side; then <env>-agent with the new image digest (and whenever the <env>-storage
outputs it reads changed). Shows each step's state and time. On failure it stops, says which steps failed,
in Terraform's words, and what exists; a re-run resumes (a stack is applied only when its plan, from its Terraform state against the account, shows
changes; a stack whose plan is empty is skipped: a re-run resumes from any machine reading the same state). The plan shows what the
environment costs a month (${commandLine("cost", "--env <name>")} for every line and the usage assumed).

Options:
  --env <name>      an environment of the app in ./cdktf.json
  --yes             do not ask for confirmation (required when not on a terminal)
  --dry-run         print the plan, the commands and the monthly cost; run nothing
  --only agent      deploy only <env>-agent (and its image) onto the network, storage and registry already
                    deployed, which stay untouched: preview or per-branch runtimes on a long-lived network
  --context <dir>   Docker build context of the agent image (default: agent/ of this project if it has one,
                    else the reference agent shipped with agentcore-s3files-infra)
  --allow-dirty     build the image even with uncommitted changes in the context (tag says -dirty-<time>)
  --image-from <env>  promote the image <env> runs instead of building one: the same manifest, by digest
                    (from <env>'s agent stack state), copied into this environment's repository with the
                    ECR API (across accounts and Regions), verified (digest, linux/arm64) before the agent uses it
  --force           apply every stack even when its Terraform plan shows no changes
  --json            print the result as JSON on stdout (steps, failures with Terraform's errors)
  --require-remote-state
                    refuse an environment whose Terraform state is on this machine's disk (for CI runners)
  -h, --help        show this help

Stack by stack works too: ${commandLine("cdktn", "deploy '<env>-*'")}.
`;
}

/** Digest flags users try (cdktn's, Terraform's, guesses): deploy passes the digest itself; say what to do instead. */
const DIGEST_FLAGS = /^(--?var|--image-digest|--digest)(=|$)/;

export async function run(argv: readonly string[]): Promise<number | void> {
  const tried = argv.find((a) => DIGEST_FLAGS.test(a));
  if (tried !== undefined) {
    throw new UsageError(
      `${tried.split("=")[0]}: deploy takes no image digest; it builds the image (or promotes one: --image-from <env>) and passes its digest to the agent stack itself. To run a digest you already have: pin it with agent.imageDigest in the environment file, or deploy the stack directly: npx cdktn deploy <env>-agent --var=agent_image_digest=sha256:…`,
    );
  }
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    yes: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    context: { type: "string" },
    force: { type: "boolean", default: false },
    "allow-dirty": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    only: { type: "string" },
    "require-remote-state": { type: "boolean", default: false },
    "image-from": { type: "string" },
  });
  const name = requireEnv(args.env);
  const imageFrom = args["image-from"];
  if (imageFrom === name) throw new UsageError(`--image-from ${imageFrom}: that is the environment being deployed; name the environment whose image to promote (e.g. --env prod --image-from staging)`);
  if (imageFrom !== undefined && args.context !== undefined) throw new UsageError("--image-from promotes an image another environment runs; --context builds one: drop one of the two");
  if (args.only !== undefined && args.only !== "agent") throw new UsageError(`--only ${JSON.stringify(args.only)}: the one part deploy can do alone is the agent (--only agent)`);
  const only = args.only === "agent" ? "agent" : "all";
  const { buildImage, checkContext, defaultContext } = await import("../lib/build-image.ts");
  const { context, reference } = args.context !== undefined ? { context: args.context, reference: undefined } : defaultContext();
  // A bad --context is a bad argument: refused (exit 2) before anything runs, --dry-run included.
  if (args.context !== undefined) checkContext(context);
  const { environment, outdir: described } = await loadEnvironment(name);
  requireRemoteState(args["require-remote-state"], environment);
  const source =
    imageFrom !== undefined
      ? (
          await loadEnvironment(imageFrom).catch((error: unknown) => {
            throw error instanceof UsageError ? new UsageError(`--image-from ${imageFrom}: ${error.message}`) : error;
          })
        ).environment
      : undefined;
  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { writeImageRecord } = await import("../../lib/image-records.ts");
  const { readCdktfConfig, synthesizeApp } = await import("../lib/app.ts");
  const { deployPlan, formatPlan } = await import("../lib/deploy.ts");
  const { deployExecutor } = await import("../lib/deploy-executor.ts");
  const { formatChecks, runPreflight } = await import("../lib/preflight.ts");
  const { progressView } = await import("../lib/progress.ts");
  const { ExecaRunner } = await import("../lib/runner.ts");
  const { formatDuration, runSteps } = await import("../lib/steps.ts");
  const { clockFromEnvironment } = await import("../lib/clock.ts");
  const { deployReport, formatDeployFailure } = await import("../lib/deploy-report.ts");
  // cdktn deploys what the app synthesized into cdktf.json's output folder: the synth step writes it, as cdktn would.
  const outdir = readCdktfConfig(process.cwd()).output;
  const steps = deployPlan(environment, { context, only, outdir, ...(imageFrom !== undefined && { imageFrom }) });
  if (args["dry-run"] || !args.json) {
    console.log(formatPlan(environment, steps, only));
    // What it costs, before anything is created.
    const { costPreview } = await import("../lib/cost.ts");
    console.log(`\n${costPreview(described, environment, only)}`);
  }
  if (args["dry-run"]) return;

  if (!args.yes) {
    if (!process.stdin.isTTY) throw new ScriptError("refusing to deploy without --yes when not on a terminal", EXIT.refused);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(`\nDeploy ${environment.name}? Type the environment name to continue: `);
    prompt.close();
    if (answer.trim() !== environment.name) throw new ScriptError("not confirmed; nothing was deployed", EXIT.refused);
  }

  const runner = new ExecaRunner();
  const clock = clockFromEnvironment();
  const { environmentAccess } = await import("../lib/credentials.ts");
  const { refuseForeignAccount } = await import("../lib/account-guard.ts");
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const { clients, stateBucket } = environmentAccess(environment);
  const terraformBinary = process.env.TERRAFORM_BINARY_NAME ?? "terraform";
  const view = progressView();
  const execute = deployExecutor({
    environment,
    runner,
    outdir,
    force: args.force!,
    terraformBinary,
    stateBucket,
    guardAccount: async () => {
      const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
      await refuseForeignAccount("deploy", environment, { account: identity.Account!, ...(identity.Arn !== undefined && { arn: identity.Arn }) }, { outdir, stateBucket });
    },
    clock,
    s3files: clients.s3files,
    preflight: async () => {
      const results = await runPreflight(environment, { runner, clients, nodeVersion: process.versions.node, terraformBinary });
      return { ok: results.every((r) => r.ok), failed: results.filter((r) => !r.ok).map((r) => r.name), report: formatChecks(results) };
    },
    synth: async () => {
      // With --image-from, the source's stacks too: its agent stack's state says which digest it runs.
      await synthesizeApp({ dir: process.cwd(), outdir, only: [environment.name, ...(source !== undefined ? [source.name] : [])] });
    },
    buildImage: async () => {
      if (source !== undefined) {
        const { promoteDeployedImage } = await import("../lib/promote-image.ts");
        const promoted = await promoteDeployedImage(source, environment, clients, { outdir, log: (line) => view.log(`[image] ${line}`) });
        writeImageRecord(promoted);
        return promoted;
      }
      const record = await buildImage(environment, { context, ...(reference !== undefined && { tag: reference.tag, commit: reference.commit }), allowDirty: args["allow-dirty"]! }, {
        runner,
        clients,
        fetchJson: async (url) => (await fetch(url)).json(),
        log: (line) => view.log(`[image] ${line}`),
      });
      writeImageRecord(record);
      return record;
    },
    log: (step, line) => view.log(`[${step}] ${line}`),
  });
  const started = performance.now();
  const { onInterrupt } = await import("../lib/interrupt.ts");
  const interrupt = onInterrupt("deploy", (line) => view.log(line));
  const result = await runSteps(steps, execute, (states) => view.update(states), undefined, { stopped: interrupt.stopped });
  interrupt.dispose();
  view.stop();
  const report = { ...deployReport(environment, result), ...(interrupt.stopped() && { interrupted: true }) };
  if (interrupt.stopped() && result.failures.length === 0) {
    if (args.json) console.log(JSON.stringify(report, null, 2));
    else console.error(`\ndeploy of ${environment.name} interrupted: in place: ${report.inPlace.join(", ") || "nothing"}; not started: ${report.notStarted.join(", ") || "none"}. Resume with: ${commandLine("deploy", `--env ${environment.name}`)}`);
    return EXIT.interrupted;
  }

  if (args.json) {
    console.log(JSON.stringify(report, null, 2));
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  if (result.ok) {
    console.log(chalk.green(`\n${environment.name} deployed in ${formatDuration(performance.now() - started)}.`));
    console.log(`Outputs: ${commandLine("cdktn", `output '${environment.name}-*'`)}`);
    return;
  }
  const { message, hint } = formatDeployFailure(report);
  throw new ScriptError(message, EXIT.failed, hint);
}
