import { IamRole } from "@cdktn/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy/index.js";
import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketOwnershipControls } from "@cdktn/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktn/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktn/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktn/provider-aws/lib/s3-bucket-versioning/index.js";
import { S3FilesAccessPoint } from "@cdktn/provider-aws/lib/s3files-access-point/index.js";
import { S3FilesFileSystem } from "@cdktn/provider-aws/lib/s3files-file-system/index.js";
import { S3FilesFileSystemPolicy } from "@cdktn/provider-aws/lib/s3files-file-system-policy/index.js";
import { S3FilesMountTarget } from "@cdktn/provider-aws/lib/s3files-mount-target/index.js";
import { Token } from "cdktn";
import { Construct } from "constructs";
import { arnParts } from "../../lib/arns.ts";
import { inAccountPrecondition, withPreconditions } from "../../lib/plan-checks.ts";
import {
  bucketTlsOnlyPolicy,
  fileSystemAccessPointOnlyPolicy,
  s3FilesServicePermissions,
  s3FilesServiceTrustPolicy,
} from "../../policies/storage.ts";
import type { S3FilesStorageProps } from "./props.ts";

/**
 * S3 Files storage: a versioned, encrypted, private, TLS-only bucket exposed as an NFS file system, with
 * one mount target per private subnet and one access point that pins the POSIX identity of every client.
 *
 * Resource order matters on both create and destroy (REFERENCE.md "S3 Files"): versioning must be on
 * before the file system exists, and the file system must be gone before versioning can change
 * (`BucketHasS3FileSystemAttached`), so the file system depends on the versioning resource.
 */
export class S3FilesStorage extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;
  readonly serviceRoleArn: string;
  /** The customer managed key of the bucket and file system, if there is one (SSE-S3 otherwise). */
  readonly kmsKeyArn?: string;
  /** Mount target ids by AZ ID. */
  readonly mountTargetIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: S3FilesStorageProps) {
    super(scope, id);
    const accountScope = { partition: props.partition, region: props.region, accountId: props.accountId };
    const keyChecks = props.kmsKeyArn === undefined ? [] : checkBucketKey(props.kmsKeyArn, props);
    this.kmsKeyArn = props.kmsKeyArn;

    const bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      // Only environments that do not retain data let Terraform delete a non-empty bucket.
      forceDestroy: !props.retainDataOnTeardown,
      tags: { Name: props.bucketName },
    });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    new S3BucketOwnershipControls(this, "bucket-ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "bucket-public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // S3 Files requires versioning on the bucket (REFERENCE.md "S3 Files").
    const versioning = new S3BucketVersioning(this, "bucket-versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    const encryption = new S3BucketServerSideEncryptionConfiguration(this, "bucket-encryption", {
      bucket: bucket.id,
      ...withPreconditions(keyChecks),
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: true,
            },
      ],
    });
    const bucketPolicy = new S3BucketPolicy(this, "bucket-policy", {
      bucket: bucket.id,
      policy: JSON.stringify(bucketTlsOnlyPolicy({ bucketArn: bucket.arn })),
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, "bucket-lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });

    const serviceRole = new IamRole(this, "service-role", {
      name: props.serviceRoleName,
      description: "Assumed by S3 Files to synchronize the file system with its bucket",
      assumeRolePolicy: JSON.stringify(s3FilesServiceTrustPolicy(accountScope)),
    });
    const serviceRolePolicy = new IamRolePolicy(this, "service-role-policy", {
      role: serviceRole.id,
      name: "s3files-bucket-sync",
      policy: JSON.stringify(
        s3FilesServicePermissions({
          ...accountScope,
          bucketArn: bucket.arn,
          ...(props.kmsKeyArn !== undefined && { kmsKeyArn: props.kmsKeyArn }),
        }),
      ),
    });
    this.serviceRoleArn = serviceRole.arn;

    const fileSystem = new S3FilesFileSystem(this, "file-system", {
      bucket: bucket.arn,
      roleArn: serviceRole.arn,
      ...(props.kmsKeyArn !== undefined && { kmsKeyId: props.kmsKeyArn }),
      // CreateFileSystem fails on bucket configuration warnings unless they are accepted; the lifecycle
      // rule above (non-current versions only) is deliberate. The AWS CDK construct accepts them too.
      acceptBucketWarning: true,
      tags: { Name: `${props.name}-files` },
      dependsOn: [versioning, encryption, bucketPolicy, serviceRolePolicy],
    });
    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;

    const mountTargetIds: Record<string, string> = {};
    for (const subnet of props.privateSubnets) {
      // One mount target per AZ; the runtime mounts through the one in its own AZ. Creation takes minutes.
      const mountTarget = new S3FilesMountTarget(this, `mount-target-${subnet.availabilityZoneId}`, {
        fileSystemId: fileSystem.id,
        subnetId: subnet.subnetId,
        securityGroups: [props.mountTargetSecurityGroupId],
        timeouts: { create: "30m", delete: "30m" },
      });
      mountTargetIds[subnet.availabilityZoneId] = mountTarget.id;
    }
    this.mountTargetIds = mountTargetIds;

    const accessPoint = new S3FilesAccessPoint(this, "access-point", {
      fileSystemId: fileSystem.id,
      posixUser: [
        {
          uid: props.posixUid,
          gid: props.posixGid,
          ...(props.secondaryGids.length > 0 && { secondaryGids: [...props.secondaryGids] }),
        },
      ],
      // S3 Files applies creation_permissions only when it creates the directory itself, so the prefix
      // must not be created beforehand (REFERENCE.md "S3 Files").
      rootDirectory: [
        {
          path: props.rootDirectory,
          creationPermissions: [
            { ownerUid: props.posixUid, ownerGid: props.posixGid, permissions: props.rootDirectoryPermissions },
          ],
        },
      ],
      tags: { Name: `${props.name}-agents` },
    });
    this.accessPointId = accessPoint.id;
    this.accessPointArn = accessPoint.arn;

    new S3FilesFileSystemPolicy(this, "file-system-policy", {
      fileSystemId: fileSystem.id,
      policy: JSON.stringify(
        fileSystemAccessPointOnlyPolicy({ fileSystemArn: fileSystem.arn, accessPointArn: accessPoint.arn }),
      ),
    });
  }
}

/**
 * The bucket's key must be in the bucket's Region, partition and account: the execution role and the S3 Files
 * service role are granted its use in their own account only. Where the account is known only at plan time,
 * the plan checks it.
 */
function checkBucketKey(kmsKeyArn: string, props: Pick<S3FilesStorageProps, "partition" | "region" | "accountId">) {
  if (Token.isUnresolved(kmsKeyArn)) return [];
  const key = arnParts(kmsKeyArn);
  if (key?.service !== "kms") throw new Error(`kmsKeyArn "${kmsKeyArn}" is not a KMS key ARN; use arn:${props.partition}:kms:${props.region}:<account>:key/<id>`);
  if (key.partition !== props.partition || key.region !== props.region) {
    throw new Error(`kmsKeyArn "${kmsKeyArn}" is in ${key.partition}/${key.region}, but the bucket is in ${props.partition}/${props.region}; use a key of the bucket's Region`);
  }
  if (!Token.isUnresolved(props.accountId) && key.accountId !== props.accountId) {
    throw new Error(`kmsKeyArn "${kmsKeyArn}" is in account ${key.accountId}, but the bucket is in ${props.accountId}; use a key of the bucket's account`);
  }
  return inAccountPrecondition(
    props.accountId,
    key.accountId,
    `The bucket's KMS key ${kmsKeyArn} is in account ${key.accountId}, not the account being deployed to. Use a key of the deploying account, or set the environment's account so synth checks this.`,
  );
}
