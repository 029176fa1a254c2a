/**
 * The reference agent under hostile input, over loopback only: oversized and endless bodies, concurrent
 * benchmarks, byte budgets, free space, null where a list or number belongs, and generated payloads (fixed
 * seed, bounded count). The cold tier goes through the real S3 client to the loopback S3 fake.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentServer, MAX_BODY_BYTES, type ModelClient } from "../../agent/src/app.ts";
import { s3Store } from "../../agent/src/aws.ts";
import { loadConfig } from "../../agent/src/config.ts";
import { startFakeS3, type FakeS3 } from "../helpers/fake-s3.ts";

const BUCKET = "test-files-123456789012-us-west-2";
const model: ModelClient = { converse: async (_modelId, prompt) => ({ text: `echo: ${prompt.length}` }) };

/** A loopback proxy in front of the S3 fake that holds object uploads until released. */
async function gatedProxy(target: string): Promise<{ endpoint: string; held: Promise<void>; release(): void; close(): Promise<void> }> {
  let release!: () => void;
  let markHeld!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const server = createServer((incoming, outgoing) => {
    const forward = () => {
      const upstream = httpRequest(new URL(incoming.url ?? "/", target), { method: incoming.method, headers: incoming.headers }, (reply) => {
        outgoing.writeHead(reply.statusCode ?? 500, reply.headers);
        reply.pipe(outgoing);
      });
      incoming.pipe(upstream);
    };
    if (incoming.method === "PUT") {
      markHeld();
      void gate.then(forward);
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function startAgent(s3Endpoint: string, sessionLimitBytes: number): Promise<{ base: string; port: number; server: Server }> {
  const root = mkdtempSync(join(tmpdir(), "agent-hostile-"));
  mkdirSync(join(root, "workspace"));
  mkdirSync(join(root, "s3data"));
  const config = loadConfig({
    AGENT_BUCKET: BUCKET,
    AGENT_PREFIX: "agent-data",
    AGENT_MODEL_IDS: "anthropic.claude-haiku-4-5-20251001-v1:0",
    SESSION_STORAGE_PATH: join(root, "workspace"),
    S3FILES_MOUNT_PATH: join(root, "s3data"),
    SESSION_STORAGE_LIMIT_BYTES: String(sessionLimitBytes),
  });
  const store = s3Store(BUCKET, "agent-data", { region: "us-west-2", endpoint: s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: "fake" } });
  const server = createAgentServer({ config, model: () => model, store: () => store, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, port, server };
}

let s3: FakeS3;
let agent: Awaited<ReturnType<typeof startAgent>>;

beforeAll(async () => {
  s3 = await startFakeS3(BUCKET);
  agent = await startAgent(s3.endpoint, 256 * 1024);
});

afterAll(async () => {
  await new Promise((resolve) => agent.server.close(resolve));
  await s3.close();
});

const invoke = async (base: string, body: unknown) => {
  const response = await fetch(`${base}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
};

/** Sends raw bytes on a fresh loopback connection; resolves with what the server sent once it closes the connection. */
function rawExchange(port: number, send: (socket: ReturnType<typeof connect>) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => send(socket));
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error)));
    socket.on("close", () => resolve(received));
  });
}

describe("oversized bodies: refused at once, and the connection is closed instead of reading on", () => {
  it("a declared Content-Length over the limit gets 413 and a closed connection before any body is sent", async () => {
    const reply = await rawExchange(agent.port, (socket) => socket.write(`POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`));
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply.toLowerCase()).toContain("connection: close");
    expect(reply).toContain('"code":"PayloadTooLarge"');
  });

  it("a chunked body that grows past the limit gets 413 and a closed connection, though it never ends", async () => {
    const chunk = "x".repeat(64 * 1024);
    const reply = await rawExchange(agent.port, (socket) => {
      socket.write("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      // No terminating chunk: a server that read to the end would wait forever.
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply.toLowerCase()).toContain("connection: close");
  });

  it("a client that asks first (Expect: 100-continue) is refused without being told to continue", async () => {
    const reply = await rawExchange(agent.port, (socket) => socket.write(`POST /invocations HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${2 * MAX_BODY_BYTES}\r\n\r\n`));
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).not.toContain("100 Continue");
  });
});

describe("storage_bench limits", () => {
  it("refuses null where a list or a number belongs", async () => {
    for (const [payload, message] of [
      [{ action: "storage_bench", sizes: null }, '"sizes" must be a list of 1 to 8 sizes, e.g. ["1KB", "1MB"], not null'],
      [{ action: "storage_bench", repeat: null }, '"repeat" must be a whole number from 1 to 10, not null'],
      [{ action: "storage_bench", sizes: [null] }, "size null is not a size from 1 B to 64 MB"],
      [{ action: "storage_bench", sizes: {} }, '"sizes" must be a list of 1 to 8 sizes, e.g. ["1KB", "1MB"], not an object'],
    ] as const) {
      const { status, text } = await invoke(agent.base, payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(JSON.parse(text).error.message).toContain(message);
    }
  });

  it("caps the bytes one benchmark writes", async () => {
    const { status, text } = await invoke(agent.base, { action: "storage_bench", sizes: ["64MB", "64MB", "1KB"] });
    expect(status).toBe(400);
    expect(JSON.parse(text).error.message).toBe('"sizes" add up to 131073 KB; one benchmark writes at most 128 MB in all');
  });

  it("checks free space first: a size session storage cannot hold is refused with 507, before anything is written", async () => {
    const { status, text } = await invoke(agent.base, { action: "storage_bench", sizes: ["1KB", "512KB"], repeat: 1 });
    expect(status).toBe(507);
    expect(JSON.parse(text).error).toEqual({ code: "InsufficientStorage", message: expect.stringMatching(/^session storage \(.*workspace\) has 256 KB free; the largest size needs 512 KB\./) });
    expect(s3.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  it("runs one benchmark at a time: a second one meanwhile gets 429, and runs once the first is done", async () => {
    const proxy = await gatedProxy(s3.endpoint);
    const gated = await startAgent(proxy.endpoint, 1024 * 1024);
    try {
      const first = invoke(gated.base, { action: "storage_bench", sizes: ["1KB"], repeat: 1 });
      await proxy.held;
      const second = await invoke(gated.base, { action: "storage_bench", sizes: ["1KB"], repeat: 1 });
      expect(second.status).toBe(429);
      expect(JSON.parse(second.text).error.code).toBe("BenchmarkRunning");
      expect((await invoke(gated.base, { action: "storage_report" })).status).toBe(200);
      proxy.release();
      expect((await first).status).toBe(200);
      expect((await invoke(gated.base, { action: "storage_bench", sizes: ["1KB"], repeat: 1 })).status).toBe(200);
    } finally {
      proxy.release();
      await new Promise((resolve) => gated.server.close(resolve));
      await proxy.close();
    }
  });
});

describe("generated payloads (fixed seed, 150 requests)", () => {
  const field = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 20 }), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 10 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })));
  const sizes = fc.array(fc.oneof(fc.constantFrom("1KB", "10KB", "100KB", "1MB", "64MB", "0KB", "-1KB", "1GB", "1.5KB", " 2 KB "), fc.integer({ min: -5, max: 300_000 }), field), { maxLength: 10 });
  const payload = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ action: fc.oneof(fc.constantFrom("storage_bench", "storage_report", "format_disk"), field), sizes: fc.oneof(sizes, field), repeat: fc.oneof(fc.integer({ min: -2, max: 12 }), field) }, { requiredKeys: ["action"] }),
    fc.record({ prompt: fc.oneof(fc.string({ maxLength: 200 }), field) }),
  );
  const rawBody = fc.oneof(payload.map((p) => JSON.stringify(p)), fc.string({ maxLength: 100 }));

  it("always answers with JSON: a result, or an error code and message; never a 500 or a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        const { status, text } = await invoke(agent.base, body);
        const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        expect([200, 400, 429, 507]).toContain(status);
        if (status !== 200) expect(parsed.error).toEqual({ code: expect.any(String), message: expect.any(String) });
        expect(text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
      }),
      { seed: 20261120, numRuns: 150 },
    );
  });
});
