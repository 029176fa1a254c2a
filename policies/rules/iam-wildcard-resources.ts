import { ALLOWED_ON_ANY_RESOURCE } from "../wildcards.ts";
import { fail, pass, type Rule } from "./rule.ts";
import { list, statements } from "./terraform.ts";

export const iamWildcardResources: Rule = {
  id: "iam-wildcard-resources",
  level: "error",
  group: "IAM",
  cause: 'No policy allows an action on Resource "*" unless the service offers nothing narrower',
  why: 'Resource "*" turns a grant for one thing into a grant for everything of that kind in the account.',
  fix: "Scope the statement to ARNs; if the service truly has no resource-level permissions, justify it in policies/wildcards.ts.",
  check(context) {
    const offenders = statements(context)
      .filter(({ statement }) => statement.Effect === "Allow" && list(statement.Resource).includes("*"))
      .flatMap(({ type, id, statement }) => list(statement.Action).filter((a) => !(a in ALLOWED_ON_ANY_RESOURCE)).map((a) => `${a} in ${type}.${id}`));
    return offenders.length > 0 ? fail(`allowed on *: ${offenders.join(", ")}`) : pass("every Allow on * is one the service requires");
  },
};
