/**
 * Fakes at the process and AWS-SDK boundaries. They behave like the real thing where the scripts depend
 * on it: exit statuses and stderr, errors carrying the service's error name, delays, pagination.
 */
import type { ProcessRunner, RunOptions, RunResult } from "../../scripts/lib/runner.ts";

export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: RunOptions;
  readonly startedAt: number;
  endedAt?: number;
}

type Reply = Partial<RunResult> & { delayMs?: number; stall?: boolean; sideEffect?: (args: readonly string[]) => void };

/**
 * Answers commands by the most recently added rule whose prefix matches `command args…` (so a test can
 * override a default); unmatched commands exit 127, like a missing executable.
 */
export class FakeRunner implements ProcessRunner {
  readonly calls: RecordedCall[] = [];
  private readonly rules: { prefix: string; reply: Reply | ((args: readonly string[]) => Reply) }[] = [];

  on(prefix: string, reply: Reply | ((args: readonly string[]) => Reply)): this {
    this.rules.push({ prefix, reply });
    return this;
  }

  commandLines(): string[] {
    return this.calls.map((c) => [c.command, ...c.args].join(" "));
  }

  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const call: RecordedCall = { command, args, options, startedAt: performance.now() };
    this.calls.push(call);
    const line = [command, ...args].join(" ");
    const rule = [...this.rules].reverse().find((r) => line.startsWith(r.prefix));
    if (!rule) return { exitCode: 127, stdout: "", stderr: `command not found: ${command}` };
    const reply = typeof rule.reply === "function" ? rule.reply(args) : rule.reply;
    if (reply.stall) await new Promise<never>(() => {});
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    reply.sideEffect?.(args);
    for (const l of (reply.stdout ?? "").split("\n").filter(Boolean)) options.onLine?.(l, "stdout");
    call.endedAt = performance.now();
    return { exitCode: reply.exitCode ?? 0, stdout: reply.stdout ?? "", stderr: reply.stderr ?? "" };
  }
}

/** An AWS service error as the SDK throws it: `name` is the error code. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

type Handler = (input: Record<string, unknown>) => unknown;

/** A client whose `send` dispatches on the command's class name, e.g. "DescribeImagesCommand". */
export class FakeClient {
  readonly sent: { command: string; input: Record<string, unknown> }[] = [];
  private readonly handlers = new Map<string, Handler>();

  on(command: string, handler: Handler): this {
    this.handlers.set(command, handler);
    return this;
  }

  async send(command: { constructor: { name: string }; input?: unknown }): Promise<unknown> {
    const name = command.constructor.name;
    const input = (command.input ?? {}) as Record<string, unknown>;
    this.sent.push({ command: name, input });
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`fake client has no answer for ${name}`);
    await Promise.resolve();
    return handler(input);
  }

  count(command: string): number {
    return this.sent.filter((s) => s.command === command).length;
  }
}

export function fakeClients(overrides: Partial<Record<"sts" | "ecr" | "ec2" | "s3" | "s3files" | "agentcoreControl" | "tagging", FakeClient>> = {}) {
  const make = () => new FakeClient();
  return {
    sts: overrides.sts ?? make().on("GetCallerIdentityCommand", () => ({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/deployer/ci" })),
    ecr: overrides.ecr ?? make(),
    ec2: overrides.ec2 ?? make(),
    s3: overrides.s3 ?? make(),
    s3files: overrides.s3files ?? make(),
    agentcoreControl: overrides.agentcoreControl ?? make(),
    tagging: overrides.tagging ?? make(),
  };
}
