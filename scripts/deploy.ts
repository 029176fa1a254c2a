import { loadEnvironment } from "./lib/environment";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { chalk } from "zx";
import { EXIT, parseCommandLine, requireEnv, runScript, ScriptError } from "./lib/cli";

const USAGE = `
Usage: npm run deploy -- --env <name> [--yes] [--dry-run] [--context <dir>] [--allow-dirty] [--force]

Deploys an environment in dependency order: preflight and synth; <env>-registry; then <env>-network →
<env>-storage and the arm64 image build side by side; then <env>-agent with the new image digest.
Shows each step's state and time. On failure it stops, says which step failed and what exists, and a
re-run resumes (stacks unchanged since their last successful deploy are skipped).

Options:
  --env <name>      environment from environments/index.ts
  --yes             do not ask for confirmation (required when not on a terminal)
  --dry-run         print the plan and the commands; run nothing
  --context <dir>   Docker build context of the agent image (default: agent)
  --allow-dirty     build the image even with uncommitted changes in the context (tag says -dirty-<time>)
  --force           redeploy every stack even if unchanged since its last deploy
  -h, --help        show this help

Stack by stack works too: npx cdktn deploy '<env>-*'.
`;

await runScript(USAGE, async (argv) => {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    yes: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    context: { type: "string", default: "agent" },
    force: { type: "boolean", default: false },
    "allow-dirty": { type: "boolean", default: false },
  });
  const environment = loadEnvironment(requireEnv(args.env));
  // Heavy modules (cdktn, the provider, AWS SDK clients) load only after the arguments are known good.
  const { environments } = await import("../environments");
  const { imageDigests, writeImageRecord } = await import("../lib/image-records");
  const { synthesize } = await import("../lib/synth");
  const { awsClients } = await import("./lib/aws");
  const { buildImage } = await import("./lib/build-image");
  const { deployExecutor, deployPlan, formatPlan, journalPath } = await import("./lib/deploy");
  const { formatChecks, runPreflight } = await import("./lib/preflight");
  const { progressView } = await import("./lib/progress");
  const { ExecaRunner } = await import("./lib/runner");
  const { formatDuration, runSteps } = await import("./lib/steps");
  const steps = deployPlan(environment, { context: args.context! });
  console.log(formatPlan(environment, steps));
  if (args["dry-run"]) return;

  if (!args.yes) {
    if (!process.stdin.isTTY) throw new ScriptError("refusing to deploy without --yes when not on a terminal", EXIT.refused);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(`\nDeploy ${environment.name}? Type the environment name to continue: `);
    prompt.close();
    if (answer.trim() !== environment.name) throw new ScriptError("not confirmed; nothing was deployed", EXIT.refused);
  }

  const runner = new ExecaRunner();
  const clients = awsClients(environment.region);
  const targetVersions = (JSON.parse(readFileSync("cdktf.json", "utf8")) as { targetVersions: Record<string, string> }).targetVersions;
  const view = progressView();
  const execute = deployExecutor({
    environment,
    runner,
    outdir: "cdktf.out",
    journalFile: journalPath(environment.name),
    force: args.force!,
    preflight: async () => {
      const results = await runPreflight(environment, { runner, clients, nodeVersion: process.versions.node, terraformBinary: process.env.TERRAFORM_BINARY_NAME ?? "terraform" });
      return { ok: results.every((r) => r.ok), failed: results.filter((r) => !r.ok).map((r) => r.name), report: formatChecks(results) };
    },
    synth: async () => {
      synthesize(environments, { outdir: "cdktf.out", targetVersions, imageDigests: imageDigests() });
    },
    buildImage: async () => {
      const record = await buildImage(environment, { context: args.context!, allowDirty: args["allow-dirty"]! }, {
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
  const result = await runSteps(steps, execute, (states) => view.update(states));
  view.stop();

  if (result.ok) {
    console.log(chalk.green(`\n${environment.name} deployed in ${formatDuration(performance.now() - started)}.`));
    console.log(`Outputs: npx cdktn output '${environment.name}-*'`);
    return;
  }
  // What exists in AWS: the stacks and the image, not the local steps.
  const done = result.states.filter((s) => (s.status === "done" || s.status === "unchanged") && s.id !== "preflight" && s.id !== "synth").map((s) => s.label);
  const failed = result.states.find((s) => s.id === result.failed!.id)!;
  throw new ScriptError(
    `deploy of ${environment.name} stopped: step "${failed.label}" failed: ${failed.detail}`,
    EXIT.failed,
    [
      `In place: ${done.length > 0 ? done.join(", ") : "nothing was deployed"}.`,
      `Not started: ${result.states.filter((s) => s.status === "not started").map((s) => s.label).join(", ") || "none"}.`,
      `Fix the cause, then resume with: npm run deploy -- --env ${environment.name}`,
    ].join("\n"),
  );
});
