/** Finding the environment's runtime, calling it, and the runtime session ids that tie calls together. */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ListAgentRuntimesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { LAB_FIGURES } from "../../lib/lab-figures.ts";
import type { SendsCommands } from "./aws.ts";
import { ScriptError, UsageError } from "./cli.ts";
import { commandLine } from "../../lib/invocation.ts";

export interface RuntimeRef {
  readonly agentRuntimeArn: string;
  readonly agentRuntimeId: string;
}

export async function findRuntime(control: SendsCommands, runtimeName: string, environment: string): Promise<RuntimeRef> {
  let nextToken: string | undefined;
  do {
    const page = (await control.send(new ListAgentRuntimesCommand({ maxResults: 100, ...(nextToken && { nextToken }) }))) as {
      agentRuntimes?: { agentRuntimeName?: string; agentRuntimeArn?: string; agentRuntimeId?: string }[];
      nextToken?: string;
    };
    const found = page.agentRuntimes?.find((r) => r.agentRuntimeName === runtimeName);
    if (found) return { agentRuntimeArn: found.agentRuntimeArn!, agentRuntimeId: found.agentRuntimeId! };
    nextToken = page.nextToken;
  } while (nextToken);
  throw new ScriptError(`no AgentCore runtime named ${runtimeName} in this account and Region`, undefined, `deploy it first: ${commandLine("deploy", `--env ${environment}`)}`);
}

/** AgentCore session ids are at least 33 characters; a session keeps its microVM (and session storage). */
export function newSessionId(): string {
  return `${randomUUID()}-${Date.now().toString(36)}`;
}

/**
 * A runtime session id: shape SessionType, 33 to 256 characters (bedrock-agentcore API model: runtimeSessionId of
 * InvokeAgentRuntime, InvokeAgentRuntimeCommand and StopRuntimeSession). The model gives it no pattern; it travels
 * in the X-Amzn-Bedrock-AgentCore-Runtime-Session-Id header, and the scripts hold it to the characters of the
 * model's SessionId shape (`[a-zA-Z0-9][a-zA-Z0-9-_]*`: what UUID-based ids use), so nothing a session file holds
 * reaches AWS unless it is plainly an id.
 */
export const SESSION_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-_]{32,255}$/;
const SESSION_ID_RULE = "33 to 256 letters, digits, - or _, starting with a letter or digit";

export function sessionFile(environment: string, dir = join(".build", "sessions")): string {
  return join(dir, `${environment}.txt`);
}

/** `--session <id>` reuses that session; `--session last` the one this machine used last; none starts a new one. */
export function resolveSession(requested: string | undefined, file: string): { id: string; reused: boolean } {
  if (requested === undefined) return { id: newSessionId(), reused: false };
  if (requested === "last") {
    if (!existsSync(file)) throw new UsageError(`--session last: no earlier session recorded in ${file}; omit --session to start one`);
    // The file is only a convenience on this machine: what it holds goes to AWS only if it is a session id.
    const id = readFileSync(file, "utf8").trim();
    if (!SESSION_ID_PATTERN.test(id)) {
      throw new UsageError(`--session last: ${file} does not hold a runtime session id (${SESSION_ID_RULE}); delete it, or pass --session <id>`);
    }
    return { id, reused: true };
  }
  if (!SESSION_ID_PATTERN.test(requested)) throw new UsageError(`--session "${requested}" is not a runtime session id (${SESSION_ID_RULE})`);
  return { id: requested, reused: true };
}

export function rememberSession(id: string, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${id}\n`);
}

interface BenchRow {
  size: string;
  session: { writeMs: number; readMs: number } | { error: string };
  s3files: { writeMs: number; readMs: number } | { error: string };
  s3api: { writeMs: number; readMs: number } | { error: string };
}

/** The deployed environment's figures beside the source lab's, tier by tier (write / read ms). */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const cell = (t: BenchRow["session"]) => ("error" in t ? `error: ${t.error}` : `${t.writeMs.toFixed(2)} / ${t.readMs.toFixed(2)}`);
  const lab = (size: string, tier: "session" | "s3files" | "s3api") => {
    const figures = LAB_FIGURES[size]?.[tier];
    return figures ? `${figures[0].toFixed(2)} / ${figures[1].toFixed(2)}` : "-";
  };
  const header = ["size", "session storage", "(lab)", "S3 Files", "(lab)", "S3 API", "(lab)"];
  const body = rows.map((r) => [r.size, cell(r.session), lab(r.size, "session"), cell(r.s3files), lab(r.size, "s3files"), cell(r.s3api), lab(r.size, "s3api")]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return ["write / read, milliseconds (lab: seed 000, us-west-2)", line(header), ...body.map(line)].join("\n");
}
