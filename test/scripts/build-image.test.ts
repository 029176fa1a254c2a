import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { buildImage, buildxArgs } from "../../scripts/lib/build-image.ts";
import { awsError, FakeClient, FakeRunner, fakeClients } from "../helpers/fakes.ts";
import { described } from "../helpers/descriptions.ts";

const REPO = "123456789012.dkr.ecr.us-west-2.amazonaws.com/test-agent";
const DIGEST = `sha256:${"b".repeat(64)}`;
const CONFIG_DIGEST = `sha256:${"c".repeat(64)}`;

let context: string;
beforeEach(() => {
  context = join(mkdtempSync(join(tmpdir(), "ctx-")), "agent");
  mkdirSync(context);
  writeFileSync(join(context, "Dockerfile"), "FROM scratch\n");
});

function registry(options: { existingTag?: boolean; manifest?: object; mediaType?: string; architecture?: string; repositoryMissing?: boolean } = {}) {
  return new FakeClient()
    .on("DescribeRepositoriesCommand", () => {
      if (options.repositoryMissing) throw awsError("RepositoryNotFoundException", "The repository with name 'test-agent' does not exist");
      return { repositories: [{ repositoryUri: REPO }] };
    })
    .on("DescribeImagesCommand", () => {
      if (!options.existingTag) throw awsError("ImageNotFoundException", "The image with imageId {imageTag:'abc'} does not exist");
      return { imageDetails: [{ imageDigest: DIGEST }] };
    })
    .on("GetAuthorizationTokenCommand", () => ({ authorizationData: [{ authorizationToken: Buffer.from("AWS:s3cret-password").toString("base64") }] }))
    .on("BatchGetImageCommand", () => ({
      images: [
        {
          imageManifest: JSON.stringify(options.manifest ?? { schemaVersion: 2, config: { digest: CONFIG_DIGEST } }),
          imageManifestMediaType: options.mediaType ?? "application/vnd.oci.image.manifest.v1+json",
        },
      ],
    }))
    .on("GetDownloadUrlForLayerCommand", (input) => ({ downloadUrl: `https://layers.example/${String(input.layerDigest)}` }));
}

function runner(dirty = false) {
  return new FakeRunner()
    .on("git rev-parse --short=12 HEAD", { stdout: "0a1b2c3d4e5f\n" })
    .on("git status --porcelain", { stdout: dirty ? " M agent/src/server.ts\n" : "" })
    .on("docker login", {})
    .on("docker buildx build", {
      sideEffect: (args) => writeFileSync(args[args.indexOf("--metadata-file") + 1]!, JSON.stringify({ "containerimage.digest": DIGEST })),
    });
}

const fetchConfig = (architecture = "arm64") => async () => ({ architecture, os: "linux" });

describe("build-image", () => {
  it("builds one linux/arm64 manifest with registry cache, tagged with the commit, and pushes it", () => {
    expect(buildxArgs({ repositoryUri: REPO, tag: "0a1b2c3d4e5f", context: "agent", metadataFile: "/tmp/m.json", commit: "0a1b2c3d4e5f" })).toEqual([
      "buildx", "build",
      "--platform", "linux/arm64",
      "--provenance=false", "--sbom=false",
      "--tag", `${REPO}:0a1b2c3d4e5f`,
      "--push",
      "--cache-from", `type=registry,ref=${REPO}:buildcache`,
      "--cache-to", `type=registry,ref=${REPO}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
      "--label", "org.opencontainers.image.revision=0a1b2c3d4e5f",
      "--metadata-file", "/tmp/m.json",
      "agent",
    ]);
  });

  it("logs in with the password on standard input, builds, verifies arm64 in the registry, and reports the digest", async () => {
    const fake = runner();
    const ecr = registry();
    const record = await buildImage(described(), { context, allowDirty: false }, { runner: fake, clients: fakeClients({ ecr }) as never, fetchJson: fetchConfig() });
    expect(record).toMatchObject({ digest: DIGEST, tag: "0a1b2c3d4e5f", imageUri: `${REPO}@${DIGEST}`, reused: false });
    const login = fake.calls.find((c) => c.args[0] === "login")!;
    expect(login.args).toEqual(["login", "--username", "AWS", "--password-stdin", "123456789012.dkr.ecr.us-west-2.amazonaws.com"]);
    expect(login.options.input).toBe("s3cret-password");
    expect(fake.commandLines().join("\n")).not.toContain("s3cret-password");
    expect(ecr.sent.map((s) => s.command)).toEqual([
      "DescribeRepositoriesCommand", "DescribeImagesCommand", "GetAuthorizationTokenCommand", "BatchGetImageCommand", "GetDownloadUrlForLayerCommand",
    ]);
  });

  it("rejects an amd64 image found in the registry", async () => {
    await expect(buildImage(described(), { context, allowDirty: false }, { runner: runner(), clients: fakeClients({ ecr: registry() }) as never, fetchJson: fetchConfig("amd64") })).rejects.toThrow(
      `pushed image ${DIGEST} is linux/amd64; AgentCore Runtime runs linux/arm64 only`,
    );
  });

  it("rejects a multi-platform index", async () => {
    const ecr = registry({ mediaType: "application/vnd.oci.image.index.v1+json", manifest: { manifests: [{ platform: { architecture: "amd64" } }, { platform: { architecture: "arm64" } }] } });
    await expect(buildImage(described(), { context, allowDirty: false }, { runner: runner(), clients: fakeClients({ ecr }) as never, fetchJson: fetchConfig() })).rejects.toThrow(
      "is a multi-platform index (amd64, arm64), not a single arm64 manifest",
    );
  });

  it("refuses uncommitted changes in the context unless --allow-dirty, which marks the tag", async () => {
    await expect(buildImage(described(), { context, allowDirty: false }, { runner: runner(true), clients: fakeClients({ ecr: registry() }) as never, fetchJson: fetchConfig() })).rejects.toThrow(
      "has uncommitted changes",
    );
    const record = await buildImage(described(), { context, allowDirty: true }, {
      runner: runner(true),
      clients: fakeClients({ ecr: registry() }) as never,
      fetchJson: fetchConfig(),
      now: () => new Date("2026-11-20T10:15:30Z"),
    });
    expect(record.tag).toBe("0a1b2c3d4e5f-dirty-20261120101530");
  });

  it("reuses a tag already in the repository instead of rebuilding (tags are immutable)", async () => {
    const fake = runner();
    const record = await buildImage(described(), { context, allowDirty: false }, { runner: fake, clients: fakeClients({ ecr: registry({ existingTag: true }) }) as never, fetchJson: fetchConfig() });
    expect(record).toMatchObject({ digest: DIGEST, reused: true });
    expect(fake.commandLines().some((l) => l.startsWith("docker"))).toBe(false);
  });

  it("explains a missing repository, and a context without a Dockerfile, before building anything", async () => {
    const fake = runner();
    await expect(buildImage(described(), { context, allowDirty: false }, { runner: fake, clients: fakeClients({ ecr: registry({ repositoryMissing: true }) }) as never, fetchJson: fetchConfig() })).rejects.toThrow(
      "ECR repository test-agent does not exist yet",
    );
    await expect(buildImage(described(), { context: join(context, "nope"), allowDirty: false }, { runner: fake, clients: fakeClients() as never, fetchJson: fetchConfig() })).rejects.toThrow("has no Dockerfile");
    expect(fake.commandLines().some((l) => l.startsWith("docker"))).toBe(false);
  });

  it("fails with the end of buildx's output when the build fails", async () => {
    const failing = new FakeRunner()
      .on("git rev-parse", { stdout: "0a1b2c3d4e5f" })
      .on("git status", { stdout: "" })
      .on("docker login", {})
      .on("docker buildx build", { exitCode: 1, stderr: "#8 ERROR: failed to solve: exit code: 1" });
    await expect(buildImage(described(), { context, allowDirty: false }, { runner: failing, clients: fakeClients({ ecr: registry() }) as never, fetchJson: fetchConfig() })).rejects.toThrow(
      /docker buildx build --platform exited with status 1: #8 ERROR: failed to solve/,
    );
  });
});
