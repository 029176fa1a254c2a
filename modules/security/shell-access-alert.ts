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
import {
  alertKeyPolicy,
  alertTopicPolicy,
  shellAccessEventPattern,
  shellAccessEventSelectors,
  trailBucketPolicy,
} from "../../policies/alert.ts";

export interface ShellAccessAlertProps {
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
  readonly runtimeArn: string;
  readonly ruleName: string;
  readonly topicName: string;
  readonly keyAliasName: string;
  /** Addresses subscribed to the alert (each must confirm the subscription email). */
  readonly emails: readonly string[];
  /**
   * Where the command events come from. `create`: a trail of this environment logging only this runtime's
   * command data events. `existingTrailArn`: a trail you run that already has that selector.
   */
  readonly trail:
    | { readonly create: { readonly trailName: string; readonly bucketName: string; readonly retentionDays: number; readonly forceDestroy: boolean } }
    | { readonly existingTrailArn: string };
}

/**
 * Tells people when someone runs a command inside the runtime (InvokeAgentRuntimeCommand): CloudTrail →
 * EventBridge rule → KMS-encrypted SNS topic → email. Without a trail selecting these data events the
 * event never reaches EventBridge, so the trail is part of the alert.
 */
export class ShellAccessAlert extends Construct {
  readonly ruleArn: string;
  readonly topicArn: string;
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: ShellAccessAlertProps) {
    super(scope, id);
    const accountScope = { partition: props.partition, region: props.region, accountId: props.accountId };

    const rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: "Someone ran a command inside the AgentCore runtime (InvokeAgentRuntimeCommand)",
      eventPattern: JSON.stringify(shellAccessEventPattern({ runtimeArn: props.runtimeArn })),
    });
    this.ruleArn = rule.arn;

    // The AWS managed SNS key cannot be used by EventBridge, so the topic gets its own key.
    const key = new KmsKey(this, "key", {
      description: `Encrypts shell-access alerts of ${props.ruleName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(alertKeyPolicy(accountScope)),
    });
    new KmsAlias(this, "key-alias", { name: props.keyAliasName, targetKeyId: key.keyId });

    const topic = new SnsTopic(this, "topic", { name: props.topicName, kmsMasterKeyId: key.arn });
    this.topicArn = topic.arn;
    new SnsTopicPolicy(this, "topic-policy", {
      arn: topic.arn,
      policy: JSON.stringify(alertTopicPolicy({ ...accountScope, topicArn: topic.arn, ruleArn: rule.arn })),
    });
    props.emails.forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: "email", endpoint: email });
    });

    new CloudwatchEventTarget(this, "target", {
      rule: rule.name,
      arn: topic.arn,
      inputTransformer: {
        inputPaths: {
          caller: "$.detail.userIdentity.arn",
          time: "$.time",
          runtime: "$.detail.resources[0].ARN",
          sourceIp: "$.detail.sourceIPAddress",
          action: "$.detail.eventName",
        },
        inputTemplate:
          '"Shell access: <caller> called <action> on <runtime> at <time> from <sourceIp>. If this was not an approved operation, revoke the caller\'s operator policy and review the session."',
      },
    });

    if ("existingTrailArn" in props.trail) {
      this.trailArn = props.trail.existingTrailArn;
      return;
    }
    const trail = props.trail.create;
    const trailArn = `arn:${props.partition}:cloudtrail:${props.region}:${props.accountId}:trail/${trail.trailName}`;
    const bucket = new S3Bucket(this, "trail-bucket", { bucket: trail.bucketName, forceDestroy: trail.forceDestroy });
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
      rule: [{ id: "expire-trail-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: trail.retentionDays }] }],
    });
    const bucketPolicy = new S3BucketPolicy(this, "trail-bucket-policy", {
      bucket: bucket.id,
      policy: JSON.stringify(trailBucketPolicy({ ...accountScope, bucketArn: bucket.arn, trailArn })),
      dependsOn: [publicAccessBlock],
    });
    const cloudtrail = new Cloudtrail(this, "trail", {
      name: trail.trailName,
      s3BucketName: bucket.bucket,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      advancedEventSelector: shellAccessEventSelectors({ runtimeArn: props.runtimeArn }),
      dependsOn: [bucketPolicy],
    });
    this.trailArn = cloudtrail.arn;
  }
}
