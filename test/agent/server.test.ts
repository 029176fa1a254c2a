import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentServer, type ModelClient } from "../../agent/src/app.ts";
import { s3Store } from "../../agent/src/aws.ts";
import { loadConfig } from "../../agent/src/config.ts";
import { startFakeS3, type FakeS3 } from "../helpers/fake-s3.ts";

const BUCKET = "test-files-123456789012-us-west-2";
let s3: FakeS3;
let base: string;
let sessionPath: string;
let s3FilesPath: string;
let modelCalls: { modelId: string; prompt: string }[] = [];
let modelFails = false;
let close: () => Promise<void>;

const model: ModelClient = {
  async converse(modelId, prompt) {
    modelCalls.push({ modelId, prompt });
    if (modelFails) throw Object.assign(new Error("User: arn:aws:sts::123:assumed-role/x is not authorized to perform: bedrock:InvokeModel\n    at secret/stack.ts:10"), { name: "AccessDeniedException" });
    return { text: `echo: ${prompt}`, stopReason: "end_turn", usage: { inputTokens: 3, outputTokens: 4 } };
  },
};

beforeAll(async () => {
  s3 = await startFakeS3(BUCKET);
  const root = mkdtempSync(join(tmpdir(), "agent-"));
  sessionPath = join(root, "workspace");
  s3FilesPath = join(root, "s3data");
  mkdirSync(sessionPath);
  mkdirSync(s3FilesPath);
  const config = loadConfig({
    AGENT_ENVIRONMENT: "test",
    AGENT_BUCKET: BUCKET,
    AGENT_PREFIX: "agent-data",
    AGENT_MODEL_IDS: "anthropic.claude-haiku-4-5-20251001-v1:0,other",
    SESSION_STORAGE_PATH: sessionPath,
    S3FILES_MOUNT_PATH: s3FilesPath,
    SESSION_STORAGE_LIMIT_BYTES: String(1024 * 1024),
  });
  const store = s3Store(BUCKET, config.agentPrefix, {
    region: "us-west-2",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: "fake" },
  });
  const server = createAgentServer({ config, model: () => model, store: () => store, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await close();
  await s3.close();
});

const invoke = async (body: unknown) => {
  const response = await fetch(`${base}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field below
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

describe("the AgentCore HTTP contract", () => {
  it("answers GET /ping with Healthy", async () => {
    const response = await fetch(`${base}/ping`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "Healthy", time_of_last_update: expect.any(Number) });
  });

  it("answers a prompt through the first configured model", async () => {
    modelCalls = [];
    const { status, body } = await invoke({ prompt: "What is in /mnt/s3data?" });
    expect(status).toBe(200);
    expect(body).toEqual({ response: "echo: What is in /mnt/s3data?", model: "anthropic.claude-haiku-4-5-20251001-v1:0", stopReason: "end_turn", usage: { inputTokens: 3, outputTokens: 4 } });
    expect(modelCalls).toEqual([{ modelId: "anthropic.claude-haiku-4-5-20251001-v1:0", prompt: "What is in /mnt/s3data?" }]);
  });

  it("refuses invalid payloads with a 400 that says what is accepted", async () => {
    const cases: [unknown, string][] = [
      ["{not json", "the payload is not valid JSON"],
      [[1, 2], "the payload must be a JSON object"],
      [{ prompt: 42 }, '"prompt" must be a string, not number'],
      [{ prompt: "   " }, '"prompt" is empty'],
      [{ prompt: "x".repeat(10_001) }, '"prompt" is 10001 characters; the limit is 10000'],
      [{ action: "format_disk" }, 'unknown action "format_disk"; use "storage_report" or "storage_bench"'],
      [{ action: "storage_bench", sizes: ["1GB"] }, 'size "1GB" is not a size from 1 B to 64 MB'],
      [{}, 'the payload needs "prompt" (a string) or "action"'],
    ];
    for (const [payload, message] of cases) {
      const { status, body } = await invoke(payload);
      expect(status, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(body.error.code).toBe("ValidationError");
      expect(body.error.message).toContain(message);
    }
  });

  it("never leaks a stack trace or the model's message when the model call fails", async () => {
    modelFails = true;
    const { status, body } = await invoke({ prompt: "hi" });
    modelFails = false;
    expect(status).toBe(502);
    expect(body).toEqual({ error: { code: "ModelError", message: "the model call failed: AccessDeniedException" } });
    expect(JSON.stringify(body)).not.toMatch(/stack\.ts|assumed-role|\n\s+at /);
  });

  it("refuses an oversized body, unknown paths and wrong methods", async () => {
    expect((await invoke({ prompt: "x".repeat(2 * 1024 * 1024) })).status).toBe(413);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/invocations`)).status).toBe(405);
  });
});

describe("storage report", () => {
  it("reports each tier, and warns when session storage passes 80% of its limit", async () => {
    const quiet = await invoke({ action: "storage_report" });
    expect(quiet.status).toBe(200);
    expect(quiet.body.storage.session).toMatchObject({ path: sessionPath, available: true, writable: true, limitBytes: 1024 * 1024, warning: null });
    expect(quiet.body.storage.s3files).toMatchObject({ path: s3FilesPath, available: true, writable: true, filesystem: { sizeBytes: expect.any(Number), freeBytes: expect.any(Number) } });
    expect(quiet.body.storage.s3).toEqual({ bucket: BUCKET, prefix: "agent-data", reachable: true });

    writeFileSync(join(sessionPath, "big.bin"), Buffer.alloc(900 * 1024));
    const full = await invoke({ action: "storage_report" });
    expect(full.body.storage.session).toMatchObject({ usedBytes: 900 * 1024, usedPercent: 87.9 });
    expect(full.body.storage.session.warning).toMatch(/^session storage is 87\.9% full; at 100% writes fail with ENOSPC\. Move files to .*s3data/);
  });
});

describe("storage benchmark", () => {
  it("times a write and a read per tier and size, in the lab table's shape, and cleans up after itself", async () => {
    const { status, body } = await invoke({ action: "storage_bench", sizes: ["1KB", "100KB"], repeat: 2 });
    expect(status).toBe(200);
    expect(body.unit).toBe("ms");
    expect(body.rows.map((r: { size: string; bytes: number }) => [r.size, r.bytes])).toEqual([["1 KB", 1024], ["100 KB", 102400]]);
    for (const row of body.rows) {
      for (const tier of ["session", "s3files", "s3api"]) {
        expect(row[tier], `${row.size} ${tier}`).toEqual({ writeMs: expect.any(Number), readMs: expect.any(Number) });
        expect(row[tier].writeMs).toBeGreaterThanOrEqual(0);
      }
    }
    expect(s3.requests.filter((r) => r.startsWith("PUT")).every((r) => r.startsWith(`PUT ${BUCKET}/agent-data/.storage-bench/`))).toBe(true);
    expect([...s3.objects.keys()]).toEqual([]);
  });
});
