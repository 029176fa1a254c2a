/**
 * What the environment is still billed for when teardown ends, read from each stack's Terraform state (DESIGN.md
 * decision 7) and classified by how AWS bills it (lib/cost/billing.ts): by the hour or by use (ideally nothing),
 * for what it stores (kept on purpose: a retained bucket, a repository with images, a log group until its network
 * goes), or nothing at all (the VPC, subnets, route tables and security groups AgentCore's ENIs hold back).
 */
import { paginateListFileSystems } from "@aws-sdk/client-s3files";
import { billingOf } from "../../../lib/cost/index.ts";
import { LAYERS, stackName } from "../../../modules/environment/environment-stack.ts";
import { managedResources, readStackState } from "../stack-state.ts";
import type { TeardownContext } from "./context.ts";
import { describeResource } from "./hourly.ts";

export interface BilledResource {
  readonly stack: string;
  readonly what: string;
  /** Its Terraform address (none for what was found through its service's API). */
  readonly address?: string;
}

export interface BillingReport {
  /** Billed for every hour it exists, or for what it does (ideally empty). */
  readonly hourly: readonly BilledResource[];
  /** Billed for what it stores. */
  readonly stored: readonly BilledResource[];
  /** Left in the network stack with no charge of their own (what AgentCore's ENIs hold back): "dev-network: 1 vpc, 2 subnet, …". */
  readonly free: readonly string[];
  /** What this run destroyed to stop the hourly charges, and when. */
  readonly hourlyStopped?: { readonly what: readonly string[]; readonly at: string };
  /** What could not be read: what is billed is then not fully known. */
  readonly unreadable?: string;
}

/**
 * From each stack's state: what Terraform still holds is there (Terraform alone deletes it). The exception is the
 * S3 Files file system, which teardown deletes through the S3 Files API before the storage stack (and which a
 * retained storage stack's state keeps listing): it is looked up in the account instead.
 */
export async function billingAfterTeardown(ctx: TeardownContext): Promise<BillingReport> {
  const { deps, environment: env, names, findings } = ctx;
  const hourly: BilledResource[] = [];
  const stored: BilledResource[] = [];
  const free: string[] = [];
  const unreadable: string[] = [];
  for (const layer of LAYERS) {
    const stack = stackName(env.name, layer);
    let resources;
    try {
      resources = managedResources(await readStackState(deps.outdir, stack, deps.stateBucket));
    } catch (error) {
      unreadable.push(`${stack}: ${(error as Error).message}`);
      continue;
    }
    const kinds = new Map<string, number>();
    for (const resource of resources) {
      if (resource.type === "aws_s3files_file_system") continue;
      const billing = billingOf(resource.type, resource.instances[0]?.attributes ?? {});
      const entry = { stack, what: describeResource(resource), address: `${resource.type}.${resource.name}` };
      // A kind lib/cost/billing.ts does not know counts as billed: never call something free without knowing.
      if (billing === "hourly" || billing === "usage" || billing === "unknown") hourly.push(entry);
      else if (billing === "stored") stored.push(entry);
      else if (layer === "network") {
        const kind = resource.type.replace(/^aws_/, "").replace(/_/g, " ");
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    if (kinds.size > 0) free.push(`${stack}: ${[...kinds].map(([kind, count]) => `${count} ${kind}`).join(", ")}`);
  }
  try {
    const bucket = `arn:${env.partition}:s3:::${names.bucket}`;
    for await (const page of paginateListFileSystems({ client: deps.clients.s3files }, { bucket })) {
      for (const fs of page.fileSystems ?? []) {
        if (fs.bucket !== undefined && fs.bucket !== bucket) continue;
        stored.push({ stack: stackName(env.name, "storage"), what: `S3 Files file system ${fs.fileSystemId} (its high-performance storage)` });
      }
    }
  } catch (error) {
    unreadable.push(`S3 Files file systems of ${names.bucket}: ${(error as Error).message}`);
  }
  return {
    hourly,
    stored,
    free,
    ...(findings.hourlyStopped !== undefined && { hourlyStopped: findings.hourlyStopped }),
    ...(unreadable.length > 0 && { unreadable: unreadable.join("; ") }),
  };
}
