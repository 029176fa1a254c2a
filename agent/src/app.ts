/**
 * The AgentCore HTTP contract: GET /ping and POST /invocations on port 8080. Clients (Bedrock, S3) are
 * created on first use, so the container is ready in well under the 60 s initialization limit.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { storageBench, type ObjectStore } from "./bench.js";
import type { AgentConfig } from "./config.js";
import { storageReport } from "./storage.js";
import { parseRequest, ValidationError } from "./validation.js";

export interface ModelClient {
  converse(modelId: string, prompt: string): Promise<{ text: string; stopReason?: string; usage?: { inputTokens?: number; outputTokens?: number } }>;
}

export interface AgentDeps {
  readonly config: AgentConfig;
  readonly model: () => ModelClient;
  readonly store: () => ObjectStore & { probe(): Promise<void> };
  readonly log?: (entry: Record<string, unknown>) => void;
}

/** Invocation bodies larger than this are refused before they are read in full. */
export const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const tooLarge = new HttpError(413, "PayloadTooLarge", `the payload is larger than ${MAX_BODY_BYTES} bytes`);
  if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    request.resume();
    throw tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Past the limit, keep reading but drop the data, so the client gets the 413 instead of a reset.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw tooLarge;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "ValidationError", "the payload is not valid JSON");
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

export function createAgentServer(deps: AgentDeps): Server {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const { config } = deps;
  let busy = 0;

  const invoke = async (body: unknown): Promise<unknown> => {
    const request = parseRequest(body);
    switch (request.kind) {
      case "storage_report":
        return { storage: await storageReport(config, () => deps.store().probe()) };
      case "storage_bench":
        return {
          unit: "ms",
          note: "median of repeated write/read rounds per tier; compare with the source lab's table (README)",
          rows: await storageBench({ sizes: request.sizes, repeat: request.repeat, sessionPath: config.sessionStoragePath, s3FilesPath: config.s3FilesPath, store: deps.store(), prefix: config.agentPrefix }),
        };
      case "prompt": {
        const modelId = config.modelIds[0];
        if (!modelId) throw new HttpError(500, "NotConfigured", "no model is configured (AGENT_MODEL_IDS is empty)");
        try {
          const answer = await deps.model().converse(modelId, request.prompt);
          return { response: answer.text, model: modelId, stopReason: answer.stopReason, usage: answer.usage };
        } catch (error) {
          // The model's error name helps (AccessDenied, Throttling); its message and stack stay in the logs.
          log({ level: "error", msg: "model call failed", error: String(error) });
          throw new HttpError(502, "ModelError", `the model call failed: ${(error as Error).name || "error"}`);
        }
      }
    }
  };

  return createServer((request, response) => {
    const requestId = randomUUID();
    const url = (request.url ?? "/").split("?")[0];
    if (url === "/ping" && request.method === "GET") {
      send(response, 200, { status: busy > 0 ? "HealthyBusy" : "Healthy", time_of_last_update: Math.floor(Date.now() / 1000) });
      return;
    }
    if (url !== "/invocations") return send(response, 404, { error: { code: "NotFound", message: "use POST /invocations or GET /ping" } });
    if (request.method !== "POST") return send(response, 405, { error: { code: "MethodNotAllowed", message: "use POST /invocations" } });
    busy++;
    const started = performance.now();
    readJson(request)
      .then(invoke)
      .then(
        (result) => send(response, 200, result),
        (error: unknown) => {
          if (error instanceof HttpError) return send(response, error.status, { error: { code: error.code, message: error.message } });
          if (error instanceof ValidationError) return send(response, 400, { error: { code: "ValidationError", message: error.message } });
          log({ level: "error", msg: "invocation failed", requestId, error: error instanceof Error ? error.stack : String(error) });
          send(response, 500, { error: { code: "InternalError", message: `internal error; see the runtime logs (request ${requestId})` } });
        },
      )
      .finally(() => {
        busy--;
        log({ level: "info", msg: "invocation", requestId, status: response.statusCode, ms: Math.round(performance.now() - started) });
      });
  });
}
