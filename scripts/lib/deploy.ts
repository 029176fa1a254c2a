/**
 * Deploys one environment in dependency order: preflight, then a preview of what the storage stack will
 * replace, then the registry, then the network → storage chain and the image build side by side, then the
 * agent with the new image digest.
 */
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { stackName, type Layer } from "../../modules/environment/environment-stack.ts";
import { IMAGE_DIGEST_VARIABLE } from "../../modules/runtime/runtime.ts";
import { CDKTN_STACK_FLAGS, cdktnArgs } from "./cdktn.ts";
import { shellCommand } from "./shell.ts";
import type { PlannedReplacement } from "./stack-plan.ts";
import type { Step } from "./steps.ts";
import { commandLine } from "../../lib/invocation.ts";

export type DeployStepId = "preflight" | "synth" | "changes" | "base" | "registry" | "network" | "storage" | "image" | "agent";

/** `--only agent`: a new runtime (or a new image) on a network, storage and registry that stay deployed. */
export type DeployScope = "all" | "agent";

/** The stacks `--only agent` builds on: they must be deployed, and it does not change them. */
export const BASE_LAYERS: readonly Layer[] = ["network", "storage", "registry"];

export interface DeployStep extends Step<DeployStepId> {
  /** What the step runs, for --dry-run and for the failure report. */
  readonly command: string;
  /** How long it usually takes, for the plan (README "What each step costs"). */
  readonly typical: string;
}

/** The deploy's dependency graph. The names of the stacks are a public contract (DESIGN.md). */
/**
 * @param options.context the image's build context, shown in the image step's command
 * @param options.outdir where the synth step writes the app @default "cdktf.out"
 */
/**
 * @param options.imageFrom promote the image that environment runs (by digest) instead of building one
 */
export function deployPlan(environment: EnvironmentDescription, options: { context: string; only?: DeployScope; outdir?: string; imageFrom?: string }): DeployStep[] {
  const env = environment.name;
  // Shown to people (--dry-run, failure reports): quoted so that pasting one runs exactly these words.
  // Each is run only when `terraform plan -detailed-exitcode` of the stack shows changes (formatPlan says so).
  const stack = (layer: Layer, ...extra: string[]) => shellCommand(["npx", "cdktn", "deploy", stackName(env, layer), ...CDKTN_DEPLOY_FLAGS, ...extra]);
  const image = (needs: DeployStepId[]): DeployStep =>
    options.imageFrom !== undefined
      ? {
          id: "image",
          label: `image (from ${options.imageFrom})`,
          needs,
          command: `copy the image ${options.imageFrom} runs (by digest, from its agent stack's state) into ${env}'s repository with the ECR API (only the blobs it lacks), then verify the digest and linux/arm64`,
          typical: "<1 min (seconds when the blobs are there)",
        }
      : {
          id: "image",
          label: "image (arm64)",
          needs,
          command: commandLine("build-image", shellCommand(["--env", env, "--context", options.context])),
          typical: "1-5 min native arm64, 5-15 min emulated",
        };
  const agent = (needs: DeployStepId[]): DeployStep => ({
    id: "agent",
    label: `${env}-agent`,
    needs,
    command: stack("agent", `--var=${IMAGE_DIGEST_VARIABLE}=<digest from the image step>`),
    typical: "1-3 min",
  });
  const local: DeployStep[] = [
    { id: "preflight", label: "preflight", needs: [], command: commandLine("preflight", `--env ${env}`), typical: "<1 min" },
    { id: "synth", label: "synth", needs: [], command: `synthesize ${env}'s stacks into ${options.outdir ?? "cdktf.out"}/ (the app of ./cdktf.json)`, typical: "<1 min" },
  ];
  if (options.only === "agent") {
    return [
      ...local,
      {
        id: "base",
        label: "network, storage, registry",
        needs: ["preflight", "synth"],
        command: `check that ${BASE_LAYERS.map((l) => stackName(env, l)).join(", ")} are deployed (their state holds resources and their plans create nothing); they are not changed`,
        typical: "<1 min",
      },
      image(["base"]),
      agent(["image"]),
    ];
  }
  return [
    ...local,
    {
      id: "changes",
      label: "change preview",
      needs: ["preflight", "synth"],
      command: `terraform plan -detailed-exitcode, then terraform show -json plan, in cdktf.out/stacks/${stackName(env, "storage")} (only when it is deployed): says what it will replace before anything changes`,
      typical: "<1 min",
    },
    { id: "registry", label: `${env}-registry`, needs: ["changes"], command: stack("registry"), typical: "<1 min" },
    { id: "network", label: `${env}-network`, needs: ["registry"], command: stack("network"), typical: "2-4 min (NAT gateways, endpoints)" },
    { id: "storage", label: `${env}-storage`, needs: ["network"], command: stack("storage"), typical: "3-6 min (mount targets)" },
    image(["registry"]),
    agent(["storage", "image"]),
  ];
}

/** What deploy passes to `cdktn deploy` (see cdktn.ts for why). */
export const CDKTN_DEPLOY_FLAGS = ["--auto-approve", ...CDKTN_STACK_FLAGS] as const;

/** The agent stack's image digest, as a cdktn variable flag. */
function digestVariable(digest?: string): string[] {
  return digest !== undefined ? [`--var=${IMAGE_DIGEST_VARIABLE}=${digest}`] : [];
}

export function cdktnDeployArgs(stack: string, digest?: string): string[] {
  return cdktnArgs("deploy", stack, digestVariable(digest));
}

/**
 * What a replacement means for this project. Every attribute of aws_s3files_access_point forces a new one
 * (hashicorp/terraform-provider-aws internal/service/s3files/access_point.go: RequiresReplace on
 * file_system_id, posix_user, root_directory and their nested attributes), so a change of the POSIX user or
 * root directory gives it a new ARN, which the runtime in <env>-agent mounts.
 */
export function describeReplacement(environment: string, replacement: PlannedReplacement): string {
  const because = replacement.because.length > 0 ? ` (changed: ${replacement.because.join(", ")})` : "";
  if (replacement.type === "aws_s3files_access_point") {
    return `${stackName(environment, "storage")} will REPLACE the S3 Files access point ${replacement.address}${because}: its ARN changes, and the runtime mounts it by ARN. Deploy applies ${stackName(environment, "agent")} right after ${stackName(environment, "storage")}; until then new sessions cannot mount the file system.`;
  }
  if (replacement.type === "aws_s3files_file_system") {
    return `${stackName(environment, "storage")} will REPLACE the S3 Files file system ${replacement.address}${because}: writes not yet exported to the bucket are lost, and the access point and mount targets are recreated.`;
  }
  return `${stackName(environment, "storage")} will replace ${replacement.address}${because}.`;
}

export function formatPlan(environment: EnvironmentDescription, steps: readonly DeployStep[], only: DeployScope = "all"): string {
  const width = Math.max(16, ...steps.map((s) => s.label.length));
  const lines = steps.map((s, i) => {
    const after = s.needs.length > 0 ? `after ${s.needs.join(" + ")}` : "first";
    return `  ${String(i + 1).padStart(2)}. ${s.label.padEnd(width)} ${after.padEnd(26)} ~${s.typical}\n        ${s.command}`;
  });
  const where = `${environment.region}, account ${environment.account ?? "of the current credentials"}`;
  return [
    `Deploy plan for ${environment.name} (${where}):`,
    ...lines,
    "",
    only === "agent"
      ? `--only agent: the runtime goes onto the network, storage and registry already deployed, which stay as they are; AgentCore reuses the ENIs it holds in those subnets, so a runtime comes and goes without waiting for them (${commandLine("teardown", `--env ${environment.name} --only agent`)} removes it again).`
      : "The network → storage chain and the image build run side by side; the agent waits for both.",
    "Each stack is applied only when its Terraform plan (its state against the account) shows changes: a re-run resumes where the last one stopped, from any machine that reads the same state.",
  ].join("\n");
}
