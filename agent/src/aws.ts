/** The agent's AWS clients, behind the small interfaces the server uses (so tests can point them anywhere). */
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { ModelClient } from "./app.js";
import type { ObjectStore } from "./bench.js";

export function bedrockModel(region: string): ModelClient {
  const client = new BedrockRuntimeClient({ region });
  return {
    async converse(modelId, prompt) {
      const result = await client.send(new ConverseCommand({ modelId, messages: [{ role: "user", content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 1024 } }));
      const text = (result.output?.message?.content ?? []).map((c) => c.text ?? "").join("");
      return {
        text,
        ...(result.stopReason !== undefined && { stopReason: result.stopReason }),
        usage: { inputTokens: result.usage?.inputTokens, outputTokens: result.usage?.outputTokens },
      };
    },
  };
}

/** The cold tier: the bucket through the S3 API, under the agent prefix the execution role allows. */
export function s3Store(bucket: string, prefix: string, clientConfig: S3ClientConfig): ObjectStore & { probe(): Promise<void> } {
  const client = new S3Client(clientConfig);
  return {
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async get(key) {
      const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return result.Body!.transformToByteArray();
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async probe() {
      await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, MaxKeys: 1 }));
    },
  };
}
