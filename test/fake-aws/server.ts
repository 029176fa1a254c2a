/**
 * The fake world on loopback HTTP. AWS SDK clients reach it through AWS_ENDPOINT_URL_<SERVICE> (every
 * service at the same address: requests are routed by the service in their SigV4 credential scope). The
 * stand-in tools reach it through FAKE_AWS_WORLD_URL: /__provider/* (Terraform's provider), /__docker/*
 * (an image push), /__blobs/* (registry blobs behind GetDownloadUrlForLayer).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError } from "./errors.ts";
import { ec2, json11, parseRequest, query, restJson, type HttpAnswer } from "./protocols.ts";
import { providerCreate, providerData, providerDelete, providerRead, providerUpdate, schema } from "./provider.ts";
import { handleEc2 } from "./services/ec2.ts";
import { digestOf, handleJson } from "./services/json.ts";
import { handleIam } from "./services/iam.ts";
import { handleIamSimulation } from "./services/preflight.ts";
import { accessKeyOf, handleQuery, handleRest } from "./services/rest.ts";
import type { FakeAwsWorld } from "./world.ts";

/** The AWS_ENDPOINT_URL_<SERVICE> variables of every client the scripts build (scripts/lib/aws.ts), plus S3 for state. */
export const SERVICE_ENDPOINT_VARIABLES = [
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_EC2",
  "AWS_ENDPOINT_URL_ECR",
  "AWS_ENDPOINT_URL_S3",
  "AWS_ENDPOINT_URL_S3FILES",
  "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL",
  "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE",
  "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API",
  "AWS_ENDPOINT_URL_KMS",
  "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
  "AWS_ENDPOINT_URL_SNS",
  "AWS_ENDPOINT_URL_EVENTBRIDGE",
  "AWS_ENDPOINT_URL_CLOUDTRAIL",
  "AWS_ENDPOINT_URL_BEDROCK",
  "AWS_ENDPOINT_URL_SERVICE_QUOTAS",
  "AWS_ENDPOINT_URL_IAM",
] as const;

export interface RunningWorld {
  readonly url: string;
  close(): Promise<void>;
}

function answerAws(world: FakeAwsWorld, method: string, url: URL, request: IncomingMessage, body: Buffer): HttpAnswer {
  let parsed;
  try {
    parsed = parseRequest(method, url, request.headers, body);
  } catch (error) {
    if (error instanceof AwsError) return restJson.error(error);
    throw error;
  }
  const service = parsed.service;
  world.signed.push(`${service}:${parsed.operation ?? `${method} ${parsed.path}`} ${accessKeyOf(parsed)}`);
  try {
    if (service === "ec2") return handleEc2(world, parsed);
    if (service === "iam" && parsed.operation === "SimulatePrincipalPolicy") return handleIamSimulation(world, parsed);
    if (service === "iam") return handleIam(world, parsed);
    if (service === "sts" || service === "sns") return handleQuery(world, parsed);
    if (request.headers["x-amz-target"]) return handleJson(world, parsed);
    return handleRest(world, parsed);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    if (service === "ec2") return ec2.error(error);
    if (service === "sts" || service === "sns") return query.error(error, "");
    if (request.headers["x-amz-target"]) return json11.error(error);
    return restJson.error(error);
  }
}

function answerProvider(world: FakeAwsWorld, path: string, input: Record<string, unknown>): unknown {
  const type = String(input.type ?? "");
  const region = String(input.region ?? "");
  const tags = (input.tags as Record<string, string> | undefined) ?? {};
  switch (path) {
    case "/__provider/schema":
      return { account: world.account, types: schema() };
    case "/__provider/create":
      return providerCreate(world, type, region, input.config as Record<string, unknown>, tags);
    case "/__provider/update":
      return providerUpdate(world, type, String(input.id), input.config as Record<string, unknown>, tags);
    case "/__provider/read":
      return providerRead(world, type, String(input.id));
    case "/__provider/delete":
      return providerDelete(world, type, String(input.id));
    case "/__provider/data":
      return providerData(world, type);
    default:
      return { error: { code: "NotFound", message: `no provider endpoint ${path}`, status: 404 } };
  }
}

/** A `docker buildx build --push` of a linux/<arch> image: one OCI manifest and its config blob (build-image.ts verifies both). */
export function pushImage(world: FakeAwsWorld, input: { repository: string; tag: string; architecture: string }): unknown {
  const images = world.images.get(input.repository);
  if (!images) return { error: `name unknown: The repository with name '${input.repository}' does not exist in the registry with id '${world.account}'` };
  // One layer, its bytes derived from the tag (so two builds of one commit are the same image), kept as a blob with the config.
  const layer = Buffer.from(`layer of ${input.repository}:${input.tag}\n`.repeat(64));
  const layerDigest = digestOf(layer);
  const config = { architecture: input.architecture, os: "linux", config: { Env: ["PATH=/usr/local/bin:/usr/bin"] }, rootfs: { type: "layers", diff_ids: [layerDigest] } };
  const configDigest = digestOf(JSON.stringify(config));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: JSON.stringify(config).length },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layerDigest, size: layer.length }],
  });
  const blobs = world.blobs.get(input.repository) ?? new Map<string, Buffer>();
  world.blobs.set(input.repository, blobs.set(configDigest, Buffer.from(JSON.stringify(config))).set(layerDigest, layer));
  const digest = digestOf(manifest);
  for (const image of images.values()) if (image.tags.includes(input.tag)) return { error: `tag invalid: The image tag '${input.tag}' already exists in the '${input.repository}' repository and cannot be overwritten because the tag is immutable.` };
  images.set(digest, { tags: [input.tag], manifest, mediaType: "application/vnd.oci.image.manifest.v1+json", config, configDigest });
  world.changes.push(`push ${input.repository}:${input.tag} ${digest}`);
  return { digest };
}

export async function serveWorld(world: FakeAwsWorld): Promise<RunningWorld> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? "/", "http://localhost");
      let answer: HttpAnswer;
      try {
        if (url.pathname.startsWith("/__provider/")) {
          answer = { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(answerProvider(world, url.pathname, body.length ? JSON.parse(body.toString()) : {})) };
        } else if (url.pathname.startsWith("/__s3/")) {
          // The S3 backend's state objects, for the stand-in Terraform (unsigned; the SDK clients use the S3 wire API).
          const [, , bucket = "", ...key] = url.pathname.split("/");
          const objects = world.bucket(bucket);
          if (request.method === "PUT") {
            objects.set(key.join("/"), body);
            answer = { status: 200, headers: {}, body: "" };
          } else {
            const object = objects.get(key.join("/"));
            answer = object ? { status: 200, headers: {}, body: object } : { status: 404, headers: {}, body: "" };
          }
        } else if (url.pathname === "/__docker/push") {
          answer = { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(pushImage(world, JSON.parse(body.toString()))) };
        } else if (url.pathname.startsWith("/__blobs/")) {
          const [, , repository, digest] = url.pathname.split("/");
          const blob = world.blobs.get(repository ?? "")?.get(digest ?? "");
          const image = [...(world.images.get(repository ?? "")?.values() ?? [])].find((i) => i.configDigest === digest);
          answer = blob
            ? { status: 200, headers: { "content-type": "application/octet-stream" }, body: blob }
            : image
              ? { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(image.config) }
              : { status: 404, headers: {}, body: "BLOB_UNKNOWN" };
        } else {
          answer = answerAws(world, request.method ?? "GET", url, request, body);
        }
      } catch (error) {
        answer = { status: 500, headers: { "content-type": "text/plain" }, body: `fake world failed: ${(error as Error).stack ?? String(error)}` };
      }
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
