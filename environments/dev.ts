import { defineEnvironment } from "./schema.ts";

/** Cheap and disposable: one NAT gateway, two AZs, data deleted on teardown. */
export default defineEnvironment({
  name: "dev",
  stage: "development",
  region: "us-west-2",
  network: {
    mode: "create",
    cidr: "10.20.0.0/16",
  },
  agent: {
    models: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    workload: "interactive",
  },
  tags: { CostCenter: "agents-dev" },
});
