/**
 * `deploy --env <target> --image-from <source>`: promote the exact image another environment runs instead of
 * rebuilding it. The manifest is copied by digest into the target's repository with the ECR API alone, across
 * accounts and Regions where the two environments differ (each side with its own credentials):
 *
 *   source  BatchGetImage (by digest)            the manifest bytes and media type; its digest is checked (sha256)
 *   target  BatchCheckLayerAvailability          which blobs (config and layers) the target already has
 *   source  GetDownloadUrlForLayer, then GET     each missing blob (a pre-signed URL)
 *   target  InitiateLayerUpload, UploadLayerPart (partFirstByte..partLastByte, in parts of at most partSize),
 *           CompleteLayerUpload                  each missing blob, its digest checked by ECR (InvalidLayerException)
 *   target  PutImage (the manifest bytes unchanged, with imageDigest)   ImageAlreadyExistsException: already there
 *   target  BatchGetImage + the config blob      the same digest, linux/arm64 (verifyArm64), before the agent uses it
 *
 * Operations and members from shared/aws-models/ecr.json. A multi-platform index is refused (build-image pushes
 * one linux/arm64 manifest; AgentCore runs that).
 */
import { createHash } from "node:crypto";
import {
  BatchCheckLayerAvailabilityCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from "@aws-sdk/client-ecr";
import type { ImageRecord } from "../../lib/image-records.ts";
import { errorName, type SendsCommands } from "./aws.ts";
import { verifyArm64 } from "./build-image.ts";
import { ScriptError } from "./cli.ts";

const MANIFEST_TYPES = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];
const INDEX_TYPES = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];
/** Parts of at most 20 MiB when ECR states no partSize (UploadLayerPart accepts any size up to its limits). */
const DEFAULT_PART = 20 * 1024 * 1024;

export interface RegistrySide {
  readonly ecr: SendsCommands;
  readonly repositoryName: string;
  /** What to call it in messages: "<env> (<account>/<region>)". */
  readonly label: string;
}

export interface PromoteDeps {
  readonly fetchBytes: (url: string) => Promise<Buffer>;
  readonly fetchJson: (url: string) => Promise<unknown>;
  readonly log?: (line: string) => void;
}

export const sha256 = (bytes: Buffer | string) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** Copies `digest` from `source` into `target` (a no-op when it is already there) and verifies it there. */
export async function promoteImage(source: RegistrySide, target: RegistrySide, digest: string, deps: PromoteDeps, environment: string): Promise<ImageRecord & { reused: boolean }> {
  const log = deps.log ?? (() => {});
  const got = (await source.ecr.send(new BatchGetImageCommand({ repositoryName: source.repositoryName, imageIds: [{ imageDigest: digest }], acceptedMediaTypes: [...MANIFEST_TYPES, ...INDEX_TYPES] }))) as {
    images?: { imageManifest?: string; imageManifestMediaType?: string }[];
    failures?: { failureCode?: string; failureReason?: string }[];
  };
  const image = got.images?.[0];
  if (image?.imageManifest === undefined) {
    const failure = got.failures?.[0];
    throw new ScriptError(`${source.label} has no image ${digest} in ${source.repositoryName}${failure ? ` (${failure.failureCode}: ${failure.failureReason})` : ""}`);
  }
  const manifestText = image.imageManifest;
  if (sha256(Buffer.from(manifestText, "utf8")) !== digest) throw new ScriptError(`the manifest ${source.label} returned for ${digest} does not hash to that digest; nothing was copied`);
  const manifest = JSON.parse(manifestText) as { mediaType?: string; manifests?: unknown[]; config?: { digest: string; size?: number }; layers?: { digest: string; size?: number }[] };
  const mediaType = image.imageManifestMediaType ?? manifest.mediaType ?? MANIFEST_TYPES[0]!;
  if (INDEX_TYPES.includes(mediaType) || manifest.manifests !== undefined) {
    throw new ScriptError(`${digest} in ${source.label} is a multi-platform index, not one linux/arm64 image; promote the arm64 manifest's digest instead`);
  }
  const blobs = [manifest.config!.digest, ...(manifest.layers ?? []).map((l) => l.digest)];
  // linux/arm64 before anything is copied: the config blob says (OCI image config: architecture, os).
  const configUrl = (await source.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: source.repositoryName, layerDigest: manifest.config!.digest }))) as { downloadUrl?: string };
  const config = (await deps.fetchJson(configUrl.downloadUrl!)) as { architecture?: string; os?: string };
  if (config.architecture !== "arm64" || config.os !== "linux") {
    throw new ScriptError(`${digest} in ${source.label} is ${config.os}/${config.architecture}; AgentCore Runtime runs linux/arm64 only, so it is not promoted`);
  }

  const checked = (await target.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: target.repositoryName, layerDigests: blobs }))) as { layers?: { layerDigest?: string; layerAvailability?: string }[] };
  const available = new Set((checked.layers ?? []).filter((l) => l.layerAvailability === "AVAILABLE").map((l) => l.layerDigest));
  for (const blob of blobs.filter((b) => !available.has(b))) {
    const url = (await source.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: source.repositoryName, layerDigest: blob }))) as { downloadUrl?: string };
    const bytes = await deps.fetchBytes(url.downloadUrl!);
    if (sha256(bytes) !== blob) throw new ScriptError(`the blob ${blob} downloaded from ${source.label} does not hash to its digest; nothing was pushed`);
    await uploadBlob(target, blob, bytes);
    log(`copied ${blob.slice(0, 19)}… (${bytes.length} bytes) to ${target.label}`);
  }
  if (available.size > 0) log(`${available.size} of ${blobs.length} blobs already in ${target.label}`);

  const tag = await sourceTag(source, digest);
  let reused = false;
  try {
    await target.ecr.send(new PutImageCommand({ repositoryName: target.repositoryName, imageManifest: manifestText, imageManifestMediaType: mediaType, imageDigest: digest, ...(tag !== undefined && { imageTag: tag }) }));
  } catch (error) {
    // The same digest (and tag) already there: it was promoted before. A tag taken by another digest is a refusal (immutable tags).
    if (errorName(error) !== "ImageAlreadyExistsException") throw error;
    reused = true;
  }
  await verifyArm64({ ecr: target.ecr }, deps.fetchJson, target.repositoryName, digest);
  const uri = await repositoryUri(target);
  log(`${reused ? "already in" : "promoted to"} ${target.label}: ${uri}@${digest} (linux/arm64 verified)`);
  return { environment, repositoryUri: uri, tag: tag ?? "(untagged)", digest, imageUri: `${uri}@${digest}`, gitCommit: tag ?? "unknown", builtAt: new Date().toISOString(), reused };
}

/** InitiateLayerUpload, the parts in order, CompleteLayerUpload (LayerAlreadyExistsException: someone pushed it meanwhile). */
async function uploadBlob(target: RegistrySide, digest: string, bytes: Buffer): Promise<void> {
  const started = (await target.ecr.send(new InitiateLayerUploadCommand({ repositoryName: target.repositoryName }))) as { uploadId?: string; partSize?: number };
  const part = started.partSize !== undefined && started.partSize > 0 ? started.partSize : DEFAULT_PART;
  for (let first = 0; first < bytes.length; first += part) {
    const last = Math.min(first + part, bytes.length) - 1;
    await target.ecr.send(new UploadLayerPartCommand({ repositoryName: target.repositoryName, uploadId: started.uploadId!, partFirstByte: first, partLastByte: last, layerPartBlob: bytes.subarray(first, last + 1) }));
  }
  try {
    await target.ecr.send(new CompleteLayerUploadCommand({ repositoryName: target.repositoryName, uploadId: started.uploadId!, layerDigests: [digest] }));
  } catch (error) {
    if (errorName(error) !== "LayerAlreadyExistsException") throw error;
  }
}

/** The source image's tag (the git commit build-image tagged it with), so the target's immutable tag says the same. */
async function sourceTag(source: RegistrySide, digest: string): Promise<string | undefined> {
  const described = (await source.ecr.send(new DescribeImagesCommand({ repositoryName: source.repositoryName, imageIds: [{ imageDigest: digest }] }))) as { imageDetails?: { imageTags?: string[] }[] };
  return described.imageDetails?.[0]?.imageTags?.find((t) => t !== "buildcache");
}

async function repositoryUri(side: RegistrySide): Promise<string> {
  const result = (await side.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [side.repositoryName] }))) as { repositories?: { repositoryUri?: string }[] };
  return result.repositories![0]!.repositoryUri!;
}

/**
 * What `deploy --image-from <source>` runs as its image step: the digest the source environment runs (its agent
 * stack's state, else its runtime in the account: deployed-image.ts), each side with its own credentials and
 * Region (the source's deployRoleArn when it names one), then promoteImage.
 */
export async function promoteDeployedImage(
  source: import("../../modules/environment/description.ts").EnvironmentDescription,
  target: import("../../modules/environment/description.ts").EnvironmentDescription,
  targetClients: { readonly ecr: SendsCommands; readonly sts: SendsCommands },
  options: { readonly outdir: string; readonly log: (line: string) => void },
): Promise<ImageRecord & { reused: boolean }> {
  const { environmentAccess } = await import("./credentials.ts");
  const { deployedImage } = await import("./deployed-image.ts");
  const { resourceNamesOf } = await import("../../modules/environment/description.ts");
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const { clients: sourceClients, stateBucket } = environmentAccess(source);
  const sourceAccount = ((await sourceClients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string }).Account!;
  const targetAccount = ((await targetClients.sts.send(new GetCallerIdentityCommand({}))) as { Account?: string }).Account!;
  const deployed = await deployedImage(source, {
    outdir: options.outdir,
    stateBucket,
    agentcoreControl: sourceClients.agentcoreControl,
    runtimeName: resourceNamesOf(source, sourceAccount).runtime,
  });
  if (deployed === undefined) {
    throw new ScriptError(`${source.name} runs no image to promote: its agent stack's state has no container_uri output, and the account has no runtime ${resourceNamesOf(source, sourceAccount).runtime}`, undefined, `deploy ${source.name} first, or build this environment's own image (deploy without --image-from)`);
  }
  options.log(`promoting ${deployed.digest} from ${source.name} (${deployed.source})`);
  // GetDownloadUrlForLayer's URLs are pre-signed and expire: a refused download is said as such, not read as a layer.
  const download = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new ScriptError(`downloading a layer from ${source.name}'s repository answered HTTP ${response.status}`, undefined, "run the deploy again (the download URLs ECR gives expire); if it persists, check network access to the registry's storage");
    return response;
  };
  const fetchBytes = async (url: string) => Buffer.from(await (await download(url)).arrayBuffer());
  const fetchJson = async (url: string) => (await download(url)).json();
  return promoteImage(
    { ecr: sourceClients.ecr, repositoryName: resourceNamesOf(source, sourceAccount).repository, label: `${source.name} (${sourceAccount}/${source.region})` },
    { ecr: targetClients.ecr, repositoryName: resourceNamesOf(target, targetAccount).repository, label: `${target.name} (${targetAccount}/${target.region})` },
    deployed.digest,
    { fetchBytes, fetchJson, log: options.log },
    target.name,
  );
}
