/**
 * JSON 1.1 services (X-Amz-Target requests): ECR, Resource Groups Tagging API, KMS, CloudWatch Logs,
 * EventBridge, CloudTrail. Response shapes and error codes from each service's model
 * (shared/aws-models/<svc>.json) and API reference.
 */
import { createHash } from "node:crypto";
import { AwsError } from "../errors.ts";
import { specOf } from "../provider.ts";
import { json11, type AwsRequest, type HttpAnswer } from "../protocols.ts";
import type { FakeAwsWorld, Resource } from "../world.ts";

const epochSeconds = (ms: number) => ms / 1000;

function repository(world: FakeAwsWorld, region: string, name: string): Resource {
  const repo = world.all("aws_ecr_repository", region).find((r) => r.id === name);
  if (!repo) throw new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${world.account}'`);
  return repo;
}

function ecr(world: FakeAwsWorld, request: AwsRequest): unknown {
  const input = request.json!;
  const op = request.operation!;
  switch (op) {
    case "DescribeRepositories": {
      const names = (input.repositoryNames as string[] | undefined) ?? world.all("aws_ecr_repository", request.region).map((r) => r.id);
      return {
        repositories: names.map((n) => {
          const r = repository(world, request.region, n);
          return { repositoryName: r.id, repositoryArn: r.arn, registryId: world.account, repositoryUri: `${world.account}.dkr.ecr.${request.region}.amazonaws.com/${r.id}`, imageTagMutability: r.attributes.image_tag_mutability ?? "IMMUTABLE" };
        }),
      };
    }
    case "ListImages": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const ids = [...world.images.get(repo.id)!.entries()].flatMap(([digest, image]) => (image.tags.length > 0 ? image.tags.map((tag) => ({ imageDigest: digest, imageTag: tag })) : [{ imageDigest: digest }]));
      const max = Number(input.maxResults ?? 100);
      const start = Number(input.nextToken ?? 0);
      return { imageIds: ids.slice(start, start + max), ...(start + max < ids.length && { nextToken: String(start + max) }) };
    }
    case "DescribeImages": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const images = world.images.get(repo.id)!;
      const wanted = (input.imageIds as { imageTag?: string; imageDigest?: string }[] | undefined) ?? [];
      const found = [...images.entries()].filter(([digest, image]) => wanted.length === 0 || wanted.some((w) => w.imageDigest === digest || (w.imageTag !== undefined && image.tags.includes(w.imageTag))));
      if (wanted.length > 0 && found.length === 0) throw new AwsError("ImageNotFoundException", `The image with imageId {imageDigest:'null', imageTag:'${wanted[0]?.imageTag}'} does not exist within the repository with name '${repo.id}' in the registry with id '${world.account}'`);
      return { imageDetails: found.map(([digest, image]) => ({ registryId: world.account, repositoryName: repo.id, imageDigest: digest, imageTags: image.tags, imageManifestMediaType: image.mediaType })) };
    }
    case "BatchDeleteImage": {
      // Answers 200 with `failures` for what it could not delete (ECR API reference, BatchDeleteImage).
      const repo = repository(world, request.region, String(input.repositoryName));
      const images = world.images.get(repo.id)!;
      const deleted: unknown[] = [];
      const failures: unknown[] = [];
      for (const id of input.imageIds as { imageDigest?: string; imageTag?: string }[]) {
        const digest = id.imageDigest ?? [...images.entries()].find(([, i]) => i.tags.includes(id.imageTag ?? ""))?.[0];
        const refused = digest ? world.refusedImageDeletions.get(digest) : undefined;
        if (!digest || !images.has(digest)) failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
        else if (refused) failures.push({ imageId: id, failureCode: refused.code, failureReason: refused.reason });
        else {
          images.delete(digest);
          deleted.push({ imageDigest: digest });
          world.changes.push(`BatchDeleteImage ${digest}`);
        }
      }
      return { imageIds: deleted, failures };
    }
    case "GetAuthorizationToken":
      return { authorizationData: [{ authorizationToken: Buffer.from("AWS:fake-ecr-password").toString("base64"), expiresAt: epochSeconds(world.now() + 12 * 3600_000), proxyEndpoint: `https://${world.account}.dkr.ecr.${request.region}.amazonaws.com` }] };
    case "BatchGetImage": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const images = world.images.get(repo.id)!;
      const results = (input.imageIds as { imageDigest?: string; imageTag?: string }[]).map((id) => ({ id, image: images.get(id.imageDigest ?? "") }));
      return {
        images: results.filter((r) => r.image).map((r) => ({ registryId: world.account, repositoryName: repo.id, imageId: r.id, imageManifest: r.image!.manifest, imageManifestMediaType: r.image!.mediaType })),
        failures: results.filter((r) => !r.image).map((r) => ({ imageId: r.id, failureCode: "ImageNotFound", failureReason: "Requested image not found" })),
      };
    }
    case "GetDownloadUrlForLayer": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const digest = String(input.layerDigest);
      return { downloadUrl: `${request.headers.host ? `http://${request.headers.host}` : ""}/__blobs/${repo.id}/${digest}`, layerDigest: digest };
    }
    default:
      throw new AwsError("UnknownOperationException", `ECR ${op} is not modelled by the fake world`);
  }
}

/** Tagged resources as the Resource Groups Tagging API indexes them: live ones, deleted ones for `indexLagMs`, KMS keys pending deletion. */
function indexed(world: FakeAwsWorld, region: string): { arn: string; tags: Record<string, string> }[] {
  const live = [...world.resources.values()].filter((r) => r.region === region && r.arn && specOf(r.type).indexed && (r.type !== "default_security_group" || Object.keys(r.tags).length > 0));
  const lagging = world.gone.filter((g) => g.resource.region === region && g.resource.arn && specOf(g.resource.type).indexed && world.now() - g.at < world.options.indexLagMs).map((g) => g.resource);
  return [...live, ...lagging].filter((r) => Object.keys(r.tags).length > 0).map((r) => ({ arn: r.arn!, tags: r.tags }));
}

function tagging(world: FakeAwsWorld, request: AwsRequest): unknown {
  const input = request.json!;
  if (request.operation !== "GetResources") throw new AwsError("UnknownOperationException", `${request.operation} is not modelled`);
  const filters = (input.TagFilters as { Key: string; Values?: string[] }[] | undefined) ?? [];
  const matching = indexed(world, request.region).filter((r) => filters.every((f) => f.Key in r.tags && (!f.Values || f.Values.length === 0 || f.Values.includes(r.tags[f.Key]!))));
  // ResourcesPerPage: 1-100, default 50; an empty PaginationToken means the last page (API reference, GetResources).
  const size = Number(input.ResourcesPerPage ?? 50);
  const start = input.PaginationToken ? Number(Buffer.from(String(input.PaginationToken), "base64").toString()) : 0;
  const slice = matching.slice(start, start + size);
  return {
    ResourceTagMappingList: slice.map((r) => ({ ResourceARN: r.arn, Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) })),
    PaginationToken: start + size < matching.length ? Buffer.from(String(start + size)).toString("base64") : "",
  };
}

function kms(world: FakeAwsWorld, request: AwsRequest): unknown {
  const input = request.json!;
  if (request.operation !== "DescribeKey") throw new AwsError("UnsupportedOperationException", `${request.operation} is not modelled`);
  const keyId = String(input.KeyId);
  const id = keyId.split("/").pop()!;
  const key = world.find("aws_kms_key", id);
  if (!key) throw new AwsError("NotFoundException", `Key '${keyId}' does not exist`);
  return {
    KeyMetadata: {
      AWSAccountId: world.account,
      KeyId: key.id,
      Arn: key.arn,
      Enabled: key.status === "available",
      KeyState: key.status === "pending-deletion" ? "PendingDeletion" : "Enabled",
      ...(key.goneAt !== undefined && key.status === "pending-deletion" && { DeletionDate: epochSeconds(key.goneAt) }),
      KeyManager: "CUSTOMER",
      KeyUsage: "ENCRYPT_DECRYPT",
      Description: key.attributes.description ?? "",
      CreationDate: epochSeconds(world.now()),
    },
  };
}

function logs(world: FakeAwsWorld, request: AwsRequest): unknown {
  const input = request.json!;
  // Vended-log delivery: GetDelivery {id}, GetDeliverySource {name}, GetDeliveryDestination {name}; each answers
  // ResourceNotFoundException when absent (logs model: the operations' errors; the exception has no members but message).
  const delivery = { GetDelivery: ["aws_cloudwatch_log_delivery", "id", "delivery"], GetDeliverySource: ["aws_cloudwatch_log_delivery_source", "name", "deliverySource"], GetDeliveryDestination: ["aws_cloudwatch_log_delivery_destination", "name", "deliveryDestination"] } as const;
  if ((request.operation ?? "") in delivery) {
    const [type, key, member] = delivery[request.operation as keyof typeof delivery];
    const found = world.all(type, request.region).find((r) => r.id === String(input[key]));
    if (!found) throw new AwsError("ResourceNotFoundException", `${member === "delivery" ? "Delivery" : member === "deliverySource" ? "Delivery source" : "Delivery destination"} ${String(input[key])} does not exist`);
    return { [member]: { ...(key === "id" ? { id: found.id } : { name: found.id }), arn: found.arn, tags: found.tags } };
  }
  if (request.operation !== "DescribeLogGroups") throw new AwsError("InvalidOperationException", `${request.operation} is not modelled`);
  const prefix = String(input.logGroupNamePrefix ?? "");
  const groups = world.all("aws_cloudwatch_log_group", request.region).filter((g) => g.id.startsWith(prefix));
  return { logGroups: groups.map((g) => ({ logGroupName: g.id, arn: `${g.arn}:*`, logGroupArn: g.arn, creationTime: world.now(), retentionInDays: g.attributes.retention_in_days })) };
}

function events(world: FakeAwsWorld, request: AwsRequest): unknown {
  const input = request.json!;
  if (request.operation !== "DescribeRule") throw new AwsError("InvalidOperationException", `${request.operation} is not modelled`);
  const name = String(input.Name);
  const rule = world.all("aws_cloudwatch_event_rule", request.region).find((r) => r.id === name);
  if (!rule) throw new AwsError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${String(input.EventBusName ?? "default")}.`);
  return { Name: rule.id, Arn: rule.arn, State: "ENABLED", EventBusName: "default", EventPattern: rule.attributes.event_pattern };
}

function cloudtrail(world: FakeAwsWorld, request: AwsRequest): unknown {
  const input = request.json!;
  if (request.operation !== "GetTrail") throw new AwsError("InvalidOperationException", `${request.operation} is not modelled`);
  const name = String(input.Name);
  const trail = world.all("aws_cloudtrail", request.region).find((t) => t.id === name || t.arn === name);
  if (!trail) throw new AwsError("TrailNotFoundException", `Unknown trail: ${name} for the user: ${world.account}`);
  return { Trail: { Name: trail.id, TrailARN: trail.arn, S3BucketName: trail.attributes.s3_bucket_name, HomeRegion: request.region, IsMultiRegionTrail: Boolean(trail.attributes.is_multi_region_trail) } };
}

const HANDLERS: Record<string, (world: FakeAwsWorld, request: AwsRequest) => unknown> = { ecr, tagging, kms, logs, events, cloudtrail };

export function handleJson(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const handler = HANDLERS[request.service];
  if (!handler) throw new AwsError("UnknownService", `the fake world does not speak ${request.service}`);
  world.call(request.service, request.operation!);
  return json11.answer(handler(world, request));
}

/** sha256 digest of a text, as registries name blobs. */
export function digestOf(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
