/**
 * Can `terraform init` install the AWS provider the stacks require? Terraform installs a provider from its origin
 * registry (registry.terraform.io, found through https://registry.terraform.io/.well-known/terraform.json, the
 * remote service discovery document with "providers.v1"), unless the CLI configuration's `provider_installation`
 * block names a `filesystem_mirror` or `network_mirror`. A plugin cache (`TF_PLUGIN_CACHE_DIR` or
 * `plugin_cache_dir`) only saves the download: Terraform still asks the registry which versions exist before it
 * looks in the cache. The CLI configuration is the file TF_CLI_CONFIG_FILE names, else ~/.terraformrc (Windows:
 * %APPDATA%/terraform.rc). Sources: developer.hashicorp.com/terraform/cli/config/config-file ("Provider
 * Installation", "Provider Plugin Cache"), /terraform/cli/commands/providers/mirror, /terraform/internals/remote-service-discovery.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { classifyAwsError } from "./aws-errors.ts";
import type { CheckResult } from "./preflight.ts";

export const REGISTRY_DISCOVERY_URL = "https://registry.terraform.io/.well-known/terraform.json";

export interface ProviderInstallDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The registry's discovery document (tests point it elsewhere). */
  readonly discoveryUrl?: string;
  readonly fetch?: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;
  readonly home?: string;
}

/** What the CLI configuration file says about installation, or why it could not be read. */
export function readCliConfig(env: ProviderInstallDeps["env"], home = homedir()): { file: string; exists: boolean; mirrors: string[]; cacheDir?: string } {
  const file = env.TF_CLI_CONFIG_FILE ?? (process.platform === "win32" ? join(env.APPDATA ?? home, "terraform.rc") : join(home, ".terraformrc"));
  if (!existsSync(file)) return { file, exists: false, mirrors: [] };
  const text = readFileSync(file, "utf8").replace(/#.*$/gm, "");
  const installation = /provider_installation\s*\{([\s\S]*)\}/.exec(text)?.[1] ?? "";
  const mirrors = [...installation.matchAll(/(filesystem_mirror|network_mirror)\s*\{[^}]*?(?:path|url)\s*=\s*"([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  const cacheDir = /plugin_cache_dir\s*=\s*"([^"]+)"/.exec(text)?.[1];
  return { file, exists: true, mirrors, ...(cacheDir && { cacheDir }) };
}

function cached(dir: string, provider: { source: string; version: string }): boolean {
  const [namespace, type] = provider.source.replace(/^registry\.terraform\.io\//, "").split("/");
  const versions = join(dir, "registry.terraform.io", namespace ?? "hashicorp", type ?? "aws");
  return existsSync(versions) && readdirSync(versions).includes(provider.version);
}

export async function checkProviderInstall(provider: { source: string; version: string } | undefined, deps: ProviderInstallDeps): Promise<CheckResult> {
  const name = "Terraform provider install";
  const wanted = provider ? `${provider.source} ${provider.version}` : "hashicorp/aws";
  const config = readCliConfig(deps.env, deps.home);
  if (config.mirrors.length > 0) return { name, ok: true, detail: `${wanted} from ${config.mirrors.join(", ")} (provider_installation in ${config.file})` };
  const cacheDir = deps.env.TF_PLUGIN_CACHE_DIR ?? config.cacheDir;
  const inCache = cacheDir !== undefined && provider !== undefined && cached(cacheDir, provider);
  const url = deps.discoveryUrl ?? REGISTRY_DISCOVERY_URL;
  const fetcher = deps.fetch ?? ((u, init) => fetch(u, init));
  const configNote = deps.env.TF_CLI_CONFIG_FILE !== undefined && !config.exists ? `; TF_CLI_CONFIG_FILE names ${config.file}, which does not exist (Terraform warns on every run: create it or unset the variable)` : "";
  try {
    const answer = await fetcher(url, { signal: AbortSignal.timeout(10_000) });
    const discovery = answer.ok ? ((await answer.json()) as Record<string, unknown>) : {};
    if (!answer.ok || typeof discovery["providers.v1"] !== "string") throw Object.assign(new Error(`HTTP ${answer.status}, no providers.v1 in the discovery document`), { code: "BADANSWER" });
    return { name, ok: true, detail: `${wanted} from the registry (${new URL(url).host} answers)${inCache ? `, cached in ${cacheDir}` : ""}${configNote}` };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const problem = classifyAwsError(cause, new URL(url).host);
    return {
      name,
      ok: false,
      detail: `${new URL(url).host} cannot be reached (${problem.kind === "other" ? (error as Error).message : problem.summary}), and no provider mirror is configured${inCache ? ` (the plugin cache ${cacheDir} has ${wanted}, but Terraform still asks the registry for its versions)` : ""}${configNote}`,
      fix:
        `on a machine with registry access: terraform providers mirror <dir> in a synthesized stack folder (cdktf.out/stacks/<stack>), copy <dir> over, and add to ${config.file}: ` +
        `provider_installation { filesystem_mirror { path = "<dir>" } } (README, Troubleshooting)`,
    };
  }
}
