/**
 * The file systems a runtime mounts (part of validateAgentRuntimeProps): mount paths directly under /mnt and
 * distinct, other teams' access points and file systems of the runtime's partition and Region with their
 * mount-target security group, and at most five file systems (two S3 Files, two EFS).
 */
import { Token } from "cdktn";
import { arnParts } from "../../lib/arns.ts";
import { SECURITY_GROUP_ID_PATTERN } from "../../lib/construct-checks.ts";
import type { ProblemCollector } from "../../lib/validation.ts";
import type { RuntimeMount } from "./props.ts";

/** Mount path and ARN patterns as the bedrock-agentcore-control API model writes them; limits per runtime (REFERENCE.md "AgentCore Runtime"). */
const MOUNT_PATH_PATTERN = /^\/mnt\/[a-zA-Z0-9._-]+\/?$/;
const S3FILES_ACCESS_POINT_ARN = /^arn:aws[-a-z]*:s3files:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{17,40}\/access-point\/fsap-[0-9a-f]{17,40}$/;
const S3FILES_FILE_SYSTEM_ARN = /^arn:aws[-a-z]*:s3files:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{17,40}$/;
const EFS_ACCESS_POINT_ARN = /^arn:aws[-a-z]*:elasticfilesystem:[a-z0-9-]+:\d{12}:access-point\/fsap-[0-9a-f]{8,40}$/;
const EFS_FILE_SYSTEM_ARN = /^arn:aws[-a-z]*:elasticfilesystem:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{8,40}$/;
const MOUNT_LIMITS = { total: 5, s3files: 2, efs: 2 } as const;

/** Checks the session-storage, S3 Files and additional mounts; reports each problem on `check`. */
export function checkMounts(check: ProblemCollector, session: string, s3Files: string, additional: readonly RuntimeMount[]): void {
  const { region, partition } = check.context;
  const paths: [string, string][] = [
    ["sessionStorageMountPath", session],
    ["s3FilesMountPath", s3Files],
    ...additional.map((m, i): [string, string] => [`additionalMounts.${i}.mountPath`, m.mountPath]),
  ];
  const seen = new Map<string, string>();
  for (const [prop, path] of paths) {
    if (typeof path === "string" && Token.isUnresolved(path)) continue;
    if (typeof path !== "string" || !MOUNT_PATH_PATTERN.test(path) || path.length < 6 || path.length > 200) {
      check.report(prop, path, "must be a single directory directly under /mnt (^/mnt/[a-zA-Z0-9._-]+/?$)", 'use a path such as "/mnt/data"');
      continue;
    }
    // AgentCore's pattern accepts "." and ".." as the name (MountPath, bedrock-agentcore-control model), but
    // they resolve to /mnt itself and to /.
    if (/^\/mnt\/\.{1,2}\/?$/.test(path)) {
      check.report(prop, path, `resolves to ${path.startsWith("/mnt/..") ? "/ (the root of the container)" : "/mnt itself"}, not a directory of its own under /mnt`, 'use a named directory such as "/mnt/data"');
      continue;
    }
    const normalized = path.replace(/\/$/, "");
    const other = seen.get(normalized);
    if (other !== undefined) check.report(prop, path, `is also used by ${check.name(other)}; mount paths must be distinct`, "give each mount its own path");
    seen.set(normalized, prop);
  }
  additional.forEach((mount, i) => {
    const [apPattern, fsPattern] = mount.type === "s3files" ? [S3FILES_ACCESS_POINT_ARN, S3FILES_FILE_SYSTEM_ARN] : [EFS_ACCESS_POINT_ARN, EFS_FILE_SYSTEM_ARN];
    const at = `additionalMounts.${i}`;
    const kind = mount.type === "s3files" ? "an S3 Files" : "an EFS";
    const apValid = Token.isUnresolved(mount.accessPointArn) || apPattern.test(mount.accessPointArn);
    const fsValid = Token.isUnresolved(mount.fileSystemArn) || fsPattern.test(mount.fileSystemArn);
    if (!apValid) check.report(`${at}.accessPointArn`, mount.accessPointArn, `is not ${kind} access point ARN`, "copy the access point ARN from the console or the owning stack's outputs");
    if (!fsValid) check.report(`${at}.fileSystemArn`, mount.fileSystemArn, `is not ${kind} file system ARN`, "copy the file system ARN the access point belongs to");
    // The runtime reaches file systems through mount targets in its own VPC: same partition and Region.
    for (const [key, arn, valid] of [["accessPointArn", mount.accessPointArn, apValid], ["fileSystemArn", mount.fileSystemArn, fsValid]] as const) {
      const parts = valid && !Token.isUnresolved(arn) ? arnParts(arn) : undefined;
      if (parts !== undefined && region !== undefined && (parts.partition !== partition || parts.region !== region)) {
        check.report(`${at}.${key}`, arn, `is in ${parts.partition}/${parts.region}, but the runtime is in ${partition}/${region}`, `mount a file system of ${region}`);
      }
    }
    const securityGroup = (mount as { mountTargetSecurityGroupId?: unknown }).mountTargetSecurityGroupId;
    if (securityGroup === undefined) {
      check.report(
        `${at}.mountTargetSecurityGroupId`,
        undefined,
        "is required: the runtime reaches the file system over NFS (TCP 2049) through its mount targets, and the agent security group lets NFS out only to the security groups it is given",
        "give the security group of the file system's mount targets in the runtime's VPC (its inbound rules must admit TCP 2049 from the agent security group)",
      );
    } else if (typeof securityGroup !== "string" || (!Token.isUnresolved(securityGroup) && !SECURITY_GROUP_ID_PATTERN.test(securityGroup))) {
      check.report(`${at}.mountTargetSecurityGroupId`, securityGroup, "is not a security group id", 'use the id of the mount targets\' security group, e.g. "sg-0123456789abcdef0"');
    }
    const literal = !Token.isUnresolved(mount.accessPointArn) && !Token.isUnresolved(mount.fileSystemArn);
    if (mount.type === "s3files" && literal && apValid && fsValid && !mount.accessPointArn.startsWith(`${mount.fileSystemArn}/access-point/`)) {
      check.report(`${at}.accessPointArn`, mount.accessPointArn, `belongs to another file system than ${mount.fileSystemArn}`, "give the file system the access point belongs to (its ARN is the access point ARN up to /access-point/)");
    }
  });
  const s3FilesCount = 1 + additional.filter((m) => m.type === "s3files").length;
  const efsCount = additional.filter((m) => m.type === "efs").length;
  const total = 2 + additional.length;
  const problems = [
    total > MOUNT_LIMITS.total && `${total} file systems in all (session storage, this ${check.owner.replace(/^the /, "")}'s S3 Files, ${additional.length} more); a runtime allows ${MOUNT_LIMITS.total}`,
    s3FilesCount > MOUNT_LIMITS.s3files && `${s3FilesCount} S3 Files access points; a runtime allows ${MOUNT_LIMITS.s3files}`,
    efsCount > MOUNT_LIMITS.efs && `${efsCount} EFS access points; a runtime allows ${MOUNT_LIMITS.efs}`,
  ].filter((p): p is string => typeof p === "string");
  for (const problem of problems) check.report("additionalMounts", additional.map((m) => m.mountPath), `adds up to ${problem}`, "remove mounts");
}
