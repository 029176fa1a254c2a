/**
 * A stand-in `terraform` for tests: the commands and flags cdktn-cli 0.24 runs (read in node_modules/
 * cdktn-cli, bundled source @cdktn/cli-core/src/lib/models/terraform-cli.ts and deploy-machine.ts):
 *
 *   version -json | -v           (cdktn's checks)
 *   init [-upgrade] [-no-color] [-migrate-state]
 *   providers lock -platform=linux_amd64
 *   apply -auto-approve [-var=k=v]…            (cdktn deploy; then `output -json`)
 *   destroy -auto-approve [-var=k=v]… [-target=<address>]…   (cdktn destroy; -target from TF_CLI_ARGS_destroy)
 *   plan -input=false -out plan [-destroy] [-var=…] [-detailed-exitcode]   (cdktn diff; issue 14's drift)
 *   show -json <plan>
 *   output -json
 *
 * It applies the synthesized cdk.tf.json of the stack folder it runs in against the fake AWS world, through
 * the same rules the world's SDK-facing services use (provider.ts), in dependency order; keeps state in
 * Terraform's format where the backend says (local file or S3 backend object); persists state after each
 * change, so a failure leaves it consistent; and fails the way Terraform does: its diagnostics on stderr,
 * exit status 1, a prompt for a missing variable (cdktn detects it), a lock error when the state is locked.
 *
 * TF_CLI_ARGS and TF_CLI_ARGS_<command> are read as Terraform reads them: their words are inserted right after
 * the subcommand (Terraform CLI docs, "Environment Variables"; hashicorp/terraform main.go `mergeEnvArgs`). That is
 * how teardown narrows the `terraform destroy` cdktn runs (cdktn passes its own environment to Terraform:
 * @cdktn/cli-core deploy-machine.ts `createAndStartDestroyService`, `env: process.env`).
 *
 * Runs on Node's built-in TypeScript support (no build step): erasable syntax only.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "./config.ts";
import { formatDiagnostic } from "./format.ts";
import { readState, TERRAFORM_VERSION } from "./state.ts";
import { envArgs, Failure, parseOptions, say, CONFIG_FILE, type Io } from "./context.ts";
import { apply, destroy } from "./apply.ts";
import { plan, show } from "./plan.ts";

export { envArgs, type Io } from "./context.ts";

async function output(io: Io): Promise<number> {
  const ctx = { io };
  const config = loadConfig(CONFIG_FILE, readFileSync(resolve(io.cwd, CONFIG_FILE), "utf8"));
  const state = await readState(config, io.cwd, io.remote);
  const outputs = Object.fromEntries(Object.entries(state?.outputs ?? {}).map(([k, v]) => [k, { sensitive: v.sensitive === true, type: v.type, value: v.value }]));
  say(ctx, JSON.stringify(outputs, null, 2));
  return 0;
}

function init(io: Io): number {
  const ctx = { io };
  mkdirSync(resolve(io.cwd, ".terraform"), { recursive: true });
  say(ctx, "");
  say(ctx, "Initializing the backend...");
  say(ctx, "");
  say(ctx, "Initializing provider plugins...");
  say(ctx, "- Reusing previous version of hashicorp/aws from the dependency lock file");
  say(ctx, "- Using previously-installed hashicorp/aws v6.66.0");
  say(ctx, "");
  say(ctx, "Terraform has been successfully initialized!");
  return 0;
}

/** `providers lock`: the lock file cdktn checks for (TerraformProviderLock reads provider blocks and their version). */
function providersLock(io: Io): number {
  const ctx = { io };
  const config = JSON.parse(readFileSync(resolve(io.cwd, CONFIG_FILE), "utf8")) as { terraform?: { required_providers?: Record<string, { source: string; version?: string }> } };
  const blocks = Object.values(config.terraform?.required_providers ?? {}).map(
    (p) => `provider "registry.terraform.io/${p.source}" {\n  version     = "${p.version ?? "0.0.0"}"\n  constraints = "${p.version ?? ""}"\n  hashes = [\n    "h1:standInTerraformFakeHash=",\n  ]\n}\n`,
  );
  writeFileSync(resolve(io.cwd, ".terraform.lock.hcl"), `# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n\n${blocks.join("\n")}`);
  say(ctx, "- Fetching hashicorp/aws for linux_amd64...");
  say(ctx, "- Obtained hashicorp/aws checksums for linux_amd64; All checksums for this platform were already tracked in the lock file");
  say(ctx, "");
  say(ctx, "Success! Terraform has validated the lock file and found no need for changes.");
  return 0;
}

/** Runs one `terraform <args>` and returns its exit status. */
export async function terraform(args: readonly string[], io: Io): Promise<number> {
  const ctx = { io };
  const [command = "", ...given] = args;
  const rest = [...envArgs(command, io.env), ...given];
  const options = parseOptions(rest);
  try {
    switch (command) {
      case "version":
        if (rest.includes("-json")) say(ctx, JSON.stringify({ terraform_version: TERRAFORM_VERSION, platform: "linux_amd64", provider_selections: {}, terraform_outdated: false }, null, 2));
        else say(ctx, `Terraform v${TERRAFORM_VERSION}\non linux_amd64`);
        return 0;
      case "-v":
      case "-version":
      case "--version":
        say(ctx, `Terraform v${TERRAFORM_VERSION}\non linux_amd64`);
        return 0;
      case "init":
        return init(io);
      case "providers":
        return providersLock(io);
      case "apply":
        return await apply(options, io);
      case "destroy":
        return await destroy(options, io);
      case "plan":
        return await plan(options, io);
      case "show":
        return show(options, io);
      case "output":
        return await output(io);
      default:
        io.err(`Terraform has no command named "${command}".\n\nTo see all of Terraform's top-level commands, run:\n  terraform -help\n\n`);
        return 1;
    }
  } catch (error) {
    if (error instanceof Failure) {
      for (const diagnostic of error.diagnostics) io.err(formatDiagnostic(diagnostic, options.color));
      return 1;
    }
    io.err(`stand-in terraform crashed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
