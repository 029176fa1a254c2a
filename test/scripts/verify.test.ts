import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { resolveEnvironments, type Environment } from "../../environments/schema.ts";
import type { VerifyClients } from "../../scripts/lib/aws.ts";
import { expectedImage, formatVerifyReport, verifyEnvironment, type ExpectedImage, type VerifyOptions } from "../../scripts/lib/verify.ts";
import { VirtualClock } from "../helpers/virtual-clock.ts";
import { awsError, FakeClient } from "../helpers/fakes.ts";

const ACCOUNT = "123456789012";
const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER_DIGEST = `sha256:${"b".repeat(64)}`;
const dev = resolveEnvironments(environments).find((e) => e.name === "dev")!;

/** An error as the SDK throws it, with the HTTP status AWS's model gives it. */
const denied = (name: string, message = "User is not authorized to perform this action") => Object.assign(awsError(name, message), { $metadata: { httpStatusCode: 403 } });
const notFound = () => Object.assign(awsError("NotFound", "Not Found"), { $metadata: { httpStatusCode: 404 } });
/** A streaming payload as the SDK hands it over (sdkStreamMixin: transformToString). */
const stream = (text: string) => ({ transformToString: async () => text });

interface WorldOptions {
  runtimeDigest?: string;
  runtimeStatus?: string;
  operator?: boolean;
  mayInvoke?: boolean;
  maySubscribe?: boolean;
  maySimulate?: boolean;
  roleAllowsEverything?: boolean;
  /** Milliseconds after a write until S3 Files has exported it (∞: never within the test). */
  exportDelayMs?: number;
  /** Milliseconds after the command until the alert reaches the topic (∞: never). */
  alertDelayMs?: number;
  /** The rule fails its deliveries to the topic (e.g. a key policy KMS refuses). */
  ruleDeliveryFails?: boolean;
  logRetentionDays?: number | undefined;
  /** Interrupt verify (Ctrl-C) once the clock reaches this time. */
  interruptAtMs?: number;
}

/**
 * One deployed environment's account, on a fake clock, answering the calls verify makes with the shapes AWS's
 * API models give (botocore models in ../shared/aws-models: bedrock-agentcore-control GetAgentRuntimeResponse,
 * bedrock-agentcore InvokeAgentRuntimeResponse and the InvokeAgentRuntimeCommand event stream, iam
 * SimulatePolicyResponse, sns SubscribeResponse and AuthorizationErrorException; SQS and CloudWatch from their
 * API references: CreateQueue → QueueUrl, ReceiveMessage → Messages[].Body/ReceiptHandle, GetMetricStatistics →
 * Datapoints[].Sum). SNS delivers to SQS in its JSON envelope (SNS developer guide, "Amazon SNS message and JSON
 * formats": Type Notification | SubscriptionConfirmation).
 */
class VerifyWorld {
  readonly virtual = new VirtualClock();
  readonly files = new Map<string, { content: string; writtenAt: number }>();
  readonly objects = new Map<string, { versionId: string; content: string }[]>();
  readonly queues = new Set<string>();
  readonly subscriptions = new Set<string>();
  readonly sessions = new Set<string>();
  readonly commands: string[] = [];
  commandAt?: number;
  readonly abort = new AbortController();
  readonly runtimeArn = `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT}:runtime/dev_agent-a1b2c3d4e5`;

  readonly env: Environment;
  readonly o: WorldOptions;
  constructor(env: Environment, o: WorldOptions = {}) {
    this.env = env;
    this.o = o;
  }

  get time(): number {
    return this.virtual.now();
  }

  /** Virtual time: verify's concurrent waits (the export and the alert) advance it together, not twice. */
  readonly clock = {
    now: () => this.virtual.now(),
    sleep: async (ms: number) => {
      await this.virtual.sleep(ms);
      if (this.o.interruptAtMs !== undefined && this.virtual.now() >= this.o.interruptAtMs) this.abort.abort();
    },
  };

  private key(file: string) {
    return `${this.env.storage.rootDirectory.slice(1)}/${file.split("/").at(-1)}`;
  }

  /** S3 Files exports a file after its delay; the object then exists. */
  private exported(): void {
    for (const [path, file] of this.files) {
      const key = this.key(path);
      if (this.time >= file.writtenAt + (this.o.exportDelayMs ?? 70_000) && !this.objects.has(key)) this.objects.set(key, [{ versionId: `v-${this.time}`, content: file.content }]);
    }
  }

  private alertArrived(): boolean {
    return this.commandAt !== undefined && !this.o.ruleDeliveryFails && this.time >= this.commandAt + (this.o.alertDelayMs ?? 120_000);
  }

  clients(): VerifyClients {
    const env = this.env;
    const o = this.o;
    const agentcoreControl = new FakeClient()
      .on("ListAgentRuntimesCommand", () => ({ agentRuntimes: [{ agentRuntimeName: "dev_agent", agentRuntimeArn: this.runtimeArn, agentRuntimeId: "dev_agent-a1b2c3d4e5" }] }))
      .on("GetAgentRuntimeCommand", () => ({
        agentRuntimeArn: this.runtimeArn,
        agentRuntimeId: "dev_agent-a1b2c3d4e5",
        agentRuntimeName: "dev_agent",
        agentRuntimeVersion: "3",
        status: o.runtimeStatus ?? "READY",
        agentRuntimeArtifact: { containerConfiguration: { containerUri: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/dev-agent@${o.runtimeDigest ?? DIGEST}` } },
      }));
    const agentcore = new FakeClient()
      .on("InvokeAgentRuntimeCommand", (input) => {
        if (o.mayInvoke === false) throw denied("AccessDeniedException");
        this.sessions.add(String(input.runtimeSessionId));
        const payload = JSON.parse(new TextDecoder().decode(input.payload as Uint8Array)) as { action: string };
        const body =
          payload.action === "storage_report"
            ? {
                storage: {
                  session: { path: "/mnt/workspace", available: true, writable: true, mountPoint: true, usedBytes: 0 },
                  s3files: { path: "/mnt/s3data", available: true, writable: true, mountPoint: true },
                  s3: { bucket: `dev-files-${ACCOUNT}-us-west-2`, prefix: "agent-data", reachable: true },
                },
              }
            : { unit: "ms", rows: [{ size: "1 KB", bytes: 1024, session: { writeMs: 0.9, readMs: 0.3 }, s3files: { writeMs: 12.8, readMs: 2.9 }, s3api: { writeMs: 63.5, readMs: 32.5 } }] };
        return { statusCode: 200, contentType: "application/json", runtimeSessionId: input.runtimeSessionId, response: stream(JSON.stringify(body)) };
      })
      .on("InvokeAgentRuntimeCommandCommand", (input) => {
        if (!o.operator) throw denied("AccessDeniedException");
        const command = String((input.body as { command: string }).command);
        this.commands.push(command);
        const write = /^printf %s (\S+) > (\S+)$/.exec(command);
        if (write) {
          this.files.set(write[2]!, { content: write[1]!, writtenAt: this.time });
          this.commandAt = this.time;
        }
        const remove = /^rm -f (\S+)$/.exec(command);
        if (remove) this.files.delete(remove[1]!);
        return {
          contentType: "application/vnd.amazon.eventstream",
          stream: (async function* () {
            yield { chunk: { contentStart: {} } };
            yield { chunk: { contentDelta: { stdout: "" } } };
            yield { chunk: { contentStop: { exitCode: 0, status: "COMPLETED" } } };
          })(),
        };
      })
      .on("StopRuntimeSessionCommand", (input) => {
        this.sessions.delete(String(input.runtimeSessionId));
        return { runtimeSessionId: input.runtimeSessionId, statusCode: 200 };
      });
    const s3 = new FakeClient()
      .on("HeadObjectCommand", (input) => {
        this.exported();
        if (!this.objects.has(String(input.Key))) throw notFound();
        return { ContentLength: 1 };
      })
      .on("GetObjectCommand", (input) => ({ Body: stream(this.objects.get(String(input.Key))!.at(-1)!.content) }))
      .on("ListObjectVersionsCommand", (input) => ({
        Versions: (this.objects.get(String(input.Prefix)) ?? []).map((v) => ({ Key: input.Prefix, VersionId: v.versionId, IsLatest: true })),
        DeleteMarkers: [],
      }))
      .on("DeleteObjectCommand", (input) => {
        const versions = (this.objects.get(String(input.Key)) ?? []).filter((v) => v.versionId !== input.VersionId);
        if (versions.length === 0) {
          this.objects.delete(String(input.Key));
          // A change in the bucket reaches the file system: the file goes too.
          for (const path of [...this.files.keys()]) if (this.key(path) === input.Key) this.files.delete(path);
        } else this.objects.set(String(input.Key), versions);
        return {};
      });
    const sqs = new FakeClient()
      .on("CreateQueueCommand", (input) => {
        const url = `https://sqs.us-west-2.amazonaws.com/${ACCOUNT}/${String(input.QueueName)}`;
        this.queues.add(url);
        return { QueueUrl: url };
      })
      .on("ReceiveMessageCommand", () => {
        if (!this.alertArrived() || this.subscriptions.size === 0) return {};
        const message = `"Shell access: arn:aws:sts::${ACCOUNT}:assumed-role/platform-oncall/alice called InvokeAgentRuntimeCommand on ${this.runtimeArn} at 2026-11-20T10:15:00Z from 203.0.113.10."`;
        return { Messages: [{ MessageId: "m-1", ReceiptHandle: "rh-1", Body: JSON.stringify({ Type: "Notification", MessageId: "n-1", TopicArn: `arn:aws:sns:us-west-2:${ACCOUNT}:dev-agent-shell-access`, Message: message }) }] };
      })
      .on("DeleteMessageCommand", () => ({}))
      .on("DeleteQueueCommand", (input) => {
        this.queues.delete(String(input.QueueUrl));
        return {};
      });
    const sns = new FakeClient()
      .on("SubscribeCommand", (input) => {
        if (o.maySubscribe === false) throw denied("AuthorizationErrorException");
        expect(input).toMatchObject({ TopicArn: `arn:aws:sns:us-west-2:${ACCOUNT}:dev-agent-shell-access`, Protocol: "sqs" });
        const arn = `arn:aws:sns:us-west-2:${ACCOUNT}:dev-agent-shell-access:0f1e2d3c-0000-4000-8000-000000000001`;
        this.subscriptions.add(arn);
        return { SubscriptionArn: arn };
      })
      .on("UnsubscribeCommand", (input) => {
        this.subscriptions.delete(String(input.SubscriptionArn));
        return {};
      })
      .on("ConfirmSubscriptionCommand", () => ({}));
    const cloudwatch = new FakeClient().on("GetMetricStatisticsCommand", (input) => {
      expect(input).toMatchObject({ Namespace: "AWS/Events", Dimensions: [{ Name: "RuleName", Value: "dev-agent-shell-access" }] });
      const fired = this.commandAt !== undefined && this.time >= this.commandAt + (o.alertDelayMs ?? 120_000);
      const sum = input.MetricName === "Invocations" ? (fired ? 1 : 0) : fired && o.ruleDeliveryFails ? 1 : 0;
      return { Label: input.MetricName, Datapoints: sum > 0 ? [{ Timestamp: new Date(), Sum: sum, Unit: "Count" }] : [] };
    });
    const iam = new FakeClient().on("SimulatePrincipalPolicyCommand", (input) => {
      if (o.maySimulate === false) throw denied("AccessDenied");
      expect(input.PolicySourceArn).toBe(`arn:aws:iam::${ACCOUNT}:role/dev-agent-execution`);
      const listed = env.agent.models.map((m) => m.id);
      return {
        EvaluationResults: (input.ResourceArns as string[]).map((arn) => ({
          EvalActionName: "bedrock:InvokeModel",
          EvalResourceName: arn,
          EvalDecision: o.roleAllowsEverything || listed.some((id) => arn.endsWith(`/${id}`)) ? "allowed" : "implicitDeny",
        })),
        IsTruncated: false,
      };
    });
    const logs = new FakeClient().on("DescribeLogGroupsCommand", (input) => {
      const retention = "logRetentionDays" in o ? o.logRetentionDays : 30;
      return {
        logGroups: ["DEFAULT", "live"].map((endpoint) => ({
          logGroupName: `${String(input.logGroupNamePrefix)}${endpoint}`,
          arn: `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:${String(input.logGroupNamePrefix)}${endpoint}:*`,
          ...(retention !== undefined && { retentionInDays: retention }),
        })),
      };
    });
    const sts = new FakeClient().on("GetCallerIdentityCommand", () => ({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/platform-oncall/alice`, UserId: "AROAEXAMPLE:alice" }));
    return { sts, agentcoreControl, agentcore, iam, sns, sqs, s3, cloudwatch, logs };
  }

  /** Whatever verify created that is still there. */
  leftovers(): string[] {
    return [...this.queues, ...this.subscriptions, ...this.sessions, ...this.files.keys(), ...this.objects.keys()];
  }
}

const OPTIONS: VerifyOptions = { endpoint: "live", exportWaitMs: 300_000, alertWaitMs: 600_000, pollMs: 10_000 };
const FROM_STATE: ExpectedImage = { digest: DIGEST, source: "Terraform state of dev-agent (terraform.dev-agent.tfstate), output container_uri" };

async function run(options: WorldOptions = {}, expected: ExpectedImage = FROM_STATE, verifyOptions: VerifyOptions = OPTIONS) {
  const world = new VerifyWorld(dev, options);
  let n = 0;
  const report = await world.virtual.run(verifyEnvironment({ environment: dev, clients: world.clients(), clock: world.clock, expected, newId: () => `id${++n}`, signal: world.abort.signal }, verifyOptions));
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { world, report, byId };
}

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

  it("AgentCore's own log groups keep logs forever: the fix names the command", async () => {
    const { byId } = await run({ operator: true, logRetentionDays: undefined });
    expect(byId["runtime-log-retention"]).toMatchObject({
      status: "fail",
      observed: expect.stringContaining("aws logs put-retention-policy --log-group-name /aws/bedrock-agentcore/runtimes/dev_agent-a1b2c3d4e5-DEFAULT --retention-in-days 30"),
    });
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
    expect(await expectedImage(withState({ ...s3State, roleArn: `arn:aws:iam::${ACCOUNT}:role/state` }), { s3ForState: s3 })).toEqual({ unknown: expect.stringContaining("which verify does not assume") });
  });
});

describe("npm run verify from the command line", () => {
  const cli = (...args: string[]) =>
    execa(process.execPath, ["scripts/verify.ts", ...args], { cwd: new URL("../..", import.meta.url), reject: false, env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_PROFILE: "none" } });

  it("refuses bad arguments with one line and exit status 2, before any AWS call", async () => {
    const [noEnv, unknown, badWait] = await Promise.all([cli(), cli("--env", "nope"), cli("--env", "dev", "--export-wait", "soon")]);
    expect([noEnv.exitCode, unknown.exitCode, badWait.exitCode]).toEqual([2, 2, 2]);
    expect(noEnv.stderr.split("\n")[0]).toBe("error: --env is required (e.g. --env dev)");
    expect(unknown.stderr.split("\n")[0]).toBe('error: unknown environment "nope"; known: dev, staging, prod (environments/index.ts)');
    expect(badWait.stderr.split("\n")[0]).toBe('error: --export-wait "soon" is not a duration; use e.g. 90s, 10m or 1h30m');
  });

  it("--help describes every check and the exit statuses", async () => {
    const help = await cli("--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("the runtime is READY on the expected image digest");
    expect(help.stdout).toContain("Exit status: 0 no check failed");
  });
});
