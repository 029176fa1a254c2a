/**
 * The one way scripts start subprocesses (docker, cdktn, terraform, git). Tests replace it with a fake
 * that records argv and fails or stalls on cue.
 */
import { execa } from "execa";

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
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    const tail = lastLines(result.stderr || result.stdout, 3);
    super(`${command} ${args.slice(0, 3).join(" ")} exited with status ${result.exitCode}${tail ? `: ${tail}` : ""}`);
    this.name = "CommandFailedError";
  }
}

/** Runs a command and throws CommandFailedError (with the end of its output) unless it exits 0. */
export async function runChecked(runner: ProcessRunner, command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
  const result = await runner.run(command, args, options);
  if (result.exitCode !== 0) throw new CommandFailedError(command, args, result);
  return result;
}

function lastLines(text: string, count: number): string {
  return text.trim().split("\n").slice(-count).join(" | ").trim();
}

/** The real runner, on execa. A missing executable is exit status 127 with a readable message, as in a shell. */
export class ExecaRunner implements ProcessRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const child = execa(command, args, {
      reject: false,
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      ...(options.env !== undefined && { env: { ...process.env, ...options.env } }),
      ...(options.input !== undefined && { input: options.input }),
      ...(options.signal !== undefined && { cancelSignal: options.signal }),
      all: false,
    });
    if (options.onLine) {
      for (const [stream, name] of [[child.stdout, "stdout"], [child.stderr, "stderr"]] as const) {
        let buffered = "";
        stream?.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) options.onLine!(line, name);
        });
      }
    }
    const result = await child;
    if ((result as { code?: string }).code === "ENOENT") {
      return { exitCode: 127, stdout: "", stderr: `command not found: ${command}` };
    }
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
  }
}
