/**
 * The shell-access alert: the EventBridge pattern for InvokeAgentRuntimeCommand on this runtime, and the
 * key, topic and trail-bucket policies that let each service do exactly its part.
 */
import { denyInsecureTransport, policyDocument, type PolicyDocument } from "./document.ts";
import { SHELL_ACTIONS } from "./agent.ts";
import type { AccountScope } from "./storage.ts";

/** An EventBridge event pattern (EventBridge User Guide, "Event patterns"): each field lists the values it matches. */
export interface EventPattern {
  /** The event's source: `aws.<service>`. */
  readonly source: readonly string[];
  /** The event's detail type: CloudTrail's API calls are "AWS API Call via CloudTrail". */
  readonly "detail-type": readonly string[];
  /** Fields of the CloudTrail record. */
  readonly detail: {
    /** The service's endpoint name. */
    readonly eventSource: readonly string[];
    /** The API actions matched. */
    readonly eventName: readonly string[];
    /** The resources the call named, matched by ARN prefix. */
    readonly resources: {
      /** ARN prefixes, one of which a resource's ARN must start with. */
      readonly ARN: readonly {
        /** The prefix. */
        readonly prefix: string;
      }[];
    };
  };
}

/** A CloudTrail advanced event selector (CloudTrail API reference, AdvancedEventSelector). */
export interface AdvancedEventSelector {
  /** The selector's name, shown in the trail's configuration. */
  readonly name: string;
  /** Every field must match. */
  readonly fieldSelector: AdvancedFieldSelector[];
}

/** One field of an advanced event selector (CloudTrail API reference, AdvancedFieldSelector). */
export interface AdvancedFieldSelector {
  /** The record field: eventCategory, resources.type, eventName, resources.ARN, … */
  readonly field: string;
  /** Values the field must equal (one of them). */
  readonly equalTo?: string[];
  /** Prefixes the field must start with (one of them). */
  readonly startsWith?: string[];
}

/**
 * CloudTrail delivers AgentCore API calls to EventBridge with source aws.bedrock-agentcore and event source
 * bedrock-agentcore.amazonaws.com. Matching on the resource ARN prefix covers the runtime and its endpoints.
 */
export function shellAccessEventPattern(props: { readonly runtimeArn: string }): EventPattern {
  return {
    source: ["aws.bedrock-agentcore"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: ["bedrock-agentcore.amazonaws.com"],
      eventName: SHELL_ACTIONS.map((action) => action.split(":")[1]!),
      resources: { ARN: [{ prefix: props.runtimeArn }] },
    },
  };
}

/** An EventBridge input transformer (the target's input_transformer block). */
export interface AlertInput {
  /** Variable name → JSON path into the event. */
  readonly inputPaths: Record<string, string>;
  /** The text sent, with <variable> placeholders. */
  readonly inputTemplate: string;
}

/**
 * The alert's message: EventBridge input transformer paths into the CloudTrail record, and the text. A path that
 * is not in the event creates no variable at all ("If you specify a variable to match a JSON path that doesn't
 * exist in the event, that variable isn't created": EventBridge User Guide, "Input transformation", Common issues),
 * so the message reads only what the runtime's callers' records carry.
 *
 * An IAM caller is named by `userIdentity.arn`. A caller that presented a bearer token to a JWT runtime is no IAM
 * principal: CloudTrail records such a request with a userIdentity of type "AWSAccount" and accountId
 * "anonymous", and no arn (the form AgentCore's own CloudTrail examples show for bearer-token callers,
 * devguide "Understanding Gateway CloudTrail events"); what identifies the call is where it came from.
 */
export function shellAccessAlertInput(inboundAuth: "AWS_IAM" | "CUSTOM_JWT" = "AWS_IAM"): AlertInput {
  const common = { time: "$.time", runtime: "$.detail.resources[0].ARN", sourceIp: "$.detail.sourceIPAddress", action: "$.detail.eventName" };
  if (inboundAuth === "AWS_IAM") {
    return {
      inputPaths: { caller: "$.detail.userIdentity.arn", ...common },
      inputTemplate:
        '"Shell access: <caller> called <action> on <runtime> at <time> from <sourceIp>. If this was not an approved operation, revoke the caller\'s operator policy and review the session."',
    };
  }
  return {
    inputPaths: { identityType: "$.detail.userIdentity.type", identityAccount: "$.detail.userIdentity.accountId", userAgent: "$.detail.userAgent", ...common },
    inputTemplate:
      '"Shell access by a bearer-token caller: <action> on <runtime> at <time> from <sourceIp> (user agent <userAgent>). CloudTrail records no IAM identity for it (userIdentity type <identityType>, account <identityAccount>): this runtime uses a JWT authorizer, so anyone holding a token it accepts can run commands. If this was not an approved operation, revoke the token at the identity provider and review the session."',
  };
}

/**
 * CloudTrail data-event resource types a command can be recorded under: the runtime itself, and the endpoint
 * it was called through (exec calls through the "live" endpoint). Both are listed in CloudTrail's table of
 * data events ("Bedrock-AgentCore Runtime" and "Bedrock-AgentCore Runtime-Endpoint",
 * docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html).
 */
export const RUNTIME_DATA_EVENT_RESOURCE_TYPES = ["AWS::BedrockAgentCore::Runtime", "AWS::BedrockAgentCore::RuntimeEndpoint"] as const;

/**
 * Runtime invocations are CloudTrail data events, off by default; these selectors log only the command events
 * of this runtime and its endpoints, which keeps the trail cheap. One selector per resource type: a selector
 * may hold only one resources.type field, with Equals (CloudTrail API reference, AdvancedFieldSelector).
 * The endpoint's ARN is the runtime's plus "/runtime-endpoint/<name>", so one ARN prefix serves both.
 */
export function shellAccessEventSelectors(props: { readonly runtimeArn: string }): AdvancedEventSelector[] {
  return RUNTIME_DATA_EVENT_RESOURCE_TYPES.map((type) => ({
    name: type.endsWith("Endpoint") ? "AgentCore runtime endpoint command invocations" : "AgentCore runtime command invocations",
    fieldSelector: [
      { field: "eventCategory", equalTo: ["Data"] },
      { field: "resources.type", equalTo: [type] },
      { field: "eventName", equalTo: SHELL_ACTIONS.map((action) => action.split(":")[1]!) },
      { field: "resources.ARN", startsWith: [props.runtimeArn] },
    ],
  }));
}

/**
 * Only the alert rule may publish to the topic, and only over TLS. The allow alone would leave the topic open
 * to anyone in the account whose identity policy allows sns:Publish on "*" (forged alerts, or noise that hides
 * a real one), so every other publisher is denied: a request that does not come from the rule carries another
 * aws:SourceArn or none, and a negated condition operator matches a missing key (IAM User Guide, "Condition
 * operators": "If the key ... is not present ... StringNotLike or ArnNotLike ... the condition is true").
 * aws:SourceArn is set by the calling service and cannot be supplied by a caller.
 */
export function alertTopicPolicy(props: AccountScope & { readonly topicArn: string; readonly ruleArn: string }): PolicyDocument {
  return policyDocument(
    {
      Sid: "OnlyTheShellAccessRulePublishes",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Resource: props.topicArn,
      Condition: { ArnEquals: { "aws:SourceArn": props.ruleArn }, StringEquals: { "aws:SourceAccount": props.accountId } },
    },
    {
      Sid: "NobodyElsePublishes",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: props.topicArn,
      Condition: { ArnNotEquals: { "aws:SourceArn": props.ruleArn } },
    },
    denyInsecureTransport("sns:Publish", props.topicArn),
  );
}

/**
 * Key policy of the topic's encryption key. In a key policy, Resource "*" means this key. The account
 * statement is what makes the key manageable through IAM at all; EventBridge gets what the SNS developer guide
 * documents for an AWS service publishing to an encrypted topic: kms:GenerateDataKey* and kms:Decrypt.
 *
 * No aws:SourceArn / aws:SourceAccount here: "Adding the aws:SourceAccount, aws:SourceArn, and
 * aws:SourceOrgID to a AWS KMS policy is not supported for EventBridge-to-encrypted topics" (SNS developer
 * guide, Key management → "Enable compatibility between event sources from AWS services and encrypted
 * topics", docs.aws.amazon.com/sns/latest/dg/sns-key-management.html); with them every delivery fails
 * (awslabs/landing-zone-accelerator-on-aws#407). The grant still reaches nothing else: this key encrypts only
 * the alert topic, and the topic policy, which does support the source conditions, admits only the one rule.
 */
export function alertKeyPolicy(props: AccountScope): PolicyDocument {
  return policyDocument(
    {
      Sid: "AccountAdministersTheKeyThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "EventBridgePublishesToTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
    },
  );
}

/** CloudTrail may check the bucket and write this trail's logs, nothing else; TLS only. */
export function trailBucketPolicy(props: AccountScope & { readonly bucketArn: string; readonly trailArn: string }): PolicyDocument {
  const fromThisTrail = { StringEquals: { "aws:SourceArn": props.trailArn } };
  return policyDocument(
    {
      Sid: "CloudTrailChecksTheBucket",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: props.bucketArn,
      Condition: fromThisTrail,
    },
    {
      Sid: "CloudTrailWritesThisTrailsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${props.bucketArn}/AWSLogs/${props.accountId}/*`,
      Condition: { StringEquals: { "aws:SourceArn": props.trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
    denyInsecureTransport("s3:*", [props.bucketArn, `${props.bucketArn}/*`]),
  );
}
