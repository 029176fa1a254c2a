import { defineEnvironment } from "./schema.ts";

/** Resilient: three AZs with a NAT gateway each, flow logs, data retained on teardown. */
export default defineEnvironment({
  name: "prod",
  stage: "production",
  region: "us-east-1",
  network: {
    mode: "create",
    cidr: "10.40.0.0/16",
  },
  storage: {
    retainDataOnTeardown: true,
  },
  agent: {
    // Through their US inference profiles: Bedrock serves neither model on demand by its bare model id
    // (lib/service-facts.ts INFERENCE_PROFILE_ONLY_MODELS).
    models: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0"],
    workload: "long-running",
    // Who may run commands inside the microVM (InvokeAgentRuntimeCommand); each use alerts the emails below.
    // operators: ["arn:aws:iam::123456789012:role/platform-oncall"],
    alerts: { emails: ["platform-oncall@example.com"] },
  },
  tags: { CostCenter: "agents-prod" },
});
