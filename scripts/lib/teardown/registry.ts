/**
 * Step: the registry. The repository goes only when it has no images or the user confirmed deleting them
 * (--delete-images). BatchDeleteImage answers 200 even when it deletes nothing: what it could not delete is
 * in `failures` (ECR API reference, BatchDeleteImage), which this step checks; an image already gone
 * (ImageNotFound: deleted between the list and the call) is not a failure.
 */
import { BatchDeleteImageCommand, paginateListImages, type ImageIdentifier } from "@aws-sdk/client-ecr";
import { errorName } from "../aws.ts";
import type { StepOutcome } from "../steps.ts";
import { destroyStack, plural, type TeardownContext } from "./context.ts";

/** BatchDeleteImage takes at most 100 image ids (ECR API reference). */
const BATCH = 100;

async function listImages(ctx: TeardownContext): Promise<ImageIdentifier[]> {
  const images: ImageIdentifier[] = [];
  try {
    for await (const page of paginateListImages({ client: ctx.deps.clients.ecr }, { repositoryName: ctx.names.repository })) images.push(...(page.imageIds ?? []));
  } catch (error) {
    if (errorName(error) === "RepositoryNotFoundException") return [];
    throw error;
  }
  // A manifest with several tags is listed once per tag; delete each digest once.
  const unique = new Map<string, ImageIdentifier>();
  for (const image of images) unique.set(image.imageDigest ?? `tag:${image.imageTag}`, image);
  return [...unique.values()];
}

async function deleteImages(ctx: TeardownContext, images: readonly ImageIdentifier[]): Promise<void> {
  const refused: string[] = [];
  for (let i = 0; i < images.length; i += BATCH) {
    const batch = images.slice(i, i + BATCH).map((image) => (image.imageDigest ? { imageDigest: image.imageDigest } : { imageTag: image.imageTag! }));
    const result = await ctx.deps.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: ctx.names.repository, imageIds: batch }));
    for (const failure of result.failures ?? []) {
      if (failure.failureCode === "ImageNotFound") continue;
      refused.push(`${failure.imageId?.imageDigest ?? failure.imageId?.imageTag ?? "?"}: ${failure.failureCode}${failure.failureReason ? ` (${failure.failureReason})` : ""}`);
    }
  }
  if (refused.length > 0) throw new Error(`ECR did not delete ${plural(refused.length, "image")} of ${ctx.names.repository}: ${refused.join("; ")}`);
}

export async function tearDownRegistry(ctx: TeardownContext): Promise<StepOutcome> {
  const { deps, environment: env, names, findings, options } = ctx;
  const images = await listImages(ctx);
  if (images.length > 0 && !options.deleteImages) {
    const where = `${deps.accountId}.dkr.ecr.${env.region}.amazonaws.com/${names.repository}`;
    findings.kept.push({ what: `repository ${names.repository} with ${plural(images.length, "image")}`, where, why: "images are deleted only when you confirm: re-run with --delete-images" });
    findings.keptArns.add(`arn:${env.partition}:ecr:${env.region}:${deps.accountId}:repository/${names.repository}`);
    return { detail: `kept: ${plural(images.length, "image")} (pass --delete-images)` };
  }
  if (images.length > 0) {
    await deleteImages(ctx, images);
    deps.log("registry", `deleted ${plural(images.length, "image")} from ${names.repository}`);
  }
  const { hadResources } = await destroyStack(ctx, "registry", "registry");
  if (!hadResources && images.length === 0) return { unchanged: true, detail: "already gone" };
  return { detail: images.length > 0 ? `${plural(images.length, "image")} deleted; repository destroyed` : "repository destroyed" };
}
