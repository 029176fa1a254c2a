import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { join, relative, resolve } from "node:path";
import { App, LocalBackend, S3Backend, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import type { Environment } from "./props.ts";

/** The four layers of an environment; `<env>-<layer>` is a stack name users type. */
export const LAYERS = ["network", "storage", "registry", "agent"] as const;
/** One of the LAYERS. */
export type Layer = (typeof LAYERS)[number];

/** The name (and construct id) of an environment's stack: `<environment>-<layer>`. */
export function stackName(environment: string, layer: Layer): string {
  return `${environment}-${layer}`;
}

/**
 * A stack of one environment: the AWS provider (Region, default tags, optional deploy role, pinned
 * account) and the state backend every layer of the environment shares. Constructs in it read the Region and
 * account from this provider (lib/scope.ts).
 */
export class EnvironmentStack extends TerraformStack {
  /** The environment the stack belongs to, defaults applied. */
  readonly environment: Environment;
  /** Which of the four stacks this is. */
  readonly layer: Layer;

  constructor(scope: Construct, layer: Layer, environment: Environment) {
    const id = stackName(environment.name, layer);
    super(scope, id);
    this.environment = environment;
    this.layer = layer;

    new AwsProvider(this, "aws", {
      region: environment.region,
      defaultTags: [{ tags: { ...environment.tags } }],
      // With an account pinned, the provider refuses credentials for any other account before changing anything.
      ...(environment.account !== undefined && { allowedAccountIds: [environment.account] }),
      ...(environment.deployRoleArn !== undefined && {
        assumeRole: [{ roleArn: environment.deployRoleArn, sessionName: `cdktn-${id}` }],
      }),
    });

    const state = environment.state;
    if (state.backend === "s3") {
      new S3Backend(this, {
        bucket: state.bucket,
        key: `${state.keyPrefix}/${id}.tfstate`,
        region: state.region,
        encrypt: true,
        // S3-native locking (Terraform/OpenTofu >= 1.10, declared in cdktf.json targetVersions); no DynamoDB table.
        useLockfile: true,
        ...(state.roleArn !== undefined && { assumeRole: { roleArn: state.roleArn } }),
      });
    } else {
      // terraform.<stack>.tfstate in the project directory, as cdktn does by default, but as a path relative
      // to the stack's folder (where Terraform runs) so the synthesized files are the same on every machine.
      const stackDir = resolve(App.of(this).outdir, "stacks", id);
      new LocalBackend(this, { path: relative(stackDir, join(process.cwd(), `terraform.${id}.tfstate`)) });
    }
  }
}
