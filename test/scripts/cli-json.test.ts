/**
 * Friction found when tried as a new user would (issue 14): `teardown --json` printed text with --dry-run and nothing
 * on an early failure; the image digest flag was spelled three ways. The scripts as processes, no AWS account.
 */
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url);
function script(...args: string[]) {
  return execa(process.execPath, ["scripts/cli.ts", ...args], {
    cwd: ROOT,
    reject: false,
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "no-such-profile", AWS_EC2_METADATA_DISABLED: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  });
}

describe("teardown --json prints JSON on stdout, whatever happens", () => {
  it("with --dry-run: the ordered steps, each with what it does", async () => {
    const run = await script("teardown", "--env", "dev", "--dry-run", "--json");
    expect(run.exitCode).toBe(0);
    const plan = JSON.parse(run.stdout) as { environment: string; dryRun: boolean; steps: { id: string; needs: string[]; does: string }[] };
    expect(plan).toMatchObject({ environment: "dev", dryRun: true });
    expect(plan.steps.map((s) => s.id)).toEqual(["agent", "hourly", "storage", "registry", "enis", "network", "sweep"]);
    expect(plan.steps[0]!.does).toMatch(/^detach the invoker and operator policies .* then npx cdktn destroy dev-agent/);
  });

  it("on an early failure: status failed, the message and the exit status of the failure", async () => {
    const cases = [
      [["--env", "nope"], 2, /^unknown environment "nope"/],
      [["--env", "dev", "--wait-enis", "soon"], 2, /--wait-enis/],
      [["--env", "dev"], 4, /^refusing to tear down without --yes when not on a terminal/],
    ] as const;
    for (const [args, code, message] of cases) {
      const run = await script("teardown", ...args, "--json");
      expect(run.exitCode, args.join(" ")).toBe(code);
      const report = JSON.parse(run.stdout) as { status: string; message: string };
      expect(report.status).toBe("failed");
      expect(report.message).toMatch(message);
    }
  });
});

describe("the image digest: one spelling, --var=agent_image_digest=sha256:…", () => {
  it("deploy refuses a digest flag with what to do instead (exit 2, nothing touched)", async () => {
    for (const flag of ["--var", "-var", "--var=agent_image_digest=sha256:0", "--image-digest", "--digest"]) {
      const run = await script("deploy", "--env", "dev", flag, "agent_image_digest=sha256:0", "--yes");
      expect(run.exitCode, flag).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(/^error: --?(var|image-digest|digest): deploy takes no image digest; it builds the image .* npx cdktn deploy <env>-agent --var=agent_image_digest=sha256:…$/);
    }
  });

  it("synth, deploy's plan and the README spell it the same way", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("README.md", ROOT), "utf8");
    const spellings = new Set([...readme.matchAll(/-{1,2}var[ =]agent_image_digest/g)].map((m) => m[0]));
    expect([...spellings]).toEqual(["--var=agent_image_digest"]);
    const plan = await script("deploy", "--env", "dev", "--dry-run");
    expect(plan.stdout).toContain("'--var=agent_image_digest=<digest from the image step>'");
  });
});
