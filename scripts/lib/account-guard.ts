/**
 * The caller's account against the account the deployed resources live in (review finding 3). No shipped
 * environment names its `account`, so a wrong AWS_PROFILE reaches Terraform, whose refresh of another account
 * finds nothing and plans to recreate everything there. Before deploy, drift or teardown act, every stack's
 * state is read and the account in its resources' own ARNs (`arn`) and owner ids (`owner_id`, EC2) compared with
 * the account of the credentials (STS GetCallerIdentity, after assuming deployRoleArn when there is one).
 */
import { stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { ScriptError } from "./cli.ts";
import { managedResources, readStackState, type StateBucketReader } from "./stack-state.ts";

const LAYERS: readonly Layer[] = ["network", "storage", "registry", "agent"];
/** arn:partition:service:region:account:resource (IAM and S3 ARNs have an empty region; S3 buckets no account). */
const ARN_ACCOUNT = /^arn:[\w-]+:[\w-]+:[\w-]*:(\d{12}):/;

/** Each account the environment's states hold resources of, with one example (stack and ARN or id). */
export async function stateAccounts(outdir: string, environment: EnvironmentDescription, stateBucket?: StateBucketReader): Promise<Map<string, string>> {
  const accounts = new Map<string, string>();
  for (const layer of LAYERS) {
    const stack = stackName(environment.name, layer);
    const state = await readStackState(outdir, stack, stateBucket);
    for (const resource of managedResources(state)) {
      for (const { attributes } of resource.instances) {
        const arn = typeof attributes.arn === "string" ? ARN_ACCOUNT.exec(attributes.arn)?.[1] : undefined;
        const owner = typeof attributes.owner_id === "string" && /^\d{12}$/.test(attributes.owner_id) ? attributes.owner_id : undefined;
        const account = arn ?? owner;
        if (account !== undefined && !accounts.has(account)) accounts.set(account, `${stack}: ${String(arn !== undefined ? attributes.arn : `${resource.type}.${resource.name} owner ${owner}`)}`);
      }
    }
  }
  return accounts;
}

export async function refuseForeignAccount(
  command: string,
  environment: EnvironmentDescription,
  caller: { readonly account: string; readonly arn?: string },
  sources: { readonly outdir: string; readonly stateBucket?: StateBucketReader },
): Promise<void> {
  const foreign = [...(await stateAccounts(sources.outdir, environment, sources.stateBucket))].filter(([account]) => account !== caller.account);
  if (foreign.length === 0) return;
  const [account, example] = foreign[0]!;
  throw new ScriptError(
    `refusing to ${command} ${environment.name}: its Terraform state holds resources of account ${account} (${example}), but the credentials are for account ${caller.account}${caller.arn ? ` (${caller.arn})` : ""}. Nothing was changed.`,
    undefined,
    `Use credentials for account ${account} (AWS_PROFILE=…, or your CI role for ${environment.name})${environment.deployRoleArn === undefined ? `, or set deployRoleArn in ${environment.name}'s environment file so that every machine assumes the same role` : ""}; setting \`account\` in the environment file makes preflight check it too.`,
  );
}
