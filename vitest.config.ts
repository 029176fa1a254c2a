import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Synthesizing a whole environment takes a few seconds on a 2-core machine.
    testTimeout: 60_000,
    // Vitest's default is one worker per core less one: a single worker on CI's 2 cores. Most of the suite's time is
    // spent waiting on child processes (the cdktn CLI, the stand-in Terraform, the scripts against the fake world), so
    // three workers overlap those waits: on a 2-core machine the suite took 318 s with 3 workers against 495 s with 1.
    maxWorkers: 3,
    hookTimeout: 60_000,
  },
});
