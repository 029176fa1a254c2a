/**
 * The account verify talks to in its tests: one deployed environment, on a fake clock, answering each call verify
 * makes with the shapes AWS's models give (see VerifyWorld), and `run` verifying it.
 */
import { expect } from "vitest";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import type { VerifyClients } from "../../scripts/lib/aws.ts";
import { verifyEnvironment, type ExpectedImage, type VerifyOptions } from "../../scripts/lib/verify/index.ts";
import { shippedDescription } from "./descriptions.ts";
import { VirtualClock } from "./virtual-clock.ts";
import { awsError, FakeClient } from "./fakes.ts";

export const ACCOUNT = "123456789012";
export const DIGEST = `sha256:${"a".repeat(64)}`;
export const OTHER_DIGEST = `sha256:${"b".repeat(64)}`;
export const dev = shippedDescription("dev");

/** An error as the SDK throws it, with the HTTP status AWS's model gives it. */
export const denied = (name: string, message = "User is not authorized to perform this action") => Object.assign(awsError(name, message), { $metadata: { httpStatusCode: 403 } });
export const notFound = () => Object.assign(awsError("NotFound", "Not Found"), { $metadata: { httpStatusCode: 404 } });
/** A streaming payload as the SDK hands it over (sdkStreamMixin: transformToString). */
export const stream = (text: string) => ({ transformToString: async () => text });

export interface WorldOptions {
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
  /** The caller may call logs:PutRetentionPolicy. @default true */
  mayPutRetention?: boolean;
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
export class VerifyWorld {
  readonly virtual = new VirtualClock();
  readonly files = new Map<string, { content: string; writtenAt: number }>();
  readonly objects = new Map<string, { versionId: string; content: string }[]>();
  readonly queues = new Set<string>();
  readonly subscriptions = new Set<string>();
  readonly sessions = new Set<string>();
  readonly commands: string[] = [];
  /** AgentCore's own log groups and their retention (undefined: never expire). */
  readonly logGroups = new Map<string, number | undefined>();
  commandAt?: number;
  readonly abort = new AbortController();
  readonly runtimeId = "dev_agent-a1b2c3d4e5";
  readonly runtimeArn = `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT}:runtime/${this.runtimeId}`;

  readonly env: EnvironmentDescription;
  readonly o: WorldOptions;
  constructor(env: EnvironmentDescription, o: WorldOptions = {}) {
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
      const listed = env.agent.modelIds;
      return {
        EvaluationResults: (input.ResourceArns as string[]).map((arn) => ({
          EvalActionName: "bedrock:InvokeModel",
          EvalResourceName: arn,
          EvalDecision: o.roleAllowsEverything || listed.some((id) => arn.endsWith(`/${id}`)) ? "allowed" : "implicitDeny",
        })),
        IsTruncated: false,
      };
    });
    // CloudWatch Logs (logs.json): DescribeLogGroups → logGroups[] {logGroupName, arn, retentionInDays absent when
    // logs never expire}; PutRetentionPolicy → empty response, ResourceNotFoundException for an unknown group,
    // AccessDeniedException (the JSON protocol's common error) without permission.
    const prefix = `/aws/bedrock-agentcore/runtimes/${this.runtimeId}-`;
    const initial = "logRetentionDays" in o ? o.logRetentionDays : 30;
    for (const endpoint of ["DEFAULT", "live"]) this.logGroups.set(`${prefix}${endpoint}`, initial);
    const logs = new FakeClient()
      .on("DescribeLogGroupsCommand", (input) => ({
        logGroups: [...this.logGroups]
          .filter(([name]) => name.startsWith(String(input.logGroupNamePrefix)))
          .map(([name, retention]) => ({ logGroupName: name, arn: `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:${name}:*`, ...(retention !== undefined && { retentionInDays: retention }) })),
      }))
      .on("PutRetentionPolicyCommand", (input) => {
        if (o.mayPutRetention === false) throw denied("AccessDeniedException");
        const name = String(input.logGroupName);
        if (!this.logGroups.has(name)) throw awsError("ResourceNotFoundException", "The specified log group does not exist.");
        this.logGroups.set(name, Number(input.retentionInDays));
        return {};
      });
    const sts = new FakeClient().on("GetCallerIdentityCommand", () => ({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/platform-oncall/alice`, UserId: "AROAEXAMPLE:alice" }));
    return { sts, agentcoreControl, agentcore, iam, sns, sqs, s3, cloudwatch, logs };
  }

  /** Whatever verify created that is still there. */
  leftovers(): string[] {
    return [...this.queues, ...this.subscriptions, ...this.sessions, ...this.files.keys(), ...this.objects.keys()];
  }
}

export const OPTIONS: VerifyOptions = { endpoint: "live", exportWaitMs: 300_000, alertWaitMs: 600_000, pollMs: 10_000 };
export const FROM_STATE: ExpectedImage = { digest: DIGEST, source: "Terraform state of dev-agent (terraform.dev-agent.tfstate), output container_uri" };

export async function run(options: WorldOptions = {}, expected: ExpectedImage = FROM_STATE, verifyOptions: VerifyOptions = OPTIONS) {
  const world = new VerifyWorld(dev, options);
  let n = 0;
  const report = await world.virtual.run(verifyEnvironment({ environment: dev, clients: world.clients(), clock: world.clock, expected, newId: () => `id${++n}`, signal: world.abort.signal }, verifyOptions));
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { world, report, byId };
}
