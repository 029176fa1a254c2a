/**
 * The harness in one process, for tests of step units and for the benchmark: the real AWS SDK clients over
 * loopback HTTP to the fake world, and the stand-in Terraform called as a library where cdktn would run it
 * (standInCdktn: cdktn's part is left out, cdktn's own behaviour is covered by the end-to-end tests that run
 * the real CLI). Nothing here replaces an AWS answer: the world still answers every call.
 */
import { BedrockAgentCoreControlClient } from "@aws-sdk/client-bedrock-agentcore-control";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { S3Client } from "@aws-sdk/client-s3";
import { S3FilesClient } from "@aws-sdk/client-s3files";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { join } from "node:path";
import type { AwsSdkClients } from "../../scripts/lib/aws.ts";
import { cdktnArgs } from "../../scripts/lib/cdktn.ts";
import { stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import type { Project } from "./harness.ts";
import type { Clock } from "../../scripts/lib/clock.ts";
import type { ProcessRunner, RunOptions, RunResult } from "../../scripts/lib/runner.ts";
import { providerCreate, providerData, providerDelete, providerRead, providerUpdate, schema } from "./provider.ts";
import { terraform } from "./terraform/cli.ts";
import type { Remote } from "./terraform/remote.ts";
import type { FakeAwsWorld } from "./world.ts";

/** Real SDK clients of every service the scripts call, pointed at the fake world (as AWS_ENDPOINT_URL_* does for processes). */
export function sdkClients(url: string, region: string): AwsSdkClients {
  const config = { region, endpoint: url, credentials: { accessKeyId: "AKIAFAKEWORLD0000000", secretAccessKey: "fake-world-secret" }, maxAttempts: 3 };
  return {
    sts: new STSClient(config),
    ecr: new ECRClient(config),
    ec2: new EC2Client(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    s3files: new S3FilesClient(config),
    agentcoreControl: new BedrockAgentCoreControlClient(config),
    tagging: new ResourceGroupsTaggingAPIClient(config),
    kms: new KMSClient(config),
    logs: new CloudWatchLogsClient(config),
    sns: new SNSClient(config),
    events: new EventBridgeClient(config),
    cloudtrail: new CloudTrailClient(config),
    iam: new IAMClient(config),
  };
}

/** The stand-in Terraform's line to the world, without HTTP. */
export function inProcessRemote(world: FakeAwsWorld, clock: Clock = world.clock): Remote {
  const handlers: Record<string, (body: Record<string, unknown>) => unknown> = {
    schema: () => ({ account: world.account, types: schema() }),
    create: (b) => providerCreate(world, String(b.type), String(b.region), b.config as Record<string, unknown>, (b.tags as Record<string, string>) ?? {}),
    update: (b) => providerUpdate(world, String(b.type), String(b.id), b.config as Record<string, unknown>, (b.tags as Record<string, string>) ?? {}),
    read: (b) => providerRead(world, String(b.type), String(b.id)),
    delete: (b) => providerDelete(world, String(b.type), String(b.id)),
    data: (b) => providerData(world, String(b.type)),
  };
  return {
    provider: async <T>(path: string, body: Record<string, unknown> = {}) => handlers[path]!(body) as T,
    getObject: async (bucket, key) => world.bucket(bucket).get(key)?.toString(),
    putObject: async (bucket, key, text) => void world.bucket(bucket).set(key, Buffer.from(text)),
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
  };
}

/**
 * Runs `npx --no-install cdktn deploy|destroy|diff <stack> …` as the stand-in Terraform in the stack's folder
 * (apply -auto-approve / destroy -auto-approve / plan -input=false -out plan, with the --var flags), and
 * `terraform show -json plan`. Output is relayed as cdktn relays it ("<stack>  <line>" on stdout); a failure
 * ends stderr like cdktn's does.
 */
export function standInCdktn(outdir: string, remote: Remote): ProcessRunner & { readonly commandLines: string[] } {
  const commandLines: string[] = [];
  return {
    commandLines,
    async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
      commandLines.push([command, ...args].join(" "));
      let stdout = "";
      let stderr = "";
      const io = (cwd: string, prefix: string) => ({
        cwd,
        remote,
        out: (text: string) => {
          stdout += prefix ? text.replace(/^(?=.)/gm, `${prefix}  `) : text;
          for (const line of text.split("\n").filter(Boolean)) options.onLine?.(line, "stdout");
        },
        // cdktn relays Terraform's stderr into its stdout log stream.
        err: (text: string) => {
          if (prefix) stdout += text.replace(/^(?=.)/gm, `${prefix}  `);
          else stderr += text;
        },
        readLine: async () => undefined,
        // cdktn hands Terraform its own environment, so what the runner adds (TF_CLI_ARGS_destroy) reaches Terraform.
        env: { ...options.env },
      });
      // Terraform run directly in a stack's folder (init, plan -detailed-exitcode, show -json): the stand-in itself.
      if (command === "terraform") {
        const code = await terraform(args, io(options.cwd ?? ".", ""));
        return { exitCode: code, stdout, stderr };
      }
      const [, , action, stack, ...rest] = args;
      if (command !== "npx" || !stack || !["deploy", "destroy", "diff"].includes(action ?? "")) return { exitCode: 127, stdout: "", stderr: `command not found: ${command} ${args.join(" ")}` };
      const vars = rest.filter((a) => a.startsWith("--var=")).map((a) => `-var=${a.slice("--var=".length)}`);
      const terraformArgs = action === "deploy" ? ["apply", "-auto-approve", ...vars] : action === "destroy" ? ["destroy", "-auto-approve", ...vars] : ["plan", "-input=false", "-out", "plan", ...vars];
      const code = await terraform(terraformArgs, io(join(outdir, "stacks", stack), stack));
      if (code !== 0) stderr += `Invoking Terraform CLI failed with exit code ${code}\n    at process.processTicksAndRejections (node:internal/process/task_queues:106:37)\n\nNode.js ${process.version}\n`;
      return { exitCode: code, stdout, stderr };
    },
  };
}

/**
 * Virtual time for one process where several tasks wait side by side (the benchmark): a sleep resolves when
 * the clock reaches its end, and the clock jumps to the earliest pending end once the process has been quiet
 * for a moment (a few real milliseconds), so concurrent waits overlap as they do in real time.
 */
export class QueueClock implements Clock {
  private time: number;
  private readonly timers: { at: number; resolve: () => void }[] = [];
  private driving = false;

  private readonly onAdvance: (time: number) => void;
  constructor(start: number, onAdvance: (time: number) => void = () => {}) {
    this.onAdvance = onAdvance;
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.time + Math.max(0, milliseconds), resolve });
      this.drive();
    });
  }

  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    const tick = () => {
      if (this.timers.length === 0) {
        this.driving = false;
        return;
      }
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.at);
      this.onAdvance(this.time);
      next.resolve();
      setTimeout(tick, 3);
    };
    setTimeout(tick, 3);
  }
}

/** Deploys an environment's four stacks in order with the in-process stand-in (to arrange a test, fast). */
export async function deployInProcess(project: Project, world: FakeAwsWorld, environment: string, digest = `sha256:${"a".repeat(64)}`): Promise<void> {
  const runner = standInCdktn(project.outdir, inProcessRemote(world));
  for (const layer of ["network", "storage", "registry", "agent"] satisfies Layer[]) {
    const stack = stackName(environment, layer);
    const result = await runner.run("npx", cdktnArgs("deploy", stack, layer === "agent" ? [`--var=agent_image_digest=${digest}`] : []));
    if (result.exitCode !== 0) throw new Error(`arranging ${stack} failed:\n${result.stdout.slice(-3000)}`);
  }
}
