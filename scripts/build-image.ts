import { loadEnvironment, namesOf } from "./lib/environment.ts";
import { parseCommandLine, requireEnv, runScript } from "./lib/cli.ts";

const USAGE = `
Usage: npm run build-image -- --env <name> [--context <dir>] [--tag <tag>] [--allow-dirty] [--dry-run]

Builds the agent image for linux/arm64 with docker buildx (one platform, no attestation index), pushes it to
the environment's ECR repository with a registry build cache, verifies from the registry that the pushed
image is linux/arm64, then prints its digest and writes it to .build/images/<env>.json, where deploy and
synth read it. A tag already in the repository (tags are immutable) is verified and reused, not rebuilt.

Options:
  --env <name>      environment from environments/index.ts
  --context <dir>   Docker build context (default: agent)
  --tag <tag>       image tag: letters, digits, _ . - (up to 128; not "buildcache", the cache's tag)
                    (default: the git commit of the context)
  --allow-dirty     build with uncommitted changes in the context (the tag says -dirty-<time>)
  --dry-run         print what would run; touch nothing
  -h, --help        show this help
`;

await runScript(USAGE, async (argv) => {
  const args = parseCommandLine(argv, {
    env: { type: "string" },
    context: { type: "string", default: "agent" },
    tag: { type: "string" },
    "allow-dirty": { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
  });
  const environment = loadEnvironment(requireEnv(args.env));
  // Heavy modules (cdktn, the provider, AWS SDK clients) load only after the arguments are known good.
  const { writeImageRecord } = await import("../lib/image-records.ts");
  const { awsClients } = await import("./lib/aws.ts");
  const { buildImage, buildxArgs, checkContext, checkTag, gitTag, PLATFORM } = await import("./lib/build-image.ts");
  const { ExecaRunner } = await import("./lib/runner.ts");
  const { shellCommand } = await import("./lib/shell.ts");
  const context = args.context!;
  checkContext(context);
  if (args.tag !== undefined) checkTag(args.tag);
  const runner = new ExecaRunner();

  if (args["dry-run"]) {
    const account = environment.account ?? "<account>";
    const repository = `${account}.dkr.ecr.${environment.region}.amazonaws.com/${namesOf(environment, account).repository}`;
    const { tag, commit } = args.tag !== undefined ? { tag: args.tag, commit: "<commit>" } : await gitTag(runner, context, args["allow-dirty"]!, new Date());
    console.log(
      [
        `Would build ${PLATFORM} image ${repository}:${tag} from ${context}/:`,
        `  ${shellCommand(["docker", "login", "--username", "AWS", "--password-stdin", repository.split("/")[0]!])}   (password from ECR GetAuthorizationToken)`,
        `  ${shellCommand(["docker", ...buildxArgs({ repositoryUri: repository, tag, context, metadataFile: "<tmp>/metadata.json", commit })])}`,
        `  then verify in ECR that the manifest is a single linux/arm64 image, and write .build/images/${environment.name}.json`,
      ].join("\n"),
    );
    return;
  }

  const record = await buildImage(
    environment,
    { context, ...(args.tag !== undefined && { tag: args.tag }), allowDirty: args["allow-dirty"]! },
    {
      runner,
      clients: awsClients(environment.region),
      fetchJson: async (url) => (await fetch(url)).json(),
      log: (line) => console.error(line),
    },
  );
  const file = writeImageRecord(record);
  console.log(`${record.imageUri}\n(${record.reused ? "already in the registry" : "built and pushed"}; linux/arm64 verified; written to ${file})`);
});
