/**
 * vitest wiring for the harness: a project copy and a fake AWS world per test file (or per test), closed
 * afterwards. Keeps each test file's setup to one line.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { commitAgent, createProject, startFakeAws, type FakeAws, type Project } from "./harness.ts";
import type { WorldOptions } from "./world.ts";

export interface E2eProject {
  readonly fake: FakeAws;
  readonly project: Project;
}

/**
 * One world and one project for the whole file, for the end-to-end tests: `arrange` runs once, after the
 * project exists (deploy an environment, commit agent/ for build-image, …).
 */
export function e2eProject(options: Partial<WorldOptions>, arrange: (setup: E2eProject) => Promise<void> = async () => {}): E2eProject {
  const holder: { fake?: FakeAws; project?: Project } = {};
  beforeAll(async () => {
    holder.fake = await startFakeAws(options);
    holder.project = createProject(holder.fake);
    await arrange(holder as E2eProject);
  }, 120_000);
  afterAll(async () => {
    await holder.fake?.close();
  });
  return {
    get fake() {
      return holder.fake!;
    },
    get project() {
      return holder.project!;
    },
  };
}

/** A project with agent/ committed, as build-image wants it. */
export const withCommittedAgent = async ({ project }: E2eProject) => commitAgent(project);

/**
 * One synthesized project for the file, and a fresh world for each test (`start`): for the in-process tests,
 * which apply and destroy stacks with the stand-in Terraform in the project's cdktf.out/.
 */
export function synthesizedProject(): { readonly project: Project; start(options?: Partial<WorldOptions>): Promise<FakeAws> } {
  const holder: { project?: Project; fake?: FakeAws } = {};
  beforeAll(async () => {
    const synthesizer = await startFakeAws();
    holder.project = createProject(synthesizer);
    await holder.project.synth();
    await synthesizer.close();
  }, 120_000);
  afterEach(async () => {
    await holder.fake?.close();
    holder.fake = undefined;
  });
  return {
    get project() {
      return holder.project!;
    },
    async start(options = {}) {
      holder.project!.reset();
      holder.fake = await startFakeAws(options);
      return holder.fake;
    },
  };
}
