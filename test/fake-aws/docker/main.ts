/**
 * A stand-in `docker` client for tests: what preflight and build-image run (scripts/lib/preflight.ts,
 * scripts/lib/build-image.ts), answered the way Docker answers, with the push landing in the fake world's
 * ECR repository as a single-platform OCI image (manifest + config blob, which build-image verifies).
 * Runs on Node's built-in TypeScript support.
 *
 *   docker version --format {{.Server.Version}}
 *   docker buildx version | docker buildx inspect --bootstrap
 *   docker login --username AWS --password-stdin <registry>
 *   docker buildx build --platform linux/arm64 … --tag <repo>:<tag> --push … --metadata-file <file> <context>
 *
 * FAKE_DOCKER_PLATFORMS (default "linux/amd64, linux/arm64") sets what the builder can build.
 */
import { writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const say = (text: string) => process.stdout.write(`${text}\n`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

async function build(): Promise<number> {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const platform = option("--platform") ?? "linux/amd64";
  const tagged = option("--tag") ?? "";
  const metadataFile = option("--metadata-file");
  const [registryAndRepository, tag = "latest"] = tagged.split(/:(?=[^/:]+$)/);
  const repository = registryAndRepository!.split("/").slice(1).join("/");
  const architecture = platform.split("/")[1] ?? "amd64";
  say(`#1 [internal] load build definition from Dockerfile`);
  say(`#2 [linux/${architecture} internal] load metadata`);
  const response = await fetch(`${process.env.FAKE_AWS_WORLD_URL}/__docker/push`, { method: "POST", body: JSON.stringify({ repository, tag, architecture }) });
  const result = (await response.json()) as { digest?: string; error?: string };
  if (!result.digest) {
    process.stderr.write(`ERROR: failed to push ${tagged}: ${result.error}\n`);
    return 1;
  }
  say(`#9 pushing ${tagged} with docker`);
  say(`#9 DONE 0.4s`);
  if (metadataFile) writeFileSync(metadataFile, JSON.stringify({ "containerimage.digest": result.digest, "image.name": tagged }));
  return 0;
}

async function main(): Promise<number> {
  const [command, sub] = args;
  if (command === "version") {
    say("27.3.1");
    return 0;
  }
  if (command === "login") {
    await readStdin();
    say("Login Succeeded");
    return 0;
  }
  if (command === "buildx" && sub === "version") {
    say("github.com/docker/buildx v0.17.1 257815a");
    return 0;
  }
  if (command === "buildx" && sub === "inspect") {
    say("Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nEndpoint:  default\nStatus:    running\nBuildkit:  v0.16.0");
    say(`Platforms: ${process.env.FAKE_DOCKER_PLATFORMS ?? "linux/amd64, linux/arm64"}`);
    return 0;
  }
  if (command === "buildx" && sub === "build") return build();
  process.stderr.write(`docker: '${args.join(" ")}' is not a docker command the stand-in knows.\n`);
  return 1;
}

const code = await main();
process.stdout.write("", () => process.exit(code));
