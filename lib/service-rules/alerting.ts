/** Service rules of the shell-access alert: SNS, its KMS key and EventBridge, and CloudTrail. */
import type { ServiceRule } from "../service-rules.ts";
import { actionsOf, address, all, eventBridgeTopics, hasService, list, refersTo, resources, SOURCE_KEYS, statementsOf, type Config } from "./helpers.ts";

/** SNS, KMS and CloudTrail rules the alert path must keep. */
export const ALERTING_RULES: readonly ServiceRule[] = [
  {
    id: "sns-key-eventbridge-no-source-conditions",
    rule: "The KMS key of a topic EventBridge publishes to grants events.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, without aws:SourceAccount, aws:SourceArn or aws:SourceOrgID (not supported for EventBridge-to-encrypted topics)",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (Enable compatibility between event sources from AWS services and encrypted topics)",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        eventBridgeTopics(stack).flatMap(({ topic, key }) => {
          if (!key) return [];
          const forEvents = statementsOf(key.config.policy).filter((s) => s.Effect === "Allow" && hasService(s, "events.amazonaws.com"));
          const actions = forEvents.flatMap(actionsOf);
          const findings: string[] = [];
          if (!actions.some((a) => /^kms:GenerateDataKey\*?$/.test(a)) || !actions.includes("kms:Decrypt")) findings.push(`${address(key, "aws_kms_key")} does not let EventBridge encrypt messages for ${topic.id}`);
          if (forEvents.some((s) => SOURCE_KEYS.test(JSON.stringify(s.Condition ?? {})))) findings.push(`${address(key, "aws_kms_key")} conditions EventBridge's use of the key on aws:Source* keys, which KMS does not support on this path: delivery would fail`);
          return findings;
        }),
      ),
  },
  {
    id: "sns-eventbridge-topic-customer-managed-key",
    rule: "A topic EventBridge publishes to is encrypted with a customer managed key: the AWS managed key alias/aws/sns cannot be given to EventBridge",
    source: "https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        eventBridgeTopics(stack)
          .filter(({ topic }) => /alias\/aws\/sns/.test(String(topic.config.kms_master_key_id)))
          .map(({ topic }) => `${address(topic, "aws_sns_topic")} uses alias/aws/sns, which EventBridge cannot use`),
      ),
  },
  {
    id: "sns-topic-policy-admits-eventbridge",
    rule: "The topic policy of a topic an EventBridge rule targets allows events.amazonaws.com sns:Publish",
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html (Amazon SNS permissions)",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        eventBridgeTopics(stack)
          .filter(({ topic }) => {
            const policies = resources(stack, "aws_sns_topic_policy").filter((p) => refersTo(p.config.arn, "aws_sns_topic", topic.id));
            return !policies.some((p) => statementsOf(p.config.policy).some((s) => s.Effect === "Allow" && hasService(s, "events.amazonaws.com") && actionsOf(s).includes("sns:Publish")));
          })
          .map(({ topic }) => `${address(topic, "aws_sns_topic")} has no topic policy letting EventBridge publish`),
      ),
  },
  {
    id: "cloudtrail-one-resource-type-per-selector",
    rule: "An advanced event selector holds at most one resources.type field, and readOnly, eventCategory and resources.type use only Equals",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html",
    check: (stacks) =>
      all(stacks, "aws_cloudtrail").flatMap((trail) =>
        list(trail.config.advanced_event_selector as Config[]).flatMap((selector, i) => {
          const fields = list(selector.field_selector as Config[]);
          const findings: string[] = [];
          if (fields.filter((f) => f.field === "resources.type").length > 1) findings.push(`${address(trail, "aws_cloudtrail")} selector ${i} has more than one resources.type field`);
          for (const field of fields.filter((f) => ["readOnly", "eventCategory", "resources.type"].includes(String(f.field)))) {
            const operators = Object.keys(field).filter((k) => k !== "field");
            if (operators.some((o) => o !== "equals") || list(field.equals as string[]).length === 0) findings.push(`${address(trail, "aws_cloudtrail")} selector ${i} uses ${operators.join(", ")} on ${String(field.field)}`);
          }
          return findings;
        }),
      ),
  },
  {
    id: "cloudtrail-runtime-commands-on-runtime-and-endpoint",
    rule: "A trail that logs AgentCore runtime command data events selects both AWS::BedrockAgentCore::Runtime and AWS::BedrockAgentCore::RuntimeEndpoint (a call through an endpoint is recorded under the endpoint's type)",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html (Data events supported by AWS CloudTrail: Bedrock-AgentCore Runtime, Bedrock-AgentCore Runtime-Endpoint)",
    check: (stacks) =>
      all(stacks, "aws_cloudtrail").flatMap((trail) => {
        const types = list(trail.config.advanced_event_selector as Config[]).flatMap((s) =>
          list(s.field_selector as Config[]).filter((f) => f.field === "resources.type").flatMap((f) => list(f.equals as string[])),
        );
        const agentcore = types.filter((t) => t.startsWith("AWS::BedrockAgentCore::Runtime"));
        if (agentcore.length === 0) return [];
        const missing = ["AWS::BedrockAgentCore::Runtime", "AWS::BedrockAgentCore::RuntimeEndpoint"].filter((t) => !types.includes(t));
        return missing.length > 0 ? [`${address(trail, "aws_cloudtrail")} does not select ${missing.join(", ")}`] : [];
      }),
  },
  {
    id: "cloudtrail-advanced-selector-values-quota",
    rule: "A trail's advanced event selectors hold at most 500 values across all their conditions",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html (Advanced event selectors: 500 conditions across all advanced event selectors)",
    check: (stacks) =>
      all(stacks, "aws_cloudtrail").flatMap((trail) => {
        const values = list(trail.config.advanced_event_selector as Config[]).flatMap((s) =>
          list(s.field_selector as Config[]).flatMap((f) => Object.entries(f).filter(([k]) => k !== "field").flatMap(([, v]) => list(v as string[]))),
        );
        return values.length > 500 ? [`${address(trail, "aws_cloudtrail")} has ${values.length} selector values`] : [];
      }),
  },
  {
    id: "cloudtrail-bucket-policy-before-trail",
    rule: "A trail's bucket policy lets cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject on AWSLogs/<account>/* with bucket-owner-full-control, and exists before the trail (else CreateTrail fails with InsufficientS3BucketPolicyException)",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
    check: (stacks) =>
      stacks.flatMap((stack) =>
        resources(stack, "aws_cloudtrail").flatMap((trail) => {
          const bucket = resources(stack, "aws_s3_bucket").find((b) => refersTo(trail.config.s3_bucket_name, "aws_s3_bucket", b.id));
          if (!bucket) return [];
          const policy = resources(stack, "aws_s3_bucket_policy").find((p) => refersTo(p.config.bucket, "aws_s3_bucket", bucket.id));
          if (!policy) return [`${address(trail, "aws_cloudtrail")}: its bucket has no policy for CloudTrail`];
          const statements = statementsOf(policy.config.policy).filter((s) => s.Effect === "Allow" && hasService(s, "cloudtrail.amazonaws.com"));
          const findings: string[] = [];
          if (!statements.some((s) => actionsOf(s).includes("s3:GetBucketAcl"))) findings.push(`${address(policy, "aws_s3_bucket_policy")} lacks s3:GetBucketAcl for CloudTrail`);
          if (!statements.some((s) => actionsOf(s).includes("s3:PutObject") && list(s.Resource).some((r) => r.includes("/AWSLogs/")) && JSON.stringify(s.Condition ?? {}).includes("bucket-owner-full-control"))) {
            findings.push(`${address(policy, "aws_s3_bucket_policy")} lacks s3:PutObject on AWSLogs/ with bucket-owner-full-control for CloudTrail`);
          }
          if (!list(trail.config.depends_on as string[]).some((d) => d === `aws_s3_bucket_policy.${policy.id}`)) findings.push(`${address(trail, "aws_cloudtrail")} may be created before its bucket policy`);
          return findings;
        }),
      ),
  },
];
