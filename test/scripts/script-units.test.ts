/** Small units the scripts are built from: ENI classification, journals, the virtual clock, plans, steps. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clockFromEnvironment, fileClock, realClock } from "../../scripts/lib/clock.ts";
import { describeReplacement } from "../../scripts/lib/deploy.ts";
import { readPlan } from "../../scripts/lib/stack-plan.ts";
import { readJsonFile, writeJsonAtomic } from "../../scripts/lib/json-file.ts";
import { runSteps } from "../../scripts/lib/steps.ts";
import { classifyEni } from "../../scripts/lib/teardown/index.ts";

const context = { environment: "dev", accountId: "123456789012", now: Date.parse("2026-11-02T10:00:00Z") };
const elaAttach = { AttachmentId: "ela-attach-0f6e", InstanceOwnerId: "amazon-aws", Status: "attached" as const, AttachTime: new Date("2026-11-02T09:00:00Z"), DeviceIndex: 1 };

describe("which ENIs are AgentCore's (REFERENCE.md: by InterfaceType agentic_ai or the AmazonBedrockAgentCoreManaged tag only)", () => {
  // Shapes from the EC2 User Guide, "Requester-managed network interfaces"; a NAT-gateway ENI as EC2 returns it
  // (aws/aws-parallelcluster, cli tests test_validators.py: InterfaceType "nat_gateway", although the EC2 model's
  // enum spells it "natGateway"); hashicorp/terraform-provider-aws#47399 for agentic_ai.
  const nat = { NetworkInterfaceId: "eni-nat", InterfaceType: "nat_gateway" as never, Description: "Interface for NAT Gateway nat-0a1", RequesterManaged: true, OwnerId: "123456789012", Status: "in-use" as const, Attachment: elaAttach };
  const endpoint = { ...nat, NetworkInterfaceId: "eni-vpce", InterfaceType: "vpc_endpoint" as const, Description: "VPC Endpoint Interface vpce-0a1" };
  const endpointTypedInterface = { ...endpoint, NetworkInterfaceId: "eni-vpce-2", InterfaceType: "interface" as const };
  const agentic = { ...nat, NetworkInterfaceId: "eni-agentic", InterfaceType: "agentic_ai" as never, Description: "" };
  const tagged = { ...nat, NetworkInterfaceId: "eni-tagged", InterfaceType: "interface" as const, TagSet: [{ Key: "AmazonBedrockAgentCoreManaged", Value: "true" }] };

  it("NAT-gateway and interface-endpoint ENIs are not AgentCore's, although they are requester-managed and ela-attached by amazon-aws", () => {
    for (const eni of [nat, endpoint, endpointTypedInterface]) expect(classifyEni(eni, context).kind).toBe("other");
  });

  // hashicorp/terraform-provider-aws#47399 observed RequesterManaged false on AgentCore's ENIs (review finding 11): the
  // classification must not depend on it, even for one that is unattached, available and carries the environment's tag.
  it("an AgentCore ENI is AgentCore's whatever RequesterManaged says, never 'ours-deletable'", () => {
    const base = { ...agentic, RequesterManaged: false, Status: "available" as const, Attachment: undefined, OwnerId: "123456789012", TagSet: [{ Key: "agentcore-s3files:environment", Value: "dev" }] };
    expect(classifyEni(base, context).kind).toBe("agentcore");
    expect(classifyEni({ ...base, RequesterManaged: true }, context).kind).toBe("agentcore");
    expect(classifyEni({ ...base, InterfaceType: "interface" as const, TagSet: [...base.TagSet, { Key: "AmazonBedrockAgentCoreManaged", Value: "true" }] }, context).kind).toBe("agentcore");
  });

  it("agentic_ai ENIs and ENIs with AgentCore's tag are", () => {
    expect(classifyEni(agentic, context)).toMatchObject({ kind: "agentcore", type: "agentic_ai", owner: "123456789012", status: "in-use", age: "1h00m" });
    expect(classifyEni(tagged, context).kind).toBe("agentcore");
  });

  it("an ENI is ours to delete only if this account owns it, it is unattached, available, not requester-managed and carries the environment's tag", () => {
    const ours = { NetworkInterfaceId: "eni-ours", InterfaceType: "interface" as const, RequesterManaged: false, OwnerId: "123456789012", Status: "available" as const, TagSet: [{ Key: "agentcore-s3files:environment", Value: "dev" }] };
    expect(classifyEni(ours, context).kind).toBe("ours-deletable");
    expect(classifyEni({ ...ours, OwnerId: "210987654321" }, context).kind).toBe("other");
    expect(classifyEni({ ...ours, Status: "in-use" }, context).kind).toBe("other");
    expect(classifyEni({ ...ours, RequesterManaged: true }, context).kind).toBe("other");
    expect(classifyEni({ ...ours, TagSet: [{ Key: "agentcore-s3files:environment", Value: "prod" }] }, context).kind).toBe("other");
    expect(classifyEni({ ...ours, Attachment: elaAttach }, context).kind).toBe("other");
  });
});

describe("journals", () => {
  it("are written whole or not at all (temporary file, then rename), and an unreadable one is set aside", () => {
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    const file = join(dir, "dev.json");
    writeJsonAtomic(file, { steps: { network: { fingerprint: "a" } } });
    expect(readJsonFile(file, {})).toEqual({ steps: { network: { fingerprint: "a" } } });
    expect(readdirSync(dir)).toEqual(["dev.json"]);
    writeFileSync(file, '{"steps": {"network": ');
    const warnings: string[] = [];
    expect(readJsonFile(file, { steps: {} }, (w) => warnings.push(w))).toEqual({ steps: {} });
    expect(existsSync(file)).toBe(false);
    expect(warnings[0]).toMatch(/was not valid JSON .*; moved it to .*dev\.json\.corrupt-/);
  });
});

describe("the scripts' clock", () => {
  it("is the real clock unless AGENTCORE_INFRA_CLOCK_FILE names a virtual one, where sleeping moves time without waiting", async () => {
    expect(clockFromEnvironment({})).toBe(realClock);
    const file = join(mkdtempSync(join(tmpdir(), "clock-")), "now");
    writeFileSync(file, "1000");
    const clock = clockFromEnvironment({ AGENTCORE_INFRA_CLOCK_FILE: file });
    const started = Date.now();
    await clock.sleep(8 * 3600_000);
    expect(clock.now()).toBe(1000 + 8 * 3600_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Another process may have moved time further: it never goes back.
    writeFileSync(file, String(100 * 3600_000));
    await fileClock(file).sleep(1);
    expect(Number(readFileSync(file, "utf8"))).toBe(100 * 3600_000 + 1);
    expect(() => clockFromEnvironment({ AGENTCORE_INFRA_CLOCK_FILE: join(file, "missing") })).toThrow(/does not exist/);
  });
});

describe("reading a plan (Terraform JSON plan format, see test/fake-aws/fixtures/terraform-1.11.4/show-plan-replace.json)", () => {
  it("finds replacements and changed outputs", () => {
    const real = readFileSync(new URL("../fake-aws/fixtures/terraform-1.11.4/show-plan-replace.json", import.meta.url), "utf8");
    expect(readPlan(real)).toEqual({
      changes: [{ address: "terraform_data.ap", type: "terraform_data", actions: ["delete", "create"] }],
      replacements: [{ address: "terraform_data.ap", type: "terraform_data", because: ["triggers_replace"] }],
      changedOutputs: ["arn"],
    });
    expect(readPlan(JSON.stringify({ resource_changes: [{ address: "a.b", type: "a", change: { actions: ["update"] } }, { address: "data.c.d", type: "c", mode: "data", change: { actions: ["read"] } }], output_changes: { x: { actions: ["no-op"] } } }))).toEqual({
      changes: [{ address: "a.b", type: "a", actions: ["update"] }],
      replacements: [],
      changedOutputs: [],
    });
  });

  it("says what replacing the access point means for the agent", () => {
    expect(describeReplacement("dev", { address: "aws_s3files_access_point.ap", type: "aws_s3files_access_point", because: ["posix_user"] })).toBe(
      "dev-storage will REPLACE the S3 Files access point aws_s3files_access_point.ap (changed: posix_user): its ARN changes, and the runtime mounts it by ARN. Deploy applies dev-agent right after dev-storage; until then new sessions cannot mount the file system.",
    );
  });
});

describe("steps", () => {
  it("record every step that fails, not only the first (steps already running when one fails still finish)", async () => {
    const steps = [
      { id: "a", label: "a", needs: [] },
      { id: "b", label: "b", needs: [] },
      { id: "c", label: "c", needs: ["a"] },
    ];
    const result = await runSteps(steps, async (step) => {
      await new Promise((resolve) => setTimeout(resolve, step.id === "b" ? 20 : 1));
      if (step.id !== "c") throw new Error(`${step.id} failed`);
    });
    expect(result.failures.map((f) => f.id)).toEqual(["a", "b"]);
    expect(result.failed?.id).toBe("a");
    expect(result.states.find((s) => s.id === "c")!.status).toBe("not started");
  });

  it("'independent' still starts steps that do not depend on a failed one; 'stopped' starts nothing new", async () => {
    const steps = [
      { id: "a", label: "a", needs: [] },
      { id: "b", label: "b", needs: [] },
      { id: "c", label: "c", needs: ["a"] },
      { id: "d", label: "d", needs: ["b"] },
    ];
    const run = (options: Parameters<typeof runSteps>[4]) =>
      runSteps(
        steps,
        async (step) => {
          await new Promise((resolve) => setTimeout(resolve, step.id === "b" ? 20 : 1));
          if (step.id === "a") throw new Error("a failed");
        },
        () => {},
        undefined,
        options,
      );
    const statuses = (r: Awaited<ReturnType<typeof run>>) => Object.fromEntries(r.states.map((s) => [s.id, s.status]));
    expect(statuses(await run({ afterFailure: "independent" }))).toEqual({ a: "failed", b: "done", c: "not started", d: "done" });
    expect(statuses(await run({}))).toEqual({ a: "failed", b: "done", c: "not started", d: "not started" });
    let stop = false;
    const stopped = await runSteps(steps, async (step) => void (stop = stop || step.id === "b"), () => {}, undefined, { stopped: () => stop });
    expect(stopped.ok).toBe(false);
    expect(stopped.failures).toEqual([]);
    expect(statuses(stopped)).toMatchObject({ b: "done", d: "not started" });
  });
});
