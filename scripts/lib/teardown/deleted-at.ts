/**
 * When the environment's runtime was deleted, which says when AgentCore's ENIs should be gone ("up to 8 hours"
 * after, REFERENCE.md) — from the account, so that any machine can say it (DESIGN.md decision 7): CloudTrail's
 * event history of management events (LookupEvents, EventName DeleteAgentRuntime; the record's
 * requestParameters.agentRuntimeId is "<runtime name>-<10 alphanumerics>", bedrock-agentcore-control model
 * AgentRuntimeId). Event history is on in every account, keeps 90 days, and needs no trail. Its events arrive a
 * few minutes after the call, so right after this machine's own destroy the local record (journal.ts) is the
 * cache that bridges that gap; another machine reads CloudTrail.
 *
 * Chosen over the ENIs' attach times (they tell when the runtime came, not when it went) and over a record in
 * the state backend (a local backend is one machine again).
 */
import { paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import type { TeardownContext } from "./context.ts";
import { readTeardownJournal } from "./journal.ts";

/** How far back to look: past the 8 hours AgentCore may hold ENIs, with room for a teardown resumed a day later. */
const LOOKBACK_MS = 48 * 3600_000;

export async function runtimeDeletedAt(ctx: TeardownContext): Promise<{ at: string; source: string } | undefined> {
  const { deps, names } = ctx;
  let latest: number | undefined;
  try {
    const now = deps.clock.now();
    for await (const page of paginateLookupEvents(
      { client: deps.clients.cloudtrail },
      { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DeleteAgentRuntime" }], StartTime: new Date(now - LOOKBACK_MS), EndTime: new Date(now) },
    )) {
      for (const event of page.Events ?? []) {
        const record = JSON.parse(event.CloudTrailEvent ?? "{}") as { requestParameters?: { agentRuntimeId?: string } };
        if (!record.requestParameters?.agentRuntimeId?.startsWith(`${names.runtime}-`)) continue;
        const at = event.EventTime?.getTime();
        if (at !== undefined && (latest === undefined || at > latest)) latest = at;
      }
    }
  } catch (error) {
    deps.log("enis", `could not read CloudTrail's event history (${(error as Error).name}: ${(error as Error).message}); using this machine's record, if any`);
  }
  const recorded = readTeardownJournal(deps.journalFile).destroyedAt.agent;
  const local = recorded !== undefined ? Date.parse(recorded) : undefined;
  if (latest !== undefined && (local === undefined || latest >= local)) return { at: new Date(latest).toISOString(), source: "CloudTrail (DeleteAgentRuntime)" };
  if (local !== undefined) return { at: new Date(local).toISOString(), source: "this machine's teardown record (CloudTrail delivers events within minutes)" };
  return undefined;
}
