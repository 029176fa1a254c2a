/**
 * The AgentCore HTTP contract: GET /ping and POST /invocations on port 8080. Clients (Bedrock, S3) are
 * created on first use, so the container is ready in well under the 60 s initialization limit.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { statfs } from "node:fs/promises";
import { formatSize, storageBench, type ObjectStore } from "./bench.js";
import type { AgentConfig } from "./config.js";
import { directorySize, storageReport } from "./storage.js";
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
  readonly status: number;
  readonly code: string;
  /** Close the connection after answering: the rest of the request is not worth reading. */
  readonly closeConnection: boolean;
  constructor(
    status: number,
    code: string,
    message: string,
    closeConnection: boolean = false,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.closeConnection = closeConnection;
  }
}

const tooLarge = () => new HttpError(413, "PayloadTooLarge", `the payload is larger than ${MAX_BODY_BYTES} bytes`, true);

/**
 * Reads a JSON body of at most MAX_BODY_BYTES. A body declared or found larger is refused at once: the reader
 * stops taking data, and the 413 closes the connection, so an oversized upload is never read to its end.
 */
function readJson(request: IncomingMessage): Promise<unknown> {
  if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off("data", onData);
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("error", reject);
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new HttpError(400, "ValidationError", "the payload is not valid JSON"));
      }
    });
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

/**
 * Bytes a benchmark can write to a tier: the file system's free space, and for session storage also what is
 * left of its hard limit (past it, writes fail with ENOSPC and no warning; REFERENCE.md "Session storage").
 */
async function writableBytes(path: string, limitBytes?: number): Promise<number> {
  const fs = await statfs(path);
  const free = fs.bavail * fs.bsize;
  return limitBytes === undefined ? free : Math.min(free, limitBytes - (await directorySize(path)));
}

export function createAgentServer(deps: AgentDeps): Server {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const { config } = deps;
  let busy = 0;
  // One benchmark at a time: concurrent ones filled session storage and memory, and measured each other.
  let benchRunning = false;

  const bench = async (sizes: readonly number[], repeat: number): Promise<unknown> => {
    if (benchRunning) {
      throw new HttpError(429, "BenchmarkRunning", "a storage benchmark is already running; run one at a time, after it finishes");
    }
    benchRunning = true;
    try {
      // Each size is written, read and removed before the next, so a tier must hold the largest one.
      const largest = Math.max(...sizes);
      for (const [tier, path, limit] of [
        ["session storage", config.sessionStoragePath, config.sessionStorageLimitBytes],
        ["S3 Files", config.s3FilesPath, undefined],
      ] as const) {
        const available = await writableBytes(path, limit).catch(() => undefined);
        if (available !== undefined && available < largest) {
          throw new HttpError(507, "InsufficientStorage", `${tier} (${path}) has ${formatSize(Math.max(available, 0))} free; the largest size needs ${formatSize(largest)}. Use smaller sizes or free space first`);
        }
      }
      return {
        unit: "ms",
        note: "median of repeated write/read rounds per tier; compare with the source lab's table (README)",
        rows: await storageBench({ sizes, repeat, sessionPath: config.sessionStoragePath, s3FilesPath: config.s3FilesPath, store: deps.store(), prefix: config.agentPrefix }),
      };
    } finally {
      benchRunning = false;
    }
  };

  const invoke = async (body: unknown): Promise<unknown> => {
    const request = parseRequest(body);
    switch (request.kind) {
      case "storage_report":
        return { storage: await storageReport(config, () => deps.store().probe()) };
      case "storage_bench":
        return bench(request.sizes, request.repeat);
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

  const handle = (request: IncomingMessage, response: ServerResponse) => {
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
          if (error instanceof HttpError) {
            return send(response, error.status, { error: { code: error.code, message: error.message } }, error.closeConnection ? { connection: "close" } : {});
          }
          if (error instanceof ValidationError) return send(response, 400, { error: { code: "ValidationError", message: error.message } });
          log({ level: "error", msg: "invocation failed", requestId, error: error instanceof Error ? error.stack : String(error) });
          send(response, 500, { error: { code: "InternalError", message: `internal error; see the runtime logs (request ${requestId})` } });
        },
      )
      .finally(() => {
        busy--;
        log({ level: "info", msg: "invocation", requestId, status: response.statusCode, ms: Math.round(performance.now() - started) });
      });
  };

  const server = createServer(handle);
  // A client that asks before sending (Expect: 100-continue) is told no before it uploads an oversized body.
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => {
    if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      const error = tooLarge();
      return send(response, error.status, { error: { code: error.code, message: error.message } }, { connection: "close" });
    }
    response.writeContinue();
    handle(request, response);
  });
  return server;
}
