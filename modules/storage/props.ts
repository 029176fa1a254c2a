import type { PrivateSubnet } from "../network/props.ts";

export interface S3FilesStorageProps {
  /** Environment name, used in Name tags. */
  readonly name: string;
  readonly region: string;
  readonly partition: string;
  /** Account id (or a Terraform token for it), used in confused-deputy conditions. */
  readonly accountId: string;
  readonly bucketName: string;
  readonly serviceRoleName: string;
  /** Subnets that get a mount target each (one per AZ). */
  readonly privateSubnets: readonly PrivateSubnet[];
  /** Security group of the mount targets (NFS from the agent security group only). */
  readonly mountTargetSecurityGroupId: string;
  /** Keep the bucket and its objects on teardown; when false, Terraform may empty and delete the bucket. */
  readonly retainDataOnTeardown: boolean;
  /** Customer managed KMS key for the bucket and the file system. @default - SSE-S3 */
  readonly kmsKeyArn?: string;
  /** Days non-current object versions are kept before they expire. */
  readonly noncurrentVersionExpirationDays: number;
  /** POSIX user every client of the access point acts as. */
  readonly posixUid: number;
  readonly posixGid: number;
  /** @default - none */
  readonly secondaryGids: readonly number[];
  /** Root directory of the access point, created by S3 Files on first use. */
  readonly rootDirectory: string;
  /** Octal mode S3 Files gives the root directory when it creates it, e.g. "750". */
  readonly rootDirectoryPermissions: string;
}
