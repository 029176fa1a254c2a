/**
 * The stand-in Terraform's line to the fake world: its AWS provider calls (/__provider/*), the S3 backend's
 * objects (/__s3/*), and virtual time. As a process it reaches the world over HTTP (FAKE_AWS_WORLD_URL) and
 * shares the clock file the scripts use (AGENTCORE_INFRA_CLOCK_FILE); in process (benchmarks, fast tests)
 * it is handed the world's functions and clock directly.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export interface ProviderAnswer {
  readonly attributes?: Record<string, unknown>;
  readonly waitMs?: number;
  readonly gone?: boolean;
  readonly error?: { readonly code: string; readonly message: string; readonly status: number };
}

/** What the world's provider says of each resource type (provider.ts `schema()`): labels, replacement and retry rules. */
export type { TypeSchema } from "../provider.ts";

export interface Remote {
  provider<T = ProviderAnswer>(path: string, body?: Record<string, unknown>): Promise<T>;
  getObject(bucket: string, key: string): Promise<string | undefined>;
  putObject(bucket: string, key: string, text: string): Promise<void>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The process flavour: HTTP to FAKE_AWS_WORLD_URL, time from the shared clock file. */
export function httpRemote(env: NodeJS.ProcessEnv): Remote {
  const url = env.FAKE_AWS_WORLD_URL;
  const world = () => {
    if (!url) throw new Error("stand-in terraform: FAKE_AWS_WORLD_URL is not set (this is a test tool; it talks only to the fake AWS world)");
    return url;
  };
  const clockFile = env.AGENTCORE_INFRA_CLOCK_FILE;
  const now = () => (clockFile ? Number(readFileSync(clockFile, "utf8")) : Date.now());
  return {
    async provider<T>(path: string, body: Record<string, unknown> = {}): Promise<T> {
      const response = await fetch(`${world()}/__provider/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`fake world: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async getObject(bucket, key) {
      const response = await fetch(`${world()}/__s3/${bucket}/${key}`);
      return response.status === 404 ? undefined : response.text();
    },
    async putObject(bucket, key, text) {
      await fetch(`${world()}/__s3/${bucket}/${key}`, { method: "PUT", body: text });
    },
    now,
    async sleep(ms) {
      if (!clockFile) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return;
      }
      // Virtual time: move the shared clock forward (never back).
      const target = now() + ms;
      if (target > now()) {
        const temporary = `${clockFile}.${process.pid}.tmp`;
        writeFileSync(temporary, String(target));
        renameSync(temporary, clockFile);
      }
    },
  };
}
