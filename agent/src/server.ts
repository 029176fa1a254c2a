/** Container entry point: real AWS clients, created on first use, and the HTTP server on PORT (8080). */
import { createAgentServer, type ModelClient } from "./app.js";
import { bedrockModel, s3Store } from "./aws.js";
import type { ObjectStore } from "./bench.js";
import { loadConfig } from "./config.js";

const config = loadConfig();
let model: ModelClient | undefined;
let store: (ObjectStore & { probe(): Promise<void> }) | undefined;

const server = createAgentServer({
  config,
  model: () => (model ??= bedrockModel(config.region)),
  store: () => (store ??= s3Store(config.bucket, config.agentPrefix, { region: config.region, forcePathStyle: process.env.AGENT_S3_FORCE_PATH_STYLE === "true" })),
});

server.listen(config.port, () => console.log(JSON.stringify({ level: "info", msg: "agent listening", port: config.port, environment: config.environment })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
