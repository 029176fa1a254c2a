/**
 * Deploys one environment in dependency order: preflight, then the registry, then the network → storage
 * chain and the image build side by side, then the agent with the new image digest.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Environment } from "../../environments/schema";
import type { ImageRecord } from "../../lib/image-records";
import { stackName, type Layer } from "../../stacks/environment-stack";
import { IMAGE_DIGEST_VARIABLE } from "../../stacks/environment-stacks";
import { ScriptError } from "./cli";
import { runChecked, type ProcessRunner } from "./runner";
import { shellCommand } from "./shell";
import type { Step, StepOutcome } from "./steps";

export type DeployStepId = "preflight" | "synth" | "registry" | "network" | "storage" | "image" | "agent";

export interface DeployStep extends Step<DeployStepId> {
  /** What the step runs, for --dry-run and for the failure report. */
  readonly command: string;
  /** How long it usually takes, for the plan (README "What each step costs"). */
  readonly typical: string;
}

/** The deploy's dependency graph. The names of the stacks are a public contract (DESIGN.md). */
export function deployPlan(environment: Environment, options: { context: string }): DeployStep[] {
  const env = environment.name;
  // Shown to people (--dry-run, failure reports): quoted so that pasting one runs exactly these words.
  const stack = (layer: Layer, ...extra: string[]) => shellCommand(["npx", "cdktn", "deploy", stackName(env, layer), ...CDKTN_DEPLOY_FLAGS, ...extra]);
  return [
    { id: "preflight", label: "preflight", needs: [], command: `npm run preflight -- --env ${env}`, typical: "<1 min" },
    { id: "synth", label: "synth", needs: [], command: "synthesize every stack into cdktf.out/", typical: "<1 min" },
    { id: "registry", label: `${env}-registry`, needs: ["preflight", "synth"], command: stack("registry"), typical: "<1 min" },
    { id: "network", label: `${env}-network`, needs: ["registry"], command: stack("network"), typical: "2-4 min (NAT gateways, endpoints)" },
    { id: "storage", label: `${env}-storage`, needs: ["network"], command: stack("storage"), typical: "3-6 min (mount targets)" },
    {
      id: "image",
      label: "image (arm64)",
      needs: ["registry"],
      command: shellCommand(["npm", "run", "build-image", "--", "--env", env, "--context", options.context]),
      typical: "1-5 min native arm64, 5-15 min emulated",
    },
    {
      id: "agent",
      label: `${env}-agent`,
      needs: ["storage", "image"],
      command: stack("agent", `--var=${IMAGE_DIGEST_VARIABLE}=<digest from the image step>`),
      typical: "1-3 min",
    },
  ];
}

/**
 * --skip-synth: deploy synthesizes once, in process. --ignore-missing-stack-dependencies: each stack is
 * deployed on its own, after deploy has made sure its dependencies are in place.
 */
export const CDKTN_DEPLOY_FLAGS = ["--auto-approve", "--skip-synth", "--ignore-missing-stack-dependencies"] as const;

export function cdktnDeployArgs(stack: string, digest?: string): string[] {
  return ["--no-install", "cdktn", "deploy", stack, ...CDKTN_DEPLOY_FLAGS, ...(digest !== undefined ? [`--var=${IMAGE_DIGEST_VARIABLE}=${digest}`] : [])];
}

/** Completed steps of earlier runs, so a re-run resumes instead of redoing them. */
export interface DeployJournal {
  readonly steps: Partial<Record<DeployStepId, { readonly fingerprint: string; readonly at: string }>>;
}

export function journalPath(environment: string, dir = join(".build", "deploy")): string {
  return join(dir, `${environment}.json`);
}

export function readJournal(file: string): DeployJournal {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DeployJournal) : { steps: {} };
}

export function recordInJournal(file: string, id: DeployStepId, fingerprint: string, at: Date): void {
  const journal = readJournal(file);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ steps: { ...journal.steps, [id]: { fingerprint, at: at.toISOString() } } }, null, 2)}\n`);
}

/** A stack's fingerprint: its synthesized configuration plus, for the agent, the image digest. */
export function stackFingerprint(outdir: string, stack: string, extra = ""): string {
  const config = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
  return createHash("sha256").update(config).update(extra).digest("hex");
}

export interface DeployExecutorDeps {
  readonly environment: Environment;
  readonly runner: ProcessRunner;
  readonly outdir: string;
  readonly journalFile: string;
  /** Redeploy stacks even when the journal says they are unchanged. */
  readonly force: boolean;
  /** Runs the preflight checks; `failed` names the failed checks, `report` is the printable checklist. */
  readonly preflight: () => Promise<{ ok: boolean; failed: string[]; report: string }>;
  readonly synth: () => Promise<void>;
  readonly buildImage: () => Promise<ImageRecord & { reused: boolean }>;
  readonly log?: (step: DeployStepId, line: string) => void;
  readonly now?: () => Date;
}

/** Runs each deploy step for real; tests and the benchmark substitute their own executor. */
export function deployExecutor(deps: DeployExecutorDeps): (step: Step<DeployStepId>) => Promise<StepOutcome | void> {
  let image: (ImageRecord & { reused: boolean }) | undefined;
  const now = deps.now ?? (() => new Date());
  const deployStack = async (id: DeployStepId, layer: Layer, digest?: string): Promise<StepOutcome> => {
    const stack = stackName(deps.environment.name, layer);
    const fingerprint = stackFingerprint(deps.outdir, stack, digest ?? "");
    if (!deps.force && readJournal(deps.journalFile).steps[id]?.fingerprint === fingerprint) {
      return { unchanged: true, detail: "unchanged since its last successful deploy" };
    }
    await runChecked(deps.runner, "npx", cdktnDeployArgs(stack, digest), { onLine: (line) => deps.log?.(id, line) });
    recordInJournal(deps.journalFile, id, fingerprint, now());
    return {};
  };
  return async (step) => {
    switch (step.id) {
      case "preflight": {
        const result = await deps.preflight();
        if (!result.ok) {
          for (const line of result.report.split("\n")) deps.log?.("preflight", line);
          throw new ScriptError(`${result.failed.join(", ")} failed (the fixes are listed above; npm run preflight -- --env ${deps.environment.name} checks again)`);
        }
        return {};
      }
      case "synth":
        await deps.synth();
        return {};
      case "image": {
        image = await deps.buildImage();
        return { detail: `${image.reused ? "reused" : "pushed"} ${image.tag} ${image.digest.slice(0, 19)}…` };
      }
      case "agent":
        if (image === undefined) throw new ScriptError("no image digest: the image step did not run");
        return deployStack("agent", "agent", image.digest);
      default:
        return deployStack(step.id, step.id as Layer);
    }
  };
}

export function formatPlan(environment: Environment, steps: readonly DeployStep[]): string {
  const lines = steps.map((s, i) => {
    const after = s.needs.length > 0 ? `after ${s.needs.join(" + ")}` : "first";
    return `  ${String(i + 1).padStart(2)}. ${s.label.padEnd(16)} ${after.padEnd(26)} ~${s.typical}\n        ${s.command}`;
  });
  const where = `${environment.region}, account ${environment.account ?? "of the current credentials"}`;
  return [
    `Deploy plan for ${environment.name} (${where}):`,
    ...lines,
    "",
    "The network → storage chain and the image build run side by side; the agent waits for both.",
    "Re-running deploy resumes: stacks unchanged since their last successful deploy are skipped.",
  ].join("\n");
}
