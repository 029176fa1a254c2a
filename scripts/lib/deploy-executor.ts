/**
 * Runs each deploy step for real (tests and the benchmark substitute their own executor). Whether a stack is
 * applied is decided by its Terraform plan against the real state and the live account (stack-plan.ts;
 * DESIGN.md decision 7), never by a local file: a stack destroyed behind deploy's back, drift made outside
 * Terraform, a stack another machine deployed, a failed apply that left half its resources — each plans as
 * changed, and is applied. The agent's plan reads <env>-storage's outputs from its state (a cross-stack
 * reference), so a replaced access point makes the agent change too (issue 10 defect 5).
 */
import { GetAccessPointCommand } from "@aws-sdk/client-s3files";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import type { ImageRecord } from "../../lib/image-records.ts";
import { commandLine } from "../../lib/invocation.ts";
import { stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import { IMAGE_DIGEST_VARIABLE } from "../../modules/runtime/runtime.ts";
import { errorName, type SendsCommands } from "./aws.ts";
import { runCdktn, StackCommandError } from "./cdktn.ts";
import { ScriptError } from "./cli.ts";
import { realClock, type Clock } from "./clock.ts";
import { BASE_LAYERS, describeReplacement, type DeployStepId } from "./deploy.ts";
import type { ProcessRunner } from "./runner.ts";
import { describeChange, initStacks, planStack, type PlannedReplacement, type StackPlan } from "./stack-plan.ts";
import { managedResources, readStackState, type StateBucketReader } from "./stack-state.ts";
import type { Step, StepOutcome } from "./steps.ts";

/**
 * AgentCore's answer when the execution role's permissions have not reached it yet, right after Terraform
 * wrote the role's inline policy (live reports: one retry about 10 s later succeeds). The provider retries only
 * "Role validation failed" and "Access denied while validating ECR URI" on create
 * (hashicorp/terraform-provider-aws internal/service/bedrockagentcore/agent_runtime.go, Create), so deploy does.
 */
export const IAM_PROPAGATION_MESSAGE = /Execution role is missing required permissions/i;
/** How long deploy waits before each new attempt of the agent stack on that error (bounded: three more tries). */
export const IAM_PROPAGATION_WAITS_MS = [10_000, 20_000, 30_000] as const;

export function isIamPropagationError(error: unknown): boolean {
  return error instanceof StackCommandError && error.errors.some((d) => /ValidationException/.test(`${d.summary}\n${d.detail}`) && IAM_PROPAGATION_MESSAGE.test(`${d.summary}\n${d.detail}`));
}

export interface DeployExecutorDeps {
  readonly environment: EnvironmentDescription;
  readonly runner: ProcessRunner;
  readonly outdir: string;
  /** Reads the S3 state bucket, for environments with an S3 backend. */
  readonly stateBucket?: StateBucketReader;
  /** TERRAFORM_BINARY_NAME, as cdktn reads it. @default "terraform" */
  readonly terraformBinary?: string;
  /** Apply every stack, even one whose plan is empty. */
  readonly force: boolean;
  /** Runs the preflight checks; `failed` names the failed checks, `report` is the printable checklist. */
  readonly preflight: () => Promise<{ ok: boolean; failed: string[]; report: string }>;
  readonly synth: () => Promise<void>;
  readonly buildImage: () => Promise<ImageRecord & { reused: boolean }>;
  readonly log?: (step: DeployStepId, line: string) => void;
  /** Waits (the IAM propagation retry) sleep on it. @default realClock */
  readonly clock?: Clock;
  /** Refuses when the state holds resources of another account than the credentials' (account-guard.ts); before any plan. */
  readonly guardAccount?: () => Promise<void>;
  /** For `--only agent`: confirms with S3 Files that the access point the agent will mount exists. */
  readonly s3files?: SendsCommands;
}

export function deployExecutor(deps: DeployExecutorDeps): (step: Step<DeployStepId>) => Promise<StepOutcome | void> {
  let image: (ImageRecord & { reused: boolean }) | undefined;
  let replacements: readonly PlannedReplacement[] = [];
  const env = deps.environment.name;
  const clock = deps.clock ?? realClock;
  const planDeps = (id: DeployStepId) => ({ runner: deps.runner, outdir: deps.outdir, ...(deps.terraformBinary !== undefined && { terraformBinary: deps.terraformBinary }), onLine: (line: string) => deps.log?.(id, line) });
  /** Every stack's folder is initialized once, before any plan, one stack at a time. */
  let initialized: Promise<void> | undefined;
  const init = (id: DeployStepId, layers: readonly Layer[]) => (initialized ??= initStacks(planDeps(id), layers.map((l) => stackName(env, l))));
  const plans = new Map<Layer, StackPlan>();
  const digestVars = (digest?: string) => (digest !== undefined ? [`${IMAGE_DIGEST_VARIABLE}=${digest}`] : []);

  const plan = async (id: DeployStepId, layer: Layer, digest?: string): Promise<StackPlan> => {
    const planned = await planStack(planDeps(id), stackName(env, layer), digestVars(digest));
    plans.set(layer, planned);
    return planned;
  };

  /** `cdktn deploy`, again after a wait while AgentCore has not yet seen the execution role's new permissions. */
  const apply = async (id: DeployStepId, layer: Layer, digest?: string): Promise<void> => {
    const vars = digestVars(digest).map((v) => `--var=${v}`);
    for (let attempt = 0; ; attempt++) {
      try {
        await runCdktn(deps.runner, "deploy", stackName(env, layer), vars, { onLine: (line) => deps.log?.(id, line) });
        return;
      } catch (error) {
        const wait = IAM_PROPAGATION_WAITS_MS[attempt];
        if (layer !== "agent" || wait === undefined || !isIamPropagationError(error)) throw error;
        deps.log?.(id, `AgentCore does not see the execution role's permissions yet (IAM propagates in seconds): applying ${stackName(env, layer)} again in ${wait / 1000}s (retry ${attempt + 1} of ${IAM_PROPAGATION_WAITS_MS.length})`);
        await clock.sleep(wait);
      }
    }
  };

  const deployStack = async (id: DeployStepId, layer: Layer, digest?: string): Promise<StepOutcome> => {
    await init(id, ["registry", "network", "storage", "agent"]);
    const planned = await plan(id, layer, digest);
    if (!planned.changed && !deps.force) return { unchanged: true, detail: "no changes (terraform plan)" };
    await apply(id, layer, digest);
    const summary = planned.changed ? `${planned.changes.length} resource change${planned.changes.length === 1 ? "" : "s"}${planned.changedOutputs.length > 0 ? `, outputs ${planned.changedOutputs.join(", ")}` : ""}` : "forced (the plan was empty)";
    const replaced = layer === "agent" && replacements.some((r) => r.type === "aws_s3files_access_point");
    return { detail: replaced ? `applied with the new access point ARN (${summary})` : `applied: ${summary}` };
  };

  /** Before anything changes: does the storage stack replace something (the access point above all)? */
  const previewStorage = async (): Promise<StepOutcome> => {
    await deps.guardAccount?.();
    const stack = stackName(env, "storage");
    if (managedResources(await readStackState(deps.outdir, stack, deps.stateBucket)).length === 0) return { unchanged: true, detail: `${stack} not deployed yet: nothing to replace` };
    await init("changes", ["registry", "network", "storage", "agent"]);
    const planned = await plan("changes", "storage");
    if (!planned.changed) return { unchanged: true, detail: `${stack} unchanged` };
    replacements = planned.replacements;
    for (const replacement of replacements) deps.log?.("changes", `WARNING: ${describeReplacement(env, replacement)}`);
    return { detail: replacements.length > 0 ? `${stack} replaces ${replacements.map((r) => r.address).join(", ")}` : `${stack} replaces nothing` };
  };

  /**
   * `--only agent` builds on what is deployed: each base stack's plan must create or replace nothing (a
   * teardown that stopped early leaves the network without its NAT gateways, or nothing at all), and the S3
   * Files access point the agent mounts must exist (teardown deletes it through the S3 Files API, which a
   * retained storage stack's state does not see). A base stack whose plan only updates is not applied here;
   * the step says so, since the agent reads that stack's outputs as they are in its state.
   */
  const checkBase = async (): Promise<StepOutcome> => {
    await deps.guardAccount?.();
    const problems: string[] = [];
    await init("base", [...BASE_LAYERS, "agent"]);
    for (const layer of BASE_LAYERS) {
      const stack = stackName(env, layer);
      const state = await readStackState(deps.outdir, stack, deps.stateBucket);
      if (managedResources(state).length === 0) {
        problems.push(`${stack} holds no resources (${state.location})`);
        continue;
      }
      const planned = await plan("base", layer);
      const missing = planned.changes.filter((c) => c.actions.includes("create"));
      if (missing.length > 0) problems.push(`${stack} would create or replace ${missing.length} resource${missing.length === 1 ? "" : "s"} (${missing.slice(0, 3).map(describeChange).join(", ")}${missing.length > 3 ? ", …" : ""})`);
      else if (planned.changed) deps.log?.("base", `NOTE: ${stack} differs from its configuration (${planned.changes.map(describeChange).join(", ") || "outputs"}); --only agent does not apply it (${commandLine("deploy", `--env ${env}`)} does)`);
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
          throw new ScriptError(`${result.failed.join(", ")} failed (the fixes are listed above; ${commandLine("preflight", `--env ${env}`)} checks again)`);
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
