import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { resources } from "./terraform.ts";

export const resDataRetainedInProduction: Rule = {
  id: "res-data-retained-in-production",
  level: "error",
  group: "Resources",
  cause: "A production environment keeps its bucket and objects on teardown",
  why: "force_destroy lets one destroy delete every object and version the agents ever wrote; production data must survive infrastructure changes.",
  fix: "Set storage.retainDataOnTeardown: true (the production default).",
  check(context) {
    if (context.stage !== "production") return notApplicable(`${context.stage} environment`);
    const buckets = resources(context.stacks.storage, "aws_s3_bucket");
    const destroyable = buckets.filter(([, b]) => b.force_destroy === true);
    return destroyable.length > 0 ? fail("the bucket has force_destroy: teardown would delete its data") : pass("bucket kept on teardown");
  },
};
