/** Ctrl-C during deploy or teardown (review finding 10): start nothing new, let running steps finish, exit 130. */
import { describe, expect, it } from "vitest";
import { EXIT } from "../../scripts/lib/cli.ts";
import { onInterrupt } from "../../scripts/lib/interrupt.ts";
import type { ProcessRunner } from "../../scripts/lib/runner.ts";
import { formatReport } from "../../scripts/lib/teardown/index.ts";
import { MINUTE, teardownHarness } from "../helpers/teardown-setup.ts";

const { setup } = teardownHarness();

describe("the SIGINT handler", () => {
  it("the first Ctrl-C only stops new steps and says so; the second exits 130 at once; dispose removes it", () => {
    const said: string[] = [];
    const exits: number[] = [];
    const before = process.listenerCount("SIGINT");
    const interrupt = onInterrupt("teardown", (l) => said.push(l), (code) => exits.push(code));
    expect(interrupt.stopped()).toBe(false);
    process.emit("SIGINT");
    expect(interrupt.stopped()).toBe(true);
    expect(exits).toEqual([]);
    expect(said[0]).toMatch(/Ctrl-C: teardown starts nothing new and waits for the running steps to finish \(Terraform writes its state and releases its lock\)/);
    process.emit("SIGINT");
    expect(exits).toEqual([EXIT.interrupted]);
    expect(EXIT.interrupted).toBe(130);
    interrupt.dispose();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});

describe("teardown interrupted", () => {
  it("lets the running step finish, starts nothing new, reports it resumable and interrupted; a re-run finishes", async () => {
    const { world, run, environment } = await setup("dev", { eniReleaseMs: 2 * MINUTE });
    let pressed = false;
    // Ctrl-C while the agent stack's destroy runs.
    const pressDuringFirst = (inner: ProcessRunner): ProcessRunner => ({
      run: (command, args, options) => {
        pressed = true;
        return inner.run(command, args, options);
      },
    });
    const report = await run({}, undefined, pressDuringFirst, () => pressed);
    expect(report.interrupted).toBe(true);
    expect(report.status).toBe("resumable");
    const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
    expect(status.agent).toBe("done");
    expect(status.network).toBe("not started");
    expect(world.all("aws_bedrockagentcore_agent_runtime")).toEqual([]);
    expect(world.all("aws_vpc")).toHaveLength(1);
    expect(report.message).toMatch(/^stopped, resumable: interrupted \(Ctrl-C\); not started: /);
    expect(formatReport(report, environment).split("\n")[0]).toBe("dev: interrupted (Ctrl-C), resumable");
    const again = await run();
    expect(again.status).toBe("clean");
    expect(again.interrupted).toBe(false);
  });
});
