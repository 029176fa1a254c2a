/** The image registry an AgentRuntime pulls from: an `AgentRegistry`, or a plain object describing a repository. */
export interface IAgentRegistry {
  /** The repository's name (known at synth). */
  readonly repositoryName: string;
  /** The repository's ARN; what pull permissions are scoped to. */
  readonly repositoryArn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`; the runtime runs `<repositoryUrl>@<digest>`. */
  readonly repositoryUrl: string;
}

/** Props of an AgentRegistry: every one is optional. */
export interface AgentRegistryProps {
  /** Prefix of the repository's default name. @default the stack's id */
  readonly namePrefix?: string;
  /** Name of the ECR repository. @default `<namePrefix>-agent` */
  readonly repositoryName?: string;
  /** How many images to keep, 1 to 1000; older ones expire, untagged ones after a day. @default 30 */
  readonly keepImages?: number;
  /** Customer managed KMS key (of the stack's Region and account) for image encryption. @default the AWS managed ECR key */
  readonly kmsKeyArn?: string;
}

/** AgentRegistryProps with every default applied, as validateAgentRegistryProps returns them. */
export interface RegistrySettings {
  /** How many images the lifecycle policy keeps. */
  readonly keepImages: number;
}
