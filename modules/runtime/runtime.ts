import { BedrockagentcoreAgentRuntime } from "@cdktn/provider-aws/lib/bedrockagentcore-agent-runtime/index.js";
import { BedrockagentcoreAgentRuntimeEndpoint } from "@cdktn/provider-aws/lib/bedrockagentcore-agent-runtime-endpoint/index.js";
import { BedrockagentcoreResourcePolicy } from "@cdktn/provider-aws/lib/bedrockagentcore-resource-policy/index.js";
import { CloudwatchLogDelivery } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery/index.js";
import { CloudwatchLogDeliveryDestination } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-destination/index.js";
import { CloudwatchLogDeliverySource } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-source/index.js";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamGroupPolicyAttachment } from "@cdktn/provider-aws/lib/iam-group-policy-attachment/index.js";
import { IamPolicy } from "@cdktn/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktn/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamUserPolicyAttachment } from "@cdktn/provider-aws/lib/iam-user-policy-attachment/index.js";
import { Token, type Precondition } from "cdktn";
import { Construct } from "constructs";
import { ForgetResource } from "../../lib/forget-resource.ts";
import { parseIamPrincipalArn, principalIdentity, type IamPrincipalArn } from "../../lib/arns.ts";
import { inAccountPrecondition, withPreconditions } from "../../lib/plan-checks.ts";
import {
  executionRolePolicy,
  executionRoleTrustPolicy,
  invokerPolicy,
  operatorPolicy,
  runtimeResourcePolicy,
} from "../../policies/agent.ts";
import type { AgentRuntimeProps } from "./props.ts";


/** The runtime's vended log types (AgentCore devguide, "AgentCore generated runtime observability data"). */
export const RUNTIME_VENDED_LOG_TYPES = ["APPLICATION_LOGS", "USAGE_LOGS"] as const;

/**
 * An AgentCore runtime in VPC mode with its execution role, an endpoint that follows the runtime's
 * version, its vended logs delivered into log groups with retention, and two managed policies: invoke (for
 * callers) and operate (InvokeAgentRuntimeCommand, for named operators only).
 */
export class AgentRuntime extends Construct {
  readonly runtimeArn: string;
  readonly runtimeId: string;
  readonly runtimeVersion: string;
  readonly endpointArn: string;
  readonly executionRoleArn: string;
  readonly invokerPolicyArn: string;
  readonly operatorPolicyArn: string;
  /** Log groups this construct owns (with retention): the runtime's vended application and usage logs. */
  readonly logGroupNames: readonly string[];
  /**
   * Log groups AgentCore creates and owns for the container's output, one per endpoint
   * (`/aws/bedrock-agentcore/runtimes/<runtime id>-<endpoint>`). Not managed here; see logDelivery().
   */
  readonly serviceLogGroupNames: readonly string[];
  /** Principals already given each policy, by IAM identity, so no principal is attached twice. */
  private readonly attached = new Map<string, string>();

  private readonly props: AgentRuntimeProps;
  constructor(scope: Construct, id: string, props: AgentRuntimeProps) {
    super(scope, id);
    this.props = props;
    const accountScope = { partition: props.partition, region: props.region, accountId: props.accountId };

    const role = new IamRole(this, "execution-role", {
      name: props.executionRoleName,
      description: `Execution role of AgentCore runtime ${props.runtimeName}`,
      assumeRolePolicy: JSON.stringify(executionRoleTrustPolicy({ ...accountScope, runtimeName: props.runtimeName })),
      maxSessionDuration: 28800,
    });
    const rolePolicy = new IamRolePolicy(this, "execution-role-policy", {
      role: role.id,
      name: "agent-runtime",
      policy: JSON.stringify(
        executionRolePolicy({
          ...accountScope,
          runtimeName: props.runtimeName,
          models: props.models,
          repositoryArn: props.repositoryArn,
          fileSystemArn: props.s3Files.fileSystemArn,
          accessPointArn: props.s3Files.accessPointArn,
          bucketArn: props.bucketArn,
          ...(props.bucketKmsKeyArn !== undefined && { bucketKmsKeyArn: props.bucketKmsKeyArn }),
          agentPrefix: props.agentPrefix,
          additionalMounts: props.additionalMounts,
        }),
      ),
    });
    this.executionRoleArn = role.arn;

    const auth = props.auth;
    const runtime = new BedrockagentcoreAgentRuntime(this, "runtime", {
      agentRuntimeName: props.runtimeName,
      description: props.description,
      roleArn: role.arn,
      agentRuntimeArtifact: [{ containerConfiguration: [{ containerUri: props.containerUri }] }],
      networkConfiguration: [
        {
          networkMode: "VPC",
          networkModeConfig: [{ subnets: [...props.subnetIds], securityGroups: [...props.securityGroupIds] }],
        },
      ],
      protocolConfiguration: [{ serverProtocol: props.protocol }],
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
      lifecycleConfiguration: [
        { idleRuntimeSessionTimeout: props.idleTimeoutSeconds, maxLifetime: props.maxLifetimeSeconds },
      ],
      filesystemConfiguration: [
        // Hot tier: 1 GB per session, wiped on every runtime update (REFERENCE.md "Session storage").
        { sessionStorage: [{ mountPath: props.sessionStorageMountPath }] },
        // Warm tier: mounted natively by the runtime; no mount helper in the image.
        { s3FilesAccessPoint: [{ accessPointArn: props.s3Files.accessPointArn, mountPath: props.s3Files.mountPath }] },
        ...props.additionalMounts.map((mount) =>
          mount.type === "s3files"
            ? { s3FilesAccessPoint: [{ accessPointArn: mount.accessPointArn, mountPath: mount.mountPath }] }
            : { efsAccessPoint: [{ accessPointArn: mount.accessPointArn, mountPath: mount.mountPath }] },
        ),
      ],
      environmentVariables: { ...props.environmentVariables },
      // The role's permissions must exist before the service validates the image and the mounts.
      dependsOn: [rolePolicy],
    });
    this.runtimeArn = runtime.agentRuntimeArn;
    this.runtimeId = runtime.agentRuntimeId;
    this.runtimeVersion = runtime.agentRuntimeVersion;

    // A custom endpoint stays on the version it was created with unless told otherwise: follow the runtime.
    const endpoint = new BedrockagentcoreAgentRuntimeEndpoint(this, "endpoint", {
      agentRuntimeId: runtime.agentRuntimeId,
      name: props.endpointName,
      agentRuntimeVersion: runtime.agentRuntimeVersion,
      description: "Follows the latest runtime version",
    });
    this.endpointArn = endpoint.agentRuntimeEndpointArn;

    this.serviceLogGroupNames = ["DEFAULT", props.endpointName].map((name) => `/aws/bedrock-agentcore/runtimes/${runtime.agentRuntimeId}-${name}`);
    this.logGroupNames = this.logDelivery(runtime.agentRuntimeArn);

    const invoke = new IamPolicy(this, "invoker-policy", {
      name: props.invokerPolicyName,
      description: `Invoke AgentCore runtime ${props.runtimeName} and its endpoints`,
      policy: JSON.stringify(invokerPolicy({ runtimeArn: runtime.agentRuntimeArn })),
    });
    const operate = new IamPolicy(this, "operator-policy", {
      name: props.operatorPolicyName,
      description: `Run commands inside AgentCore runtime ${props.runtimeName} (raises the shell-access alert)`,
      policy: JSON.stringify(operatorPolicy({ runtimeArn: runtime.agentRuntimeArn })),
    });
    this.invokerPolicyArn = invoke.arn;
    this.operatorPolicyArn = operate.arn;

    if (props.invokers !== undefined) {
      const checks = props.invokers.map((arn) => this.principal(arn, "invoker", ["role", "user"])).flatMap((p) => this.inDeployingAccount(p, "may invoke the runtime"));
      new BedrockagentcoreResourcePolicy(this, "resource-policy", {
        resourceArn: runtime.agentRuntimeArn,
        policy: JSON.stringify(runtimeResourcePolicy({ runtimeArn: runtime.agentRuntimeArn, invokers: props.invokers })),
        ...withPreconditions(checks),
      });
    }
  }

  /**
   * The runtime's logs, in log groups this construct names and owns, with the configured retention.
   *
   * AgentCore itself writes the container's output to /aws/bedrock-agentcore/runtimes/<runtime id>-<endpoint>
   * and creates those groups on its own: at the first invocation according to the CDK (aws-cdk-lib
   * aws-bedrockagentcore README, "Application log group": "created by the AgentCore service on the runtime's
   * first invocation, not by CDK"), at provisioning according to other reports. Managed here, either way is
   * wrong: created at provisioning, apply fails with ResourceAlreadyExistsException; created on first
   * invocation, an early invocation breaks the apply, and after destroy the live service recreates them
   * without retention. So this construct does not manage them, and earlier versions' managed copies are
   * forgotten, not deleted (a `removed` block with destroy = false: the logs in them stay).
   *
   * What it owns instead are the runtime's vended logs (APPLICATION_LOGS: invocations with trace ids and
   * payloads; USAGE_LOGS: per-session vCPU and memory), delivered through CloudWatch Logs delivery into
   * /aws/vendedlogs/bedrock-agentcore/<runtime name>/<type>, each with the configured retention. Delivery
   * is the documented way to route AgentCore logs to a chosen group (devguide, "Add observability to your
   * Amazon Bedrock AgentCore resources"; CloudWatch Logs API PutDeliverySource/PutDeliveryDestination/
   * CreateDelivery). CloudWatch Logs adds the log-group resource policy delivery.logs.amazonaws.com needs
   * when the delivery starts, if the deploying principal may logs:PutResourcePolicy,
   * logs:DescribeResourcePolicies and logs:DescribeLogGroups (CloudWatch Logs guide, "Logs sent to CloudWatch
   * Logs", V2 permissions); a policy created here as well would collide with it (a log group takes one).
   */
  private logDelivery(runtimeArn: string): string[] {
    const props = this.props;
    // Earlier versions managed the service's groups as these resources; forget them without deleting them.
    for (const endpoint of ["default", props.endpointName.toLowerCase()]) new ForgetResource(this, `log-group-${endpoint}`, "aws_cloudwatch_log_group");
    return RUNTIME_VENDED_LOG_TYPES.map((logType) => {
      const suffix = logType === "APPLICATION_LOGS" ? "application" : "usage";
      const group = new CloudwatchLogGroup(this, `${suffix}-log-group`, {
        name: `/aws/vendedlogs/bedrock-agentcore/${props.runtimeName}/${suffix}-logs`,
        retentionInDays: props.logRetentionDays,
      });
      // Delivery source and destination names: [\w-]{1,60} (CloudWatch Logs API); runtime names are ≤ 48.
      const source = new CloudwatchLogDeliverySource(this, `${suffix}-log-delivery-source`, {
        name: `${props.runtimeName}-${suffix}`,
        logType,
        resourceArn: runtimeArn,
      });
      const destination = new CloudwatchLogDeliveryDestination(this, `${suffix}-log-delivery-destination`, {
        name: `${props.runtimeName}-${suffix}`,
        deliveryDestinationType: "CWL",
        deliveryDestinationConfiguration: [{ destinationResourceArn: group.arn }],
      });
      new CloudwatchLogDelivery(this, `${suffix}-log-delivery`, {
        deliverySourceName: source.name,
        deliveryDestinationArn: destination.arn,
      });
      return group.name;
    });
  }

  /** Lets an IAM role, user or group invoke the runtime (attaches the invoker policy). */
  grantInvoke(principalArn: string): void {
    this.attach("invoker", this.invokerPolicyArn, principalArn);
  }

  /** Lets an IAM role, user or group run commands in the runtime's microVMs; every use alerts. */
  grantOperate(principalArn: string): void {
    this.attach("operator", this.operatorPolicyArn, principalArn);
  }

  private attach(purpose: "invoker" | "operator", policyArn: string, principalArn: string): void {
    const principal = this.principal(principalArn, purpose, ["role", "user", "group"]);
    const key = `${purpose}|${principalIdentity(principal)}`;
    const earlier = this.attached.get(key);
    if (earlier !== undefined) {
      throw new Error(
        `${principalArn} names the same IAM ${principal.kind} as ${earlier} (IAM names are unique in an account whatever the path, and not case-sensitive); grant the ${purpose} policy once`,
      );
    }
    this.attached.set(key, principalArn);
    // The attachment goes to a name in whichever account deploys: where that account is not known at synth,
    // the plan checks it is the principal's.
    const checks = this.inDeployingAccount(principal, `gets the ${purpose} policy`);
    const common = { policyArn, ...withPreconditions(checks) };
    const { kind, name } = principal;
    // Construct ids are Terraform addresses: keep `<purpose>-<kind>-<name>` stable.
    const id = `${purpose}-${kind}-${name}`;
    if (kind === "role") new IamRolePolicyAttachment(this, id, { role: name, ...common });
    else if (kind === "user") new IamUserPolicyAttachment(this, id, { user: name, ...common });
    else new IamGroupPolicyAttachment(this, id, { group: name, ...common });
  }

  /** A principal ARN of this runtime's partition and (when known at synth) account, or a clear error. */
  private principal(arn: string, purpose: string, kinds: readonly IamPrincipalArn["kind"][]): IamPrincipalArn {
    const parsed = parseIamPrincipalArn(arn);
    if (!parsed.ok) throw new Error(`${purpose} "${arn}" ${parsed.problem}; ${parsed.fix}`);
    const principal = parsed.value;
    if (!kinds.includes(principal.kind)) throw new Error(`${purpose} "${arn}" is ${principal.kind === "root" ? "the account root" : `a ${principal.kind}`}; name a ${kinds.join(" or ")} instead`);
    if (principal.partition !== this.props.partition) {
      throw new Error(`${purpose} "${arn}" is in partition ${principal.partition}, but the runtime is in ${this.props.partition}`);
    }
    if (!Token.isUnresolved(this.props.accountId) && principal.accountId !== this.props.accountId) {
      throw new Error(`${purpose} "${arn}" is in account ${principal.accountId}, but the runtime is in ${this.props.accountId}; name principals of the runtime's account`);
    }
    return principal;
  }

  /** Where the account is known only at plan time (the caller's), a precondition that the principal is in it. */
  private inDeployingAccount(principal: IamPrincipalArn, what: string): Precondition[] {
    return inAccountPrecondition(
      this.props.accountId,
      principal.accountId,
      `${principal.arn} ${what}, but it is not in the account being deployed to (account ${principal.accountId}). List principals of the deploying account, or set the environment's account so synth checks this.`,
    );
  }
}
