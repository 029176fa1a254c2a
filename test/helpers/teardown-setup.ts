/**
 * The setup of the teardown tests (teardown.test.ts, teardown-steps.test.ts): one synthesized project per test
 * file, a fresh fake AWS world per test with the environment deployed in it, and `run` calling teardown with the
 * real SDK clients over HTTP and the stand-in Terraform where cdktn would run it.
 */
import { join } from "node:path";
import { teardown, teardownJournalPath, type TeardownOptions, type TeardownReport } from "../../scripts/lib/teardown/index.ts";
import { synthesizedProject } from "../fake-aws/hooks.ts";
import { deployInProcess, inProcessRemote, sdkClients, standInCdktn } from "../fake-aws/in-process.ts";
import { ACCOUNT, type WorldOptions } from "../fake-aws/world.ts";
import type { ProcessRunner } from "../../scripts/lib/runner.ts";
import { shippedDescription } from "./descriptions.ts";

export const MINUTE = 60_000;
export const HOUR = 3600_000;

/** Call once at the top of a test file (it registers the file's hooks). */
export function teardownHarness() {
  const harness = synthesizedProject();

  async function setup(environmentName: "dev" | "staging" | "prod", options: Partial<WorldOptions> = {}) {
    const fake = await harness.start(options);
    const project = harness.project;
    const world = fake.world;
    const environment = shippedDescription(environmentName);
    await deployInProcess(project, world, environmentName);
    const logs: string[] = [];
    const journalFile = teardownJournalPath(environmentName, join(project.dir, ".build", "teardown"));
    const url = fake.url;
    /** `callerAccount`: the account of the credentials (STS GetCallerIdentity), the world's by default. */
    /** `wrap`: observes (or delays) what teardown runs, around the stand-in cdktn. */
    const run = (overrides: Partial<TeardownOptions> = {}, callerAccount = ACCOUNT, wrap: (runner: ProcessRunner) => ProcessRunner = (r) => r, stopped?: () => boolean): Promise<TeardownReport> =>
      teardown(
        {
          environment,
          runner: wrap(standInCdktn(project.outdir, inProcessRemote(world))),
          clients: sdkClients(url, environment.region),
          clock: world.clock,
          accountId: callerAccount,
          outdir: project.outdir,
          journalFile,
          log: (step, line) => logs.push(`[${step}] ${line}`),
          ...(stopped !== undefined && { stopped }),
        },
        { waitEnisMs: 10 * MINUTE, waitExportMs: 10 * MINUTE, deleteImages: true, discardUnexportedWrites: false, ...overrides },
      );
    const managed = (layer: string) => (project.state(`${environmentName}-${layer}`)?.resources ?? []).filter((r) => r.mode === "managed");
    return { world, environment, run, logs, journalFile, managed, project, url };
  }

  return { setup };
}
