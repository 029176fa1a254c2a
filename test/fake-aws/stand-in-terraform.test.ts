/**
 * The stand-in Terraform against the real one: what it writes and prints must read the same as what
 * Terraform 1.11.4 writes and prints (fixtures captured from the real binary, fixtures/capture.sh), or the
 * scripts would be tested against a format no user ever sees.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTerraformDiagnostics } from "../../scripts/lib/terraform-output.ts";
import { inProcessRemote } from "./in-process.ts";
import { terraform } from "./terraform/cli.ts";
import { FakeAwsWorld } from "./world.ts";

const fixture = (path: string) => readFileSync(new URL(`./fixtures/terraform-1.11.4/${path}`, import.meta.url), "utf8");

async function standIn(config: unknown, args: string[], dir = mkdtempSync(join(tmpdir(), "stand-in-"))) {
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
  const world = new FakeAwsWorld();
  let stdout = "";
  let stderr = "";
  const code = await terraform(args, { cwd: dir, remote: inProcessRemote(world), out: (t) => (stdout += t), err: (t) => (stderr += t), readLine: async () => undefined });
  return { code, stdout, stderr, dir, world };
}

const keysOf = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(keysOf) : value !== null && typeof value === "object" ? Object.keys(value as object).sort() : typeof value;

describe("stand-in Terraform, checked against Terraform 1.11.4", () => {
  const digestVariable = {
    variable: { d: { type: "string", validation: [{ condition: '${can(regex("^sha256:[a-f0-9]{64}$", var.d))}', error_message: "d must be a digest." }] } },
    output: { o: { value: "${var.d}", sensitive: true }, p: { value: ["x", "y"] } },
  };

  it("prints a failed variable validation as Terraform does (framed, coloured, on stderr), so the same parser reads both", async () => {
    const ours = await standIn(digestVariable, ["apply", "-auto-approve", "-var=d=bad"]);
    expect(ours.code).toBe(1);
    const real = fixture("invalid-variable.stderr");
    // The frame and the first line are byte for byte Terraform's.
    expect(ours.stderr.split("\n")[0]).toBe(real.split("\n")[0]);
    expect(ours.stderr.split("\n")[1]).toBe(real.split("\n")[1]);
    const [theirs] = parseTerraformDiagnostics(real);
    const [mine] = parseTerraformDiagnostics(ours.stderr);
    expect(mine!.summary).toBe(theirs!.summary);
    expect(mine!.detail.split("\n")[0]).toBe(theirs!.detail.split("\n")[0]);
  });

  it("writes state version 4 with Terraform's fields, and answers `output -json` in Terraform's shape", async () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const ours = await standIn(digestVariable, ["apply", "-auto-approve", `-var=d=${digest}`]);
    expect(ours.code, ours.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(ours.dir, "terraform.tfstate"), "utf8"));
    const real = JSON.parse(fixture("state.json"));
    expect(Object.keys(state).sort()).toEqual(Object.keys(real).sort());
    expect(state).toMatchObject({ version: 4, outputs: { o: { value: digest, type: "string", sensitive: true }, p: { value: ["x", "y"], type: ["tuple", ["string", "string"]] } } });

    const output = await standIn(digestVariable, ["output", "-json"], ours.dir);
    const realOutput = JSON.parse(fixture("output.json"));
    expect(keysOf(JSON.parse(output.stdout))).toEqual(keysOf(realOutput));
    expect(JSON.parse(output.stdout)).toEqual(realOutput);
  });

  it("shows a replacement in a saved plan in Terraform's JSON plan format (format 1.2: actions, replace_paths, action_reason)", async () => {
    const real = JSON.parse(fixture("show-plan-replace.json"));
    const realChange = real.resource_changes[0];
    const first = {
      provider: { aws: [{ region: "us-west-2" }] },
      resource: { aws_s3files_access_point: { ap: { file_system_id: "fs-1", posix_user: [{ uid: 1000, gid: 1000 }] } } },
      output: { arn: { value: "${aws_s3files_access_point.ap.arn}" } },
    };
    const dir = mkdtempSync(join(tmpdir(), "stand-in-"));
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(first));
    const world = new FakeAwsWorld();
    const io = { cwd: dir, remote: inProcessRemote(world), out: () => {}, err: () => {}, readLine: async () => undefined };
    world.add({ type: "aws_s3files_file_system", id: "fs-1", region: "us-west-2", attributes: {}, tags: {}, arn: "arn:aws:s3files:us-west-2:123456789012:file-system/fs-1" });
    expect(await terraform(["apply", "-auto-approve"], io)).toBe(0);
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ ...first, resource: { aws_s3files_access_point: { ap: { file_system_id: "fs-1", posix_user: [{ uid: 2000, gid: 2000 }] } } } }));
    expect(await terraform(["plan", "-input=false", "-out", "plan"], io)).toBe(0);
    let shown = "";
    expect(await terraform(["show", "-json", "plan"], { ...io, out: (t) => (shown += t) })).toBe(0);
    const plan = JSON.parse(shown);
    const change = plan.resource_changes.find((c: { address: string }) => c.address === "aws_s3files_access_point.ap");
    expect(plan.format_version).toBe(real.format_version);
    expect(Object.keys(change).sort()).toEqual(Object.keys(realChange).sort());
    expect(Object.keys(change.change).sort()).toEqual(Object.keys(realChange.change).sort());
    expect(change.change.actions).toEqual(realChange.change.actions);
    expect(change.action_reason).toBe(realChange.action_reason);
    expect(change.change.replace_paths).toEqual([["posix_user"]]);
    expect(plan.output_changes.arn).toMatchObject({ actions: ["update"], after_unknown: true });
    expect(Object.keys(plan.output_changes.arn).sort()).toEqual(Object.keys(real.output_changes.arn).sort());
  });

  it("narrows a destroy by TF_CLI_ARGS_destroy=-target as Terraform does: the targets and their dependents go, the rest and the outputs stay, two warnings", async () => {
    // The fixture's graph (capture.sh, section 3) with generic types: eip ← nat ← route; vpc ← subnet ← endpoint.
    const param = (value: string) => ({ name: "p", value });
    const config = {
      provider: { aws: [{ region: "us-west-2" }] },
      resource: {
        aws_ssm_parameter: {
          eip: param("e"),
          nat: param("${aws_ssm_parameter.eip.id}"),
          route: param("${aws_ssm_parameter.nat.id}"),
          vpc: param("v"),
          subnet: param("${aws_ssm_parameter.vpc.id}"),
          endpoint: param("${aws_ssm_parameter.subnet.id}"),
        },
      },
      output: { nat_ids: { value: ["${aws_ssm_parameter.nat.id}"] }, subnet: { value: "${aws_ssm_parameter.subnet.id}" } },
    };
    const applied = await standIn(config, ["apply", "-auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    const before = JSON.parse(readFileSync(join(applied.dir, "terraform.tfstate"), "utf8"));
    let stdout = "";
    let stderr = "";
    const code = await terraform(["destroy", "-auto-approve"], {
      cwd: applied.dir,
      remote: inProcessRemote(applied.world),
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      readLine: async () => undefined,
      env: { TF_CLI_ARGS_destroy: "-target=aws_ssm_parameter.eip -target=aws_ssm_parameter.endpoint" },
    });
    const realOut = fixture("targeted-destroy.stdout");
    const realState = JSON.parse(fixture("targeted-destroy-state.json"));
    expect(code).toBe(0);
    expect(stderr).toBe(fixture("targeted-destroy.stderr"));
    // The same resources destroyed, dependents first; the same ones left; the outputs untouched.
    const destroyed = (text: string) => [...text.matchAll(/\.(\w+): Destruction complete/g)].map((m) => m[1]);
    // (Terraform destroys independent chains side by side, so only the order within a chain is fixed.)
    expect([...destroyed(stdout)].sort()).toEqual([...destroyed(realOut)].sort());
    for (const order of [destroyed(stdout), destroyed(realOut)]) expect(order.filter((n) => ["route", "nat", "eip"].includes(n!))).toEqual(["route", "nat", "eip"]);
    const after = JSON.parse(readFileSync(join(applied.dir, "terraform.tfstate"), "utf8"));
    const names = (state: { resources: { name: string }[] }) => state.resources.map((r) => r.name).sort();
    expect(names(after)).toEqual(names(realState));
    expect(Object.keys(after.outputs)).toEqual(Object.keys(realState.outputs));
    expect(after.outputs).toEqual(before.outputs);
    // Warnings, not errors, so a narrowed destroy does not read as a failure.
    const summaries = (text: string) => parseTerraformDiagnostics(text).map((d) => `${d.severity}: ${d.summary}`);
    expect(summaries(stdout)).toEqual(summaries(realOut));
    expect(summaries(realOut)).toEqual(["warning: Resource targeting is in effect", "warning: Applied changes may be incomplete"]);
    expect(stdout.split("\n").find((l) => l.includes("Warning:"))).toBe(realOut.split("\n").find((l) => l.includes("Warning:")));
    expect(stdout).toMatch(/Destroy complete! Resources: 4 destroyed\./);
    expect(realOut).toMatch(/Destroy complete! Resources: 4 destroyed\./);
  });
});
