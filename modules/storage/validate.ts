/**
 * What an S3FilesStorage accepts: a non-root POSIX identity, a root directory S3 Files can create, a key of the
 * bucket's own Region and account, and mount targets in distinct Availability Zones.
 */
import { Token } from "cdktn";
import { bucketNameProblem } from "../../lib/bucket-names.ts";
import { checkAgainstAws, checkKmsKeyArn, checkNamePrefix } from "../../lib/construct-checks.ts";
import { shapeProblems } from "../../lib/shape.ts";
import { storageShape } from "../../lib/handle-shapes.ts";
import { ProblemCollector, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
import type { INetwork } from "../network/props.ts";
import type { S3FilesStorageProps, StorageSettings } from "./props.ts";

/** The defaults an S3FilesStorage applies where its props say nothing. */
export const STORAGE_DEFAULTS = {
  /** The access point's POSIX user: the first unprivileged user of most Linux images (the reference agent's `node`). */
  posixUid: 1000,
  /** The access point's POSIX group. */
  posixGid: 1000,
  /** The access point's root directory. */
  rootDirectory: "/agents",
  /** Owner all, group read and traverse, others nothing. */
  rootDirectoryPermissions: "750",
  /** Stateful data is kept unless asked otherwise. */
  retainDataOnTeardown: true,
  /** Days non-current object versions are kept. */
  noncurrentVersionExpirationDays: 90,
} as const;

/** The largest POSIX id an access point takes (S3 Files API model, PosixUser uid/gid: 0..4294967295). */
const MAX_POSIX_ID = 4294967294;
const MAX_SECONDARY_GIDS = 16;
const ROOT_DIRECTORY_PATTERN = /^(\/[A-Za-z0-9._-]+)+$/;
const PERMISSIONS_PATTERN = /^[0-7]{3,4}$/;
const ACCESS_POINT = "aws_s3files_access_point";

/** The props a validator reads; the network handle is optional so a whole environment can be validated before it exists. */
export interface S3FilesStorageInput extends Omit<S3FilesStorageProps, "network"> {
  /** The network the mount targets go in. @default - none yet: the checks that need it are skipped */
  readonly network?: INetwork;
}

/** Validates S3FilesStorage props and applies their defaults; see S3FilesStorageProps. */
export function validateS3FilesStorageProps(props: S3FilesStorageInput, context: ValidationContext = {}): ValidationResult<StorageSettings> {
  const types = shapeProblems(storageShape, props, "S3FilesStorageProps");
  if (types !== undefined) return { problems: types.problems, resolved: validateS3FilesStorageProps(types.rest, context).resolved };
  const check = new ProblemCollector(context, "the stack");
  check.checkTemplateSequences(props, [], new Set(["network"]));
  if (props.namePrefix !== undefined) checkNamePrefix(check, props.namePrefix, props.bucketName === undefined ? ["bucket", "s3FilesRole"] : ["s3FilesRole"]);
  if (props.bucketName !== undefined && !Token.isUnresolved(props.bucketName)) {
    const problem = bucketNameProblem(props.bucketName);
    if (problem !== undefined) check.report("bucketName", props.bucketName, problem, "choose a name S3 accepts (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)");
  }
  if (props.network !== undefined) checkNetwork(check, props.network);

  const posixUid = props.posixUid ?? STORAGE_DEFAULTS.posixUid;
  const posixGid = props.posixGid ?? STORAGE_DEFAULTS.posixGid;
  for (const [prop, id] of [["posixUid", posixUid], ["posixGid", posixGid]] as const) {
    if (Token.isUnresolved(id)) continue;
    if (!Number.isInteger(id) || id < 1 || id > MAX_POSIX_ID) {
      check.report(
        prop,
        id,
        id === 0 ? "0 is root; root access through S3 Files needs s3files:ClientRootAccess, which this project does not grant" : `must be a whole number from 1 to ${MAX_POSIX_ID}`,
        "use the non-root uid/gid your agent container runs as, e.g. 1000",
      );
    }
  }
  const secondaryGids = check.list("secondaryGids", props.secondaryGids);
  secondaryGids.forEach((gid, i) => {
    if (Token.isUnresolved(gid)) return;
    if (gid === 0) {
      check.report(`secondaryGids.${i}`, gid, "is the root group: every client of the access point would act with gid 0 on the file system", "remove it; use the group ids your agent's files need, e.g. 1000");
    } else if (!Number.isInteger(gid) || gid < 1 || gid > MAX_POSIX_ID) {
      check.report(`secondaryGids.${i}`, gid, `must be a whole number from 1 to ${MAX_POSIX_ID}`, "correct the group id");
    }
  });
  if (secondaryGids.length > MAX_SECONDARY_GIDS) {
    check.report("secondaryGids", secondaryGids, `lists more than the ${MAX_SECONDARY_GIDS} secondary groups an access point allows`, `list at most ${MAX_SECONDARY_GIDS}`);
  }
  const rootDirectory = props.rootDirectory ?? STORAGE_DEFAULTS.rootDirectory;
  if (!Token.isUnresolved(rootDirectory)) {
    if (typeof rootDirectory !== "string" || !ROOT_DIRECTORY_PATTERN.test(rootDirectory) || rootDirectory.split("/").some((part) => part === "." || part === "..") || rootDirectory.length > 100) {
      check.report(
        "rootDirectory",
        rootDirectory,
        'must be an absolute path below "/" of at most 100 characters, without "." or ".." segments or a trailing slash',
        'use a path such as "/agents"',
      );
    } else {
      checkAgainstAws(check, "rootDirectory", rootDirectory, { resource: ACCESS_POINT, attribute: "root_directory.path", service: "S3 Files", fix: 'use a path such as "/agents"' });
    }
  }
  const rootDirectoryPermissions = props.rootDirectoryPermissions ?? STORAGE_DEFAULTS.rootDirectoryPermissions;
  if (typeof rootDirectoryPermissions !== "string" || (!Token.isUnresolved(rootDirectoryPermissions) && !PERMISSIONS_PATTERN.test(rootDirectoryPermissions))) {
    check.report("rootDirectoryPermissions", rootDirectoryPermissions, "is not an octal file mode", 'use three or four octal digits, e.g. "750"');
  }
  if (props.kmsKeyArn !== undefined) checkKmsKeyArn(check, "kmsKeyArn", props.kmsKeyArn, "the bucket");
  const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? STORAGE_DEFAULTS.noncurrentVersionExpirationDays;
  if (!Token.isUnresolved(noncurrentVersionExpirationDays) && (!Number.isInteger(noncurrentVersionExpirationDays) || noncurrentVersionExpirationDays < 1)) {
    check.report("noncurrentVersionExpirationDays", noncurrentVersionExpirationDays, "must be a whole number of days, at least 1", "set it to the number of days old object versions are kept, e.g. 30");
  }
  const retainDataOnTeardown = props.retainDataOnTeardown ?? STORAGE_DEFAULTS.retainDataOnTeardown;
  if (typeof retainDataOnTeardown !== "boolean") check.report("retainDataOnTeardown", retainDataOnTeardown, "must be true or false", "set it to true to keep the bucket and its objects on teardown");
  return {
    problems: check.problems,
    resolved: {
      posixUid,
      posixGid,
      secondaryGids,
      rootDirectory,
      rootDirectoryPermissions,
      retainDataOnTeardown,
      ...(props.kmsKeyArn !== undefined && { kmsKeyArn: props.kmsKeyArn }),
      noncurrentVersionExpirationDays,
    },
  };
}

/**
 * A mount target per private subnet, one per Availability Zone (S3 Files allows at most one per AZ), each named
 * by its AZ ID — so the AZ IDs must be known at synth and distinct.
 */
function checkNetwork(check: ProblemCollector, network: INetwork): void {
  const subnets = check.list("network.privateSubnets", network.privateSubnets);
  if (subnets.length === 0) {
    check.report("network.privateSubnets", [], "is empty; the file system needs a mount target in every Availability Zone the runtime uses", "give a network with private subnets in at least two Availability Zones");
    return;
  }
  const zones = subnets.map((s) => s.availabilityZoneId);
  if (zones.some((z) => Token.isUnresolved(z))) {
    check.report("network.privateSubnets", zones, "has an Availability Zone ID that is a Terraform token; each mount target is named by its subnet's AZ ID", "give each subnet's AZ ID as a literal");
  } else if (new Set(zones).size !== zones.length) {
    check.report("network.privateSubnets", zones, "has two subnets in one Availability Zone; S3 Files allows one mount target per AZ", "give one private subnet per Availability Zone");
  }
  subnets.forEach((subnet, i) => {
    if (!Token.isUnresolved(subnet.subnetId)) {
      checkAgainstAws(check, `network.privateSubnets.${i}.subnetId`, subnet.subnetId, { resource: "aws_s3files_mount_target", attribute: "subnet_id", service: "S3 Files", fix: "give the subnet's id" });
    }
  });
  if (!Token.isUnresolved(network.mountTargetSecurityGroupId)) {
    checkAgainstAws(check, "network.mountTargetSecurityGroupId", network.mountTargetSecurityGroupId, { resource: "aws_s3files_mount_target", attribute: "security_groups[]", service: "S3 Files", fix: "give the security group's id" });
  }
}
