/**
 * A platform team's cdktn app: two environments of its own, built from agentcore-s3files-infra's AgentEnvironment.
 * `npx cdktn synth` writes their stacks; `npx agentcore-s3files <command> --env <name>` deploys, checks and tears
 * them down.
 */
import { App } from "cdktn";
import { AgentEnvironment } from "agentcore-s3files-infra/environment";

const app = new App();

// "payments" lives in the VPC the networking team already runs: the environment adds its two security groups and an
// S3 gateway endpoint on the route table given, and creates no VPC, subnet or NAT gateway.
new AgentEnvironment(app, "payments", {
  region: "us-west-2",
  account: "111122223333",
  stage: "production",
  network: {
    vpcId: "vpc-0a1b2c3d4e5f67890",
    privateSubnets: [
      { subnetId: "subnet-0a1b2c3d4e5f67890", availabilityZoneId: "usw2-az1" },
      { subnetId: "subnet-0a1b2c3d4e5f67891", availabilityZoneId: "usw2-az2" },
    ],
    s3GatewayRouteTableIds: ["rtb-0a1b2c3d4e5f67890"],
  },
  agent: {
    models: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    alerts: { emails: ["payments-oncall@example.com"] },
  },
  tags: { Team: "payments" },
});

// "research" gets a VPC of its own. Its agent also reads the team's experiments table, and the team's notebook role
// may invoke it.
const research = new AgentEnvironment(app, "research", {
  region: "us-east-1",
  account: "111122223333",
  stage: "development",
  network: { cidr: "10.80.0.0/16" },
  agent: { models: ["us.anthropic.claude-haiku-4-5-20251001-v1:0"] },
  tags: { Team: "research" },
});
research.runtime.addToExecutionRolePolicy({
  Sid: "ReadExperiments",
  Effect: "Allow",
  Action: ["dynamodb:GetItem", "dynamodb:Query"],
  Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/experiments",
});
research.runtime.grantInvoke("arn:aws:iam::111122223333:role/research-notebooks");

app.synth();
