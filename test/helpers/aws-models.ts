/**
 * AWS's own API models (botocore service-2.json, trimmed to shapes and constraints), read from the shared
 * folder beside the repository (../shared/aws-models; see its README for the source commit). The repository
 * keeps its own table of constraints; tests use these files to prove that table says what the models say.
 */
import { existsSync, readFileSync } from "node:fs";
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

/** The member a table row names, the shape its value must satisfy, and the prose the model documents it with. */
export function resolveMember(api: ApiMember): { target: ModelShape; documentation: string } {
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
  return { target, documentation };
}
