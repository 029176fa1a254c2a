/**
 * Runs steps that depend on each other as early as their dependencies allow, and reports each step's
 * state as it changes. Deploy uses it; so does the deploy benchmark, with simulated steps.
 */

export type StepStatus = "pending" | "running" | "done" | "unchanged" | "failed" | "not started";

export interface Step<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
  /** Steps that must have finished (done or unchanged) first. */
  readonly needs: readonly Id[];
}

export interface StepState<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
  readonly status: StepStatus;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly detail?: string;
}

/** What running a step produced: "unchanged" when there was nothing to do, and a line for the view. */
export interface StepOutcome {
  readonly unchanged?: boolean;
  readonly detail?: string;
}

export interface StepRunResult<Id extends string> {
  readonly ok: boolean;
  readonly states: readonly StepState<Id>[];
  /** The first step that failed. */
  readonly failed?: { readonly id: Id; readonly error: unknown };
  /** Every step that failed, in the order they failed (steps already running when one fails still finish, and may fail too). */
  readonly failures: readonly { readonly id: Id; readonly error: unknown }[];
}

export interface RunStepsOptions {
  /**
   * After a failure: "stop" starts nothing new (deploy: a failed stack makes the rest pointless);
   * "independent" still starts every step that does not depend on a failed one (teardown: an ENI wait that
   * stops resumable must not keep the storage or the registry from going). @default "stop"
   */
  readonly afterFailure?: "stop" | "independent";
  /** True once the run must start nothing new (Ctrl-C): running steps finish, the rest is "not started". */
  readonly stopped?: () => boolean;
}

/**
 * Starts every step whose dependencies are satisfied, as soon as they are. After a failure (see
 * RunStepsOptions.afterFailure) or a stop, steps already running finish (stopping a Terraform apply halfway
 * would leave a held lock and half-made resources), and the rest are reported "not started". A step whose
 * dependency failed never starts.
 */
export async function runSteps<Id extends string>(
  steps: readonly Step<Id>[],
  execute: (step: Step<Id>) => Promise<StepOutcome | void>,
  onUpdate: (states: readonly StepState<Id>[]) => void = () => {},
  clock: () => number = () => performance.now(),
  options: RunStepsOptions = {},
): Promise<StepRunResult<Id>> {
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) {
    for (const need of step.needs) if (!ids.has(need)) throw new Error(`step ${step.id} needs unknown step ${need}`);
  }
  const states = new Map<Id, StepState<Id>>(steps.map((s) => [s.id, { id: s.id, label: s.label, status: "pending" }]));
  const publish = () => onUpdate(steps.map((s) => states.get(s.id)!));
  const set = (id: Id, change: Partial<StepState<Id>>) => {
    states.set(id, { ...states.get(id)!, ...change });
    publish();
  };
  let failed: { id: Id; error: unknown } | undefined;
  const failures: { id: Id; error: unknown }[] = [];
  const running = new Map<Id, Promise<void>>();
  const finished = (id: Id) => ["done", "unchanged"].includes(states.get(id)!.status);

  publish();
  for (;;) {
    const mayStart = (failed === undefined || options.afterFailure === "independent") && !(options.stopped?.() ?? false);
    if (mayStart) {
      for (const step of steps) {
        if (states.get(step.id)!.status !== "pending" || !step.needs.every(finished)) continue;
        set(step.id, { status: "running", startedAt: clock() });
        running.set(
          step.id,
          execute(step).then(
            (outcome) => {
              set(step.id, { status: outcome?.unchanged ? "unchanged" : "done", endedAt: clock(), ...(outcome?.detail !== undefined && { detail: outcome.detail }) });
              running.delete(step.id);
            },
            (error: unknown) => {
              set(step.id, { status: "failed", endedAt: clock(), detail: (error as Error).message?.split("\n")[0] ?? String(error) });
              failed ??= { id: step.id, error };
              failures.push({ id: step.id, error });
              running.delete(step.id);
            },
          ),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  for (const step of steps) if (states.get(step.id)!.status === "pending") set(step.id, { status: "not started" });
  const ok = failed === undefined && steps.every((s) => finished(s.id));
  if (!ok && failed === undefined && !(options.stopped?.() ?? false)) throw new Error("steps could not all run: a dependency cycle?");
  return { ok, states: steps.map((s) => states.get(s.id)!), failures, ...(failed !== undefined && { failed }) };
}

export function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/** One line per step: state, elapsed time, detail. Used for the live view and the final summary. */
export function formatStates(states: readonly StepState[], now: number): string {
  const width = Math.max(...states.map((s) => s.label.length));
  const marks: Record<StepStatus, string> = { pending: "·", running: "…", done: "✓", unchanged: "=", failed: "✗", "not started": "-" };
  return states
    .map((s) => {
      const elapsed = s.startedAt === undefined ? "" : formatDuration((s.endedAt ?? now) - s.startedAt);
      return `  ${marks[s.status]} ${s.label.padEnd(width)}  ${s.status.padEnd(11)} ${elapsed.padStart(6)}${s.detail ? `  ${s.detail}` : ""}`;
    })
    .join("\n");
}
