/**
 * Builds the agent image for linux/arm64 with docker buildx, pushes it to the environment's repository,
 * and proves from the registry that what was pushed is a single-platform arm64 image before reporting it.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
} from "@aws-sdk/client-ecr";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { resourceNamesOf, type EnvironmentDescription } from "../../modules/environment/description.ts";
import type { ImageRecord } from "../../lib/image-records.ts";
import { BUILD_CACHE_TAG } from "../../modules/registry/registry.ts";
import { errorName, type AwsClients } from "./aws.ts";
import { EXIT, ScriptError } from "./cli.ts";
import { commandLine, packageRoot, packageVersion } from "../../lib/invocation.ts";
import { runChecked, type ProcessRunner } from "./runner.ts";

export const PLATFORM = "linux/arm64";

export interface BuildImageOptions {
  /** Docker build context. @default "agent" */
  readonly context: string;
  /** Image tag. @default the git commit of the context */
  readonly tag?: string;
  /** What the image's revision label says it was built from. @default the git commit (of HEAD when `tag` is given) */
  readonly commit?: string;
  /** Build even with uncommitted changes in the context (the tag says so). */
  readonly allowDirty: boolean;
}

export interface BuildImageDeps {
  readonly runner: ProcessRunner;
  readonly clients: AwsClients;
  /** Downloads the image config blob from the registry's pre-signed URL. */
  readonly fetchJson: (url: string) => Promise<unknown>;
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
}

const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];
const INDEX_TYPES = new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);

/**
 * The build context when none is given: the project's own agent/ (this repository's reference agent in a
 * checkout), else the reference agent the package ships, tagged with the package's version (it is no commit of
 * the project, and an immutable tag built once per version is then reused).
 */
export function defaultContext(dir: string = process.cwd()): { context: string; reference?: { tag: string; commit: string } } {
  if (existsSync(join(dir, "agent", "Dockerfile"))) return { context: "agent" };
  const version = packageVersion();
  return { context: join(packageRoot(), "agent"), reference: { tag: `reference-agent-${version}`, commit: `agentcore-s3files-infra@${version}` } };
}

export function checkContext(context: string): void {
  // docker reads a leading "-" as an option, whatever position the word has.
  if (context.startsWith("-")) {
    throw new ScriptError(`--context "${context}" starts with "-", so docker would read it as an option`, EXIT.usage, `name the directory with a path, e.g. --context ./${context}`);
  }
  if (!existsSync(join(context, "Dockerfile"))) {
    throw new ScriptError(`build context "${context}" has no Dockerfile`, EXIT.usage, "pass --context <dir> with a Dockerfile (the reference agent lives in agent/)");
  }
}

/**
 * A tag given with --tag: the Docker reference grammar's tag, [\w][\w.-]{0,127} (distribution/reference,
 * used by docker and every registry client; ECR's ImageTag allows up to 300 characters, so Docker's limit is
 * the binding one), and never the build cache's tag: the repository lets only that tag move
 * (IMMUTABLE_WITH_EXCLUSION), so an image pushed there would be overwritten by the next build's cache.
 */
export function checkTag(tag: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new ScriptError(
      `--tag "${tag}" is not an image tag: a tag is 1 to 128 letters, digits, _ . and -, and does not start with . or -`,
      EXIT.usage,
      "use e.g. --tag v1.2.0, or omit --tag to tag with the git commit",
    );
  }
  if (tag === BUILD_CACHE_TAG) {
    throw new ScriptError(`--tag "${tag}" is the registry build cache's tag, the one tag the next build overwrites`, EXIT.usage, "choose another tag, e.g. a version or the git commit");
  }
}

/** The tag: the commit of the context, refusing uncommitted changes unless allowed (then marked dirty). */
export async function gitTag(runner: ProcessRunner, context: string, allowDirty: boolean, now: Date): Promise<{ tag: string; commit: string }> {
  const head = await runner.run("git", ["rev-parse", "--short=12", "HEAD"]);
  if (head.exitCode !== 0) throw new ScriptError("cannot read the git commit to tag the image", undefined, "run inside the repository, or pass --tag <tag>");
  const commit = head.stdout.trim();
  const status = await runChecked(runner, "git", ["status", "--porcelain", "--", context]);
  if (status.stdout.trim() === "") return { tag: commit, commit };
  if (!allowDirty) {
    throw new ScriptError(
      `${context}/ has uncommitted changes, so commit ${commit} would not describe the image`,
      undefined,
      "commit the changes, or pass --allow-dirty (the tag then says -dirty-<time>)",
    );
  }
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "");
  return { tag: `${commit}-dirty-${stamp}`, commit };
}

export function buildxArgs(props: { repositoryUri: string; tag: string; context: string; metadataFile: string; commit: string }): string[] {
  const cache = `${props.repositoryUri}:${BUILD_CACHE_TAG}`;
  return [
    "buildx",
    "build",
    "--platform",
    PLATFORM,
    // No provenance or SBOM attestations: they turn the push into an index, and AgentCore wants one manifest.
    "--provenance=false",
    "--sbom=false",
    "--tag",
    `${props.repositoryUri}:${props.tag}`,
    "--push",
    "--cache-from",
    `type=registry,ref=${cache}`,
    "--cache-to",
    `type=registry,ref=${cache},mode=max,image-manifest=true,oci-mediatypes=true`,
    "--label",
    `org.opencontainers.image.revision=${props.commit}`,
    "--metadata-file",
    props.metadataFile,
    props.context,
  ];
}

async function repositoryUri(clients: AwsClients, repositoryName: string, environment: string): Promise<string> {
  try {
    const result = (await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }))) as {
      repositories?: { repositoryUri?: string }[];
    };
    return result.repositories![0]!.repositoryUri!;
  } catch (error) {
    if (errorName(error) === "RepositoryNotFoundException") {
      throw new ScriptError(`ECR repository ${repositoryName} does not exist yet`, undefined, `deploy the registry first: ${commandLine("deploy", `--env ${environment}`)} (or npx cdktn deploy ${environment}-registry)`);
    }
    throw error;
  }
}

async function existingDigest(clients: AwsClients, repositoryName: string, tag: string): Promise<string | undefined> {
  try {
    const result = (await clients.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }))) as { imageDetails?: { imageDigest?: string }[] };
    return result.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (errorName(error) === "ImageNotFoundException") return undefined;
    throw error;
  }
}

async function dockerLogin(runner: ProcessRunner, clients: AwsClients, registry: string): Promise<void> {
  const token = (await clients.ecr.send(new GetAuthorizationTokenCommand({}))) as { authorizationData?: { authorizationToken?: string }[] };
  const [user, password] = Buffer.from(token.authorizationData![0]!.authorizationToken!, "base64").toString().split(":");
  // The password goes through standard input, never argv (argv is visible to every process on the host).
  await runChecked(runner, "docker", ["login", "--username", user!, "--password-stdin", registry], { input: password! });
}

/** Reads the pushed manifest and config from ECR and refuses anything but one linux/arm64 image. */
export async function verifyArm64(clients: Pick<AwsClients, "ecr">, fetchJson: BuildImageDeps["fetchJson"], repositoryName: string, digest: string): Promise<void> {
  const result = (await clients.ecr.send(
    new BatchGetImageCommand({ repositoryName, imageIds: [{ imageDigest: digest }], acceptedMediaTypes: MANIFEST_TYPES }),
  )) as { images?: { imageManifest?: string; imageManifestMediaType?: string }[] };
  const image = result.images?.[0];
  if (!image?.imageManifest) throw new ScriptError(`the registry has no image ${digest} in ${repositoryName} after the push`);
  const manifest = JSON.parse(image.imageManifest) as { mediaType?: string; manifests?: { platform?: { architecture?: string } }[]; config?: { digest?: string } };
  const mediaType = image.imageManifestMediaType ?? manifest.mediaType ?? "";
  if (INDEX_TYPES.has(mediaType) || manifest.manifests !== undefined) {
    const platforms = (manifest.manifests ?? []).map((m) => m.platform?.architecture ?? "unknown").join(", ");
    throw new ScriptError(`pushed image ${digest} is a multi-platform index (${platforms}), not a single arm64 manifest`, undefined, "build with --platform linux/arm64 --provenance=false (build-image does); AgentCore rejects indexes on some paths");
  }
  const url = (await clients.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName, layerDigest: manifest.config!.digest! }))) as { downloadUrl?: string };
  const config = (await fetchJson(url.downloadUrl!)) as { architecture?: string; os?: string };
  if (config.architecture !== "arm64" || config.os !== "linux") {
    throw new ScriptError(
      `pushed image ${digest} is ${config.os}/${config.architecture}; AgentCore Runtime runs linux/arm64 only`,
      undefined,
      `check that the builder supports linux/arm64 (${commandLine("preflight")}) and that the Dockerfile does not pin another platform`,
    );
  }
}

export async function buildImage(environment: EnvironmentDescription, options: BuildImageOptions, deps: BuildImageDeps): Promise<ImageRecord & { reused: boolean }> {
  const log = deps.log ?? (() => {});
  const now = deps.now?.() ?? new Date();
  checkContext(options.context);
  if (options.tag !== undefined) checkTag(options.tag);
  const git =
    options.tag !== undefined
      ? { tag: options.tag, commit: options.commit ?? ((await deps.runner.run("git", ["rev-parse", "--short=12", "HEAD"])).stdout.trim() || "unknown") }
      : await gitTag(deps.runner, options.context, options.allowDirty, now);
  const identity = (await deps.clients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string };
  const repositoryName = resourceNamesOf(environment, identity.Account!).repository;
  const uri = await repositoryUri(deps.clients, repositoryName, environment.name);
  const record = (digest: string, reused: boolean) => ({
    environment: environment.name,
    repositoryUri: uri,
    tag: git.tag,
    digest,
    imageUri: `${uri}@${digest}`,
    gitCommit: git.commit,
    builtAt: now.toISOString(),
    reused,
  });

  // Tags are immutable: if this commit was built and pushed before, that image is the answer.
  const existing = await existingDigest(deps.clients, repositoryName, git.tag);
  if (existing !== undefined) {
    log(`${uri}:${git.tag} already exists (${existing}); verifying it instead of rebuilding`);
    await verifyArm64(deps.clients, deps.fetchJson, repositoryName, existing);
    return record(existing, true);
  }

  log(`logging in to ${uri.split("/")[0]}`);
  await dockerLogin(deps.runner, deps.clients, uri.split("/")[0]!);
  const metadataFile = join(await mkdtemp(join(tmpdir(), "build-image-")), "metadata.json");
  log(`building ${PLATFORM} image ${uri}:${git.tag} from ${options.context}/`);
  await runChecked(deps.runner, "docker", buildxArgs({ repositoryUri: uri, tag: git.tag, context: options.context, metadataFile, commit: git.commit }), {
    onLine: (line) => log(`  ${line}`),
  });
  const metadata = JSON.parse(await readFile(metadataFile, "utf8")) as { "containerimage.digest"?: string };
  const digest = metadata["containerimage.digest"];
  if (!digest) throw new ScriptError("buildx reported no image digest in its metadata file");
  log(`verifying ${digest} in the registry`);
  await verifyArm64(deps.clients, deps.fetchJson, repositoryName, digest);
  return record(digest, false);
}
