/**
 * Policies for the storage stack: the S3 Files service role, the bucket policy and the file system policy.
 * Facts: shared/REFERENCE.md "S3 Files".
 */
import { denyInsecureTransport, policyDocument, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from "./document.ts";

/** Where a policy's ARNs are: the partition, Region and account (literal, or Terraform references). */
export interface AccountScope {
  /** "aws", "aws-cn" or "aws-us-gov". */
  readonly partition: string;
  /** The Region. */
  readonly region: string;
  /** The 12-digit account id. */
  readonly accountId: string;
}

/**
 * S3 Files runs on EFS, so the service principal is elasticfilesystem.amazonaws.com. The source ARN is a
 * file-system wildcard because the role must exist before the file system it serves.
 */
export function s3FilesServiceTrustPolicy(scope: AccountScope): PolicyDocument {
  return serviceTrustPolicy({
    service: "elasticfilesystem.amazonaws.com",
    accountId: scope.accountId,
    sourceArnPattern: `arn:${scope.partition}:s3files:${scope.region}:${scope.accountId}:file-system/*`,
  });
}

/** What S3 Files needs to keep the file system and the bucket in sync: this bucket, its rules, its key. */
export function s3FilesServicePermissions(
  props: AccountScope & { readonly bucketArn: string; readonly kmsKeyArn?: string },
): PolicyDocument {
  const inThisAccount = { StringEquals: { "aws:ResourceAccount": props.accountId } };
  const statements: PolicyStatement[] = [
    {
      Sid: "ListTheBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"],
      Resource: props.bucketArn,
      Condition: inThisAccount,
    },
    {
      Sid: "SyncObjectsInTheBucket",
      Effect: "Allow",
      Action: [
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:GetObject*",
        "s3:PutObject*",
        "s3:DeleteObject*",
      ],
      Resource: `${props.bucketArn}/*`,
      Condition: inThisAccount,
    },
    {
      // S3 Files watches the bucket through EventBridge rules it names DO-NOT-DELETE-S3-Files*.
      Sid: "ManageTheS3FilesChangeRules",
      Effect: "Allow",
      Action: [
        "events:DeleteRule",
        "events:DisableRule",
        "events:EnableRule",
        "events:PutRule",
        "events:PutTargets",
        "events:RemoveTargets",
      ],
      Resource: `arn:${props.partition}:events:${props.region}:${props.accountId}:rule/DO-NOT-DELETE-S3-Files*`,
      Condition: { StringEquals: { "events:ManagedBy": "elasticfilesystem.amazonaws.com" } },
    },
    {
      Sid: "ReadTheS3FilesChangeRules",
      Effect: "Allow",
      Action: ["events:DescribeRule", "events:ListTargetsByRule"],
      Resource: `arn:${props.partition}:events:${props.region}:${props.accountId}:rule/*`,
    },
    {
      // These two list actions have no resource-level permissions (Service Authorization Reference: no
      // resource type), so IAM evaluates them against "*"; scoped to a rule ARN they would grant nothing.
      Sid: "ListTheS3FilesChangeRules",
      Effect: "Allow",
      Action: ["events:ListRuleNamesByTarget", "events:ListRules"],
      Resource: "*",
    },
  ];
  if (props.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "UseTheBucketKeyThroughS3Only",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
      Resource: props.kmsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [props.bucketArn, `${props.bucketArn}/*`] },
      },
    });
  }
  return policyDocument(...statements);
}

/** Deny any request to the bucket that is not over TLS 1.2 or newer. */
export function bucketTlsOnlyPolicy(props: { readonly bucketArn: string }): PolicyDocument {
  const everything = [props.bucketArn, `${props.bucketArn}/*`];
  return policyDocument(
    denyInsecureTransport("s3:*", everything),
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "s3:*",
      Resource: everything,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  );
}

/**
 * What a client of the file system needs to mount it through its access point, and nothing else:
 * `s3files:ClientMount` (and `s3files:ClientWrite` unless read-only) on the file system, only when the mount
 * names this access point (condition key `s3files:AccessPointArn`; AWS managed policies
 * AmazonS3FilesClientReadOnlyAccess = ClientMount, AmazonS3FilesClientReadWriteAccess = ClientMount + ClientWrite).
 * Never ClientRootAccess: the access point pins a non-root POSIX user. Plus the reads AgentCore makes to validate a
 * mount, which it makes without the access point key (REFERENCE.md "IAM actions and keys").
 */
export function s3FilesClientStatements(props: { readonly fileSystemArn: string; readonly accessPointArn: string; readonly readOnly?: boolean }): PolicyStatement[] {
  return [
    {
      Sid: props.readOnly ? "MountTheFileSystemReadOnlyThroughItsAccessPoint" : "MountTheFileSystemThroughItsAccessPoint",
      Effect: "Allow",
      Action: props.readOnly ? ["s3files:ClientMount"] : ["s3files:ClientMount", "s3files:ClientWrite"],
      Resource: props.fileSystemArn,
      Condition: { ArnEquals: { "s3files:AccessPointArn": props.accessPointArn } },
    },
    {
      // Runtime creation validates the mount with these reads, reportedly without the access point
      // condition key, so they are scoped by resource only (REFERENCE.md "IAM actions and keys").
      Sid: "LetTheRuntimeValidateTheMount",
      Effect: "Allow",
      Action: ["s3files:GetAccessPoint", "s3files:GetFileSystem"],
      Resource: [props.accessPointArn, props.fileSystemArn],
    },
  ];
}

/** Every S3 Files client action (Service Authorization Reference, Amazon S3 Files): mount, write, act as root. */
export const S3FILES_CLIENT_ACTIONS = ["s3files:ClientMount", "s3files:ClientWrite", "s3files:ClientRootAccess"] as const;

/**
 * Clients reach the file system only through the environment's access point (which pins the POSIX user),
 * and never as root. The policy only denies: the allow comes from each client's identity policy.
 */
export function fileSystemAccessPointOnlyPolicy(props: {
  readonly fileSystemArn: string;
  readonly accessPointArn: string;
}): PolicyDocument {
  return policyDocument(
    {
      Sid: "DenyMountsNotThroughTheAccessPoint",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: [...S3FILES_CLIENT_ACTIONS],
      Resource: props.fileSystemArn,
      Condition: { ArnNotEquals: { "s3files:AccessPointArn": props.accessPointArn } },
    },
    {
      Sid: "DenyRootAccess",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "s3files:ClientRootAccess",
      Resource: props.fileSystemArn,
    },
  );
}
