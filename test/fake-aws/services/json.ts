/**
 * JSON 1.1 services (X-Amz-Target requests): ECR, Resource Groups Tagging API, KMS, CloudWatch Logs,
 * EventBridge, CloudTrail. Response shapes and error codes from each service's model
 * (shared/aws-models/<svc>.json) and API reference.
 */
import { createHash } from "node:crypto";
import { AwsError } from "../errors.ts";
import { specOf } from "../provider.ts";
import { json11, type AwsRequest, type HttpAnswer } from "../protocols.ts";
import { preflightState, serviceQuotas } from "./preflight.ts";
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
    // Blob upload and PutImage (ECR API reference and ecr model): what `docker push` does, and what promoting an image does.
    case "BatchCheckLayerAvailability": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const blobs = world.blobs.get(repo.id);
      const digests = input.layerDigests as string[];
      const valid = (d: string) => /^sha256:[0-9a-f]{64}$/.test(d);
      return {
        layers: digests.filter(valid).map((d) => ({ layerDigest: d, layerAvailability: blobs?.has(d) ? "AVAILABLE" : "UNAVAILABLE", ...(blobs?.has(d) && { layerSize: blobs.get(d)!.length }) })),
        failures: digests.filter((d) => !valid(d)).map((d) => ({ layerDigest: d, failureCode: "InvalidLayerDigest", failureReason: "Invalid layer digest" })),
      };
    }
    case "InitiateLayerUpload": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const uploadId = world.id("upload", 32);
      world.uploads.set(uploadId, { repository: repo.id, parts: [], received: 0 });
      // partSize: the size of each part ECR asks for (small here, so a blob takes several parts).
      return { uploadId, partSize: 1024 };
    }
    case "UploadLayerPart": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const upload = world.uploads.get(String(input.uploadId));
      if (!upload || upload.repository !== repo.id) throw new AwsError("UploadNotFoundException", `Upload with id '${String(input.uploadId)}' is not found`);
      const part = Buffer.from(String(input.layerPartBlob), "base64");
      const first = Number(input.partFirstByte);
      const last = Number(input.partLastByte);
      if (first !== upload.received || last - first + 1 !== part.length) {
        throw new AwsError("InvalidLayerPartException", `The layer part with byte range ${first}-${last} is not valid; the last valid byte received is ${upload.received - 1}`, 400, { lastValidByteReceived: upload.received - 1, uploadId: input.uploadId, repositoryName: repo.id, registryId: world.account });
      }
      upload.parts.push(part);
      upload.received = last + 1;
      return { registryId: world.account, repositoryName: repo.id, uploadId: input.uploadId, lastByteReceived: last };
    }
    case "CompleteLayerUpload": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const upload = world.uploads.get(String(input.uploadId));
      if (!upload || upload.repository !== repo.id) throw new AwsError("UploadNotFoundException", `Upload with id '${String(input.uploadId)}' is not found`);
      const [digest] = input.layerDigests as string[];
      const bytes = Buffer.concat(upload.parts);
      if (bytes.length === 0) throw new AwsError("EmptyUploadException", "The upload was empty");
      world.uploads.delete(String(input.uploadId));
      const blobs = world.blobs.get(repo.id) ?? new Map<string, Buffer>();
      world.blobs.set(repo.id, blobs);
      if (blobs.has(digest!)) throw new AwsError("LayerAlreadyExistsException", `The layer '${digest}' already exists in the repository with name '${repo.id}'`);
      if (digestOf(bytes) !== digest) throw new AwsError("InvalidLayerException", `The layer digest calculated for the upload ${String(input.uploadId)} does not match the provided digest ${digest}`);
      blobs.set(digest!, bytes);
      world.changes.push(`CompleteLayerUpload ${repo.id} ${digest}`);
      return { registryId: world.account, repositoryName: repo.id, uploadId: input.uploadId, layerDigest: digest };
    }
    case "PutImage": {
      const repo = repository(world, request.region, String(input.repositoryName));
      const images = world.images.get(repo.id)!;
      const manifestText = String(input.imageManifest);
      const digest = digestOf(manifestText);
      if (input.imageDigest !== undefined && input.imageDigest !== digest) throw new AwsError("ImageDigestDoesNotMatchException", `The provided image digest ${String(input.imageDigest)} does not match the calculated digest ${digest}`);
      const manifest = JSON.parse(manifestText) as { config: { digest: string }; layers?: { digest: string }[] };
      const blobs = world.blobs.get(repo.id);
      const missing = [manifest.config.digest, ...(manifest.layers ?? []).map((l) => l.digest)].filter((d) => !blobs?.has(d));
      if (missing.length > 0) throw new AwsError("LayersNotFoundException", `Layers with digests '[${missing.join(", ")}]' required for pushing image into repository with name '${repo.id}' in the registry with id '${world.account}' do not exist`);
      const tag = input.imageTag === undefined ? undefined : String(input.imageTag);
      const existing = images.get(digest);
      if (existing && (tag === undefined || existing.tags.includes(tag))) throw new AwsError("ImageAlreadyExistsException", `Image with digest '${digest}' and tag '${tag ?? "null"}' already exists in the repository with name '${repo.id}' in registry with id '${world.account}'`);
      if (tag !== undefined && [...images.entries()].some(([d, i]) => d !== digest && i.tags.includes(tag))) {
        throw new AwsError("ImageTagAlreadyExistsException", `The image tag '${tag}' already exists in the '${repo.id}' repository and cannot be overwritten because the tag is immutable.`);
      }
      const config = JSON.parse(blobs!.get(manifest.config.digest)!.toString()) as Record<string, unknown>;
      const mediaType = String(input.imageManifestMediaType ?? "application/vnd.oci.image.manifest.v1+json");
      images.set(digest, { tags: [...(existing?.tags ?? []), ...(tag !== undefined ? [tag] : [])], manifest: manifestText, mediaType, config, configDigest: manifest.config.digest });
      world.changes.push(`PutImage ${repo.id}${tag !== undefined ? `:${tag}` : ""} ${digest}`);
      return { image: { registryId: world.account, repositoryName: repo.id, imageId: { imageDigest: digest, ...(tag !== undefined && { imageTag: tag }) }, imageManifest: manifestText, imageManifestMediaType: mediaType } };
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
  if (request.operation === "DescribeTrails") {
    // DescribeTrails → trailList[] {Name, TrailARN, HomeRegion, …} (cloudtrail.json); trails of every Region the account has.
    const ours = world.all("aws_cloudtrail").map((t) => ({ Name: t.id, TrailARN: t.arn, HomeRegion: t.region, S3BucketName: t.attributes.s3_bucket_name, IsMultiRegionTrail: Boolean(t.attributes.is_multi_region_trail) }));
    const others = preflightState(world).otherTrails.map((t) => ({ Name: t.name, TrailARN: `arn:aws:cloudtrail:${t.region}:${world.account}:trail/${t.name}`, HomeRegion: t.region, IsMultiRegionTrail: false }));
    return { trailList: [...ours, ...others] };
  }
  if (request.operation === "LookupEvents") {
    // cloudtrail model: LookupAttributes (one attribute; EventName here), StartTime/EndTime (epoch seconds), MaxResults
    // 1-50 (default 50), NextToken; Events newest first, each with CloudTrailEvent (the record, a JSON string).
    const attribute = (input.LookupAttributes as { AttributeKey: string; AttributeValue: string }[] | undefined)?.[0];
    const from = input.StartTime !== undefined ? Number(input.StartTime) * 1000 : 0;
    const to = input.EndTime !== undefined ? Number(input.EndTime) * 1000 : Infinity;
    const matching = world.trailEvents
      .filter((e) => e.visibleAt <= world.now() && e.time >= from && e.time <= to && (attribute?.AttributeKey !== "EventName" || e.eventName === attribute.AttributeValue))
      .sort((a, b) => b.time - a.time);
    const start = Number(input.NextToken ?? 0);
    const size = Number(input.MaxResults ?? 50);
    return {
      Events: matching.slice(start, start + size).map((e, i) => ({
        EventId: `event-${start + i}`,
        EventName: e.eventName,
        EventSource: e.eventSource,
        EventTime: epochSeconds(e.time),
        ReadOnly: "false",
        Resources: [],
        CloudTrailEvent: JSON.stringify({ eventVersion: "1.09", eventTime: new Date(e.time).toISOString(), eventSource: e.eventSource, eventName: e.eventName, awsRegion: request.region, requestParameters: e.requestParameters }),
      })),
      ...(start + size < matching.length && { NextToken: String(start + size) }),
    };
  }
  if (request.operation !== "GetTrail") throw new AwsError("InvalidOperationException", `${request.operation} is not modelled`);
  const name = String(input.Name);
  const trail = world.all("aws_cloudtrail", request.region).find((t) => t.id === name || t.arn === name);
  if (!trail) throw new AwsError("TrailNotFoundException", `Unknown trail: ${name} for the user: ${world.account}`);
  return { Trail: { Name: trail.id, TrailARN: trail.arn, S3BucketName: trail.attributes.s3_bucket_name, HomeRegion: request.region, IsMultiRegionTrail: Boolean(trail.attributes.is_multi_region_trail) } };
}

const HANDLERS: Record<string, (world: FakeAwsWorld, request: AwsRequest) => unknown> = { ecr, tagging, kms, logs, events, cloudtrail, servicequotas: serviceQuotas };

export function handleJson(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const handler = HANDLERS[request.service];
  if (!handler) throw new AwsError("UnknownService", `the fake world does not speak ${request.service}`);
  world.call(request.service, request.operation!);
  return json11.answer(handler(world, request));
}

/** sha256 digest of a text, as registries name blobs. */
export function digestOf(text: string | Buffer): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
