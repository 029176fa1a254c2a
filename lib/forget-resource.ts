/**
 * A Terraform `removed` block for a resource an earlier version of a construct managed: Terraform drops it from
 * state and leaves the object in AWS (`lifecycle { destroy = false }`). Terraform ≥ 1.7 and OpenTofu ≥ 1.10
 * accept this form (OpenTofu added `lifecycle` to `removed` in opentofu/opentofu#2628); cdktf.json's
 * targetVersions already require ≥ 1.10 of both. Constructed at the construct path the resource had, so its
 * address is the one in state; a `removed` block for an address not in state does nothing.
 */
import { TerraformElement, TerraformStack } from "cdktn";
import type { Construct } from "constructs";

export class ForgetResource extends TerraformElement {
  /** The address Terraform forgets, e.g. `aws_cloudwatch_log_group.runtime_log-group-default_16B67667`. */
  readonly address: string;

  constructor(scope: Construct, id: string, resourceType: string) {
    super(scope, id);
    this.address = `${resourceType}.${TerraformStack.of(this).getLogicalId(this)}`;
  }

  override toTerraform(): Record<string, unknown> {
    return { removed: [{ from: this.address, lifecycle: { destroy: false } }] };
  }
}
