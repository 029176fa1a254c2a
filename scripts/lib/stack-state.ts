/**
 * What Terraform's state says about a stack, read from the backend the stack was synthesized with: the
 * local state file, or the object in the S3 state bucket. Deploy and teardown decide from it (DESIGN.md
 * decision 7), not from a local record: a stack whose state holds no resources is not deployed, whatever
 * a journal says. Format: Terraform state version 4 ("resources", "outputs").
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { errorName } from "./aws.ts";

export type Backend =
  | { readonly type: "local"; readonly path: string }
  | { readonly type: "s3"; readonly bucket: string; readonly key: string; readonly region: string };

export interface StateResource {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly instances: readonly { readonly attributes: Record<string, unknown> }[];
}

export interface StackState {
  /** Where the state lives, for messages ("terraform.dev-network.tfstate", "s3://bucket/key"). */
  readonly location: string;
  readonly exists: boolean;
  readonly resources: readonly StateResource[];
  readonly outputs: Readonly<Record<string, { readonly value: unknown; readonly sensitive?: boolean }>>;
}

/** Reads S3 objects of the state bucket (its own Region). */
export type StateBucketReader = (region: string) => Pick<S3Client, "send">;

interface SynthesizedStack {
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
  readonly data?: { readonly terraform_remote_state?: Record<string, { backend: string; config: Record<string, unknown> }> };
}

export function stackDirectory(outdir: string, stack: string): string {
  return join(outdir, "stacks", stack);
}

function synthesized(outdir: string, stack: string): SynthesizedStack {
  return JSON.parse(readFileSync(join(stackDirectory(outdir, stack), "cdk.tf.json"), "utf8")) as SynthesizedStack;
}

function backendFrom(type: string, config: Record<string, unknown>, stackDir: string): Backend {
  if (type === "s3") return { type: "s3", bucket: String(config.bucket), key: String(config.key), region: String(config.region) };
  if (type === "local") return { type: "local", path: resolve(stackDir, String(config.path ?? "terraform.tfstate")) };
  throw new Error(`state backend "${type}" is not supported by the scripts (local and s3 are)`);
}

/** The backend a synthesized stack keeps its state in (local paths resolved from the stack's folder, where Terraform runs). */
export function backendOf(outdir: string, stack: string): Backend {
  const backend = synthesized(outdir, stack).terraform?.backend ?? { local: {} };
  const [type, config] = Object.entries(backend)[0] ?? ["local", {}];
  return backendFrom(type, config, stackDirectory(outdir, stack));
}

const EMPTY = { resources: [], outputs: {} };

async function readBackend(backend: Backend, s3: StateBucketReader | undefined): Promise<StackState> {
  if (backend.type === "local") {
    if (!existsSync(backend.path)) return { location: backend.path, exists: false, ...EMPTY };
    return parse(readFileSync(backend.path, "utf8"), backend.path);
  }
  const location = `s3://${backend.bucket}/${backend.key}`;
  if (!s3) throw new Error(`reading ${location} needs an S3 client`);
  try {
    const object = (await s3(backend.region).send(new GetObjectCommand({ Bucket: backend.bucket, Key: backend.key }))) as {
      Body?: { transformToString(): Promise<string> };
    };
    return parse((await object.Body?.transformToString()) ?? "", location);
  } catch (error) {
    if (errorName(error) === "NoSuchKey") return { location, exists: false, ...EMPTY };
    throw error;
  }
}

function parse(text: string, location: string): StackState {
  if (text.trim() === "") return { location, exists: false, ...EMPTY };
  const state = JSON.parse(text) as { version?: number; resources?: StateResource[]; outputs?: StackState["outputs"] };
  return { location, exists: true, resources: state.resources ?? [], outputs: state.outputs ?? {} };
}

export async function readStackState(outdir: string, stack: string, s3?: StateBucketReader): Promise<StackState> {
  return readBackend(backendOf(outdir, stack), s3);
}

/** Resources Terraform manages in the stack (data sources do not count). */
export function managedResources(state: StackState): StateResource[] {
  return state.resources.filter((r) => r.mode === "managed" && r.instances.length > 0);
}

/**
 * A fingerprint of the outputs of other stacks this stack reads (cdktn cross-stack references are
 * terraform_remote_state data sources): when one of them changes (say the access point ARN of
 * <env>-storage after a replacement), the stack must be applied again even if its own configuration did not
 * change.
 */
export async function consumedOutputsFingerprint(outdir: string, stack: string, s3?: StateBucketReader): Promise<string> {
  const config = synthesized(outdir, stack);
  const text = readFileSync(join(stackDirectory(outdir, stack), "cdk.tf.json"), "utf8");
  const hash = createHash("sha256");
  for (const [name, source] of Object.entries(config.data?.terraform_remote_state ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const state = await readBackend(backendFrom(source.backend, source.config, stackDirectory(outdir, stack)), s3);
    const used = [...new Set([...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${escape(name)}\\.outputs\\.([A-Za-z0-9_-]+)`, "g"))].map((m) => m[1]!))].sort();
    for (const output of used) hash.update(`${name}.${output}=${JSON.stringify(state.outputs[output]?.value ?? null)}\n`);
  }
  return hash.digest("hex");
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}
