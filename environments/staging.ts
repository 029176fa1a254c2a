import { defineEnvironment } from "./schema.ts";

/** Production-shaped network without NAT cost: private endpoints only, data kept. */
export default defineEnvironment({
  name: "staging",
  stage: "production",
  region: "us-west-2",
  network: {
    mode: "create",
    cidr: "10.30.0.0/16",
    azCount: 2,
    egress: "endpoints-only",
  },
  storage: {
    noncurrentVersionExpirationDays: 30,
  },
  agent: {
    models: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    workload: "interactive",
    alerts: { emails: ["platform-alerts@example.com"] },
  },
  tags: { CostCenter: "agents-staging" },
});
