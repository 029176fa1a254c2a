/**
 * Friction (issue 14): an environment whose file was deleted could no longer be torn down. Now a full synth keeps
 * the stack folders of an environment that may still be deployed (and says so), teardown works from them, and the
 * next synth removes them. Processes, the real cdktn CLI, the fake AWS world.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TeardownReport } from "../../scripts/lib/teardown/index.ts";
import { run } from "../fake-aws/harness.ts";
import { deployInProcess } from "../fake-aws/in-process.ts";
import { e2eProject } from "../fake-aws/hooks.ts";

describe("tearing down an environment the app no longer defines (process, real cdktn)", () => {
  const setup = e2eProject({ eniReleaseMs: 5 * 60_000 }, async ({ project, fake }) => {
    await project.synth();
    await deployInProcess(project, fake.world, "dev");
  });

  it("works from the stack folders its last synth left; the next synth removes them", async () => {
    const { project, fake } = setup;
    // The user deletes dev from the app, as the README's "add an environment" steps in reverse (dev keeps no data:
    // once torn down, nothing of it is left; an environment that retains its bucket keeps its storage stack's folder).
    project.writeFile("environments/index.ts", project.readFile("environments/index.ts").replace(/import dev from "\.\/dev\.ts";\n/, "").replace("[dev, staging, prod]", "[staging, prod]"));
    const synth = await run(process.execPath, ["main.ts"], { cwd: project.dir, env: fake.env() });
    expect(synth.exitCode, synth.stderr).toBe(0);
    expect(synth.stdout).toMatch(/^Kept cdktf\.out\/stacks\/dev-network: the app no longer defines it, but its state \S+ holds \d+ resources\. Tear it down with: npm run teardown -- --env dev \(it works from this folder\)\.$/m);

    const down = await project.script("teardown", ["--env", "dev", "--yes", "--json", "--delete-images"]);
    expect(down.exitCode, down.stderr.slice(-3000)).toBe(0);
    expect(down.stderr).toContain("dev is no longer defined by the app: tearing it down from cdktf.out/stacks/dev-* (its last synth)");
    expect((JSON.parse(down.stdout) as TeardownReport).status).toBe("clean");
    expect(fake.world.all("aws_vpc")).toEqual([]);

    const again = await run(process.execPath, ["main.ts"], { cwd: project.dir, env: fake.env() });
    expect(again.stdout).toMatch(/^Removed 4 stack folders the app no longer writes: dev-agent, dev-network, dev-registry, dev-storage\.$/m);
    expect(existsSync(join(project.dir, "cdktf.out", "stacks", "dev-network"))).toBe(false);

    const unknown = await project.script("teardown", ["--env", "dev", "--yes"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown environment "dev"; known: staging, prod.*; nor are stack folders of "dev" left in cdktf\.out\/stacks to tear it down from/);
  }, 400_000);
});
