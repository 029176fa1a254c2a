/** What an AgentRegistry accepts: a repository name ECR takes, a bounded image count, a key of its own Region. */
import { Token } from "cdktn";
import { checkAgainstAws, checkKmsKeyArn, checkNamePrefix } from "../../lib/construct-checks.ts";
import { shapeProblems } from "../../lib/shape.ts";
import { registryShape } from "../../lib/handle-shapes.ts";
import { ProblemCollector, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
import type { AgentRegistryProps, RegistrySettings } from "./props.ts";

/** The defaults an AgentRegistry applies where its props say nothing. */
export const REGISTRY_DEFAULTS = {
  /** Images the lifecycle policy keeps. */
  keepImages: 30,
} as const;
/** An ECR lifecycle rule's countNumber for imageCountMoreThan; this project caps it at 1000 images. */
const MAX_KEEP_IMAGES = 1000;

/** Validates AgentRegistry props and applies their defaults; see AgentRegistryProps. */
export function validateAgentRegistryProps(props: AgentRegistryProps, context: ValidationContext = {}): ValidationResult<RegistrySettings> {
  const types = shapeProblems(registryShape, props, "AgentRegistryProps");
  if (types !== undefined) return { problems: types.problems, resolved: validateAgentRegistryProps(types.rest, context).resolved };
  const check = new ProblemCollector(context, "the stack");
  check.group = "registry";
  check.checkTemplateSequences(props, []);
  if (props.namePrefix !== undefined && props.repositoryName === undefined) checkNamePrefix(check, props.namePrefix, ["repository"]);
  if (props.repositoryName !== undefined && !Token.isUnresolved(props.repositoryName)) {
    checkAgainstAws(check, "repositoryName", props.repositoryName, {
      resource: "aws_ecr_repository",
      attribute: "name",
      service: "ECR",
      fix: 'use lowercase letters, digits and ._-/ separators, e.g. "agents/support-bot"',
    });
  }
  const keepImages = props.keepImages ?? REGISTRY_DEFAULTS.keepImages;
  if (!Token.isUnresolved(keepImages) && (!Number.isInteger(keepImages) || keepImages < 1 || keepImages > MAX_KEEP_IMAGES)) {
    check.report("keepImages", keepImages, `must be a whole number from 1 to ${MAX_KEEP_IMAGES}`, "set how many recent images the registry keeps, e.g. 30");
  }
  if (props.kmsKeyArn !== undefined) checkKmsKeyArn(check, "kmsKeyArn", props.kmsKeyArn, "the repository");
  return { problems: check.problems, resolved: { keepImages } };
}
