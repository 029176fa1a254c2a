/**
 * `deploy --image-from`: the exact manifest copied by digest with the ECR API (shared/aws-models/ecr.json), against
 * the fake world's ECR (blobs, BatchCheckLayerAvailability, layer uploads in parts, PutImage with its errors).
 */
import { describe, expect, it } from "vitest";
import { promoteImage, sha256, type RegistrySide } from "../../scripts/lib/promote-image.ts";
import { synthesizedProject } from "../fake-aws/hooks.ts";
import { sdkClients } from "../fake-aws/in-process.ts";
import { pushImage } from "../fake-aws/server.ts";

const harness = synthesizedProject();

async function setup() {
  const fake = await harness.start();
  const world = fake.world;
  for (const name of ["staging-agent", "prod-agent"]) {
    world.add({ type: "aws_ecr_repository", id: name, region: "us-east-1", arn: `arn:aws:ecr:us-east-1:${world.account}:repository/${name}`, attributes: {}, tags: {} });
    world.images.set(name, new Map());
  }
  const ecr = sdkClients(fake.url, "us-east-1").ecr;
  const side = (repositoryName: string): RegistrySide => ({ ecr, repositoryName, label: repositoryName.replace("-agent", "") });
  const deps = { fetchBytes: async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer()), fetchJson: async (url: string) => (await fetch(url)).json() };
  return { world, side, deps };
}

describe("promoting an image by digest", () => {
  it("copies the missing blobs in parts and the manifest bytes unchanged; the target has the same digest, arm64 verified", async () => {
    const { world, side, deps } = await setup();
    const { digest } = pushImage(world, { repository: "staging-agent", tag: "abc1234", architecture: "arm64" }) as { digest: string };
    const calls = world.calls.length;
    const record = await promoteImage(side("staging-agent"), side("prod-agent"), digest, deps, "prod");
    expect(record).toMatchObject({ environment: "prod", digest, tag: "abc1234", reused: false, imageUri: `${world.account}.dkr.ecr.us-east-1.amazonaws.com/prod-agent@${digest}` });
    const copied = world.images.get("prod-agent")!.get(digest)!;
    expect(copied.manifest).toBe(world.images.get("staging-agent")!.get(digest)!.manifest);
    expect(sha256(copied.manifest)).toBe(digest);
    expect(copied.tags).toEqual(["abc1234"]);
    const ecrCalls = world.calls.slice(calls).filter((c) => c.startsWith("ecr:"));
    expect(ecrCalls.filter((c) => c === "ecr:CompleteLayerUpload")).toHaveLength(2);
    // The layer is larger than the 1024-byte partSize ECR asked for: several parts, in order.
    expect(ecrCalls.filter((c) => c === "ecr:UploadLayerPart").length).toBeGreaterThan(2);
    expect(ecrCalls.indexOf("ecr:BatchCheckLayerAvailability")).toBeLessThan(ecrCalls.indexOf("ecr:InitiateLayerUpload"));
    expect(ecrCalls.indexOf("ecr:PutImage")).toBeGreaterThan(ecrCalls.lastIndexOf("ecr:CompleteLayerUpload"));
  });

  it("a second promotion uploads nothing (every blob AVAILABLE) and reuses the image", async () => {
    const { world, side, deps } = await setup();
    const { digest } = pushImage(world, { repository: "staging-agent", tag: "abc1234", architecture: "arm64" }) as { digest: string };
    await promoteImage(side("staging-agent"), side("prod-agent"), digest, deps, "prod");
    const calls = world.calls.length;
    const again = await promoteImage(side("staging-agent"), side("prod-agent"), digest, deps, "prod");
    expect(again.reused).toBe(true);
    expect(world.calls.slice(calls).filter((c) => c === "ecr:InitiateLayerUpload")).toEqual([]);
  });

  it("refuses an image that is not linux/arm64 before copying anything, and a digest the source does not have", async () => {
    const { world, side, deps } = await setup();
    const { digest } = pushImage(world, { repository: "staging-agent", tag: "x86", architecture: "amd64" }) as { digest: string };
    await expect(promoteImage(side("staging-agent"), side("prod-agent"), digest, deps, "prod")).rejects.toThrow(/is linux\/amd64; AgentCore Runtime runs linux\/arm64 only, so it is not promoted/);
    expect(world.images.get("prod-agent")!.size).toBe(0);
    expect(world.calls.filter((c) => c === "ecr:InitiateLayerUpload")).toEqual([]);
    await expect(promoteImage(side("staging-agent"), side("prod-agent"), `sha256:${"e".repeat(64)}`, deps, "prod")).rejects.toThrow(/staging has no image sha256:e+ in staging-agent \(ImageNotFound: Requested image not found\)/);
  });

  it("the fake's PutImage refuses a manifest whose blobs are missing, as ECR does (LayersNotFoundException)", async () => {
    const { world, side } = await setup();
    const { digest } = pushImage(world, { repository: "staging-agent", tag: "abc1234", architecture: "arm64" }) as { digest: string };
    const { PutImageCommand } = await import("@aws-sdk/client-ecr");
    const manifest = world.images.get("staging-agent")!.get(digest)!.manifest;
    await expect(side("prod-agent").ecr.send(new PutImageCommand({ repositoryName: "prod-agent", imageManifest: manifest, imageDigest: digest }))).rejects.toMatchObject({ name: "LayersNotFoundException" });
  });
});
