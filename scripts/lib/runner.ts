/**
 * The one way scripts start subprocesses (docker, cdktn, terraform, git). Tests replace it with a fake
 * that records argv and fails or stalls on cue, or put stand-in executables first on PATH.
 */
import { execa } from "execa";
import { meaningfulTail } from "./terraform-output.ts";

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the process's standard input (e.g. a registry password), never to its argv. */
  readonly input?: string;
  /** Each output line as it arrives, for progress views and logs. */
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

export class CommandFailedError extends Error {
  readonly command: string;
  readonly args: readonly string[];
  readonly result: RunResult;
  constructor(
    command: string,
    args: readonly string[],
    result: RunResult,
  ) {
    // cdktn ends its stderr with a Node.js stack trace: the reason is in what came before it, on either stream.
    const fromStderr = meaningfulTail(result.stderr, 3);
    const tail = (fromStderr.length > 0 ? fromStderr : meaningfulTail(result.stdout, 3)).join(" | ");
    super(`${command} ${args.slice(0, 3).join(" ")} exited with status ${result.exitCode}${tail ? `: ${tail}` : ""}`);
    this.command = command;
    this.args = args;
    this.result = result;
    this.name = "CommandFailedError";
  }
}

/** Runs a command and throws CommandFailedError (with the end of its output) unless it exits 0. */
export async function runChecked(runner: ProcessRunner, command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
  const result = await runner.run(command, args, options);
  if (result.exitCode !== 0) throw new CommandFailedError(command, args, result);
  return result;
}

/** Each stream keeps at most this much (its end: errors come last); a longer output says what was dropped. */
export const MAX_CAPTURED_BYTES = 4 * 1024 * 1024;

/** Text that keeps its last `limit` characters. */
export class BoundedText {
  private chunks: string[] = [];
  private length = 0;
  private dropped = 0;

  private readonly limit: number;
  constructor(limit = MAX_CAPTURED_BYTES) {
    this.limit = limit;
  }

  append(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.limit && this.chunks.length > 1) {
      const first = this.chunks.shift()!;
      this.length -= first.length;
      this.dropped += first.length;
    }
    if (this.length > this.limit) {
      const only = this.chunks[0]!;
      this.chunks[0] = only.slice(only.length - this.limit);
      this.dropped += only.length - this.limit;
      this.length = this.limit;
    }
  }

  toString(): string {
    const text = this.chunks.join("");
    return this.dropped > 0 ? `[… ${this.dropped} earlier characters not kept …]\n${text}` : text;
  }
}

/** The real runner, on execa. A missing executable is exit status 127 with a readable message, as in a shell. */
export class ExecaRunner implements ProcessRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    // The whole output is kept (bounded, see BoundedText): a failure's reason can be anywhere in it.
    const child = execa(command, args, {
      reject: false,
      buffer: false,
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      ...(options.env !== undefined && { env: { ...process.env, ...options.env } }),
      ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
      ...(options.signal !== undefined && { cancelSignal: options.signal }),
      all: false,
    });
    const captured = { stdout: new BoundedText(), stderr: new BoundedText() };
    for (const [stream, name] of [[child.stdout, "stdout"], [child.stderr, "stderr"]] as const) {
      let buffered = "";
      stream?.on("data", (chunk: Buffer) => {
        const text = chunk.toString();
        captured[name].append(text);
        if (!options.onLine) return;
        buffered += text;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) options.onLine(line, name);
      });
      stream?.on("end", () => {
        if (options.onLine && buffered !== "") options.onLine(buffered, name);
      });
    }
    const result = await child;
    if ((result as { code?: string }).code === "ENOENT") {
      return { exitCode: 127, stdout: "", stderr: `command not found: ${command}` };
    }
    return { exitCode: result.exitCode ?? 1, stdout: captured.stdout.toString(), stderr: captured.stderr.toString() };
  }
}
