/**
 * Argument parsing and the outer shell of every script: --help, strict flags, a one-line reason and a
 * non-zero exit status on failure.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { chalk } from "zx";
import { EnvironmentDescriptionError } from "../../modules/environment/description.ts";
import { EnvironmentConfigError } from "../../modules/environment/file/problems.ts";
import { classifyAwsError } from "./aws-errors.ts";

/** Exit statuses shared by the scripts (README "Exit statuses"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, resumable: 3, refused: 4, drift: 5, interrupted: 130 } as const;

export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * --require-remote-state: a CI runner's disk is gone after the job, and with it a local Terraform state (the next
 * run would plan to create everything again, drift would report every stack missing, teardown would refuse).
 */
export function requireRemoteState(required: boolean | undefined, environment: { readonly name: string; readonly state: { readonly backend: string } }): void {
  if (required !== true || environment.state.backend === "s3") return;
  throw new UsageError(
    `--require-remote-state: ${environment.name} keeps its Terraform state on this machine's disk (state backend "${environment.state.backend}"), which a CI runner loses when the job ends. Fix: give the environment an S3 state backend (its state field: README, "Fields"), or run without --require-remote-state on a machine that keeps the state`,
  );
}

/** A failure that carries its own exit status and, optionally, what to do next. */
export class ScriptError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(
    message: string,
    exitCode: number = EXIT.failed,
    hint?: string,
  ) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
    this.name = "ScriptError";
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses argv strictly; unknown flags, stray positionals and missing values are usage errors. */
export function parseCommandLine<T extends Options>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** The environment name an --env flag must carry. */
export function requireEnv(value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new UsageError("--env is required (e.g. --env dev)");
  return value;
}

/** One command of the CLI (scripts/cli.ts): its usage text and its body, which returns the exit status. */
export interface Command {
  readonly usage: () => string;
  readonly run: (argv: readonly string[]) => Promise<number | void>;
}

/**
 * Runs a command's body: prints --help, turns every failure into `error: <one line>` plus an optional
 * hint, and exits with the failure's status.
 */
export async function runScript(usage: string, body: (argv: readonly string[]) => Promise<number | void>, given: readonly string[]): Promise<never> {
  // npm passes what follows its own `--`; a further `--` (exec's command separator) is the script's.
  const argv = given[0] === "--" ? given.slice(1) : given;
  const options = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (options.includes("--help") || options.includes("-h")) {
    console.log(usage.trim());
    process.exit(EXIT.ok);
  }
  try {
    const code = await body(argv);
    process.exit(code ?? EXIT.ok);
  } catch (error) {
    const { message, exitCode, hint } = describeFailure(error);
    console.error(chalk.red(`error: ${message}`));
    if (hint) console.error(hint);
    if (exitCode === EXIT.usage) console.error(`Run with --help for usage.`);
    process.exit(exitCode);
  }
}

export function describeFailure(error: unknown): { message: string; exitCode: number; hint?: string } {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof ScriptError) return { message: error.message, exitCode: error.exitCode, ...(error.hint !== undefined && { hint: error.hint }) };
  if (error instanceof EnvironmentConfigError || error instanceof EnvironmentDescriptionError) return { message: error.message, exitCode: EXIT.usage };
  // Credentials and network failures say what they are and the fix, never just the SDK's class name.
  const aws = classifyAwsError(error);
  if (aws.kind !== "other") return { message: aws.summary, exitCode: EXIT.failed, hint: `fix: ${aws.fix}` };
  const e = error as { name?: string; message?: string };
  return { message: `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message ?? String(error)}`.split("\n")[0]!, exitCode: EXIT.failed };
}
