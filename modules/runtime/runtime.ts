import { BedrockagentcoreAgentRuntime } from "@cdktn/provider-aws/lib/bedrockagentcore-agent-runtime/index.js";
import { BedrockagentcoreAgentRuntimeEndpoint } from "@cdktn/provider-aws/lib/bedrockagentcore-agent-runtime-endpoint/index.js";
import { BedrockagentcoreResourcePolicy } from "@cdktn/provider-aws/lib/bedrockagentcore-resource-policy/index.js";
import { IamPolicy } from "@cdktn/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktn/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { Lazy, TerraformStack, TerraformVariable, Token } from "cdktn";
import { Construct } from "constructs";
import { valueBreaks } from "../../lib/aws-constraints/check.ts";
import { stackIdOf } from "../../lib/construct-checks.ts";
import { NAME_RULES } from "../../lib/names.ts";
import { withPreconditions } from "../../lib/plan-checks.ts";
import { awsContext, type AwsContext } from "../../lib/scope.ts";
import { ConfigurationError, throwIfProblems } from "../../lib/validation.ts";
import { executionRolePolicy, executionRoleTrustPolicy, invokerPolicy, operatorPolicy, runtimeResourcePolicy } from "../../policies/agent.ts";
import { policyDocument, type PolicyStatement } from "../../policies/document.ts";
import { grantTarget, inDeployingAccount, PolicyAttachments, type GrantTarget } from "./grants.ts";
import { runtimeLogDelivery } from "./logs.ts";
import { NFS_PORT } from "../network/network.ts";
import type { INetwork } from "../network/props.ts";
import type { AgentRuntimeProps, IAgentRuntime, PrincipalArnOrHandle, RuntimeMount, RuntimeSettings } from "./props.ts";
import { JWT_COMMANDS, PRINCIPAL_KINDS } from "./validate-access.ts";
import { validateAgentRuntimeProps } from "./validate.ts";

/** The stack-level Terraform variable carrying the image digest; build-image prints it, deploy passes it. */
export const IMAGE_DIGEST_VARIABLE = "agent_image_digest";

/**
 * An AgentCore runtime in VPC mode with its execution role, an endpoint that follows the runtime's
 * version, its vended logs delivered into log groups with retention, and two managed policies: invoke (for
 * callers) and operate (InvokeAgentRuntimeCommand, for named operators only).
 *
 * The execution role may call exactly the listed models, pull from the registry's repository only, mount the
 * storage through its access point only, and read and write the bucket under `agentPrefix` only.
 *
 * Validates its props before creating anything (validateAgentRuntimeProps) and throws a ConfigurationError
 * naming every problem. Region and account come from the stack's AWS provider.
 */
export class AgentRuntime extends Construct implements IAgentRuntime {
  /** The runtime's name in AgentCore (known at synth). */
  readonly runtimeName: string;
  /** The runtime's ARN. */
  readonly runtimeArn: string;
  /** The runtime's id. */
  readonly runtimeId: string;
  /** The runtime's current version (each update makes a new one). */
  readonly runtimeVersion: string;
  /** The ARN of the endpoint that follows the latest version (`endpointName`). */
  readonly endpointArn: string;
  /** The execution role the agent's code runs as. */
  readonly executionRoleArn: string;
  /** The execution role's name. */
  readonly executionRoleName: string;
  /** The managed policy callers need to invoke the runtime (grantInvoke attaches it). */
  readonly invokerPolicyArn: string;
  /** The managed policy that lets a principal run commands in a session (grantOperate attaches it; alerted). */
  readonly operatorPolicyArn: string;
  /** `<repository url>@<digest>`: the image the runtime runs. */
  readonly containerUri: string;
  /** The stack's image-digest variable (`agent_image_digest`). */
  readonly imageDigestVariable: TerraformVariable;
  /** Log groups this construct owns (with retention): the runtime's vended application and usage logs. */
  readonly logGroupNames: readonly string[];
  /**
   * Log groups AgentCore creates and owns for the container's output, one per endpoint
   * (`/aws/bedrock-agentcore/runtimes/<runtime id>-<endpoint>`). Not managed here; see runtimeLogDelivery.
   */
  readonly serviceLogGroupNames: readonly string[];
  /** The props with every default applied. */
  readonly settings: RuntimeSettings;
  /** How callers authenticate (`settings.auth.type`). */
  readonly inboundAuth: "AWS_IAM" | "CUSTOM_JWT";

  private readonly aws: AwsContext;
  private readonly attachments: PolicyAttachments;
  private readonly extraStatements: PolicyStatement[] = [];
  /** The runtime resource policy's invokers, when there is one (props.invokers and grantInvoke). */
  private readonly resourcePolicyInvokers?: string[];

  constructor(scope: Construct, id: string, props: AgentRuntimeProps) {
    super(scope, id);
    const aws = awsContext(this);
    this.aws = aws;
    const namePrefix = props.namePrefix ?? stackIdOf(this);
    const { problems, resolved: s } = validateAgentRuntimeProps({ ...props, namePrefix }, aws.validation);
    throwIfProblems(this.node.path, problems);
    this.settings = s;
    this.inboundAuth = s.auth.type;
    const naming = { name: namePrefix, region: "", accountId: "" };
    const runtimeName = props.runtimeName ?? NAME_RULES.runtime.build(naming);
    this.runtimeName = runtimeName;
    const accountScope = { partition: aws.partition, region: aws.region, accountId: aws.accountId };
    const { network, storage, registry } = props;

    // The runtime never re-pulls a moved tag, so it runs an image by digest. Synth needs no built image:
    // the digest arrives at deploy time (or is pinned in the props).
    this.imageDigestVariable = this.digestVariable(registry.repositoryName, s.imageDigest);
    this.containerUri = `${registry.repositoryUrl}@${this.imageDigestVariable.stringValue}`;

    const role = new IamRole(this, "execution-role", {
      name: NAME_RULES.executionRole.build(naming),
      description: `Execution role of AgentCore runtime ${runtimeName}`,
      assumeRolePolicy: JSON.stringify(executionRoleTrustPolicy({ ...accountScope, runtimeName })),
      maxSessionDuration: 28800,
      // Teams attach managed policies of their own to the agent's role (addToExecutionRolePolicy aside); IAM refuses
      // to delete a role that still has them (DeleteRole: detach managed policies first, else DeleteConflict).
      forceDetachPolicies: true,
    });
    const basePolicy = executionRolePolicy({
      ...accountScope,
      runtimeName,
      models: s.models,
      repositoryArn: registry.repositoryArn,
      fileSystemArn: storage.fileSystemArn,
      accessPointArn: storage.accessPointArn,
      bucketArn: storage.bucketArn,
      ...(storage.kmsKeyArn !== undefined && { bucketKmsKeyArn: storage.kmsKeyArn }),
      agentPrefix: s.agentPrefix,
      additionalMounts: s.additionalMounts,
    });
    const rolePolicy = new IamRolePolicy(this, "execution-role-policy", {
      role: role.id,
      name: "agent-runtime",
      // Statements added with addToExecutionRolePolicy join this one policy: no new address, one size budget.
      policy: Lazy.stringValue({ produce: () => JSON.stringify(policyDocument(...basePolicy.Statement, ...this.extraStatements)) }),
    });
    this.executionRoleArn = role.arn;
    this.executionRoleName = role.name;

    // NFS to each other file system's mount targets; the environment's own are reached by the network's rule.
    const nfsEgress = this.nfsEgressToAdditionalMountTargets(network, s.additionalMounts);
    // AgentCore checks the storage's mount targets when it creates the runtime, and the access point ARN (the only
    // reference the runtime holds) is ready long before they are: in the same stack, wait for them. In another
    // stack they are there already: that stack is applied first (the runtime reads its outputs), and the provider
    // creates a mount target only once it is available.
    const stack = TerraformStack.of(this);
    const mountTargets = (storage.mountTargetsAvailable ?? []).filter((d) => !(d instanceof Construct) || TerraformStack.of(d) === stack);

    const auth = s.auth;
    const runtime = new BedrockagentcoreAgentRuntime(this, "runtime", {
      agentRuntimeName: runtimeName,
      description: props.description ?? `Agent runtime of environment ${namePrefix}`,
      roleArn: role.arn,
      agentRuntimeArtifact: [{ containerConfiguration: [{ containerUri: this.containerUri }] }],
      networkConfiguration: [
        {
          networkMode: "VPC",
          networkModeConfig: [{ subnets: network.privateSubnets.map((subnet) => subnet.subnetId), securityGroups: [network.agentSecurityGroupId] }],
        },
      ],
      protocolConfiguration: [{ serverProtocol: s.protocol }],
      // No authorizer block means AWS_IAM (SigV4). Configuring "no auth" is not possible.
      ...(auth.type === "CUSTOM_JWT" && {
        authorizerConfiguration: [
          {
            customJwtAuthorizer: [
              {
                discoveryUrl: auth.discoveryUrl,
                ...(auth.allowedAudience.length > 0 && { allowedAudience: [...auth.allowedAudience] }),
                ...(auth.allowedClients.length > 0 && { allowedClients: [...auth.allowedClients] }),
                ...(auth.allowedScopes.length > 0 && { allowedScopes: [...auth.allowedScopes] }),
              },
            ],
          },
        ],
      }),
      lifecycleConfiguration: [{ idleRuntimeSessionTimeout: s.idleTimeoutSeconds, maxLifetime: s.maxLifetimeSeconds }],
      filesystemConfiguration: [
        // Hot tier: 1 GB per session, wiped on every runtime update (REFERENCE.md "Session storage").
        { sessionStorage: [{ mountPath: s.sessionStorageMountPath }] },
        // Warm tier: mounted natively by the runtime; no mount helper in the image.
        { s3FilesAccessPoint: [{ accessPointArn: storage.accessPointArn, mountPath: s.s3FilesMountPath }] },
        ...s.additionalMounts.map((mount) =>
          mount.type === "s3files"
            ? { s3FilesAccessPoint: [{ accessPointArn: mount.accessPointArn, mountPath: mount.mountPath }] }
            : { efsAccessPoint: [{ accessPointArn: mount.accessPointArn, mountPath: mount.mountPath }] },
        ),
      ],
      environmentVariables: {
        ...s.environmentVariables,
        // The agent learns where its tiers are from plain configuration (PROJECT_ENVIRONMENT_VARIABLES).
        AGENT_ENVIRONMENT: namePrefix,
        AGENT_REGION: aws.region,
        AGENT_BUCKET: storage.bucketName,
        AGENT_PREFIX: s.agentPrefix,
        AGENT_MODEL_IDS: s.models.map((m) => m.id).join(","),
        SESSION_STORAGE_PATH: s.sessionStorageMountPath,
        S3FILES_MOUNT_PATH: s.s3FilesMountPath,
      },
      // The role's permissions must exist before the service validates the image and the mounts, and the way to
      // every file system before a session mounts it.
      dependsOn: [rolePolicy, ...nfsEgress, ...mountTargets],
    });
    this.runtimeArn = runtime.agentRuntimeArn;
    this.runtimeId = runtime.agentRuntimeId;
    this.runtimeVersion = runtime.agentRuntimeVersion;

    // A custom endpoint stays on the version it was created with unless told otherwise: follow the runtime.
    const endpoint = new BedrockagentcoreAgentRuntimeEndpoint(this, "endpoint", {
      agentRuntimeId: runtime.agentRuntimeId,
      name: s.endpointName,
      agentRuntimeVersion: runtime.agentRuntimeVersion,
      description: "Follows the latest runtime version",
    });
    this.endpointArn = endpoint.agentRuntimeEndpointArn;

    this.serviceLogGroupNames = ["DEFAULT", s.endpointName].map((name) => `/aws/bedrock-agentcore/runtimes/${runtime.agentRuntimeId}-${name}`);
    this.logGroupNames = runtimeLogDelivery(this, { runtimeName, runtimeArn: runtime.agentRuntimeArn, endpointName: s.endpointName, logRetentionDays: s.logRetentionDays });

    const invoke = new IamPolicy(this, "invoker-policy", {
      name: NAME_RULES.invokerPolicy.build(naming),
      description: `Invoke AgentCore runtime ${runtimeName} and its endpoints`,
      policy: JSON.stringify(invokerPolicy({ runtimeArn: runtime.agentRuntimeArn })),
    });
    const operate = new IamPolicy(this, "operator-policy", {
      name: NAME_RULES.operatorPolicy.build(naming),
      description: `Run commands inside AgentCore runtime ${runtimeName} (raises the shell-access alert)`,
      policy: JSON.stringify(operatorPolicy({ runtimeArn: runtime.agentRuntimeArn })),
    });
    this.invokerPolicyArn = invoke.arn;
    this.operatorPolicyArn = operate.arn;
    this.attachments = new PolicyAttachments(this, aws);

    if (s.invokers !== undefined) {
      const invokers = [...s.invokers];
      this.resourcePolicyInvokers = invokers;
      const checks = s.invokers.filter((arn) => !Token.isUnresolved(arn)).flatMap((arn) => inDeployingAccount(aws, this.target("invokers", arn, "invokers"), "may invoke the runtime"));
      new BedrockagentcoreResourcePolicy(this, "resource-policy", {
        resourceArn: runtime.agentRuntimeArn,
        policy: Lazy.stringValue({ produce: () => JSON.stringify(runtimeResourcePolicy({ runtimeArn: runtime.agentRuntimeArn, invokers })) }),
        ...withPreconditions(checks),
      });
    }
    for (const operator of s.operators) this.grantOperate(operator);
  }

  /**
   * Lets an IAM role, user or group invoke the runtime: attaches the invoker policy to it. When the runtime has an
   * invoker list (`invokers`, a resource policy that denies everyone else), the principal joins that list too
   * (a role or user then: a resource policy cannot name a group).
   */
  grantInvoke(principal: PrincipalArnOrHandle): void {
    this.refuseOnJwtRuntime("grantInvoke", principal, "the invoker policy would grant nothing: a runtime with a CUSTOM_JWT authorizer refuses SigV4 requests; its callers present a bearer token", "give the caller a token the authorizer accepts (allowedClients, allowedAudience, allowedScopes)");
    const kinds = this.resourcePolicyInvokers !== undefined ? PRINCIPAL_KINDS.invokers : PRINCIPAL_KINDS.operators;
    const target = grantTarget(this.node.path, "grantInvoke", principal, kinds, this.aws);
    this.attachments.attach("invoker", this.invokerPolicyArn, target, "grantInvoke");
    this.resourcePolicyInvokers?.push(target.arn);
  }

  /** Lets an IAM role, user or group run commands in the runtime's microVMs (the operator policy); every use alerts. */
  grantOperate(principal: PrincipalArnOrHandle): void {
    this.refuseOnJwtRuntime("grantOperate", principal, `the operator policy would grant nothing: a runtime with a CUSTOM_JWT authorizer refuses SigV4 requests, and ${JWT_COMMANDS}`, "use AWS_IAM inbound auth to keep commands to named operators");
    this.attachments.attach("operator", this.operatorPolicyArn, grantTarget(this.node.path, "grantOperate", principal, PRINCIPAL_KINDS.operators, this.aws), "grantOperate");
  }

  /**
   * Adds a statement to the execution role's inline policy (the same policy, so no new resource). The
   * production-readiness audit judges the result like every other statement: an Allow on Resource "*" for an
   * action that has resource-level permissions fails iam-wildcard-resources.
   */
  addToExecutionRolePolicy(statement: PolicyStatement): void {
    if (statement === null || typeof statement !== "object" || (statement.Effect !== "Allow" && statement.Effect !== "Deny") || statement.Action === undefined) {
      throw new ConfigurationError(this.node.path, [
        { field: "addToExecutionRolePolicy(statement)", value: statement, problem: "is not an IAM policy statement with an Effect (Allow or Deny) and an Action", fix: 'pass { Effect: "Allow", Action: [...], Resource: [...] }' },
      ]);
    }
    if ("Principal" in statement) {
      throw new ConfigurationError(this.node.path, [
        { field: "addToExecutionRolePolicy(statement)", value: statement, problem: "has a Principal; an identity policy's statements apply to the role itself", fix: "remove Principal" },
      ]);
    }
    this.extraStatements.push(statement);
  }

  /** IAM grants mean nothing on a runtime whose callers present bearer tokens: refuse them rather than pretend. */
  private refuseOnJwtRuntime(method: string, principal: PrincipalArnOrHandle, problem: string, fix: string): void {
    if (this.inboundAuth !== "CUSTOM_JWT") return;
    throw new ConfigurationError(this.node.path, [{ field: `${method}(principal)`, value: typeof principal === "string" ? principal : principal.arn, problem, fix }]);
  }

  private target(field: "invokers" | "operators", arn: string, purpose: string): GrantTarget {
    return grantTarget(this.node.path, purpose, arn, PRINCIPAL_KINDS[field], this.aws);
  }

  /**
   * One NFS (TCP 2049) egress rule from the agent security group to each other mount-target security group that
   * additionalMounts name: a runtime mounts through the mount target in its Availability Zone, and S3 Files and EFS
   * both want TCP 2049 open from the client's group to the mount targets' (S3 User Guide, "Creating mount targets",
   * security groups; EFS User Guide, "Using VPC security groups"). One rule per group: EC2 refuses a second
   * identical rule (InvalidPermission.Duplicate), so mounts behind one group share it. The construct id is the
   * group id, so it stays put when mounts are reordered; for a group id that is a token, `path-<name>` after its
   * first mount's path (or `mount-<index>` when that is a token too). The three forms never meet: group ids start
   * with "sg-", literal paths are distinct, indexes are.
   */
  private nfsEgressToAdditionalMountTargets(network: INetwork, mounts: readonly RuntimeMount[]): VpcSecurityGroupEgressRule[] {
    const byGroup = new Map<string, { paths: string[]; key: string }>();
    mounts.forEach((mount, i) => {
      const group = mount.mountTargetSecurityGroupId;
      if (group === network.mountTargetSecurityGroupId) return;
      const earlier = byGroup.get(group);
      if (earlier !== undefined) {
        earlier.paths.push(mount.mountPath);
        return;
      }
      const key = !Token.isUnresolved(group) ? group : Token.isUnresolved(mount.mountPath) ? `mount-${i}` : `path-${mount.mountPath.replace(/^\/mnt\//, "").replace(/\/$/, "")}`;
      byGroup.set(group, { paths: [mount.mountPath], key });
    });
    return [...byGroup].map(
      ([group, { paths, key }]) =>
        new VpcSecurityGroupEgressRule(this, `nfs-egress-${key}`, {
          securityGroupId: network.agentSecurityGroupId,
          description: egressDescription(paths),
          ipProtocol: "tcp",
          fromPort: NFS_PORT,
          toPort: NFS_PORT,
          referencedSecurityGroupId: group,
        }),
    );
  }

  /** The stack's image-digest variable, created on first use; runtimes in one stack share it. */
  private digestVariable(repositoryName: string, imageDigest: string | undefined): TerraformVariable {
    const stack = TerraformStack.of(this);
    const existing = stack.node.tryFindChild(IMAGE_DIGEST_VARIABLE);
    if (existing instanceof TerraformVariable) {
      if (imageDigest !== undefined) {
        throw new ConfigurationError(this.node.path, [
          { field: "imageDigest", value: imageDigest, problem: `cannot be pinned: another runtime in this stack already defines the stack's ${IMAGE_DIGEST_VARIABLE} variable`, fix: "put each runtime with its own image in its own stack" },
        ]);
      }
      return existing;
    }
    const repository = Token.isUnresolved(repositoryName) ? "the registry's repository" : repositoryName;
    return new TerraformVariable(stack, IMAGE_DIGEST_VARIABLE, {
      type: "string",
      description: `Digest (sha256:…) of the agent image in ${repository}, as printed by the image build`,
      ...(imageDigest !== undefined && { default: imageDigest }),
      validation: [
        {
          condition: `\${can(regex("^sha256:[a-f0-9]{64}$", var.${IMAGE_DIGEST_VARIABLE}))}`,
          errorMessage: `${IMAGE_DIGEST_VARIABLE} must be an image digest "sha256:<64 hex>"; build and push the image first and pass the digest it prints.`,
        },
      ],
    });
  }
}

/**
 * An NFS egress rule's description: the mount paths it serves, unless they do not fit what EC2 accepts for a rule
 * naming a security group (255 characters of its set, from the constraints table; mount paths may be up to 200
 * characters each), then how many mounts it serves.
 */
function egressDescription(paths: readonly string[]): string {
  const listed = `NFS to the mount targets of ${paths.join(", ")}`;
  const fits = !paths.some((path) => Token.isUnresolved(path)) && valueBreaks("aws_vpc_security_group_egress_rule", "description", listed, undefined, "referenced_security_group_id").length === 0;
  return fits ? listed : `NFS to the mount targets of ${paths.length} additional mount${paths.length === 1 ? "" : "s"}`;
}
