import { describe, expect, it } from "vitest";
import { EnvironmentConfigError, resolveEnvironments, type EnvironmentInput } from "../../environments/schema.ts";
import { TRAILS_PER_REGION } from "../../lib/trail-quota.ts";
import { environmentInput } from "../helpers/synth.ts";

/** `count` environments, each with its own name and range; `extra(i)` changes the i-th. */
function environmentsWith(count: number, extra: (i: number) => Partial<EnvironmentInput> = () => ({})): EnvironmentInput[] {
  return Array.from({ length: count }, (_, i) => environmentInput({ name: `team${i}`, network: { mode: "create", cidr: `10.${100 + i}.0.0/16` }, ...extra(i) }));
}

function problemsOf(inputs: EnvironmentInput[]): string[] {
  try {
    resolveEnvironments(inputs);
    return [];
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.problems.map((p) => `${p.environment} ${p.field}: ${p.problem}. Fix: ${p.fix}`);
    throw error;
  }
}

describe("CloudTrail allows 5 trails per Region and account: environments that create their own are counted", () => {
  it("five environments in one Region of the deploying account are fine", () => {
    expect(TRAILS_PER_REGION).toBe(5);
    expect(problemsOf(environmentsWith(5))).toEqual([]);
  });

  it("a sixth is refused at synth, naming every environment, the limit, where it is documented, and the fix", () => {
    const [problem, ...others] = problemsOf(environmentsWith(6));
    expect(others).toEqual([]);
    expect(problem).toContain("team5 agent.alerts.cloudTrail: 6 environments (team0, team1, team2, team3, team4, team5) each create a CloudTrail trail in us-west-2 of the deploying account");
    expect(problem).toContain("at most 5 trails per Region");
    expect(problem).toContain("https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html");
    expect(problem).toContain('set agent.alerts.cloudTrail to { existingTrailArn: "<its ARN>" }');
  });

  it("counts per account and Region: environments spread over Regions or pinned to different accounts are fine", () => {
    expect(problemsOf(environmentsWith(6, (i) => (i === 5 ? { region: "us-east-1" } : {})))).toEqual([]);
    expect(problemsOf(environmentsWith(6, (i) => ({ account: i < 3 ? "111111111111" : "222222222222" })))).toEqual([]);
    const sameAccount = problemsOf(environmentsWith(6, () => ({ account: "111111111111" })));
    expect(sameAccount).toEqual([expect.stringContaining("in account 111111111111, us-west-2")]);
  });

  it("environments that use an existing trail create none", () => {
    const existing = { cloudTrail: { existingTrailArn: "arn:aws:cloudtrail:us-west-2:123456789012:trail/org-trail" } };
    expect(problemsOf(environmentsWith(8, (i) => (i >= 3 ? { agent: { ...environmentInput().agent, alerts: existing } } : {})))).toEqual([]);
  });
});
