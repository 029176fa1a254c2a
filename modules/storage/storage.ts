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
import { VpcSecurityGroupIngressRule } from "@cdktn/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { TerraformDataSource, TerraformResource, Token } from "cdktn";
import { Construct } from "constructs";
import { pathName, SECURITY_GROUP_ID_PATTERN, stackIdOf } from "../../lib/construct-checks.ts";
import { grantToRole } from "../../lib/grants.ts";
import { NAME_RULES } from "../../lib/names.ts";
import { awsContext, type AwsContext } from "../../lib/scope.ts";
import { ConfigurationError, throwIfProblems } from "../../lib/validation.ts";
import { arnParts } from "../../lib/arns.ts";
import { inAccountPrecondition, withPreconditions } from "../../lib/plan-checks.ts";
import type { PolicyStatement } from "../../policies/document.ts";
import {
  bucketTlsOnlyPolicy,
  fileSystemAccessPointOnlyPolicy,
  s3FilesClientStatements,
  s3FilesServicePermissions,
  s3FilesServiceTrustPolicy,
} from "../../policies/storage.ts";
import { NFS_PORT } from "../network/network.ts";
import type { INetwork } from "../network/props.ts";
import type { ClientAccessOptions, IS3FilesStorage, RoleHandle, S3FilesStorageProps, SecurityGroupHandle } from "./props.ts";
import { validateS3FilesStorageProps } from "./validate.ts";

/**
 * S3 Files storage: a versioned, encrypted, private, TLS-only bucket exposed as an NFS file system, with
 * one mount target per private subnet and one access point that pins the POSIX identity of every client.
 *
 * Resource order matters on both create and destroy (REFERENCE.md "S3 Files"): versioning must be on
 * before the file system exists, and the file system must be gone before versioning can change
 * (`BucketHasS3FileSystemAttached`), so the file system depends on the versioning resource.
 *
 * Validates its props before creating anything (validateS3FilesStorageProps) and throws a ConfigurationError
 * naming every problem. Region and account come from the stack's AWS provider.
 */
export class S3FilesStorage extends Construct implements IS3FilesStorage {
  /** The versioned, encrypted, TLS-only bucket the file system is exposed from. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /** The S3 Files file system's id. */
  readonly fileSystemId: string;
  /** The file system's ARN. */
  readonly fileSystemArn: string;
  /** The access point's id. */
  readonly accessPointId: string;
  /** The access point's ARN: the runtime mounts it, and the file system policy lets clients mount through it only. */
  readonly accessPointArn: string;
  /** The role S3 Files assumes to sync the file system with the bucket. */
  readonly serviceRoleArn: string;
  /** The customer managed key of the bucket and file system, if there is one (SSE-S3 otherwise). */
  readonly kmsKeyArn?: string;
  /** Mount target ids by AZ ID. */
  readonly mountTargetIds: Readonly<Record<string, string>>;
  /** The mount targets: the provider creates each only once it is available (waitMountTargetCreated). */
  readonly mountTargetsAvailable: readonly S3FilesMountTarget[];
  /** The access point's root directory, the key prefix of the file tree in the bucket. */
  readonly rootDirectory: string;
  /** Whether destroying the stack keeps the bucket and its objects. */
  readonly retainDataOnTeardown: boolean;
  /** The prefix its resources' names start with. */
  readonly namePrefix: string;

  private readonly network: INetwork;

  constructor(scope: Construct, id: string, props: S3FilesStorageProps) {
    super(scope, id);
    this.network = props.network;
    const aws = awsContext(this);
    this.namePrefix = props.namePrefix ?? stackIdOf(this);
    const { problems, resolved: s } = validateS3FilesStorageProps({ ...props, namePrefix: this.namePrefix }, aws.validation);
    throwIfProblems(this.node.path, problems);
    const naming = {
      name: this.namePrefix,
      get region() {
        return aws.region;
      },
      get accountId() {
        return aws.accountId;
      },
    };
    const bucketName = props.bucketName ?? NAME_RULES.bucket.build(naming);
    const keyChecks = s.kmsKeyArn === undefined ? [] : bucketKeyPreconditions(s.kmsKeyArn, aws);
    this.kmsKeyArn = s.kmsKeyArn;
    this.rootDirectory = s.rootDirectory;
    this.retainDataOnTeardown = s.retainDataOnTeardown;

    const bucket = new S3Bucket(this, "bucket", {
      bucket: bucketName,
      // Only storage that does not retain data lets Terraform delete a non-empty bucket.
      forceDestroy: !s.retainDataOnTeardown,
      tags: { Name: bucketName },
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
        s.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: s.kmsKeyArn },
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
          noncurrentVersionExpiration: [{ noncurrentDays: s.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });

    const accountScope = { partition: aws.partition, region: aws.region, accountId: aws.accountId };
    const serviceRole = new IamRole(this, "service-role", {
      name: NAME_RULES.s3FilesRole.build(naming),
      description: "Assumed by S3 Files to synchronize the file system with its bucket",
      assumeRolePolicy: JSON.stringify(s3FilesServiceTrustPolicy(accountScope)),
      // IAM refuses to delete a role with managed policies attached (DeleteRole, DeleteConflict), should anyone attach one.
      forceDetachPolicies: true,
    });
    const serviceRolePolicy = new IamRolePolicy(this, "service-role-policy", {
      role: serviceRole.id,
      name: "s3files-bucket-sync",
      policy: JSON.stringify(
        s3FilesServicePermissions({
          ...accountScope,
          bucketArn: bucket.arn,
          ...(s.kmsKeyArn !== undefined && { kmsKeyArn: s.kmsKeyArn }),
        }),
      ),
    });
    this.serviceRoleArn = serviceRole.arn;

    const fileSystem = new S3FilesFileSystem(this, "file-system", {
      bucket: bucket.arn,
      roleArn: serviceRole.arn,
      ...(s.kmsKeyArn !== undefined && { kmsKeyId: s.kmsKeyArn }),
      // CreateFileSystem fails on bucket configuration warnings unless they are accepted; the lifecycle
      // rule above (non-current versions only) is deliberate. The AWS CDK construct accepts them too.
      acceptBucketWarning: true,
      tags: { Name: `${this.namePrefix}-files` },
      dependsOn: [versioning, encryption, bucketPolicy, serviceRolePolicy],
    });
    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;

    const mountTargetIds: Record<string, string> = {};
    const mountTargets: S3FilesMountTarget[] = [];
    for (const subnet of props.network.privateSubnets) {
      // One mount target per AZ; the runtime mounts through the one in its own AZ. Creation takes minutes.
      const mountTarget = new S3FilesMountTarget(this, `mount-target-${subnet.availabilityZoneId}`, {
        fileSystemId: fileSystem.id,
        subnetId: subnet.subnetId,
        securityGroups: [props.network.mountTargetSecurityGroupId],
        timeouts: { create: "30m", delete: "30m" },
      });
      mountTargetIds[subnet.availabilityZoneId] = mountTarget.id;
      mountTargets.push(mountTarget);
    }
    this.mountTargetIds = mountTargetIds;
    this.mountTargetsAvailable = mountTargets;

    const accessPoint = new S3FilesAccessPoint(this, "access-point", {
      fileSystemId: fileSystem.id,
      posixUser: [
        {
          uid: s.posixUid,
          gid: s.posixGid,
          ...(s.secondaryGids.length > 0 && { secondaryGids: [...s.secondaryGids] }),
        },
      ],
      // S3 Files applies creation_permissions only when it creates the directory itself, so the prefix
      // must not be created beforehand (REFERENCE.md "S3 Files").
      rootDirectory: [
        {
          path: s.rootDirectory,
          creationPermissions: [{ ownerUid: s.posixUid, ownerGid: s.posixGid, permissions: s.rootDirectoryPermissions }],
        },
      ],
      tags: { Name: `${this.namePrefix}-agents` },
    });
    this.accessPointId = accessPoint.id;
    this.accessPointArn = accessPoint.arn;

    new S3FilesFileSystemPolicy(this, "file-system-policy", {
      fileSystemId: fileSystem.id,
      policy: JSON.stringify(fileSystemAccessPointOnlyPolicy({ fileSystemArn: fileSystem.arn, accessPointArn: accessPoint.arn })),
    });
  }

  /**
   * The statements a client role needs to mount this file system through its access point (and nothing else):
   * what `grantClientAccess` attaches, and what an AgentRuntime's execution role holds for its own mount.
   */
  clientAccessStatements(options: ClientAccessOptions = {}): PolicyStatement[] {
    return s3FilesClientStatements({ fileSystemArn: this.fileSystemArn, accessPointArn: this.accessPointArn, readOnly: options.readOnly === true });
  }

  /**
   * Lets a role mount the file system through this storage's access point (read-write, or read-only), as the
   * access point's POSIX user; the file system policy refuses every other way in. Attaches an inline policy to
   * the role: in the role's own stack when the role is a construct (so a role in a stack that depends on this
   * one works), else beside this construct. Returns the policy.
   */
  grantClientAccess(role: RoleHandle, options: ClientAccessOptions = {}): IamRolePolicy {
    return grantToRole(this, role, options.readOnly === true ? "s3files-read" : "s3files-client", this.clientAccessStatements(options), "grantClientAccess");
  }

  /**
   * Lets NFS (TCP 2049) from a security group in to this file system's mount targets: the network half of a
   * client's access, which `grantClientAccess` (IAM only) does not give. S3 Files wants the mount targets' group to
   * admit TCP 2049 from the client's (S3 User Guide, "Creating mount targets", security groups); the client's own
   * group must let TCP 2049 out to the mount-target security group (a new group's default egress allows all).
   * Adds one ingress rule to the network's mount-target security group: as a child of the group when it is a
   * construct or a data source looking one up (in its own stack, which then depends on the network's), else beside
   * this construct, named after the group id. The group must be in this storage's VPC. Returns the rule.
   */
  allowNfsFrom(securityGroup: SecurityGroupHandle): VpcSecurityGroupIngressRule {
    const isConstruct = securityGroup instanceof TerraformResource || securityGroup instanceof TerraformDataSource;
    const groupId = isConstruct ? (securityGroup as unknown as { id: string }).id : securityGroup;
    const refuse = (problem: string, fix: string): never => {
      throw new ConfigurationError(this.node.path, [{ field: "allowNfsFrom(securityGroup)", value: isConstruct ? securityGroup.node.path : groupId, problem, fix }]);
    };
    if (isConstruct && securityGroup.terraformResourceType !== "aws_security_group") return refuse(`is a ${securityGroup.terraformResourceType}, not a security group`, "pass a SecurityGroup construct or a security group id");
    if (!isConstruct && typeof groupId !== "string") return refuse("is not a security group id", 'pass a SecurityGroup construct or a security group id such as "sg-0123456789abcdef0"');
    if (groupId === this.network.agentSecurityGroupId) return refuse("is the agent security group, which the mount-target security group already admits", "remove the call; AgentCore runtimes of this network already reach the mount targets");
    if (!isConstruct && Token.isUnresolved(groupId)) return refuse("names the security group by a Terraform token, so the rule would have no stable address", "pass the SecurityGroup construct itself, a DataAwsSecurityGroup that looks the group up, or the group's literal id");
    if (!isConstruct && !SECURITY_GROUP_ID_PATTERN.test(groupId)) return refuse("is not a security group id", 'pass a security group id such as "sg-0123456789abcdef0" (EC2 writes sg- and 8 or 17 hex digits)');
    const [scope, id] = isConstruct ? [securityGroup, `nfs-to-${pathName(this)}`] : [this, `nfs-from-${groupId}`];
    if (scope.node.tryFindChild(id) !== undefined) return refuse("is already allowed NFS to these mount targets (EC2 refuses a duplicate rule)", "call allowNfsFrom once per security group");
    return new VpcSecurityGroupIngressRule(scope, id, {
      securityGroupId: this.network.mountTargetSecurityGroupId,
      description: "NFS from an S3 Files client",
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: groupId,
    });
  }
}

/**
 * The key's Region, partition and (when known at synth) account are checked by validateS3FilesStorageProps; where
 * the account is known only at plan time, the plan checks the key is in it.
 */
function bucketKeyPreconditions(kmsKeyArn: string, aws: AwsContext) {
  const keyAccount = Token.isUnresolved(kmsKeyArn) ? undefined : arnParts(kmsKeyArn)?.accountId;
  if (keyAccount === undefined || aws.literalAccountId !== undefined) return [];
  return inAccountPrecondition(
    aws.accountId,
    keyAccount,
    `The bucket's KMS key ${kmsKeyArn} is in account ${keyAccount}, not the account being deployed to. Use a key of the deploying account, or set the environment's account so synth checks this.`,
  );
}
