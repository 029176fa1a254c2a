import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dockerfile = readFileSync(new URL("../../agent/Dockerfile", import.meta.url), "utf8");
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;

describe("the reference agent's Dockerfile", () => {
  it("is multi-stage: the runtime stage takes only the build output and production dependencies", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/node_modules/);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/dist/);
    expect(stages[0]).toContain("npm prune --omit=dev");
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it("runs as a non-root user, on port 8080, without pinning a platform (build-image asks for linux/arm64)", () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/EXPOSE 8080/);
    expect(runtime).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
    expect(runtime.split("\n")[0]).not.toContain("--platform");
  });

  it("leaves the application files owned by root and read-only to the runtime user", () => {
    const copies = runtime.split("\n").filter((line) => line.startsWith("COPY"));
    expect(copies.length).toBeGreaterThanOrEqual(3);
    // COPY without --chown gives the files to root (uid 0); the build stage's modes (644/755) leave others read-only.
    for (const copy of copies) expect(copy, copy).not.toMatch(/--chown|--chmod/);
    expect(runtime).not.toMatch(/^RUN .*\b(chown|chmod)\b/m);
    expect(runtime.indexOf("USER node")).toBeGreaterThan(runtime.lastIndexOf("COPY"));
  });

  it("pins every base image and the BuildKit frontend by digest, with the tag beside it", () => {
    const pinned = /^[a-z0-9./-]+:[A-Za-z0-9_][A-Za-z0-9_.-]*@sha256:[a-f0-9]{64}$/;
    expect(dockerfile.split("\n")[0]).toMatch(/^# syntax=docker\/dockerfile:1\.7@sha256:[a-f0-9]{64}$/);
    const images = [...dockerfile.matchAll(/^FROM (?:--platform=\S+ )?(\S+)/gm)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image, image).toMatch(pinned);
    // Both stages use the same base image, so the build and the runtime see the same Node.
    expect(new Set(images).size).toBe(1);
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain("docker buildx imagetools inspect node:24-bookworm-slim");
    expect(readme).toContain("docker buildx imagetools inspect docker/dockerfile:1.7");
  });

  it("installs no mount helper: the runtime mounts S3 Files itself", () => {
    expect(dockerfile).not.toMatch(/efs-utils|stunnel|mount -t/);
  });

  it("keeps local clutter out of the build context", () => {
    const ignore = readFileSync(new URL("../../agent/.dockerignore", import.meta.url), "utf8").split("\n");
    expect(ignore).toEqual(expect.arrayContaining(["node_modules", "dist", ".env*"]));
  });
});
