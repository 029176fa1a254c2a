/**
 * Terraform state, version 4 (the format Terraform 1.x writes; see fixtures/terraform-1.11.4/*.tfstate):
 * { version, terraform_version, serial, lineage, outputs: {name: {value, type, sensitive?}}, resources:
 * [{mode, type, name, provider, instances: [{schema_version, attributes, sensitive_attributes, dependencies}]}],
 * check_results }. Kept where the backend says: a local file (with Terraform's lock file beside it) or an
 * object of the S3 backend's bucket in the fake world.
 */
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Config } from "./config.ts";
import type { Remote } from "./remote.ts";

export const TERRAFORM_VERSION = "1.11.4";
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

export interface StateInstance {
  schema_version: number;
  attributes: Record<string, unknown>;
  sensitive_attributes: unknown[];
  dependencies?: string[];
}

export interface StateResource {
  mode: "managed" | "data";
  type: string;
  name: string;
  provider: string;
  instances: StateInstance[];
}

export interface State {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: unknown; sensitive?: boolean }>;
  resources: StateResource[];
  check_results: unknown;
}

export function emptyState(): State {
  return { version: 4, terraform_version: TERRAFORM_VERSION, serial: 0, lineage: randomUUID(), outputs: {}, resources: [], check_results: null };
}

export async function readState(config: Config, cwd: string, remote: Remote): Promise<State | undefined> {
  if (config.backend.type === "s3") {
    const text = await remote.getObject(config.backend.bucket, config.backend.key);
    return text === undefined || text.trim() === "" ? undefined : (JSON.parse(text) as State);
  }
  const file = resolve(cwd, config.backend.path);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as State) : undefined;
}

export async function writeState(config: Config, state: State, cwd: string, remote: Remote): Promise<void> {
  state.serial += 1;
  const text = `${JSON.stringify(state, null, 2)}\n`;
  if (config.backend.type === "s3") return remote.putObject(config.backend.bucket, config.backend.key, text);
  const file = resolve(cwd, config.backend.path);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export function findResource(state: State, address: string): StateResource | undefined {
  return state.resources.find((r) => (r.mode === "data" ? `data.${r.type}.${r.name}` : `${r.type}.${r.name}`) === address);
}

export function addressOf(resource: StateResource): string {
  return resource.mode === "data" ? `data.${resource.type}.${resource.name}` : `${resource.type}.${resource.name}`;
}

export function putResource(state: State, mode: "managed" | "data", type: string, name: string, attributes: Record<string, unknown>, dependencies: string[]): void {
  const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
  const instance: StateInstance = { schema_version: 0, attributes, sensitive_attributes: [], ...(mode === "managed" && { dependencies: [...dependencies].sort() }) };
  const existing = findResource(state, address);
  if (existing) existing.instances = [instance];
  else state.resources.push({ mode, type, name, provider: PROVIDER, instances: [instance] });
}

export function removeResource(state: State, address: string): void {
  state.resources = state.resources.filter((r) => addressOf(r) !== address);
}

export interface Lock {
  release(): void;
}

/** The local backend's lock: ".<state file>.lock.info" beside the state (Terraform's statemgr.Filesystem). */
export function acquireLock(config: Config, operation: string, cwd: string): Lock | { error: string } {
  if (config.backend.type !== "local") return { release: () => {} };
  const file = resolve(cwd, config.backend.path);
  const lockFile = join(dirname(file), `.${basename(file)}.lock.info`);
  const info = { ID: randomUUID(), Operation: operation, Info: "", Who: "stand-in@fake", Version: TERRAFORM_VERSION, Created: new Date().toISOString(), Path: config.backend.path };
  let fd: number;
  try {
    fd = openSync(lockFile, "wx");
  } catch {
    const held = existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, "utf8")) as typeof info) : info;
    return {
      error: [
        "Error message: resource temporarily unavailable",
        "Lock Info:",
        `  ID:        ${held.ID}`,
        `  Path:      ${held.Path}`,
        `  Operation: ${held.Operation}`,
        `  Who:       ${held.Who}`,
        `  Version:   ${held.Version}`,
        `  Created:   ${held.Created}`,
        `  Info:      ${held.Info}`,
        "",
        "",
        "Terraform acquires a state lock to protect the state from being written",
        "by multiple users at the same time. Please resolve the issue above and try",
        'again. For most commands, you can disable locking with the "-lock=false"',
        "flag, but this is not recommended.",
      ].join("\n"),
    };
  }
  writeSync(fd, JSON.stringify(info));
  closeSync(fd);
  return { release: () => rmSync(lockFile, { force: true }) };
}
