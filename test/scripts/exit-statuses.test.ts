/**
 * The README's exit statuses ("`2` bad arguments or configuration (nothing was touched)"), checked command by
 * command for the cases that used to exit 1: a build context without a Dockerfile (build-image and deploy, --dry-run
 * included), a --payload-file that cannot be read, and the rest of the argument errors, each with its one line.
 */
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url);
const cli = (...args: string[]) =>
  execa(process.execPath, ["--import", "./lib/compile-cache.ts", "scripts/cli.ts", ...args], {
    cwd: ROOT,
    reject: false,
    // Any AWS call would go to a closed port: what exits 2 here made none.
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "no-such-profile", AWS_EC2_METADATA_DISABLED: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  });

const BAD_ARGUMENTS: [string[], string][] = [
  [["build-image", "--env", "dev", "--context", "/nonexistent", "--dry-run"], 'error: build context "/nonexistent" has no Dockerfile'],
  [["deploy", "--env", "dev", "--context", "/nonexistent", "--dry-run"], 'error: build context "/nonexistent" has no Dockerfile'],
  [["deploy", "--env", "dev", "--context", "/nonexistent", "--yes"], 'error: build context "/nonexistent" has no Dockerfile'],
  [["invoke", "--env", "dev", "--payload-file", "/nonexistent/payload.json"], "error: --payload-file /nonexistent/payload.json: no such file"],
  [["invoke", "--env", "dev", "--payload-file", "/tmp"], "error: --payload-file /tmp: is a directory"],
  [["invoke", "--env", "dev", "--payload", "{not json"], "error: the payload is not valid JSON"],
  [["audit", "--env", "dev", "--all"], "error: give --env <name> or --all, not both"],
  [["cost", "--env", "nope"], 'error: unknown environment "nope"'],
  [["deployer-policy", "--env", "dev", "--part", "0"], 'error: --part "0" is not a document number (1, 2, …)'],
  [["no-such-command"], 'error: unknown command "no-such-command"'],
  [["deploy", "--env", "prod", "--image-from", "nope", "--dry-run"], 'error: --image-from nope: unknown environment "nope"'],
  // dev keeps its state on local disk (the shipped environments name no S3 backend): what CI must not deploy from.
  [["deploy", "--env", "dev", "--require-remote-state", "--yes"], 'error: --require-remote-state: dev keeps its Terraform state on this machine\'s disk (state backend "local")'],
  [["drift", "--env", "dev", "--require-remote-state"], 'error: --require-remote-state: dev keeps its Terraform state on this machine\'s disk'],
  [["teardown", "--env", "dev", "--require-remote-state", "--yes"], 'error: --require-remote-state: dev keeps its Terraform state on this machine\'s disk'],
];

describe("bad arguments and configuration exit 2, with one line, as the README's table says", () => {
  for (const [args, line] of BAD_ARGUMENTS) {
    it(args.join(" "), async () => {
      const run = await cli(...args);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr.split("\n")[0]).toContain(line);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }
});
