import type { IAgentRuntime } from "../runtime/props.ts";

/**
 * Where the command events come from. `"create"`: a trail of this construct logging only this runtime's command
 * data events. `{ existingTrailArn }`: a trail you run that already has that selector (CloudTrail allows five
 * trails per Region and account). A trail logs only the events of its own Region unless it is a multi-Region
 * trail, so a trail whose ARN names another Region than the runtime's needs `multiRegion: true`: your word that
 * it is one (the ARN cannot say; the trail's home Region is in it either way).
 */
export type CloudTrailSource = "create" | ExistingTrail;

/** A trail you run whose advanced event selectors already log the runtime's command data events. */
export interface ExistingTrail {
  /** The trail's ARN (of the runtime's partition; of its Region unless `multiRegion`). */
  readonly existingTrailArn: string;
  /**
   * Your word that the trail is a multi-Region trail, which a trail of another Region than the runtime's must be to
   * log the runtime's events. @default false
   */
  readonly multiRegion?: boolean;
}

/** Props of a ShellAccessAlert: the runtime it watches, and who is told. */
export interface ShellAccessAlertProps {
  /** The runtime whose InvokeAgentRuntimeCommand calls raise the alert. */
  readonly runtime: IAgentRuntime;
  /** Prefix of the names (rule, topic, key alias, trail, trail bucket). @default the stack's id */
  readonly namePrefix?: string;
  /** Addresses subscribed to the alert (each must confirm the subscription email). @default none */
  readonly emails?: readonly string[];
  /** Where the runtime's command events come from (see CloudTrailSource). @default "create" */
  readonly cloudTrail?: CloudTrailSource;
  /** Days the created trail's bucket keeps its logs. @default 30 */
  readonly trailLogRetentionDays?: number;
}

/** ShellAccessAlertProps with every default applied, as validateShellAccessAlertProps returns them. */
export interface AlertSettings {
  /** Addresses subscribed to the alert topic. */
  readonly emails: readonly string[];
  /** Where the command events come from. */
  readonly cloudTrail: CloudTrailSource;
  /** Days the created trail's bucket keeps its logs. */
  readonly trailLogRetentionDays: number;
}
