import { EcrLifecyclePolicy } from "@cdktn/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktn/provider-aws/lib/ecr-repository/index.js";
import type { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy/index.js";
import { Token } from "cdktn";
import { Construct } from "constructs";
import { arnParts } from "../../lib/arns.ts";
import { stackIdOf } from "../../lib/construct-checks.ts";
import { grantToRole, type RoleHandle } from "../../lib/grants.ts";
import { NAME_RULES } from "../../lib/names.ts";
import { inAccountPrecondition, withPreconditions } from "../../lib/plan-checks.ts";
import { awsContext } from "../../lib/scope.ts";
import { throwIfProblems } from "../../lib/validation.ts";
import { ecrPullStatements } from "../../policies/registry.ts";
import type { AgentRegistryProps, IAgentRegistry } from "./props.ts";
import { validateAgentRegistryProps } from "./validate.ts";

/** Tag of the registry build cache (buildx --cache-to type=registry); the one mutable tag. */
export const BUILD_CACHE_TAG = "buildcache";

/**
 * The agent's ECR repository: immutable tags (the runtime never re-pulls a moved tag, so a tag must mean
 * one image forever), scan on push, KMS encryption, and a lifecycle policy so it does not grow unbounded.
 * Images are never force-deleted by Terraform; teardown removes them only when the user confirms.
 *
 * Validates its props before creating anything (validateAgentRegistryProps) and throws a ConfigurationError
 * naming every problem.
 */
export class AgentRegistry extends Construct implements IAgentRegistry {
  /** The repository's name, as configured (known at synth). */
  readonly repositoryName: string;
  readonly repositoryArn: string;
  readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: AgentRegistryProps = {}) {
    super(scope, id);
    const aws = awsContext(this);
    const namePrefix = props.namePrefix ?? stackIdOf(this);
    const { problems, resolved } = validateAgentRegistryProps({ ...props, namePrefix }, aws.validation);
    throwIfProblems(this.node.path, problems);
    const name = props.repositoryName ?? NAME_RULES.repository.build({ name: namePrefix, region: "", accountId: "" });

    // The key's Region and (when pinned) account are checked at synth; an unpinned account, at plan time.
    const keyAccount = props.kmsKeyArn !== undefined && !Token.isUnresolved(props.kmsKeyArn) ? arnParts(props.kmsKeyArn)?.accountId : undefined;
    const keyChecks =
      keyAccount !== undefined && aws.literalAccountId === undefined
        ? inAccountPrecondition(aws.accountId, keyAccount, `The registry's KMS key ${props.kmsKeyArn} is in account ${keyAccount}, not the account being deployed to. Use a key of the deploying account.`)
        : [];
    const repository = new EcrRepository(this, "repository", {
      name,
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
            description: `Keep the ${resolved.keepImages} most recent images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: resolved.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.repositoryName = name;
    this.repositoryArn = repository.arn;
    this.repositoryUrl = repository.repositoryUrl;
  }

  /** Lets a role pull images from this repository (and get the registry token that requires). Returns the inline policy. */
  grantPull(role: RoleHandle): IamRolePolicy {
    return grantToRole(this, role, "ecr-pull", ecrPullStatements({ repositoryArn: this.repositoryArn }), "grantPull");
  }
}
