import { fail, pass, type Rule } from "./rule.ts";
import { actionCovers, list, statements } from "./terraform.ts";

const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];

/** ECR access scoped to the environment's repository (checklist: IAM). */
export const iamEcrRepositoryScoped: Rule = {
  id: "iam-ecr-repository-scoped",
  level: "error",
  group: "IAM",
  cause: "Image pull is allowed only on the environment's repository; only ecr:GetAuthorizationToken uses *",
  why: "Pull rights on every repository let a compromised runtime read other teams' images, which often embed code and configuration.",
  fix: "Grant ecr:BatchGetImage, GetDownloadUrlForLayer and BatchCheckLayerAvailability on the repository ARN only.",
  check(context) {
    const pulls = statements(context).filter(({ statement }) => statement.Effect === "Allow" && list(statement.Action).some((a) => PULL.some((p) => actionCovers(a, p))));
    if (pulls.length === 0) return fail("no statement allows pulling the agent image");
    const resources = pulls.flatMap(({ statement }) => list(statement.Resource));
    const broad = resources.filter((r) => !/^(arn:[^:]+:ecr:[^:]+:[^:]+:repository\/[^*]+|\$\{[^}]*(ecr_repository|repository)[^}]*\})$/.test(r));
    return broad.length > 0 ? fail(`image pull allowed on ${broad.join(", ")}`) : pass(`image pull limited to ${new Set(resources).size} repository ARN`);
  },
};
