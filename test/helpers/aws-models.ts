/**
 * AWS's own API models (botocore service-2.json, trimmed to shapes and constraints). The repository keeps its own
 * table of constraints (lib/aws-constraints/table.ts); tests prove that table says what the models say.
 *
 * The models themselves live beside the repository in this workplace (../shared/aws-models; its README names the
 * botocore commit) and are not copied into the repository. What the tests need of them — the constraint traits of
 * each member the table names — is extracted mechanically into test/fixtures/aws-model-members.json, so the table
 * is checked on every clone; where the models are present, a test proves the extract is still what they say.
 * Regenerate it after adding a table row: UPDATE_AWS_MODEL_EXTRACT=1 npx vitest run test/lib/aws-constraints.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ApiMember } from "../../lib/aws-constraints/index.ts";

export const AWS_MODELS_DIR = fileURLToPath(new URL("../../../shared/aws-models/", import.meta.url));

export interface ModelShape {
  readonly type?: string;
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly members?: Readonly<Record<string, { readonly shape: string; readonly constraintsInDocumentation?: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly constraintsInDocumentation?: string;
}

interface Model {
  readonly shapes: Readonly<Record<string, ModelShape>>;
  readonly operations: Readonly<Record<string, unknown>>;
}

const cache = new Map<string, Model>();

export function awsModel(service: string): Model {
  let model = cache.get(service);
  if (model === undefined) {
    const file = `${AWS_MODELS_DIR}${service}.json`;
    if (!existsSync(file)) throw new Error(`AWS API model ${file} is missing; the constraints table cannot be checked against AWS without it`);
    model = JSON.parse(readFileSync(file, "utf8")) as Model;
    cache.set(service, model);
  }
  return model;
}

export interface ResolvedMember {
  readonly target: Pick<ModelShape, "type" | "pattern" | "min" | "max" | "enum">;
  readonly documentation: string;
}

export const MODEL_EXTRACT_FILE = fileURLToPath(new URL("../fixtures/aws-model-members.json", import.meta.url));

export function memberKey(api: ApiMember): string {
  return `${api.service} ${api.shape}.${api.member}${api.element !== undefined ? `[${api.element}]` : ""}`;
}

interface Extract {
  readonly source: string;
  readonly members: Readonly<Record<string, ResolvedMember>>;
}

let extract: Extract | undefined;

/** The member a table row names, as the committed extract of AWS's models records it. */
export function resolveMember(api: ApiMember): ResolvedMember {
  extract ??= JSON.parse(readFileSync(MODEL_EXTRACT_FILE, "utf8")) as Extract;
  const found = extract.members[memberKey(api)];
  if (found === undefined) throw new Error(`${memberKey(api)} is not in ${MODEL_EXTRACT_FILE}: regenerate it from AWS's models (see test/helpers/aws-models.ts)`);
  return found;
}

/** Writes the extract of every member the table names, from AWS's models. */
export function writeModelExtract(members: readonly ApiMember[]): void {
  const entries = [...new Map(members.map((api) => [memberKey(api), api])).entries()].sort(([a], [b]) => a.localeCompare(b));
  const content: Extract = {
    source: "botocore service-2.json models as trimmed in the workplace's shared/aws-models (see its README for the commit); constraint traits only",
    members: Object.fromEntries(entries.map(([key, api]) => [key, resolveMemberFromModels(api)])),
  };
  writeFileSync(MODEL_EXTRACT_FILE, `${JSON.stringify(content, null, 1)}\n`);
  extract = undefined;
}

/** The member a table row names, the shape its value must satisfy, and the prose the model documents it with. */
export function resolveMemberFromModels(api: ApiMember): ResolvedMember {
  const { shapes } = awsModel(api.service);
  const structure = shapes[api.shape];
  if (structure?.members === undefined) throw new Error(`${api.service}: no structure ${api.shape}`);
  const member = structure.members[api.member];
  if (member === undefined) throw new Error(`${api.service}: ${api.shape} has no member ${api.member} (members: ${Object.keys(structure.members).join(", ")})`);
  let target = shapes[member.shape]!;
  const documentation = [member.constraintsInDocumentation ?? "", target.constraintsInDocumentation ?? ""].join(" ");
  if (api.element !== undefined) {
    const inner = target[api.element];
    if (inner === undefined) throw new Error(`${api.service}: ${api.shape}.${api.member} (${member.shape}) has no ${api.element}`);
    target = shapes[inner.shape]!;
  }
  const { type, pattern, min, max } = target;
  const enumValues = target.enum;
  return {
    target: { ...(type !== undefined && { type }), ...(pattern !== undefined && { pattern }), ...(min !== undefined && { min }), ...(max !== undefined && { max }), ...(enumValues !== undefined && { enum: enumValues }) },
    documentation: documentation.trim(),
  };
}
