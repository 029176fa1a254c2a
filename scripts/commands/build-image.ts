import { commandLine } from "../../lib/invocation.ts";
import { loadEnvironment } from "../lib/app.ts";
import { parseCommandLine, requireEnv } from "../lib/cli.ts";

export function usage(): string {
  return `
Usage: ${commandLine("build-image", "--env <name> [--context <dir>] [--tag <tag>] [--allow-dirty] [--dry-run]")}

Builds the agent image for linux/arm64 with docker buildx (one platform, no attestation index), pushes it to
the environment's ECR repository with a registry build cache, verifies from the registry that the pushed
image is linux/arm64, then prints its digest and writes it to .build/images/<env>.json, where deploy and
synth read it. A tag already in the repository (tags are immutable) is verified and reused, not rebuilt.

Options:
  --env <name>      an environment of the app in ./cdktf.json
  --context <dir>   Docker build context (default: agent/ of this project if it has one, else the
                    reference agent shipped with agentcore-s3files-infra, tagged reference-agent-<version>)
  --tag <tag>       image tag: letters, digits, _ . - (up to 128; not "buildcache", the cache's tag)
                    (default: the git commit of the context)
  --allow-dirty     build with uncommitted changes in the context (the tag says -dirty-<time>)
  --dry-run         print what would run; touch nothing
  -h, --help        show this help
`;
}

export async function run(argv: readonly string[]): Promise<number | void> {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    context: { type: "string" },
    tag: { type: "string" },
    "allow-dirty": { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
  });
  const name = requireEnv(args.env);
  const { buildImage, buildxArgs, checkContext, checkTag, defaultContext, gitTag, PLATFORM } = await import("../lib/build-image.ts");
  const { context, reference } = args.context !== undefined ? { context: args.context, reference: undefined } : defaultContext();
  checkContext(context);
  if (args.tag !== undefined) checkTag(args.tag);
  const { environment } = await loadEnvironment(name);
  // Heavy modules (AWS SDK clients) load only after the arguments are known good.
  const { resourceNamesOf } = await import("../../modules/environment/description.ts");
  const { writeImageRecord } = await import("../../lib/image-records.ts");
  const { awsClients } = await import("../lib/aws.ts");
  const { ExecaRunner } = await import("../lib/runner.ts");
  const { shellCommand } = await import("../lib/shell.ts");
  const runner = new ExecaRunner();
  // The reference agent shipped in the package is tagged with the package's version: it is no commit of this project.
  const given = args.tag ?? reference?.tag;

  if (args["dry-run"]) {
    const account = environment.account ?? "<account>";
    const repository = `${account}.dkr.ecr.${environment.region}.amazonaws.com/${resourceNamesOf(environment, account).repository}`;
    const { tag, commit } = given !== undefined ? { tag: given, commit: reference?.commit ?? "<commit>" } : await gitTag(runner, context, args["allow-dirty"]!, new Date());
    console.log(
      [
        `Would build ${PLATFORM} image ${repository}:${tag} from ${context}/${reference !== undefined ? " (the reference agent of agentcore-s3files-infra; --context <dir> builds yours)" : ""}:`,
        `  ${shellCommand(["docker", "login", "--username", "AWS", "--password-stdin", repository.split("/")[0]!])}   (password from ECR GetAuthorizationToken)`,
        `  ${shellCommand(["docker", ...buildxArgs({ repositoryUri: repository, tag, context, metadataFile: "<tmp>/metadata.json", commit })])}`,
        `  then verify in ECR that the manifest is a single linux/arm64 image, and write .build/images/${environment.name}.json`,
      ].join("\n"),
    );
    return;
  }

  const record = await buildImage(
    environment,
    { context, ...(given !== undefined && { tag: given }), ...(reference !== undefined && { commit: reference.commit }), allowDirty: args["allow-dirty"]! },
    {
      runner,
      // The deploy role's account when the environment names one: the repository is where Terraform made it.
      clients: awsClients(environment.region, (await import("../lib/credentials.ts")).deployCredentials(environment)),
      fetchJson: async (url) => (await fetch(url)).json(),
      log: (line) => console.error(line),
    },
  );
  const file = writeImageRecord(record);
  console.log(`${record.imageUri}\n(${record.reused ? "already in the registry" : "built and pushed"}; linux/arm64 verified; written to ${file})`);
}
