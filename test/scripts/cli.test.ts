import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";

const ROOT = new URL("../..", import.meta.url);
/** The environments of environments/index.ts, as the scripts list them. */
const SHIPPED = environments.map((e) => e.name).join(", ");
/** Runs a script as `npm run <script>` would, with no AWS credentials in reach. */
function script(file: string, ...args: string[]) {
  return execa(process.execPath, [file, ...args], {
    cwd: ROOT,
    reject: false,
    // Any AWS call would go to a closed port and fail: what passes here made none.
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "no-such-profile", AWS_EC2_METADATA_DISABLED: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  });
}

describe("scripts from the command line", () => {
  it("deploy --dry-run prints the ordered plan with no AWS account and exits 0", async () => {
    const run = await script("scripts/cli.ts", "deploy", "--env", "dev", "--dry-run");
    expect(run.exitCode).toBe(0);
    const order = ["preflight", "synth", "change preview", "dev-registry", "dev-network", "dev-storage", "image (arm64)", "dev-agent"].map((s) => run.stdout.indexOf(`. ${s} `));
    expect(order.every((position, i) => position > 0 && (i === 0 || position > order[i - 1]!))).toBe(true);
    expect(run.stdout).toContain("npx cdktn deploy dev-agent --auto-approve --skip-synth --ignore-missing-stack-dependencies '--var=agent_image_digest=<digest from the image step>'");
  });

  it("refuses bad arguments before touching anything, with one line and exit status 2", async () => {
    const cases = [
      [["--env", "nope"], `error: unknown environment "nope"; known: ${SHIPPED}`],
      [["--dry-run"], "error: --env is required (e.g. --env dev)"],
      [["--env", "dev", "--colour"], "error: Unknown option '--colour'"],
    ] as const;
    const runs = await Promise.all(cases.map(([args]) => script("scripts/cli.ts", "deploy", ...args)));
    runs.forEach((run, i) => {
      expect(run.exitCode, cases[i]![0].join(" ")).toBe(2);
      expect(run.stderr.split("\n")[0]).toContain(cases[i]![1]);
    });
  });

  it("deploy without --yes off a terminal refuses with exit status 4", async () => {
    const run = await script("scripts/cli.ts", "deploy", "--env", "dev");
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain("refusing to deploy without --yes when not on a terminal");
  });

  it("--help describes each script", async () => {
    const files = ["deploy", "preflight", "build-image", "teardown", "cost"];
    const runs = await Promise.all(files.map((file) => script("scripts/cli.ts", file, "--help")));
    runs.forEach((run, i) => {
      expect(run.exitCode, files[i]).toBe(0);
      expect(run.stdout).toMatch(/^Usage: npm run [a-z-]+ -- --env <name>/);
    });
  });

  it("teardown --dry-run prints the ordered plan and what is kept, touching nothing", async () => {
    const [dev, prod] = await Promise.all([script("scripts/cli.ts", "teardown", "--env", "dev", "--dry-run"), script("scripts/cli.ts", "teardown", "--env", "prod", "--dry-run", "--wait-enis", "2h")]);
    expect(dev.exitCode).toBe(0);
    const order = ["agent stack", "storage", "registry", "ENI check", "network stack", "final sweep"].map((s) => dev.stdout.indexOf(s));
    expect(order.every((position, i) => position > 0 && (i === 0 || position > order[i - 1]!))).toBe(true);
    expect(dev.stdout).toContain("Data: NOT retained — the bucket and every object in it are deleted.");
    expect(prod.stdout).toContain("Data: retained — the bucket and its objects stay");
    expect(prod.stdout).toContain("ENIs: waits up to 2h00m for AgentCore to release its ENIs, then stops resumable (exit 3).");
  });

  it("teardown refuses without confirmation off a terminal (4) and a bad duration (2)", async () => {
    const [unconfirmed, badDuration] = await Promise.all([
      script("scripts/cli.ts", "teardown", "--env", "dev"),
      script("scripts/cli.ts", "teardown", "--env", "dev", "--wait-enis", "soon"),
    ]);
    expect(unconfirmed.exitCode).toBe(4);
    expect(unconfirmed.stderr).toContain("refusing to tear down without --yes when not on a terminal");
    expect(badDuration.exitCode).toBe(2);
    expect(badDuration.stderr.split("\n")[0]).toBe('error: --wait-enis "soon" is not a duration; use e.g. 90s, 10m or 1h30m');
  });

  it("build-image --dry-run builds the reference agent in agent/ for linux/arm64 by default", async () => {
    const run = await script("scripts/cli.ts", "build-image", "--env", "dev", "--dry-run", "--tag", "v1");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Would build linux/arm64 image <account>.dkr.ecr.us-west-2.amazonaws.com/dev-agent:v1 from agent/:");
    expect(run.stdout).toMatch(/docker buildx build --platform linux\/arm64 --provenance=false --sbom=false .* agent$/m);
  });

  it("audit passes the shipped environments (exit 0); dev's missing alert recipients are a warning, as the stage table says", async () => {
    const [prod, all] = await Promise.all([script("scripts/cli.ts", "audit", "--env", "prod"), script("scripts/cli.ts", "audit", "--all", "--json")]);
    expect(prod.exitCode).toBe(0);
    expect(prod.stdout).toMatch(/^Production readiness: prod \(production\)$/m);
    expect(prod.stdout).toContain("— no error-level finding");
    expect(all.exitCode).toBe(0);
    const reports = JSON.parse(all.stdout) as { environment: string; blocking: string[]; results: { rule: string; status: string; level: string }[] }[];
    // In the order of the app's manifest (cdktn lists the stacks by name).
    expect(reports.map((r) => [r.environment, r.blocking])).toEqual(environments.map((e) => e.name).sort().map((name) => [name, []]));
    expect(reports[0]!.results.find((r) => r.rule === "shell-alert-recipients")).toMatchObject({ status: "fail", level: "warning" });
  });

  it("cost estimates an environment with no AWS account: per resource, in total, with its assumptions", async () => {
    const [human, json] = await Promise.all([script("scripts/cli.ts", "cost", "--env", "prod", "--sessions", "5000"), script("scripts/cli.ts", "cost", "--env", "staging", "--json", "--price", "s3files-storage-gb-month=0.30")]);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^prod \(us-east-1\): about \$\d+\.\d\d a month, \$110\.50 of it billed by the hour whether used or not$/m);
    expect(human.stdout).toMatch(/^ {2}prod-network +NAT gateway, use1-az1 +730 +hour +\$0\.045 +\$32\.85 +hourly +aws_nat_gateway\.network_nat-gateway-use1-az1_/m);
    expect(human.stdout).toContain("--sessions 5000,");
    expect(json.exitCode, json.stderr).toBe(0);
    const estimate = JSON.parse(json.stdout) as { environment: string; unpriced: unknown[]; lines: { item: string; basis: string }[] };
    expect(estimate.environment).toBe("staging");
    expect(estimate.unpriced).toEqual([]);
    expect(estimate.lines.find((l) => l.item === "s3files-storage-gb-month")!.basis).toBe("override");
    expect(estimate.lines.filter((l) => l.item === "interface-endpoint-az-hour")).toHaveLength(5);
  });

  it("cost refuses bad assumptions before synthesizing anything, every one at once, exit status 2", async () => {
    const run = await script("scripts/cli.ts", "cost", "--env", "dev", "--gb-nat=-5", "--price", "free-lunch=0");
    expect(run.exitCode).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      `error: 2 problems: --gb-nat = -5: GB must be 0 or more; e.g. --gb-nat 20; --price "free-lunch=0": expected <item>=<usd> with an item of lib/cost/prices.ts (${[
        "nat-gateway-hour", "nat-gateway-gb", "public-ipv4-hour", "interface-endpoint-az-hour", "interface-endpoint-gb", "s3-standard-gb-month", "s3files-storage-gb-month",
        "s3files-access-gb", "cloudtrail-data-events", "logs-ingest-gb", "logs-storage-gb-month", "kms-key-month", "agentcore-vcpu-hour", "agentcore-gb-hour", "ecr-storage-gb-month",
      ].join(", ")})`,
    );
  });

  it("deploy --dry-run shows the monthly cost before anything is created; --only agent prices the agent stack alone", async () => {
    const [all, agent, wrong] = await Promise.all([
      script("scripts/cli.ts", "deploy", "--env", "dev", "--dry-run"),
      script("scripts/cli.ts", "deploy", "--env", "dev", "--dry-run", "--only", "agent"),
      script("scripts/cli.ts", "deploy", "--env", "dev", "--dry-run", "--only", "network"),
    ]);
    expect(all.exitCode, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^Monthly cost of dev \(us-west-2\): about \$\d+\.\d\d a month, \$37\.50 of it billed by the hour whether used or not$/m);
    expect(all.stdout.indexOf("Monthly cost of dev")).toBeGreaterThan(all.stdout.indexOf(". dev-agent "));
    expect(agent.exitCode, agent.stderr).toBe(0);
    const steps = [...agent.stdout.matchAll(/^ +\d+\. (.+?) +(?:after|first) /gm)].map((m) => m[1]);
    expect(steps).toEqual(["preflight", "synth", "network, storage, registry", "image (arm64)", "dev-agent"]);
    expect(agent.stdout).toMatch(/^Monthly cost of dev-agent \(us-west-2\), on top of the network and storage already running: about \$\d+\.\d\d a month/m);
    expect(agent.stdout).not.toContain("NAT gateway");
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr.split("\n")[0]).toBe('error: --only "network": the one part deploy can do alone is the agent (--only agent)');
  });
});
