import type { DataAwsSecurityGroup } from "@cdktn/provider-aws/lib/data-aws-security-group/index.js";
import type { SecurityGroup } from "@cdktn/provider-aws/lib/security-group/index.js";
import type { ITerraformDependable } from "cdktn";
import type { INetwork } from "../network/props.ts";

/**
 * S3 Files storage that other constructs mount or read: an `S3FilesStorage`, or a plain object describing one
 * you manage yourself.
 */
export interface IS3FilesStorage {
  /** The versioned bucket the file system is exposed from (the cold tier reads it through the S3 API). */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /** The S3 Files file system's id (`fs-…`). */
  readonly fileSystemId: string;
  /** The file system's ARN; what `s3files:ClientMount` is scoped to. */
  readonly fileSystemArn: string;
  /** The access point's id. */
  readonly accessPointId: string;
  /** The access point's ARN: what the runtime mounts, and the only way clients may mount the file system. */
  readonly accessPointArn: string;
  /** The bucket's customer managed KMS key, when it has one (SSE-S3 otherwise). */
  readonly kmsKeyArn?: string;
  /** The access point's root directory: the key prefix of the S3 Files tree in the bucket, when known. */
  readonly rootDirectory?: string;
  /**
   * What is done once the mount targets are available (S3FilesStorage: its mount target resources, which Terraform
   * creates only when they are available). A runtime in the same stack waits for them: AgentCore checks the mount
   * targets when it creates the runtime. @default none (a runtime in another stack follows the stack order)
   */
  readonly mountTargetsAvailable?: readonly ITerraformDependable[];
}

export type { RoleHandle } from "../../lib/grants.ts";

/** Props of an S3FilesStorage: the network is required, everything else has a default. */
export interface S3FilesStorageProps {
  /** The network whose private subnets get one mount target each, with its mount-target security group. */
  readonly network: INetwork;
  /** Prefix of the names (bucket, service role) and Name tags. @default the stack's id */
  readonly namePrefix?: string;
  /** Name of the bucket (S3's general purpose bucket naming rules). @default `<namePrefix>-files-<account>-<region>` */
  readonly bucketName?: string;
  /** POSIX user every client of the access point acts as; 0 (root) is refused. @default 1000 */
  readonly posixUid?: number;
  /** POSIX group every client of the access point acts as; 0 (root) is refused. @default 1000 */
  readonly posixGid?: number;
  /** Further groups of every client, at most 16, none 0. @default none */
  readonly secondaryGids?: readonly number[];
  /**
   * Root directory of the access point (the key prefix of the file tree in the bucket); S3 Files creates it with
   * `rootDirectoryPermissions` on first use. @default "/agents"
   */
  readonly rootDirectory?: string;
  /** Octal mode S3 Files gives the root directory when it creates it. @default "750" */
  readonly rootDirectoryPermissions?: string;
  /**
   * Keep the bucket and its objects when the stack is destroyed; when false, Terraform may empty and delete the
   * bucket. @default true (stateful data is kept unless you say otherwise)
   */
  readonly retainDataOnTeardown?: boolean;
  /** Customer managed KMS key (of the stack's Region and account) for the bucket and the file system. @default SSE-S3 */
  readonly kmsKeyArn?: string;
  /** Days non-current object versions are kept before they expire (S3 Files requires versioning). @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/** The props with every default applied (the network handle aside); see S3FilesStorageProps for each. */
export interface StorageSettings {
  /** POSIX user of every client of the access point. */
  readonly posixUid: number;
  /** POSIX group of every client of the access point. */
  readonly posixGid: number;
  /** Further groups of every client. */
  readonly secondaryGids: readonly number[];
  /** The access point's root directory. */
  readonly rootDirectory: string;
  /** Octal mode of the root directory when S3 Files creates it. */
  readonly rootDirectoryPermissions: string;
  /** Whether the bucket and its objects outlive the stack. */
  readonly retainDataOnTeardown: boolean;
  /** The customer managed KMS key, when there is one (SSE-S3 otherwise). */
  readonly kmsKeyArn?: string;
  /** Days non-current object versions are kept. */
  readonly noncurrentVersionExpirationDays: number;
}

/**
 * A security group to admit: a `SecurityGroup` construct of this app, a `DataAwsSecurityGroup` looking one up, or
 * the literal id of one defined elsewhere.
 */
export type SecurityGroupHandle = SecurityGroup | DataAwsSecurityGroup | string;

/** How a role given access by `grantClientAccess` may use the file system. */
export interface ClientAccessOptions {
  /** Mount read-only: `s3files:ClientMount` without `s3files:ClientWrite`. @default false */
  readonly readOnly?: boolean;
}
