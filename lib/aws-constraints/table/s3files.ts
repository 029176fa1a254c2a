import { pattern, length, range, count, row, rows } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// S3 Files
// ---------------------------------------------------------------------------------------------------

const s3FilesMember = (shape: string, member: string, element?: ApiMember["element"]): ApiMember => ({ service: "s3files", shape, member, ...(element && { element }) });
const FILE_SYSTEM_ID = String.raw`(arn:aws[-a-z]*:s3files:[0-9a-z-:]+:file-system/fs-[0-9a-f]{17,40}|fs-[0-9a-f]{17,40})`;
const POSIX_ID = [range(0, 4294967295)];

export const S3FILES_ROWS: ConstraintRow[] = [
  row("aws_s3files_file_system", "bucket", s3FilesMember("CreateFileSystemRequest", "bucket"), [pattern(String.raw`(arn:aws[a-zA-Z0-9-]*:s3:::.+)`, "an S3 bucket ARN")]),
  row("aws_s3files_file_system", "role_arn", s3FilesMember("CreateFileSystemRequest", "roleArn"), [
    pattern(String.raw`arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`, "an IAM role ARN"),
    length(0, 2048),
  ]),
  row("aws_s3files_file_system", "kms_key_id", s3FilesMember("CreateFileSystemRequest", "kmsKeyId"), [
    pattern(
      String.raw`([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+|(arn:aws[-a-z]*:kms:[a-z0-9-]+:\d{12}:((key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(key/mrk-[0-9a-f]{32})|(alias/[a-zA-Z0-9/_-]+))))`,
      "a KMS key id, key ARN or alias",
    ),
    length(0, 2048),
  ]),
  row("aws_s3files_mount_target", "file_system_id", s3FilesMember("CreateMountTargetRequest", "fileSystemId"), [pattern(FILE_SYSTEM_ID, "a file system id or ARN"), length(0, 128)]),
  row("aws_s3files_mount_target", "subnet_id", s3FilesMember("CreateMountTargetRequest", "subnetId"), [pattern(String.raw`subnet-[0-9a-f]{8,40}`, "a subnet id"), length(15, 47)]),
  row("aws_s3files_mount_target", "security_groups[]", s3FilesMember("CreateMountTargetRequest", "securityGroups", "member"), [pattern(String.raw`(sg-[0-9a-f]{8,40})`, "a security group id"), length(11, 43)]),
  row("aws_s3files_mount_target", "security_groups{count}", s3FilesMember("CreateMountTargetRequest", "securityGroups"), [count(0, 100)]),
  row("aws_s3files_access_point", "file_system_id", s3FilesMember("CreateAccessPointRequest", "fileSystemId"), [pattern(FILE_SYSTEM_ID, "a file system id or ARN"), length(0, 128)]),
  row("aws_s3files_access_point", "posix_user.uid", s3FilesMember("PosixUser", "uid"), POSIX_ID),
  row("aws_s3files_access_point", "posix_user.gid", s3FilesMember("PosixUser", "gid"), POSIX_ID),
  row("aws_s3files_access_point", "posix_user.secondary_gids[]", s3FilesMember("PosixUser", "secondaryGids", "member"), POSIX_ID),
  row("aws_s3files_access_point", "root_directory.path", s3FilesMember("RootDirectory", "path"), [
    pattern("(\\/|(\\/(?!\\.)+[^$#<>;;`|&?{}^*/\\n]+){1,4})", '"/" or up to 4 path segments, none starting with "." or holding $#<>;`|&?{}^*'),
    length(1, 100),
  ]),
  row("aws_s3files_access_point", "root_directory.creation_permissions.owner_uid", s3FilesMember("CreationPermissions", "ownerUid"), POSIX_ID),
  row("aws_s3files_access_point", "root_directory.creation_permissions.owner_gid", s3FilesMember("CreationPermissions", "ownerGid"), POSIX_ID),
  row("aws_s3files_access_point", "root_directory.creation_permissions.permissions", s3FilesMember("CreationPermissions", "permissions"), [
    pattern("[0-7]{3,4}", "3 or 4 octal digits"),
    length(3, 4),
  ]),
  ...rows(["aws_s3files_file_system", "aws_s3files_access_point"], "tags{keys}", s3FilesMember("Tag", "key"), [
    pattern(String.raw`([\p{L}\p{Z}\p{N}_.:/=+\-@]+)`, "letters, digits, spaces and _.:/=+-@ only"),
    length(1, 128),
  ]),
  ...rows(["aws_s3files_file_system", "aws_s3files_access_point"], "tags{values}", s3FilesMember("Tag", "value"), [
    pattern(String.raw`([\p{L}\p{Z}\p{N}_.:/=+\-@]*)`, "letters, digits, spaces and _.:/=+-@ only"),
    length(0, 256),
  ]),
  row("aws_s3files_file_system", "tags{count}", s3FilesMember("CreateFileSystemRequest", "tags"), [count(1, 50)]),
  row("aws_s3files_access_point", "tags{count}", s3FilesMember("CreateAccessPointRequest", "tags"), [count(1, 50)]),
];
