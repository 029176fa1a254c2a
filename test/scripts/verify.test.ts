import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import type { EnvironmentDescription as Environment } from "../../modules/environment/description.ts";
import { expectedImage, formatVerifyReport } from "../../scripts/lib/verify/index.ts";
import { FakeClient } from "../helpers/fakes.ts";
import { ACCOUNT, denied, dev, DIGEST, OTHER_DIGEST, run, stream } from "../helpers/verify-world.ts";


describe("npm run verify: every promise of a healthy environment, checked and cleaned up after", () => {
  it("passes each check with what it observed, and leaves nothing behind", async () => {
    const { world, report, byId } = await run({ operator: true });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["runtime-ready", "pass"],
      ["invocation-answers", "pass"],
      ["storage-tiers-writable", "pass"],
      ["exec-succeeds", "pass"],
      ["export-to-bucket", "pass"],
      ["alert-reaches-topic", "pass"],
      ["model-outside-list-refused", "pass"],
      ["runtime-log-retention", "pass"],
    ]);
    expect(report.status).toBe("passed");
    expect(byId["runtime-ready"]!.observed).toBe(`READY, version 3, running ${DIGEST}, as Terraform state of dev-agent (terraform.dev-agent.tfstate), output container_uri says`);
    expect(byId["storage-tiers-writable"]!.observed).toContain("/mnt/workspace, /mnt/s3data (mount point) and s3://dev-files-123456789012-us-west-2/agent-data/ writable");
    expect(byId["exec-succeeds"]!.observed).toMatch(/^exit 0 in \d+ ms as arn:aws:sts::123456789012:assumed-role\/platform-oncall\/alice; wrote \/mnt\/s3data\/\.agentcore-verify-id\d$/);
    expect(byId["export-to-bucket"]!.observed).toMatch(/^\/mnt\/s3data\/\.agentcore-verify-id\d appeared as s3:\/\/dev-files-123456789012-us-west-2\/agents\/\.agentcore-verify-id\d after 70 s, with the content written$/);
    expect(byId["alert-reaches-topic"]!.observed).toMatch(/^reached the topic 120 s after the command: "Shell access: .* called InvokeAgentRuntimeCommand on arn:aws:bedrock-agentcore/);
    expect(byId["model-outside-list-refused"]!.observed).toContain("amazon.titan-text-express-v1: implicitDeny; us.anthropic.claude-sonnet-4-5-20250929-v1:0: allowed");
    expect(world.commands).toEqual([expect.stringMatching(/^printf %s agentcore-verify-id\d > \/mnt\/s3data\/\.agentcore-verify-id\d$/)]);
    expect(report.cleanup.map((c) => [c.action.split(" ").slice(0, 3).join(" "), c.ok])).toEqual([
      ["remove the marker", true],
      ["remove the temporary", true],
      ["delete the temporary", true],
      ["stop runtime session", true],
    ]);
    expect(world.leftovers()).toEqual([]);
    expect(formatVerifyReport(report)).toMatch(/8 pass, 0 fail, 0 skipped$/);
  });
});

describe("checks that cannot run are skipped with the permission they need; nothing is left behind", () => {
  it("a caller without the operator policy: exec, the export and the alert are skipped, the rest passes", async () => {
    const { world, report, byId } = await run({ operator: false });
    expect(byId["exec-succeeds"]).toMatchObject({ status: "skipped", observed: expect.stringContaining("only holders of the operator policy dev-agent-operator can") });
    expect(byId["export-to-bucket"]).toMatchObject({ status: "skipped", observed: "nothing was written to the mount: exec was skipped" });
    expect(byId["alert-reaches-topic"]).toMatchObject({ status: "skipped", observed: "nothing raised the alert: exec did not run" });
    expect(report.status).toBe("passed");
    expect(world.leftovers()).toEqual([]);
  });

  it("a caller that may not subscribe to the topic: the alert is judged by the rule's metrics", async () => {
    const { world, byId } = await run({ operator: true, maySubscribe: false });
    expect(byId["alert-reaches-topic"]).toMatchObject({
      status: "pass",
      observed: expect.stringContaining("the rule dev-agent-shell-access sent 1 event(s) to the topic, none failed (CloudWatch metrics;"),
    });
    expect(world.leftovers()).toEqual([]);
  });

  it("a caller that may not simulate the role's policies", async () => {
    const { byId } = await run({ operator: true, maySimulate: false });
    expect(byId["model-outside-list-refused"]).toMatchObject({ status: "skipped", observed: expect.stringContaining("iam:SimulatePrincipalPolicy on arn:aws:iam::123456789012:role/dev-agent-execution") });
  });
});

describe("a broken promise fails with what was observed", () => {
  it("the runtime runs another image than Terraform deployed", async () => {
    const { report, byId } = await run({ operator: true, runtimeDigest: OTHER_DIGEST });
    expect(byId["runtime-ready"]).toMatchObject({ status: "fail", observed: `READY, version 3, running ${OTHER_DIGEST}, but Terraform state of dev-agent (terraform.dev-agent.tfstate), output container_uri says ${DIGEST}` });
    expect(report.status).toBe("failed");
  });

  it("the runtime is not READY", async () => {
    const { byId } = await run({ operator: true, runtimeStatus: "UPDATE_FAILED" });
    expect(byId["runtime-ready"]).toMatchObject({ status: "fail", observed: expect.stringMatching(/^UPDATE_FAILED, version 3/) });
  });

  it("the alert never reaches the topic because the rule's deliveries fail (say, a key policy KMS refuses)", async () => {
    const { world, byId } = await run({ operator: true, ruleDeliveryFails: true });
    expect(byId["alert-reaches-topic"]).toMatchObject({ status: "fail", observed: "no alert reached the topic within 600 s of the command; the rule failed 1 deliveries to the topic (check the topic's key policy)" });
    expect(world.leftovers()).toEqual([]);
  });

  it("the file does not reach the bucket within the export window: it fails, and the marker is removed from the file system", async () => {
    const { world, byId, report } = await run({ operator: true, exportDelayMs: Number.POSITIVE_INFINITY });
    expect(byId["export-to-bucket"]).toMatchObject({ status: "fail", observed: expect.stringContaining("had not appeared after 300 s") });
    expect(world.commands).toEqual([expect.stringMatching(/^printf /), expect.stringMatching(/^rm -f \/mnt\/s3data\/\.agentcore-verify-id\d$/)]);
    expect(report.cleanup[0]).toMatchObject({ ok: true, detail: "removed from the file system before it was exported" });
    expect(world.leftovers()).toEqual([]);
  });

  it("the execution role may invoke a model outside its list", async () => {
    const { byId } = await run({ operator: true, roleAllowsEverything: true });
    expect(byId["model-outside-list-refused"]).toMatchObject({ status: "fail", observed: expect.stringContaining("the role may invoke a model outside its list — amazon.titan-text-express-v1: allowed") });
  });

  it("AgentCore's own log groups created without retention: verify gives them the environment's, once", async () => {
    const { world, byId, report } = await run({ operator: true, logRetentionDays: undefined });
    expect(byId["runtime-log-retention"]).toMatchObject({
      status: "pass",
      observed: "/aws/bedrock-agentcore/runtimes/dev_agent-a1b2c3d4e5-DEFAULT: set to 30 days (AgentCore created it without retention); /aws/bedrock-agentcore/runtimes/dev_agent-a1b2c3d4e5-live: set to 30 days (AgentCore created it without retention)",
    });
    expect([...world.logGroups.values()]).toEqual([30, 30]);
    expect(report.status).toBe("passed");
  });

  it("a retention someone set on purpose is left as it is", async () => {
    const { world, byId } = await run({ operator: true, logRetentionDays: 365 });
    expect(byId["runtime-log-retention"]).toMatchObject({ status: "pass", observed: expect.stringContaining("-DEFAULT: 365 days") });
    expect([...world.logGroups.values()]).toEqual([365, 365]);
  });

  it("without permission to set it, the groups keep logs forever: it fails and the fix names the command", async () => {
    const { byId } = await run({ operator: true, logRetentionDays: undefined, mayPutRetention: false });
    expect(byId["runtime-log-retention"]).toMatchObject({
      status: "fail",
      observed: expect.stringContaining("may not call logs:PutRetentionPolicy"),
    });
    expect(byId["runtime-log-retention"]!.observed).toContain("aws logs put-retention-policy --log-group-name /aws/bedrock-agentcore/runtimes/dev_agent-a1b2c3d4e5-DEFAULT --retention-in-days 30");
  });

  it("no expected image known: READY is reported, the comparison is skipped and says why", async () => {
    const { byId } = await run({ operator: true }, { unknown: "no deployed state in terraform.dev-agent.tfstate, no pinned digest and no image build record" });
    expect(byId["runtime-ready"]).toMatchObject({ status: "skipped", observed: expect.stringContaining("nothing to compare the image with: no deployed state") });
  });
});

describe("interrupted (Ctrl-C): what verify created is still removed", () => {
  it("stops waiting, marks the rest skipped, and cleans up", async () => {
    const { world, report, byId } = await run({ operator: true, interruptAtMs: 30_000 });
    expect(byId["export-to-bucket"]).toMatchObject({ status: "skipped", observed: "interrupted before this check ran" });
    expect(report.cleanup.every((c) => c.ok)).toBe(true);
    expect(world.leftovers()).toEqual([]);
  });
});

describe("the expected image digest", () => {
  const withState = (state: Environment["state"], agent: Partial<Environment["agent"]> = {}): Environment => ({ ...dev, state, agent: { ...dev.agent, ...agent } });

  it("comes from the agent stack's local Terraform state first, then a pinned digest, then the last image build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-state-"));
    expect(await expectedImage(dev, { stateDir: dir, imageRecordDigest: OTHER_DIGEST })).toEqual({ digest: OTHER_DIGEST, source: "the last image build (.build/images/dev.json)" });
    expect(await expectedImage(withState(dev.state, { imageDigest: DIGEST }), { stateDir: dir, imageRecordDigest: OTHER_DIGEST })).toEqual({ digest: DIGEST, source: "agent.imageDigest in the environment file" });
    writeFileSync(join(dir, "terraform.dev-agent.tfstate"), JSON.stringify({ version: 4, outputs: { container_uri: { value: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/dev-agent@${DIGEST}`, type: "string" } } }));
    expect(await expectedImage(dev, { stateDir: dir, imageRecordDigest: OTHER_DIGEST })).toEqual({ digest: DIGEST, source: `Terraform state of dev-agent (${join(dir, "terraform.dev-agent.tfstate")}), output container_uri` });
    expect(await expectedImage(dev, { stateDir: mkdtempSync(join(tmpdir(), "verify-none-")) })).toEqual({ unknown: expect.stringMatching(/^no deployed state in .*terraform\.dev-agent\.tfstate, no pinned digest and no image build record$/) });
  });

  it("reads the S3 backend's state object, and says when it cannot", async () => {
    const s3State: Environment["state"] = { backend: "s3", bucket: "acme-terraform-state", keyPrefix: "agentcore-s3files/dev", region: "us-east-1" };
    const s3 = new FakeClient().on("GetObjectCommand", (input) => {
      expect(input).toEqual({ Bucket: "acme-terraform-state", Key: "agentcore-s3files/dev/dev-agent.tfstate" });
      return { Body: stream(JSON.stringify({ outputs: { container_uri: { value: `repo@${DIGEST}` } } })) };
    });
    expect(await expectedImage(withState(s3State), { s3ForState: s3 })).toMatchObject({ digest: DIGEST, source: expect.stringContaining("s3://acme-terraform-state/agentcore-s3files/dev/dev-agent.tfstate") });
    const deniedS3 = new FakeClient().on("GetObjectCommand", () => {
      throw denied("AccessDenied", "Access Denied");
    });
    expect(await expectedImage(withState(s3State), { s3ForState: deniedS3 })).toEqual({ unknown: expect.stringContaining("could not be read (AccessDenied)") });
    // A backend with a role_arn is read too: the command builds s3ForState with that role's credentials (stateCredentials).
    expect(await expectedImage(withState({ ...s3State, roleArn: `arn:aws:iam::${ACCOUNT}:role/state` }), { s3ForState: s3 })).toMatchObject({ digest: DIGEST });
  });
});

describe("npm run verify from the command line", () => {
  const cli = (...args: string[]) =>
    execa(process.execPath, ["scripts/cli.ts", "verify", ...args], { cwd: new URL("../..", import.meta.url), reject: false, env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_PROFILE: "none" } });

  it("refuses bad arguments with one line and exit status 2, before any AWS call", async () => {
    const [noEnv, unknown, badWait] = await Promise.all([cli(), cli("--env", "nope"), cli("--env", "dev", "--export-wait", "soon")]);
    expect([noEnv.exitCode, unknown.exitCode, badWait.exitCode]).toEqual([2, 2, 2]);
    expect(noEnv.stderr.split("\n")[0]).toBe("error: --env is required (e.g. --env dev)");
    expect(unknown.stderr.split("\n")[0]).toBe(`error: unknown environment "nope"; known: ${environments.map((e) => e.name).join(", ")}`);
    expect(badWait.stderr.split("\n")[0]).toBe('error: --export-wait "soon" is not a duration; use e.g. 90s, 10m or 1h30m');
  });

  it("--help describes every check and the exit statuses", async () => {
    const help = await cli("--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("the runtime is READY on the expected image digest");
    expect(help.stdout).toContain("Exit status: 0 no check failed");
  });
});
