import { EcrLifecyclePolicy } from "@cdktn/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktn/provider-aws/lib/ecr-repository/index.js";
import { Construct } from "constructs";
import { arnParts } from "../../lib/arns.ts";
import { inAccountPrecondition, withPreconditions } from "../../lib/plan-checks.ts";

/** Tag of the registry build cache (buildx --cache-to type=registry); the one mutable tag. */
export const BUILD_CACHE_TAG = "buildcache";

export interface AgentRegistryProps {
  readonly repositoryName: string;
  /** How many images to keep; older ones expire. Untagged images expire after a day. */
  readonly keepImages: number;
  /** Customer managed key for image encryption. @default - the AWS managed ECR key (KMS) */
  readonly kmsKeyArn?: string;
  /**
   * The repository's account (a literal, or the caller identity's account at plan time): with `kmsKeyArn`,
   * the plan checks the key is in it. @default - not checked
   */
  readonly accountId?: string;
}

/**
 * The agent's ECR repository: immutable tags (the runtime never re-pulls a moved tag, so a tag must mean
 * one image forever), scan on push, KMS encryption, and a lifecycle policy so it does not grow unbounded.
 * Images are never force-deleted by Terraform; teardown removes them only when the user confirms.
 */
export class AgentRegistry extends Construct {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: AgentRegistryProps) {
    super(scope, id);
    const keyAccount = props.kmsKeyArn !== undefined ? arnParts(props.kmsKeyArn)?.accountId : undefined;
    const keyChecks =
      props.accountId !== undefined && keyAccount !== undefined
        ? inAccountPrecondition(props.accountId, keyAccount, `The registry's KMS key ${props.kmsKeyArn} is in account ${keyAccount}, not the account being deployed to. Use a key of the deploying account.`)
        : [];
    const repository = new EcrRepository(this, "repository", {
      name: props.repositoryName,
      ...withPreconditions(keyChecks),
      // Every tag is immutable except the build cache, which buildx overwrites on each build.
      imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
      imageTagMutabilityExclusionFilter: [{ filter: BUILD_CACHE_TAG, filterType: "WILDCARD" }],
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", ...(props.kmsKeyArn !== undefined && { kmsKey: props.kmsKeyArn }) }],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, "lifecycle-policy", {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images (superseded build layers) after a day",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the ${props.keepImages} most recent images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.repositoryName = repository.name;
    this.repositoryArn = repository.arn;
    this.repositoryUrl = repository.repositoryUrl;
  }
}
