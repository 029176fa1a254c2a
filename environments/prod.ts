import { defineEnvironment } from "./schema";

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
  tags: { CostCenter: "agents-prod" },
});
