/**
 * What every teardown step is given: the environment, the clients, the options, and the findings the steps
 * share with the report (what was kept on purpose, which ENIs hold the network, what is left).
 */
import type { EnvironmentDescription } from "../../../modules/environment/description.ts";
import type { ResourceNames } from "../../../lib/names.ts";
import { stackName, type Layer } from "../../../modules/environment/environment-stack.ts";
import type { AwsSdkClients } from "../aws.ts";
import { runCdktn } from "../cdktn.ts";
import type { Clock } from "../clock.ts";
import type { ProcessRunner } from "../runner.ts";
import { managedResources, readStackState, type StackState, type StateBucketReader } from "../stack-state.ts";
import type { StepState } from "../steps.ts";

export type TeardownStepId = "agent" | "hourly" | "storage" | "registry" | "enis" | "network" | "sweep" | "check";

export interface TeardownOptions {
  /** How long to wait for AgentCore's ENIs to be released before leaving the network for a later run. */
  readonly waitEnisMs: number;
  /** How long to keep retrying the file system while it has writes not yet exported to S3. */
  readonly waitExportMs: number;
  /** Delete the repository's images (the repository cannot go otherwise). */
  readonly deleteImages: boolean;
  /** Delete the file system even with unexported writes (they are lost). Only ever set by an explicit flag. */
  readonly discardUnexportedWrites: boolean;
  /**
   * "agent": remove only the agent stack; the network, storage and registry stay for the next runtime
   * (deploy --only agent), and AgentCore's ENIs stay in the subnets for it to reuse. @default "all"
   */
  readonly only?: "all" | "agent";
}

/** The clients teardown calls (real SDK clients: the SDK's paginators accept nothing else). */
export type TeardownClients = Pick<AwsSdkClients, "ec2" | "ecr" | "s3" | "s3files" | "agentcoreControl" | "tagging" | "kms" | "logs" | "sns" | "events" | "cloudtrail" | "iam">;

export interface TeardownDeps {
  readonly environment: EnvironmentDescription;
  readonly runner: ProcessRunner;
  readonly clients: TeardownClients;
  readonly clock: Clock;
  /** Account id of the credentials (names depend on it; ENIs of other accounts are never touched). */
  readonly accountId: string;
  /** The synthesized stacks (cdktf.out): their backends say where each stack's state is. */
  readonly outdir: string;
  /** Reads the S3 state bucket, for environments with an S3 backend. */
  readonly stateBucket?: StateBucketReader;
  readonly journalFile: string;
  readonly log: (step: TeardownStepId, line: string) => void;
  /** Each change of the steps' states, for a live view. */
  readonly onUpdate?: (states: readonly StepState<TeardownStepId>[]) => void;
  /** True once teardown must start no new step (Ctrl-C). */
  readonly stopped?: () => boolean;
  /** Image digest for the agent stack's required variable (any valid digest will do for a destroy). */
  readonly imageDigest?: string;
}

export interface Kept {
  readonly what: string;
  readonly where: string;
  readonly why: string;
}

/** An ENI in the environment's network, as the report shows it. */
export interface EniReport {
  readonly id: string;
  /** EC2's InterfaceType (agentic_ai, nat_gateway, vpc_endpoint, interface, …). */
  readonly type: string;
  /** The account that owns the ENI. */
  readonly owner: string;
  readonly status: string;
  /** Who created it, when a service did (RequesterId). */
  readonly requester?: string;
  readonly description?: string;
  readonly subnetId?: string;
  /**
   * agentcore: AgentCore's own (released by AWS up to 8 hours after the runtime is deleted);
   * ours-deletable: an unattached ENI of this account tagged with the environment;
   * other: everything else (NAT gateway, endpoints, mount targets, other accounts'), left alone.
   */
  readonly kind: "agentcore" | "ours-deletable" | "other";
  readonly age?: string;
}

export interface SweepFindings {
  /** Confirmed by their own service to still exist. */
  readonly remaining: string[];
  /** Listed by the tagging index, but no service check exists for them: they count as remaining. */
  readonly unconfirmed: string[];
  /** Scheduled for deletion by their service (a KMS key's waiting period): nothing to do. */
  readonly pendingDeletion: { arn: string; until?: string; state: string }[];
  /** Listed by the tagging index, but their service says they are gone (the index trails deletions). */
  readonly indexLag: string[];
}

export class TeardownFindings {
  readonly kept: Kept[] = [];
  /** ARNs that are kept on purpose: the final sweep does not count them as left over. */
  readonly keptArns = new Set<string>();
  enis: EniReport[] = [];
  readonly sweep: SweepFindings = { remaining: [], unconfirmed: [], pendingDeletion: [], indexLag: [] };
  /** Stacks whose resources teardown removed (deploy must apply them again). */
  readonly removedLayers = new Set<Layer>();
  retryAfter?: string;
  /** The ARNs the agent stack's state held before it was destroyed (what `--only agent` confirms is gone). */
  destroyedAgentArns: string[] = [];
  /** Attachments of the agent stack's managed policies to principals outside the stacks, which teardown detached. */
  readonly detachedPolicies: { readonly policyArn: string; readonly kind: "user" | "group" | "role"; readonly name: string }[] = [];
  /** What the step that stops hourly charges destroyed, and when it finished. */
  hourlyStopped?: { readonly what: readonly string[]; readonly at: string };
}

export interface TeardownContext {
  readonly deps: TeardownDeps;
  readonly options: TeardownOptions;
  readonly environment: EnvironmentDescription;
  readonly names: ResourceNames;
  readonly findings: TeardownFindings;
  /**
   * cdktn runs one at a time: each runs `terraform init`, and Terraform's provider plugin cache is not safe for
   * concurrent init (hashicorp/terraform#31964). The steps still wait side by side for AWS (ENIs, exports, deletions).
   */
  readonly cdktnTurn: { tail: Promise<unknown> };
}

/**
 * `cdktn destroy <env>-<layer>`, with Terraform's errors parsed into the failure (StackCommandError).
 * Returns whether the stack held any resource beforehand, i.e. whether this was a real destroy.
 */
export async function destroyStack(
  ctx: TeardownContext,
  step: TeardownStepId,
  layer: Layer,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<{ hadResources: boolean; before: StackState }> {
  const stack = stackName(ctx.environment.name, layer);
  const before = await readStackState(ctx.deps.outdir, stack, ctx.deps.stateBucket);
  const destroy = () => runCdktn(ctx.deps.runner, "destroy", stack, extra, { onLine: (line) => ctx.deps.log(step, line), env });
  const turn = ctx.cdktnTurn.tail.then(destroy, destroy);
  ctx.cdktnTurn.tail = turn.catch(() => undefined);
  await turn;
  const hadResources = managedResources(before).length > 0;
  if (hadResources) ctx.findings.removedLayers.add(layer);
  return { hadResources, before };
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** A stop that a later run can finish; not a failure of the tool or of AWS. */
export class ResumableStop extends Error {
  readonly retryAfter?: string;
  constructor(
    message: string,
    retryAfter?: string,
  ) {
    super(message);
    this.retryAfter = retryAfter;
    this.name = "ResumableStop";
  }
}
