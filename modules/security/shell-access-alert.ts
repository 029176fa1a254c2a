import { Cloudtrail } from "@cdktn/provider-aws/lib/cloudtrail/index.js";
import { CloudwatchEventRule } from "@cdktn/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktn/provider-aws/lib/cloudwatch-event-target/index.js";
import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key/index.js";
import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketPolicy } from "@cdktn/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktn/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { SnsTopic } from "@cdktn/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktn/provider-aws/lib/sns-topic-policy/index.js";
import { SnsTopicSubscription } from "@cdktn/provider-aws/lib/sns-topic-subscription/index.js";
import { Construct } from "constructs";
import { stackIdOf } from "../../lib/construct-checks.ts";
import { NAME_RULES } from "../../lib/names.ts";
import { awsContext } from "../../lib/scope.ts";
import { throwIfProblems } from "../../lib/validation.ts";
import {
  alertKeyPolicy,
  alertTopicPolicy,
  shellAccessAlertInput,
  shellAccessEventPattern,
  shellAccessEventSelectors,
  trailBucketPolicy,
} from "../../policies/alert.ts";
import type { ShellAccessAlertProps } from "./props.ts";
import { validateShellAccessAlertProps } from "./validate.ts";

/**
 * Tells people when someone runs a command inside the runtime (InvokeAgentRuntimeCommand): CloudTrail →
 * EventBridge rule → KMS-encrypted SNS topic → email. Without a trail selecting these data events the
 * event never reaches EventBridge, so the trail is part of the alert.
 *
 * Validates its props before creating anything (validateShellAccessAlertProps) and throws a ConfigurationError
 * naming every problem. Region and account come from the stack's AWS provider.
 */
export class ShellAccessAlert extends Construct {
  /** The EventBridge rule matching the runtime's InvokeAgentRuntimeCommand events. */
  readonly ruleArn: string;
  /** The encrypted SNS topic the alert is published to (subscribe more recipients here). */
  readonly topicArn: string;
  /** The trail that delivers the command events: the one created, or the existing one given. */
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: ShellAccessAlertProps) {
    super(scope, id);
    const aws = awsContext(this);
    const namePrefix = props.namePrefix ?? stackIdOf(this);
    const { problems, resolved } = validateShellAccessAlertProps({ ...props, namePrefix }, aws.validation);
    throwIfProblems(this.node.path, problems);
    const naming = {
      name: namePrefix,
      get region() {
        return aws.region;
      },
      get accountId() {
        return aws.accountId;
      },
    };
    const ruleName = NAME_RULES.alertRule.build(naming);
    const accountScope = { partition: aws.partition, region: aws.region, accountId: aws.accountId };
    const runtimeArn = props.runtime.runtimeArn;

    const rule = new CloudwatchEventRule(this, "rule", {
      name: ruleName,
      description: "Someone ran a command inside the AgentCore runtime (InvokeAgentRuntimeCommand)",
      eventPattern: JSON.stringify(shellAccessEventPattern({ runtimeArn })),
    });
    this.ruleArn = rule.arn;

    // The AWS managed SNS key cannot be used by EventBridge, so the topic gets its own key.
    const key = new KmsKey(this, "key", {
      description: `Encrypts shell-access alerts of ${ruleName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(alertKeyPolicy(accountScope)),
    });
    new KmsAlias(this, "key-alias", { name: NAME_RULES.alertKeyAlias.build(naming), targetKeyId: key.keyId });

    const topic = new SnsTopic(this, "topic", { name: NAME_RULES.alertTopic.build(naming), kmsMasterKeyId: key.arn });
    this.topicArn = topic.arn;
    new SnsTopicPolicy(this, "topic-policy", {
      arn: topic.arn,
      policy: JSON.stringify(alertTopicPolicy({ ...accountScope, topicArn: topic.arn, ruleArn: rule.arn })),
    });
    resolved.emails.forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: "email", endpoint: email });
    });

    new CloudwatchEventTarget(this, "target", {
      rule: rule.name,
      arn: topic.arn,
      inputTransformer: shellAccessAlertInput(props.runtime.inboundAuth),
    });

    if (resolved.cloudTrail !== "create") {
      this.trailArn = resolved.cloudTrail.existingTrailArn;
      return;
    }
    const trailName = NAME_RULES.trail.build(naming);
    const trailArn = `arn:${aws.partition}:cloudtrail:${aws.region}:${aws.accountId}:trail/${trailName}`;
    // CloudTrail writes hourly digest files here, so a kept bucket would block every destroy of this construct.
    // These logs belong to the alert, not to agent data; durable audit logs belong in an organization trail
    // (cloudTrail: { existingTrailArn }).
    const bucket = new S3Bucket(this, "trail-bucket", { bucket: NAME_RULES.trailBucket.build(naming), forceDestroy: true });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "trail-bucket-public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfiguration(this, "trail-bucket-encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "trail-bucket-lifecycle", {
      bucket: bucket.id,
      rule: [{ id: "expire-trail-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: resolved.trailLogRetentionDays }] }],
    });
    const bucketPolicy = new S3BucketPolicy(this, "trail-bucket-policy", {
      bucket: bucket.id,
      policy: JSON.stringify(trailBucketPolicy({ ...accountScope, bucketArn: bucket.arn, trailArn })),
      dependsOn: [publicAccessBlock],
    });
    const cloudtrail = new Cloudtrail(this, "trail", {
      name: trailName,
      s3BucketName: bucket.bucket,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      advancedEventSelector: shellAccessEventSelectors({ runtimeArn }),
      dependsOn: [bucketPolicy],
    });
    this.trailArn = cloudtrail.arn;
  }
}
