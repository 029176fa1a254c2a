/**
 * Teardown's own record, kept only to say when AgentCore's ENIs should be gone: the time each stack was
 * really destroyed (a destroy of a stack whose state was already empty does not count). Written
 * atomically; removed after a clean teardown. Decisions about what to delete come from the account and
 * Terraform's state, never from this file.
 */
import { join } from "node:path";
import type { Layer } from "../../../modules/environment/environment-stack.ts";
import { readJsonFile, removeFile, writeJsonAtomic } from "../json-file.ts";

export interface TeardownJournal {
  readonly version: 2;
  /** When each stack was really destroyed (ISO 8601). */
  readonly destroyedAt: Partial<Record<Layer, string>>;
}

/** Journals of the first version held only `agentDestroyedAt`, written whether or not anything was destroyed. */
interface JournalV1 {
  readonly agentDestroyedAt?: string;
}

export function teardownJournalPath(environment: string, dir = join(".build", "teardown")): string {
  return join(dir, `${environment}.json`);
}

export function readTeardownJournal(file: string, warn?: (message: string) => void): TeardownJournal {
  const raw = readJsonFile<Partial<TeardownJournal> & JournalV1>(file, { version: 2, destroyedAt: {} }, warn);
  if (raw.version === 2 && raw.destroyedAt) return { version: 2, destroyedAt: raw.destroyedAt };
  return { version: 2, destroyedAt: raw.agentDestroyedAt !== undefined ? { agent: raw.agentDestroyedAt } : {} };
}

export function recordDestroy(file: string, layer: Layer, at: Date, warn?: (message: string) => void): void {
  const journal = readTeardownJournal(file, warn);
  writeJsonAtomic(file, { version: 2, destroyedAt: { ...journal.destroyedAt, [layer]: at.toISOString() } } satisfies TeardownJournal);
}

export function clearTeardownJournal(file: string): void {
  removeFile(file);
}
