/**
 * What a construct learns from the stack it is in: the Region, partition and account its resources go to.
 * Constructs read these from the stack's default AWS provider, so a construct used directly takes no region or
 * account prop: a literal where the provider pins one, a Terraform token (a data source read at plan time)
 * where it does not.
 */
import { DataAwsCallerIdentity } from "@cdktn/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsPartition } from "@cdktn/provider-aws/lib/data-aws-partition/index.js";
import { DataAwsRegion } from "@cdktn/provider-aws/lib/data-aws-region/index.js";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider/index.js";
import { TerraformStack, Token } from "cdktn";
import type { IConstruct } from "constructs";
import { partitionOf } from "./service-facts.ts";
import type { ValidationContext } from "./validation.ts";

/** Construct ids of the stack-level data sources: Terraform addresses (`data.aws_caller_identity.caller-identity`). */
export const CALLER_IDENTITY_ID = "caller-identity";
const REGION_ID = "region";
const PARTITION_ID = "partition";

export interface AwsContext {
  /** The provider's Region, when it is a literal. */
  readonly literalRegion?: string;
  /** The provider's single allowed account, when it pins exactly one. */
  readonly literalAccountId?: string;
  /** The Region: the literal, or the stack's `data.aws_region` (created on first use). */
  readonly region: string;
  /** The partition: derived from the literal Region, or the stack's `data.aws_partition` (created on first use). */
  readonly partition: string;
  /**
   * The account: the pinned one, or the stack's `data.aws_caller_identity` "caller-identity" (the deploying
   * credentials' account at plan time, created on first use, once per stack).
   */
  readonly accountId: string;
  /** What validators are told: the literal values only. */
  readonly validation: ValidationContext;
}

/** The stack's default (alias-free) AWS provider, if the stack has one. */
export function defaultAwsProvider(scope: IConstruct): AwsProvider | undefined {
  const stack = TerraformStack.of(scope);
  return stack.node
    .findAll()
    .find((c): c is AwsProvider => c instanceof AwsProvider && TerraformStack.of(c) === stack && c.alias === undefined);
}

/** The stack-level data source with this id, created once. */
function stackSingleton<T extends IConstruct>(scope: IConstruct, id: string, create: (stack: TerraformStack) => T): T {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack);
}

/** Where the construct's resources go, read from its stack's AWS provider (see AwsContext). */
export function awsContext(scope: IConstruct): AwsContext {
  const provider = defaultAwsProvider(scope);
  const region = provider?.region;
  const accounts = provider?.allowedAccountIds;
  const literalRegion = region !== undefined && !Token.isUnresolved(region) ? region : undefined;
  const pinned = accounts !== undefined && accounts.length === 1 && !Token.isUnresolved(accounts[0]) ? accounts[0] : undefined;
  return {
    ...(literalRegion !== undefined && { literalRegion }),
    ...(pinned !== undefined && { literalAccountId: pinned }),
    get region() {
      return literalRegion ?? stackSingleton(scope, REGION_ID, (stack) => new DataAwsRegion(stack, REGION_ID)).region;
    },
    get partition() {
      return literalRegion !== undefined ? partitionOf(literalRegion) : stackSingleton(scope, PARTITION_ID, (stack) => new DataAwsPartition(stack, PARTITION_ID)).partition;
    },
    get accountId() {
      return pinned ?? stackSingleton(scope, CALLER_IDENTITY_ID, (stack) => new DataAwsCallerIdentity(stack, CALLER_IDENTITY_ID)).accountId;
    },
    validation: {
      ...(literalRegion !== undefined && { region: literalRegion, partition: partitionOf(literalRegion) }),
      ...(pinned !== undefined && { accountId: pinned }),
    },
  };
}
