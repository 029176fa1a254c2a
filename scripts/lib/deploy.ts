/**
 * Deploys one environment in dependency order: preflight, then a preview of what the storage stack will
 * replace, then the registry, then the network → storage chain and the image build side by side, then the
 * agent with the new image digest.
 */
import { createHash } from "node:crypto";
import { GetAccessPointCommand } from "@aws-sdk/client-s3files";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import type { ImageRecord } from "../../lib/image-records.ts";
import { stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import { IMAGE_DIGEST_VARIABLE } from "../../modules/runtime/runtime.ts";
import { CDKTN_STACK_FLAGS, cdktnArgs, runCdktn } from "./cdktn.ts";
import { errorName, type SendsCommands } from "./aws.ts";
import { ScriptError } from "./cli.ts";
import { readJsonFile, writeJsonAtomic } from "./json-file.ts";
import { runChecked, type ProcessRunner } from "./runner.ts";
import { shellCommand } from "./shell.ts";
import { consumedOutputsFingerprint, managedResources, readStackState, stackDirectory, type StateBucketReader } from "./stack-state.ts";
import type { Step, StepOutcome } from "./steps.ts";
import { commandLine } from "../../lib/invocation.ts";

export type DeployStepId = "preflight" | "synth" | "changes" | "base" | "registry" | "network" | "storage" | "image" | "agent";

/** `--only agent`: a new runtime (or a new image) on a network, storage and registry that stay deployed. */
export type DeployScope = "all" | "agent";

/** The stacks `--only agent` builds on: they must be deployed, and it does not change them. */
export const BASE_LAYERS: readonly Layer[] = ["network", "storage", "registry"];

export interface DeployStep extends Step<DeployStepId> {
  /** What the step runs, for --dry-run and for the failure report. */
  readonly command: string;
  /** How long it usually takes, for the plan (README "What each step costs"). */
  readonly typical: string;
}

/** The deploy's dependency graph. The names of the stacks are a public contract (DESIGN.md). */
/**
 * @param options.context the image's build context, shown in the image step's command
 * @param options.outdir where the synth step writes the app @default "cdktf.out"
 */
export function deployPlan(environment: EnvironmentDescription, options: { context: string; only?: DeployScope; outdir?: string }): DeployStep[] {
  const env = environment.name;
  // Shown to people (--dry-run, failure reports): quoted so that pasting one runs exactly these words.
  const stack = (layer: Layer, ...extra: string[]) => shellCommand(["npx", "cdktn", "deploy", stackName(env, layer), ...CDKTN_DEPLOY_FLAGS, ...extra]);
  const image = (needs: DeployStepId[]): DeployStep => ({
    id: "image",
    label: "image (arm64)",
    needs,
    command: commandLine("build-image", shellCommand(["--env", env, "--context", options.context])),
    typical: "1-5 min native arm64, 5-15 min emulated",
  });
  const agent = (needs: DeployStepId[]): DeployStep => ({
    id: "agent",
    label: `${env}-agent`,
    needs,
    command: stack("agent", `--var=${IMAGE_DIGEST_VARIABLE}=<digest from the image step>`),
    typical: "1-3 min",
  });
  const local: DeployStep[] = [
    { id: "preflight", label: "preflight", needs: [], command: commandLine("preflight", `--env ${env}`), typical: "<1 min" },
    { id: "synth", label: "synth", needs: [], command: `synthesize ${env}'s stacks into ${options.outdir ?? "cdktf.out"}/ (the app of ./cdktf.json)`, typical: "<1 min" },
  ];
  if (options.only === "agent") {
    return [
      ...local,
      {
        id: "base",
        label: "network, storage, registry",
        needs: ["preflight", "synth"],
        command: `check that ${BASE_LAYERS.map((l) => stackName(env, l)).join(", ")} are deployed (their Terraform state holds resources); they are not changed`,
        typical: "<1 min",
      },
      image(["base"]),
      agent(["image"]),
    ];
  }
  return [
    ...local,
    {
      id: "changes",
      label: "change preview",
      needs: ["preflight", "synth"],
      command: `npx cdktn diff ${stackName(env, "storage")} --skip-synth, then terraform show -json plan (only when ${stackName(env, "storage")} is deployed and changed): says what it will replace before anything changes`,
      typical: "<1 min",
    },
    { id: "registry", label: `${env}-registry`, needs: ["changes"], command: stack("registry"), typical: "<1 min" },
    { id: "network", label: `${env}-network`, needs: ["registry"], command: stack("network"), typical: "2-4 min (NAT gateways, endpoints)" },
    { id: "storage", label: `${env}-storage`, needs: ["network"], command: stack("storage"), typical: "3-6 min (mount targets)" },
    image(["registry"]),
    agent(["storage", "image"]),
  ];
}

/** What deploy passes to `cdktn deploy` (see cdktn.ts for why). */
export const CDKTN_DEPLOY_FLAGS = ["--auto-approve", ...CDKTN_STACK_FLAGS] as const;

/** The agent stack's image digest, as a cdktn variable flag. */
function digestVariable(digest?: string): string[] {
  return digest !== undefined ? [`--var=${IMAGE_DIGEST_VARIABLE}=${digest}`] : [];
}

export function cdktnDeployArgs(stack: string, digest?: string): string[] {
  return cdktnArgs("deploy", stack, digestVariable(digest));
}

/**
 * Completed steps of earlier runs, so a re-run resumes instead of redoing them. It only ever allows
 * skipping a stack whose state still holds resources (see deployExecutor); teardown forgets the stacks it
 * removes. Written atomically.
 */
export interface DeployJournal {
  readonly steps: Partial<Record<DeployStepId, { readonly fingerprint: string; readonly at: string }>>;
}

export function journalPath(environment: string, dir = join(".build", "deploy")): string {
  return join(dir, `${environment}.json`);
}

export function readJournal(file: string, warn?: (message: string) => void): DeployJournal {
  const journal = readJsonFile<Partial<DeployJournal>>(file, { steps: {} }, warn);
  return { steps: journal.steps ?? {} };
}

export function recordInJournal(file: string, id: DeployStepId, fingerprint: string, at: Date): void {
  const journal = readJournal(file);
  writeJsonAtomic(file, { steps: { ...journal.steps, [id]: { fingerprint, at: at.toISOString() } } });
}

/** Forgets stacks that no longer exist as deployed (teardown calls this for what it removed). */
export function forgetDeployedStacks(file: string, layers: readonly Layer[]): void {
  const journal = readJournal(file);
  const steps = Object.fromEntries(Object.entries(journal.steps).filter(([id]) => !layers.includes(id as Layer)));
  writeJsonAtomic(file, { steps });
}

/**
 * The Terraform addresses of the resources a synthesized stack declares, each of which a deployed state holds.
 * (A block with `count` or `for_each` may rightly have no instance: it is left out.)
 */
export function declaredResources(outdir: string, stack: string): string[] {
  const config = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return Object.entries(config.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName)
      .filter(([, block]) => block.count === undefined && block.for_each === undefined)
      .map(([name]) => `${type}.${name}`),
  );
}

/** A stack's fingerprint: its synthesized configuration plus, for the agent, the image digest. */
export function stackFingerprint(outdir: string, stack: string, extra = ""): string {
  const config = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
  return createHash("sha256").update(config).update(extra).digest("hex");
}

/** A resource the plan replaces (Terraform JSON plan: actions ["delete","create"] or ["create","delete"]). */
export interface PlannedReplacement {
  readonly address: string;
  readonly type: string;
  /** Attributes whose change forces the replacement (`replace_paths`). */
  readonly because: readonly string[];
}

/**
 * Reads `terraform show -json <plan>` (format_version 1.x: resource_changes[].change.actions and
 * replace_paths; output_changes) for the replacements and changed outputs.
 */
export function readPlan(json: string): { replacements: PlannedReplacement[]; changedOutputs: string[] } {
  const plan = JSON.parse(json) as {
    resource_changes?: { address: string; type: string; change: { actions: string[]; replace_paths?: (string | number)[][] } }[];
    output_changes?: Record<string, { actions: string[] }>;
  };
  const replacements = (plan.resource_changes ?? [])
    .filter((r) => r.change.actions.includes("delete") && r.change.actions.includes("create"))
    .map((r) => ({ address: r.address, type: r.type, because: (r.change.replace_paths ?? []).map((p) => p.join(".")) }));
  const changedOutputs = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => !change.actions.every((a) => a === "no-op"))
    .map(([name]) => name);
  return { replacements, changedOutputs };
}

/**
 * What a replacement means for this project. Every attribute of aws_s3files_access_point forces a new one
 * (hashicorp/terraform-provider-aws internal/service/s3files/access_point.go: RequiresReplace on
 * file_system_id, posix_user, root_directory and their nested attributes), so a change of the POSIX user or
 * root directory gives it a new ARN, which the runtime in <env>-agent mounts.
 */
export function describeReplacement(environment: string, replacement: PlannedReplacement): string {
  const because = replacement.because.length > 0 ? ` (changed: ${replacement.because.join(", ")})` : "";
  if (replacement.type === "aws_s3files_access_point") {
    return `${stackName(environment, "storage")} will REPLACE the S3 Files access point ${replacement.address}${because}: its ARN changes, and the runtime mounts it by ARN. Deploy applies ${stackName(environment, "agent")} right after ${stackName(environment, "storage")}; until then new sessions cannot mount the file system.`;
  }
  if (replacement.type === "aws_s3files_file_system") {
    return `${stackName(environment, "storage")} will REPLACE the S3 Files file system ${replacement.address}${because}: writes not yet exported to the bucket are lost, and the access point and mount targets are recreated.`;
  }
  return `${stackName(environment, "storage")} will replace ${replacement.address}${because}.`;
}

export interface DeployExecutorDeps {
  readonly environment: EnvironmentDescription;
  readonly runner: ProcessRunner;
  readonly outdir: string;
  readonly journalFile: string;
  /** Reads the S3 state bucket, for environments with an S3 backend. */
  readonly stateBucket?: StateBucketReader;
  /** TERRAFORM_BINARY_NAME, as cdktn reads it. @default "terraform" */
  readonly terraformBinary?: string;
  /** Redeploy stacks even when the journal says they are unchanged. */
  readonly force: boolean;
  /** Runs the preflight checks; `failed` names the failed checks, `report` is the printable checklist. */
  readonly preflight: () => Promise<{ ok: boolean; failed: string[]; report: string }>;
  readonly synth: () => Promise<void>;
  readonly buildImage: () => Promise<ImageRecord & { reused: boolean }>;
  readonly log?: (step: DeployStepId, line: string) => void;
  readonly now?: () => Date;
  /** For `--only agent`: confirms with S3 Files that the access point the agent will mount exists. */
  readonly s3files?: SendsCommands;
}

/** Runs each deploy step for real; tests and the benchmark substitute their own executor. */
export function deployExecutor(deps: DeployExecutorDeps): (step: Step<DeployStepId>) => Promise<StepOutcome | void> {
  let image: (ImageRecord & { reused: boolean }) | undefined;
  let replacements: PlannedReplacement[] = [];
  const now = deps.now ?? (() => new Date());
  const warn = (id: DeployStepId) => (message: string) => deps.log?.(id, message);

  /**
   * A stack's fingerprint covers its configuration, the image digest (agent), and the values of the other
   * stacks' outputs it reads: a replaced access point changes <env>-storage's outputs, so <env>-agent runs again.
   */
  const fingerprintOf = async (stack: string, digest?: string) =>
    stackFingerprint(deps.outdir, stack, `${digest ?? ""}\n${await consumedOutputsFingerprint(deps.outdir, stack, deps.stateBucket)}`);

  /**
   * Skipping is safe only when the journal says nothing changed AND the stack's state still holds every resource
   * its configuration declares (a partial destroy, such as teardown's first step on the network, is not deployed).
   */
  const upToDate = async (id: DeployStepId, stack: string, fingerprint: string): Promise<boolean> => {
    if (deps.force || readJournal(deps.journalFile, warn(id)).steps[id]?.fingerprint !== fingerprint) return false;
    const held = new Set(managedResources(await readStackState(deps.outdir, stack, deps.stateBucket)).map((r) => `${r.type}.${r.name}`));
    return held.size > 0 && declaredResources(deps.outdir, stack).every((address) => held.has(address));
  };

  const deployStack = async (id: DeployStepId, layer: Layer, digest?: string): Promise<StepOutcome> => {
    const stack = stackName(deps.environment.name, layer);
    const fingerprint = await fingerprintOf(stack, digest);
    if (await upToDate(id, stack, fingerprint)) return { unchanged: true, detail: "unchanged since its last successful deploy" };
    await runCdktn(deps.runner, "deploy", stack, digestVariable(digest), { onLine: (line) => deps.log?.(id, line) });
    // The outputs it read may have changed while it ran (they did not: its dependencies are done), so the fingerprint stands.
    recordInJournal(deps.journalFile, id, fingerprint, now());
    const replaced = layer === "agent" && replacements.some((r) => r.type === "aws_s3files_access_point");
    return replaced ? { detail: "applied with the new access point ARN" } : {};
  };

  /** Before anything changes: does the storage stack replace something (the access point above all)? */
  const previewStorage = async (): Promise<StepOutcome> => {
    const stack = stackName(deps.environment.name, "storage");
    if (managedResources(await readStackState(deps.outdir, stack, deps.stateBucket)).length === 0) return { unchanged: true, detail: `${stack} not deployed yet: nothing to replace` };
    if (await upToDate("storage", stack, await fingerprintOf(stack))) return { unchanged: true, detail: `${stack} unchanged` };
    // cdktn diff runs `terraform plan -input=false -out plan` in the stack's folder (cdktn-cli 0.24,
    // cli-core terraform-cli.ts `plan`); `terraform show -json plan` turns that plan into JSON.
    await runCdktn(deps.runner, "diff", stack, [], { onLine: (line) => deps.log?.("changes", line) });
    const shown = await runChecked(deps.runner, deps.terraformBinary ?? "terraform", ["show", "-json", "plan"], { cwd: stackDirectory(deps.outdir, stack) });
    replacements = readPlan(shown.stdout).replacements;
    for (const replacement of replacements) deps.log?.("changes", `WARNING: ${describeReplacement(deps.environment.name, replacement)}`);
    return { detail: replacements.length > 0 ? `${stack} replaces ${replacements.map((r) => r.address).join(", ")}` : `${stack} replaces nothing` };
  };
  /**
   * `--only agent` builds on what is deployed (DESIGN.md decision 7: the state and the account decide, not a
   * journal): each base stack's state must hold every resource its configuration declares (a teardown that
   * stopped early leaves the network without its NAT gateways, or nothing at all), and the S3 Files access point
   * the agent mounts must exist (teardown deletes it through the S3 Files API, which a retained storage stack's
   * state does not see). A base stack whose configuration changed since its last deploy is not applied here; the
   * step says so, since the agent reads that stack's outputs as they are in its state.
   */
  const checkBase = async (): Promise<StepOutcome> => {
    const env = deps.environment.name;
    const problems: string[] = [];
    for (const layer of BASE_LAYERS) {
      const stack = stackName(env, layer);
      const state = await readStackState(deps.outdir, stack, deps.stateBucket);
      const held = new Set(managedResources(state).map((r) => `${r.type}.${r.name}`));
      const absent = declaredResources(deps.outdir, stack).filter((address) => !held.has(address));
      if (held.size === 0) problems.push(`${stack} holds no resources (${state.location})`);
      else if (absent.length > 0) problems.push(`${stack} lacks ${absent.length} of the resources it declares (${absent.slice(0, 3).join(", ")}${absent.length > 3 ? ", …" : ""})`);
      else {
        const recorded = readJournal(deps.journalFile, warn("base")).steps[layer]?.fingerprint;
        if (recorded !== undefined && recorded !== (await fingerprintOf(stack))) {
          deps.log?.("base", `NOTE: ${stack} changed since its last deploy; --only agent does not apply it (${commandLine("deploy", `--env ${env}`)} does)`);
        }
      }
      const accessPoint = layer === "storage" ? state.outputs.access_point_arn?.value : undefined;
      if (problems.length === 0 && typeof accessPoint === "string" && deps.s3files !== undefined) {
        const id = /access-point\/(fsap-[0-9a-f]+)$/.exec(accessPoint)?.[1];
        try {
          if (id) await deps.s3files.send(new GetAccessPointCommand({ accessPointId: id }));
        } catch (error) {
          if (!/NotFound/.test(errorName(error))) throw error;
          problems.push(`${stack}'s S3 Files access point ${accessPoint} no longer exists (a teardown deleted the file system)`);
        }
      }
    }
    if (problems.length > 0) {
      throw new ScriptError(`--only agent deploys a runtime onto a network, storage and registry already in place, and they are not: ${problems.join("; ")}. Deploy the whole environment: ${commandLine("deploy", `--env ${env}`)}`);
    }
    return { detail: "in place; not changed" };
  };

  return async (step) => {
    switch (step.id) {
      case "base":
        return checkBase();
      case "preflight": {
        const result = await deps.preflight();
        if (!result.ok) {
          for (const line of result.report.split("\n")) deps.log?.("preflight", line);
          throw new ScriptError(`${result.failed.join(", ")} failed (the fixes are listed above; ${commandLine("preflight", `--env ${deps.environment.name}`)} checks again)`);
        }
        return {};
      }
      case "synth":
        await deps.synth();
        return {};
      case "changes":
        return previewStorage();
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

export function formatPlan(environment: EnvironmentDescription, steps: readonly DeployStep[], only: DeployScope = "all"): string {
  const width = Math.max(16, ...steps.map((s) => s.label.length));
  const lines = steps.map((s, i) => {
    const after = s.needs.length > 0 ? `after ${s.needs.join(" + ")}` : "first";
    return `  ${String(i + 1).padStart(2)}. ${s.label.padEnd(width)} ${after.padEnd(26)} ~${s.typical}\n        ${s.command}`;
  });
  const where = `${environment.region}, account ${environment.account ?? "of the current credentials"}`;
  return [
    `Deploy plan for ${environment.name} (${where}):`,
    ...lines,
    "",
    only === "agent"
      ? `--only agent: the runtime goes onto the network, storage and registry already deployed, which stay as they are; AgentCore reuses the ENIs it holds in those subnets, so a runtime comes and goes without waiting for them (${commandLine("teardown", `--env ${environment.name} --only agent`)} removes it again).`
      : "The network → storage chain and the image build run side by side; the agent waits for both.",
    "Re-running deploy resumes: a stack is skipped only if its state holds resources and neither its configuration nor the outputs it reads from other stacks changed since its last successful deploy.",
  ].join("\n");
}
