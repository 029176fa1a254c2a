/**
 * A minimal S3 endpoint on loopback for the agent's cold tier: path-style PutObject, GetObject,
 * DeleteObject and ListObjectsV2, with S3's error bodies. Requests must be SigV4-signed, as S3 requires.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeS3 {
  readonly endpoint: string;
  readonly objects: Map<string, Buffer>;
  readonly requests: string[];
  close(): Promise<void>;
}

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export async function startFakeS3(bucket: string): Promise<FakeS3> {
  const objects = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const [, bucketName, ...keyParts] = url.pathname.split("/");
    const key = decodeURIComponent(keyParts.join("/"));
    requests.push(`${request.method} ${bucketName}/${key}`);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const reply = (status: number, body = "", type = "application/xml") => {
      response.writeHead(status, { "content-type": type, "x-amz-request-id": "FAKE" });
      response.end(body);
    };
    if (!String(request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256")) return reply(403, xmlError("AccessDenied", "Missing SigV4 signature"));
    if (bucketName !== bucket) return reply(404, xmlError("NoSuchBucket", "The specified bucket does not exist"));
    if (request.method === "GET" && key === "" && url.searchParams.get("list-type") === "2") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix));
      return reply(200, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${keys.map((k) => `<Contents><Key>${k}</Key></Contents>`).join("")}</ListBucketResult>`);
    }
    if (request.method === "PUT") {
      objects.set(key, Buffer.concat(chunks));
      response.setHeader("etag", '"fake"');
      return reply(200);
    }
    if (request.method === "GET") {
      const body = objects.get(key);
      if (!body) return reply(404, xmlError("NoSuchKey", "The specified key does not exist."));
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
      return response.end(body);
    }
    if (request.method === "DELETE") {
      objects.delete(key);
      return reply(204);
    }
    reply(405, xmlError("MethodNotAllowed", "not supported by the fake"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
