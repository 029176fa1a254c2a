/** The agent's configuration: plain environment variables set by the agent stack (never secrets). */
export interface AgentConfig {
  readonly environment: string;
  readonly region: string;
  readonly bucket: string;
  readonly agentPrefix: string;
  readonly modelIds: readonly string[];
  /** Hot tier: session storage (1 GB per session, wiped on every runtime update). */
  readonly sessionStoragePath: string;
  /** Warm tier: the S3 Files access point, mounted by the runtime. */
  readonly s3FilesPath: string;
  readonly sessionStorageLimitBytes: number;
  readonly port: number;
}

/** Session storage has a hard 1 GB limit per session; past it, writes fail with ENOSPC and no warning. */
export const SESSION_STORAGE_LIMIT_BYTES = 1024 ** 3;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  return {
    environment: env.AGENT_ENVIRONMENT ?? "local",
    region: env.AGENT_REGION ?? env.AWS_REGION ?? "us-west-2",
    bucket: env.AGENT_BUCKET ?? "",
    agentPrefix: (env.AGENT_PREFIX ?? "agent-data").replace(/^\/+|\/+$/g, ""),
    modelIds: (env.AGENT_MODEL_IDS ?? "").split(",").map((m) => m.trim()).filter(Boolean),
    sessionStoragePath: env.SESSION_STORAGE_PATH ?? "/mnt/workspace",
    s3FilesPath: env.S3FILES_MOUNT_PATH ?? "/mnt/s3data",
    sessionStorageLimitBytes: Number(env.SESSION_STORAGE_LIMIT_BYTES ?? SESSION_STORAGE_LIMIT_BYTES),
    port: Number(env.PORT ?? 8080),
  };
}
