import { defineEnvironment } from "./schema";

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
  tags: { CostCenter: "agents-staging" },
});
