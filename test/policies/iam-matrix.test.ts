/**
 * The IAM decision matrix: README "IAM: who can do what", row by row, as requests that must be allowed and
 * requests that must be refused, evaluated by a real policy evaluator (@cloud-copilot/iam-simulate) over the
 * policies synthesized for every shipped environment and for the every-option environments. Written from the
 * table, not from the code: each row names the table cell it checks, and a test fails if the table loses it.
 *
 * Requests carry the request context AWS would set (IAM User Guide, "AWS global condition context keys"): a
 * role's aws:PrincipalArn is the role's ARN; a service acting for a resource sets aws:SourceArn and
 * aws:SourceAccount; aws:SecureTransport says whether TLS was used.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { environments as shipped } from "../../environments/index.ts";
import { ACCOUNT, ARNS, decide, decideUnvalidated, defaultKeyPolicy, type Decision, type Request } from "../helpers/iam.ts";
import { synthesized, type Deployed } from "../helpers/deployed-policies.ts";
import { EVERY_OPTION_ENVIRONMENTS } from "../helpers/every-option.ts";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const OTHER_ACCOUNT = "999999999999";
const TLS = { "aws:SecureTransport": "true" };

const DEPLOYED = [...synthesized(shipped), ...synthesized(EVERY_OPTION_ENVIRONMENTS)];

type Expected = "Allowed" | "ExplicitlyDenied" | "denied";
interface Case {
  readonly what: string;
  readonly expected: Expected;
  readonly decide: () => Promise<Decision> | Decision;
}

const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const asRole = (name: string, account = ACCOUNT) => ({ principal: role(name, account), context: { "aws:PrincipalArn": role(name, account), "aws:PrincipalAccount": account } });
const identityAllowing = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
const fm = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
const withContext = (request: Request, context: Record<string, string>): Request => ({ ...request, context: { ...request.context, ...context } });

/** README rows, in the table's order: the principal cell it checks, and what that row says, as requests. */
const ROWS: readonly { readonly principal: string; readonly cases: (d: Deployed) => Case[] }[] = [
  {
    principal: "**execution role** (the agent's code)",
    cases: (d) => {
      const can = (request: Request) => () => decide([d.executionRole], withContext(request, TLS));
      const region = d.env.region;
      const models = d.env.agent.models.flatMap((m): Case[] => {
        if (m.routedRegions.length === 0) return [{ what: `invoke listed model ${m.id}`, expected: "Allowed", decide: can({ action: "bedrock:InvokeModel", resource: fm(region, m.id) }) }];
        const profile = `arn:aws:bedrock:${region}:${ACCOUNT}:inference-profile/${m.id}`;
        const model = m.id.slice(m.id.indexOf(".") + 1);
        const routed = m.routedRegions.includes("*") ? ["us-east-1", "eu-west-1"] : m.routedRegions;
        return [
          { what: `invoke profile ${m.id}`, expected: "Allowed", decide: can({ action: "bedrock:InvokeModelWithResponseStream", resource: profile }) },
          ...routed.map((r): Case => ({ what: `invoke ${model} in ${r} through the profile`, expected: "Allowed", decide: can({ action: "bedrock:InvokeModel", resource: fm(r, model), context: { "bedrock:InferenceProfileArn": profile } }) })),
          // A global profile's call is also authorized on the Region-less model ARN (Bedrock User Guide, "Global
          // cross-Region inference"). The evaluator's resource-type table has no Region-less form of the ARN, so
          // this request goes through the unvalidated entry point.
          ...(m.id.startsWith("global.")
            ? [
                {
                  what: `invoke ${model} with no Region through the global profile`,
                  expected: "Allowed" as const,
                  decide: () => decideUnvalidated([d.executionRole], { action: "bedrock:InvokeModel", resource: fm("", model), context: { ...TLS, "bedrock:InferenceProfileArn": profile } }),
                },
              ]
            : []),
          { what: `invoke ${model} in ${routed[0]} directly`, expected: "denied", decide: can({ action: "bedrock:InvokeModel", resource: fm(routed[0]!, model) }) },
        ];
      });
      const prefix = d.env.agent.agentPrefix;
      const key = d.env.storage.kmsKeyArn;
      const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
      const logGroup = `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/bedrock-agentcore/runtimes/${d.names.runtime}-a1b2c3d4e5-DEFAULT`;
      return [
        ...models,
        { what: "invoke a model not listed", expected: "denied", decide: can({ action: "bedrock:InvokeModel", resource: fm(region, "meta.llama3-70b-instruct-v1:0") }) },
        { what: "pull from its repository", expected: "Allowed", decide: can({ action: "ecr:BatchGetImage", resource: ARNS.repository }) },
        { what: "pull another repository", expected: "denied", decide: can({ action: "ecr:BatchGetImage", resource: `arn:aws:ecr:${region}:${ACCOUNT}:repository/other-team` }) },
        { what: "write its runtime's logs", expected: "Allowed", decide: can({ action: "logs:PutLogEvents", resource: `${logGroup}:log-stream:run-1` }) },
        { what: "write another runtime's logs", expected: "denied", decide: can({ action: "logs:PutLogEvents", resource: `${logGroup.replace(d.names.runtime, "other_agent")}:log-stream:run-1` }) },
        { what: "send traces", expected: "Allowed", decide: can({ action: "xray:PutTraceSegments", resource: "*" }) },
        { what: "publish bedrock-agentcore metrics", expected: "Allowed", decide: can({ action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "bedrock-agentcore" } }) },
        { what: "publish other metrics", expected: "denied", decide: can({ action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "Billing" } }) },
        { what: "mount through its access point", expected: "Allowed", decide: can({ action: "s3files:ClientWrite", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": ARNS.accessPoint } }) },
        { what: "mount through another access point", expected: "denied", decide: can({ action: "s3files:ClientMount", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": `${ARNS.fileSystem}/access-point/fsap-0fedcba9876543210` } }) },
        { what: "mount as root", expected: "denied", decide: can({ action: "s3files:ClientRootAccess", resource: ARNS.fileSystem, context: { "s3files:AccessPointArn": ARNS.accessPoint } }) },
        // Runtime creation reads every mounted access point and its file system's mount targets (AgentCore reports
        // "Ensure the role has s3files:GetAccessPoint" / "…elasticfilesystem:DescribeAccessPoints and
        // elasticfilesystem:DescribeMountTargets"); each read is scoped to what the runtime mounts.
        { what: "read its access point when the runtime is created", expected: "Allowed", decide: can({ action: "s3files:GetAccessPoint", resource: ARNS.accessPoint }) },
        { what: "list its file system's mount targets", expected: "Allowed", decide: can({ action: "s3files:ListMountTargets", resource: ARNS.fileSystem }) },
        { what: "list the mount targets of a file system it does not mount", expected: "denied", decide: can({ action: "s3files:ListMountTargets", resource: `arn:aws:s3files:${region}:${ACCOUNT}:file-system/fs-0aaaaaaaaaaaaaaaa` }) },
        { what: "read an access point it does not mount", expected: "denied", decide: can({ action: "s3files:GetAccessPoint", resource: `${ARNS.fileSystem}/access-point/fsap-0aaaaaaaaaaaaaaaa` }) },
        ...d.env.agent.additionalMounts.flatMap((m): Case[] =>
          m.type === "s3files"
            ? [
                { what: `read the mounted access point ${m.accessPointArn}`, expected: "Allowed", decide: can({ action: "s3files:GetAccessPoint", resource: m.accessPointArn }) },
                { what: `list the mount targets of ${m.fileSystemArn}`, expected: "Allowed", decide: can({ action: "s3files:ListMountTargets", resource: m.fileSystemArn }) },
                { what: `mount ${m.fileSystemArn} through its access point`, expected: "Allowed", decide: can({ action: "s3files:ClientWrite", resource: m.fileSystemArn, context: { "s3files:AccessPointArn": m.accessPointArn } }) },
              ]
            : [
                { what: `describe the mounted EFS access point ${m.accessPointArn}`, expected: "Allowed", decide: can({ action: "elasticfilesystem:DescribeAccessPoints", resource: m.accessPointArn }) },
                { what: `describe the mount targets of ${m.fileSystemArn}`, expected: "Allowed", decide: can({ action: "elasticfilesystem:DescribeMountTargets", resource: m.fileSystemArn }) },
                { what: `mount ${m.fileSystemArn} through its access point`, expected: "Allowed", decide: can({ action: "elasticfilesystem:ClientMount", resource: m.fileSystemArn, context: { "elasticfilesystem:AccessPointArn": m.accessPointArn } }) },
              ],
        ),
        ...(d.env.agent.additionalMounts.some((m) => m.type === "efs")
          ? [{ what: "describe the mount targets of an EFS file system it does not mount", expected: "denied" as const, decide: can({ action: "elasticfilesystem:DescribeMountTargets", resource: `arn:aws:elasticfilesystem:${region}:${ACCOUNT}:file-system/fs-0aaaaaaaaaaaaaaaa` }) }]
          : []),
        { what: "write under its prefix", expected: "Allowed", decide: can({ action: "s3:PutObject", resource: `${ARNS.bucket}/${prefix}/out.json` }) },
        { what: "list its prefix", expected: "Allowed", decide: can({ action: "s3:ListBucket", resource: ARNS.bucket, context: { "s3:prefix": `${prefix}/` } }) },
        { what: "list the bare prefix", expected: "denied", decide: can({ action: "s3:ListBucket", resource: ARNS.bucket, context: { "s3:prefix": prefix } }) },
        { what: "read the rest of the bucket", expected: "denied", decide: can({ action: "s3:GetObject", resource: `${ARNS.bucket}${d.env.storage.rootDirectory}/notes.txt` }) },
        { what: "read a sibling prefix", expected: "denied", decide: can({ action: "s3:GetObject", resource: `${ARNS.bucket}/${prefix}-secret/key.pem` }) },
        {
          what: "write its prefix without TLS",
          expected: "ExplicitlyDenied",
          decide: () => decide([d.executionRole], { action: "s3:PutObject", resource: `${ARNS.bucket}/${prefix}/x`, resourcePolicy: d.bucketPolicy, ...asRole(d.names.executionRole), context: { ...asRole(d.names.executionRole).context, "aws:SecureTransport": "false" } }),
        },
        ...(key === undefined
          ? []
          : ([
              { what: "decrypt its bucket's objects through S3", expected: "Allowed", decide: () => decideUnvalidated([d.executionRole], { action: "kms:Decrypt", resource: key, context: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": ARNS.bucket }, resourcePolicy: defaultKeyPolicy() }) },
              { what: "use the key directly", expected: "denied", decide: () => decideUnvalidated([d.executionRole], { action: "kms:Decrypt", resource: key, context: { "kms:EncryptionContext:aws:s3:arn": ARNS.bucket }, resourcePolicy: defaultKeyPolicy() }) },
              { what: "use the key for another bucket", expected: "denied", decide: () => decideUnvalidated([d.executionRole], { action: "kms:Decrypt", resource: key, context: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::another-bucket" }, resourcePolicy: defaultKeyPolicy() }) },
            ] satisfies Case[])),
        { what: "run commands in its runtime", expected: "ExplicitlyDenied", decide: can({ action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: ARNS.runtime }) },
        { what: "run commands in another runtime", expected: "ExplicitlyDenied", decide: can({ action: "bedrock-agentcore:InvokeAgentRuntimeCommand", resource: `arn:aws:bedrock-agentcore:${region}:${ACCOUNT}:runtime/other_agent-x1y2z3w4v5` }) },
      ];
    },
  },
  {
    principal: "**AgentCore** (`bedrock-agentcore.amazonaws.com`)",
    cases: (d) => {
      const assume = (account: string, runtime: string) => () =>
        decide([], {
          action: "sts:AssumeRole",
          resource: role(d.names.executionRole),
          principal: "bedrock-agentcore.amazonaws.com",
          context: { "aws:SourceAccount": account, "aws:SourceArn": `arn:aws:bedrock-agentcore:${d.env.region}:${account}:runtime/${runtime}-a1b2c3d4e5` },
          resourcePolicy: d.executionTrust,
        });
      return [
        { what: "assume the role for this account's runtime", expected: "Allowed", decide: assume(ACCOUNT, d.names.runtime) },
        { what: "assume it for another account's runtime of the same name", expected: "denied", decide: assume(OTHER_ACCOUNT, d.names.runtime) },
        { what: "assume it for another runtime of this account", expected: "denied", decide: assume(ACCOUNT, "other_agent") },
      ];
    },
  },
  {
    principal: "**invoker policy** holders",
    cases: (d) => {
      const can = (action: string, resource: string) => () => decide([d.invoker], { action, resource, ...asRole("chat-frontend") });
      return [
        { what: "invoke the runtime", expected: "Allowed", decide: can("bedrock-agentcore:InvokeAgentRuntime", ARNS.runtime) },
        { what: "invoke its endpoint", expected: "Allowed", decide: can("bedrock-agentcore:InvokeAgentRuntime", `${ARNS.runtime}/runtime-endpoint/live`) },
        { what: "stop a session", expected: "Allowed", decide: can("bedrock-agentcore:StopRuntimeSession", ARNS.runtime) },
        { what: "invoke another runtime", expected: "denied", decide: can("bedrock-agentcore:InvokeAgentRuntime", `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT}:runtime/other_agent-x1y2z3w4v5`) },
        { what: "run commands", expected: "denied", decide: can("bedrock-agentcore:InvokeAgentRuntimeCommand", ARNS.runtime) },
      ];
    },
  },
  {
    principal: "**operator policy** holders",
    cases: (d) => {
      const can = (action: string, resource: string) => () => decide([d.operator], { action, resource, ...asRole("platform-oncall") });
      return [
        { what: "run commands in the runtime", expected: "Allowed", decide: can("bedrock-agentcore:InvokeAgentRuntimeCommand", ARNS.runtime) },
        { what: "invoke the agent", expected: "denied", decide: can("bedrock-agentcore:InvokeAgentRuntime", ARNS.runtime) },
        { what: "run commands in another runtime", expected: "denied", decide: can("bedrock-agentcore:InvokeAgentRuntimeCommand", `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT}:runtime/other_agent-x1y2z3w4v5`) },
        {
          what: "be attached to exactly the listed operators",
          expected: "Allowed",
          decide: () => {
            const listed = d.env.agent.operators.map((arn) => `${arn.split(":")[5]!.split("/")[0]}/${arn.split("/").at(-1)}`);
            expect(d.operatorAttachments.sort()).toEqual(listed.sort());
            return "Allowed";
          },
        },
      ];
    },
  },
  {
    principal: "**bearer-token holders**, on a runtime with a `CUSTOM_JWT` authorizer",
    cases: (d) => {
      if (d.env.agent.auth.type !== "CUSTOM_JWT") return [];
      // Not an IAM decision: AgentCore takes the bearer token on every call to such a runtime and refuses SigV4
      // (devguide, "Interactive shells"; "Authorization method mismatch"). What the table promises is that nothing
      // here pretends otherwise: the authorizer is there, and no IAM list (resource policy, operator attachments) is.
      const consistent = (): Decision => {
        expect(JSON.stringify(d.authorizer)).toContain(d.env.agent.auth.type === "CUSTOM_JWT" ? d.env.agent.auth.discoveryUrl : "");
        expect(d.runtimePolicy).toBeUndefined();
        expect(d.operatorAttachments).toEqual([]);
        return "Allowed";
      };
      return [{ what: "reach the runtime by the token alone, with no IAM list that seems to restrict them", expected: "Allowed", decide: consistent }];
    },
  },
  {
    principal: "**S3 Files service role**",
    cases: (d) => {
      const can = (request: Request) => () => decide([d.serviceRole], withContext(request, { ...TLS, "aws:ResourceAccount": ACCOUNT }));
      const rule = (name: string) => `arn:aws:events:${d.env.region}:${ACCOUNT}:rule/${name}`;
      const key = d.env.storage.kmsKeyArn;
      return [
        { what: "sync objects of this bucket", expected: "Allowed", decide: can({ action: "s3:PutObject", resource: `${ARNS.bucket}/agents/file.txt` }) },
        { what: "list this bucket's versions", expected: "Allowed", decide: can({ action: "s3:ListBucketVersions", resource: ARNS.bucket }) },
        { what: "touch another bucket", expected: "denied", decide: can({ action: "s3:GetObject", resource: "arn:aws:s3:::another-bucket/file.txt" }) },
        {
          what: "touch a bucket of another account",
          expected: "denied",
          decide: () => decide([d.serviceRole], { action: "s3:GetObject", resource: `${ARNS.bucket}/x`, resourceAccount: OTHER_ACCOUNT, context: { ...TLS, "aws:ResourceAccount": OTHER_ACCOUNT } }),
        },
        { what: "manage its DO-NOT-DELETE-S3-Files rules", expected: "Allowed", decide: can({ action: "events:PutRule", resource: rule("DO-NOT-DELETE-S3-Files-fs-1"), context: { "events:ManagedBy": "elasticfilesystem.amazonaws.com" } }) },
        { what: "change other EventBridge rules", expected: "denied", decide: can({ action: "events:PutRule", resource: rule(d.names.alertRule), context: { "events:ManagedBy": "elasticfilesystem.amazonaws.com" } }) },
        ...(key === undefined
          ? []
          : ([
              { what: "use the CMK through S3", expected: "Allowed", decide: () => decideUnvalidated([d.serviceRole], { action: "kms:GenerateDataKey", resource: key, context: { "kms:ViaService": `s3.${d.env.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": ARNS.bucket }, resourcePolicy: defaultKeyPolicy() }) },
              { what: "use the CMK directly", expected: "denied", decide: () => decideUnvalidated([d.serviceRole], { action: "kms:GenerateDataKey", resource: key, context: { "kms:EncryptionContext:aws:s3:arn": ARNS.bucket }, resourcePolicy: defaultKeyPolicy() }) },
            ] satisfies Case[])),
      ];
    },
  },
  {
    principal: "**S3 Files** (`elasticfilesystem.amazonaws.com`)",
    cases: (d) => {
      const assume = (account: string) => () =>
        decide([], {
          action: "sts:AssumeRole",
          resource: role(d.names.s3FilesRole),
          principal: "elasticfilesystem.amazonaws.com",
          context: { "aws:SourceAccount": account, "aws:SourceArn": `arn:aws:s3files:${d.env.region}:${account}:file-system/fs-0123456789abcdef0` },
          resourcePolicy: d.serviceTrust,
        });
      return [
        { what: "assume the service role for this account's file system", expected: "Allowed", decide: assume(ACCOUNT) },
        { what: "assume it for another account's file system", expected: "denied", decide: assume(OTHER_ACCOUNT) },
      ];
    },
  },
  {
    principal: "everyone else, even with an allowing identity policy, when `agent.invokers` is set",
    cases: (d) => {
      if (d.runtimePolicy === undefined) return [];
      const invoke = (name: string) => () =>
        decide([identityAllowing("bedrock-agentcore:InvokeAgentRuntime")], { action: "bedrock-agentcore:InvokeAgentRuntime", resource: ARNS.runtime, resourcePolicy: d.runtimePolicy!, ...asRole(name) });
      const listed = d.env.agent.invokers!.find((arn) => arn.includes(":role/"));
      return [
        ...(listed !== undefined ? [{ what: "a listed invoker invokes", expected: "Allowed" as const, decide: invoke(listed.split("/").at(-1)!) }] : []),
        { what: "an unlisted role of the account invokes", expected: "ExplicitlyDenied", decide: invoke("someone-else") },
      ];
    },
  },
  {
    principal: "principals of other accounts",
    cases: (d) => {
      const stranger = (action: string) => () =>
        decide([identityAllowing(action)], { action, resource: ARNS.runtime, ...asRole("attacker", OTHER_ACCOUNT), ...(d.runtimePolicy !== undefined && { resourcePolicy: d.runtimePolicy }) });
      return [
        { what: "invoke the runtime", expected: "denied", decide: stranger("bedrock-agentcore:InvokeAgentRuntime") },
        { what: "run commands in it", expected: "denied", decide: stranger("bedrock-agentcore:InvokeAgentRuntimeCommand") },
      ];
    },
  },
  {
    principal: "everyone, of any account (the account's own principals too)",
    cases: (d) => {
      const publish = (principal: string, context: Record<string, string>, identity: object[] = []) => () =>
        decide(identity, { action: "sns:Publish", resource: ARNS.topic, principal, context: { ...TLS, ...context }, resourcePolicy: d.topicPolicy });
      const admin = role("account-admin");
      const otherRule = `arn:aws:events:${d.env.region}:${ACCOUNT}:rule/another-rule`;
      const trailArn = `arn:aws:cloudtrail:${d.env.region}:${ACCOUNT}:trail/${d.names.trail}`;
      const writeLogs = (sourceArn: string) => () =>
        decide([], {
          action: "s3:PutObject",
          resource: `${ARNS.trailBucket}/AWSLogs/${ACCOUNT}/CloudTrail/log.json.gz`,
          principal: "cloudtrail.amazonaws.com",
          context: { ...TLS, "aws:SourceArn": sourceArn, "s3:x-amz-acl": "bucket-owner-full-control" },
          resourcePolicy: d.trailBucketPolicy!,
        });
      return [
        { what: "the shell-access rule publishes (the one allowed)", expected: "Allowed", decide: publish("events.amazonaws.com", { "aws:SourceArn": ARNS.rule, "aws:SourceAccount": ACCOUNT }) },
        { what: "an account principal allowed sns:Publish on * publishes", expected: "ExplicitlyDenied", decide: publish(admin, { "aws:PrincipalArn": admin, "aws:PrincipalAccount": ACCOUNT }, [identityAllowing("sns:Publish")]) },
        { what: "another rule publishes", expected: "ExplicitlyDenied", decide: publish("events.amazonaws.com", { "aws:SourceArn": otherRule, "aws:SourceAccount": ACCOUNT }) },
        { what: "the rule publishes without TLS", expected: "ExplicitlyDenied", decide: publish("events.amazonaws.com", { "aws:SourceArn": ARNS.rule, "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "false" }) },
        {
          what: "EventBridge uses the alert key for the rule",
          expected: "Allowed",
          decide: () => decide([], { action: "kms:GenerateDataKey", resource: `arn:aws:kms:${d.env.region}:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`, principal: "events.amazonaws.com", context: { "aws:SourceArn": ARNS.rule, "aws:SourceAccount": ACCOUNT }, resourcePolicy: d.keyPolicy }),
        },
        {
          // EventBridge's grant carries no source condition (KMS does not support one on this path, SNS developer
          // guide), so what keeps the key to the alert is that only this topic is encrypted with it, and that no
          // principal outside the account is named.
          what: "a principal of another account uses the alert key",
          expected: "denied",
          decide: () => decide([identityAllowing("kms:GenerateDataKey")], { action: "kms:GenerateDataKey", resource: `arn:aws:kms:${d.env.region}:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`, principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/intruder`, context: { "aws:PrincipalAccount": OTHER_ACCOUNT }, resourcePolicy: d.keyPolicy }),
        },
        ...(d.trailBucketPolicy === undefined
          ? []
          : ([
              { what: "CloudTrail writes this trail's logs", expected: "Allowed", decide: writeLogs(trailArn) },
              { what: "CloudTrail writes another trail's logs", expected: "denied", decide: writeLogs(trailArn.replace(d.names.trail, "another-trail")) },
            ] satisfies Case[])),
        {
          what: "an account principal reads the agent bucket without TLS",
          expected: "ExplicitlyDenied",
          decide: () => decide([identityAllowing("s3:GetObject")], { action: "s3:GetObject", resource: `${ARNS.bucket}/agents/x`, resourcePolicy: d.bucketPolicy, ...asRole("account-admin"), context: { ...asRole("account-admin").context, "aws:SecureTransport": "false" } }),
        },
      ];
    },
  },
];

describe("README 'IAM: who can do what' is the source of this matrix", () => {
  it("every row checked here is a row of the table", () => {
    const table = README.slice(README.indexOf("## IAM: who can do what"), README.indexOf("Actions allowed on `Resource: \"*\"` anywhere"));
    for (const row of ROWS) expect(table, row.principal).toContain(`| ${row.principal}`);
    expect(table.split("\n").filter((line) => line.startsWith("| ") && line !== "| principal | may | may not |").length).toBe(ROWS.length);
  });
});

describe.each(DEPLOYED.map((d) => [d.env.name, d] as const))("IAM decision matrix: %s", (_name, deployed) => {
  for (const row of ROWS) {
    const cases = row.cases(deployed);
    if (cases.length === 0) continue;
    it(row.principal.replace(/\*\*|`/g, ""), async () => {
      for (const c of cases) {
        const decision = await c.decide();
        if (c.expected === "denied") expect(decision, c.what).not.toBe("Allowed");
        else expect(decision, c.what).toBe(c.expected);
      }
    });
  }
});
