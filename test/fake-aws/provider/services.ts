/** The other stacks' Terraform types in the fake world: logs, IAM, S3, S3 Files, ECR, AgentCore, KMS, SNS, EventBridge, CloudTrail. */
import { randomUUID } from "node:crypto";
import { AwsError } from "../errors.ts";
import { ensureAgentCoreEnis, ensureAgentCoreLogGroup, scheduleAgentCoreRelease, validateMounts } from "./agentcore.ts";
import { arnOf, generic, list, REQUESTER, serviceEni, subnet, type TypeSpec } from "./spec.ts";

export const SERVICE_TYPES: Record<string, TypeSpec> = {
  aws_cloudwatch_log_group: {
    label: "CloudWatch Logs Log Group",
    service: "CloudWatch Logs",
    createOperation: "CreateLogGroup",
    deleteOperation: "DeleteLogGroup",
    forceNew: ["name"],
    indexed: true,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "logs", region, `log-group:${id}`),
  },
  // CloudWatch Logs vended-log delivery (the runtime's APPLICATION_LOGS / USAGE_LOGS): a source names what emits
  // the logs, a destination where they go, a delivery ties the two. Provider docs r/cloudwatch_log_delivery_source,
  // _destination, _delivery: source and destination are identified by name and export `arn`; a delivery has a
  // generated id and exports `arn` (logs API: delivery-source:<name>, delivery-destination:<name>, delivery:<id>).
  // All three take `tags` (provider schema; @cdktn/provider-aws lib/cloudwatch-log-delivery*/index.d.ts), so
  // default_tags reaches them and the tagging index lists them.
  aws_cloudwatch_log_delivery_source: {
    label: "CloudWatch Logs Delivery Source",
    service: "CloudWatch Logs",
    createOperation: "PutDeliverySource",
    deleteOperation: "DeleteDeliverySource",
    forceNew: ["name", "log_type", "resource_arn"],
    indexed: true,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "logs", region, `delivery-source:${id}`),
    computed: () => ({ service: "bedrock-agentcore" }),
  },
  aws_cloudwatch_log_delivery_destination: {
    label: "CloudWatch Logs Delivery Destination",
    service: "CloudWatch Logs",
    createOperation: "PutDeliveryDestination",
    deleteOperation: "DeleteDeliveryDestination",
    forceNew: ["name"],
    indexed: true,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "logs", region, `delivery-destination:${id}`),
  },
  aws_cloudwatch_log_delivery: {
    label: "CloudWatch Logs Delivery",
    service: "CloudWatch Logs",
    createOperation: "CreateDelivery",
    deleteOperation: "DeleteDelivery",
    forceNew: ["delivery_source_name", "delivery_destination_arn"],
    indexed: true,
    id: (world) => world.id("dlv"),
    arn: (world, id, _c, region) => arnOf(world, "logs", region, `delivery:${id}`),
  },
  aws_iam_role: {
    label: "IAM Role",
    service: "IAM",
    createOperation: "CreateRole",
    deleteOperation: "DeleteRole",
    forceNew: ["name"],
    indexed: false,
    id: (_w, config) => String(config.name),
    arn: (world, id) => `arn:aws:iam::${world.account}:role/${id}`,
    computed: (world, r) => ({ name: r.id, unique_id: `AROA${r.id.length.toString().padStart(17, "X")}` }),
  },
  aws_iam_policy: {
    label: "IAM Policy",
    service: "IAM",
    createOperation: "CreatePolicy",
    deleteOperation: "DeletePolicy",
    forceNew: ["name"],
    indexed: false,
    id: (world, config) => `arn:aws:iam::${world.account}:policy/${String(config.name)}`,
    arn: (_w, id) => id,
    // provider iam policy.go: the delete removes non-default versions, then DeletePolicy, which IAM refuses while the
    // policy is attached to any user, group or role (iam model DeleteConflictException: "DeleteConflict", 409).
    remove: (world, policy) => {
      const attached = world.attachmentsOf(policy.id);
      if (attached.users.size + attached.groups.size + attached.roles.size > 0) throw new AwsError("DeleteConflict", "Cannot delete a policy attached to entities.", 409);
    },
  },
  // provider s3 bucket.go: force_destroy empties the bucket first; otherwise DeleteBucket answers BucketNotEmpty.
  aws_s3_bucket: {
    label: "S3 Bucket",
    service: "S3",
    createOperation: "CreateBucket",
    deleteOperation: "DeleteBucket",
    forceNew: ["bucket"],
    indexed: true,
    id: (_w, config) => String(config.bucket),
    arn: (_w, id) => `arn:aws:s3:::${id}`,
    computed: (_w, r) => ({ bucket: r.id, bucket_domain_name: `${r.id}.s3.amazonaws.com`, region: r.region }),
    create: (world, bucket) => {
      world.bucket(bucket.id);
    },
    remove: (world, bucket) => {
      const objects = world.bucket(bucket.id);
      if (objects.size > 0 && bucket.attributes.force_destroy !== true) throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
      world.objects.delete(bucket.id);
    },
  },
  // Suspending versioning fails while a file system is attached (REFERENCE.md "S3 Files": BucketHasS3FileSystemAttached).
  aws_s3_bucket_versioning: {
    ...generic("aws_s3_bucket_versioning"),
    label: "S3 Bucket Versioning",
    service: "S3",
    deleteOperation: "PutBucketVersioning",
    id: (_w, config) => String(config.bucket),
    remove: (world, versioning) => {
      const attached = world.all("aws_s3files_file_system", versioning.region).some((f) => f.attributes.bucket === `arn:aws:s3:::${versioning.id}`);
      if (attached) throw new AwsError("BucketHasS3FileSystemAttached", "Versioning cannot be suspended while an S3 file system is attached to the bucket.", 409);
    },
  },
  // provider s3files file_system.go: every attribute but tags forces replacement except name/status; delete is not retried.
  aws_s3files_file_system: {
    label: "S3 Files File System",
    service: "S3Files",
    createOperation: "CreateFileSystem",
    deleteOperation: "DeleteFileSystem",
    forceNew: ["bucket", "role_arn", "kms_key_id", "prefix"],
    indexed: true,
    id: (world) => world.id("fs"),
    arn: (world, id, _c, region) => arnOf(world, "s3files", region, `file-system/${id}`),
    computed: (world, r) => ({ owner_id: world.account, status: "available", name: r.tags.Name ?? "", creation_time: new Date(world.now()).toISOString() }),
    remove: (world, fs) => {
      const using = [...world.resources.values()].filter((r) => (r.type === "aws_s3files_mount_target" || r.type === "aws_s3files_access_point") && r.attributes.file_system_id === fs.id);
      if (using.length > 0) throw new AwsError("ConflictException", `File system ${fs.id} has mount targets or access points`, 409, { errorCode: "FileSystemInUse", resourceId: fs.id, resourceType: "FileSystem" });
      // research/s3files-anchors.md §5: "ConflictException … has data pending export … Use forceDelete=true" / FileSystemHasPendingExport.
      if ((world.pendingExportUntil.get(fs.id) ?? 0) > world.now()) {
        throw new AwsError("ConflictException", `File system ${fs.id} has data pending export to S3. Use forceDelete=true to delete anyway.`, 409, { errorCode: "FileSystemHasPendingExport", resourceId: fs.id, resourceType: "FileSystem" });
      }
    },
  },
  aws_s3files_mount_target: {
    label: "S3 Files Mount Target",
    service: "S3Files",
    createOperation: "CreateMountTarget",
    deleteOperation: "DeleteMountTarget",
    forceNew: ["file_system_id", "subnet_id"],
    indexed: false,
    id: (world) => world.id("fsmt"),
    create: (world, mt) => {
      // Modelled on EFS mount-target ENIs (S3 Files is served by the elasticfilesystem service principal, REFERENCE.md).
      const eni = serviceEni(world, {
        region: mt.region,
        subnetId: String(mt.attributes.subnet_id),
        groups: list(mt.attributes.security_groups),
        type: "interface",
        description: `S3 Files mount target for ${String(mt.attributes.file_system_id)} (${mt.id})`,
        requester: REQUESTER.s3files,
        createdBy: mt.id,
      });
      const sub = subnet(world, String(mt.attributes.subnet_id));
      Object.assign(mt.attributes, { network_interface_id: eni.NetworkInterfaceId, ipv4_address: eni.PrivateIpAddress, owner_id: world.account, vpc_id: sub.attributes.vpc_id, availability_zone_id: sub.attributes.availability_zone_id });
      return world.options.durations.mountTarget;
    },
    remove: (world) => world.options.durations.mountTarget,
  },
  // provider s3files access_point.go: RequiresReplace on file_system_id, posix_user, root_directory and every nested attribute.
  aws_s3files_access_point: {
    label: "S3 Files Access Point",
    service: "S3Files",
    createOperation: "CreateAccessPoint",
    deleteOperation: "DeleteAccessPoint",
    forceNew: "all",
    indexed: true,
    id: (world) => world.id("fsap"),
    arn: (world, id, config, region) => arnOf(world, "s3files", region, `file-system/${String(config.file_system_id)}/access-point/${id}`),
    computed: (world, r) => ({ owner_id: world.account, status: "available", name: r.tags.Name ?? "" }),
  },
  aws_s3files_file_system_policy: { ...generic("aws_s3files_file_system_policy"), id: (_w, config) => String(config.file_system_id) },
  // provider ecr repository.go: DeleteRepository with force=force_delete; without it ECR refuses while images remain.
  aws_ecr_repository: {
    label: "ECR Repository",
    service: "ECR",
    createOperation: "CreateRepository",
    deleteOperation: "DeleteRepository",
    forceNew: ["name"],
    indexed: true,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "ecr", region, `repository/${id}`),
    computed: (world, r) => ({ name: r.id, registry_id: world.account, repository_url: `${world.account}.dkr.ecr.${r.region}.amazonaws.com/${r.id}` }),
    create: (world, repository) => {
      world.images.set(repository.id, world.images.get(repository.id) ?? new Map());
    },
    remove: (world, repository) => {
      if ((world.images.get(repository.id)?.size ?? 0) > 0 && repository.attributes.force_delete !== true) {
        throw new AwsError("RepositoryNotEmptyException", `The repository with name '${repository.id}' in registry with id '${world.account}' cannot be deleted because it still contains images`);
      }
      world.images.delete(repository.id);
    },
  },
  aws_ecr_lifecycle_policy: { ...generic("aws_ecr_lifecycle_policy"), id: (_w, config) => String(config.repository) },
  aws_bedrockagentcore_agent_runtime: {
    label: "Bedrock AgentCore Agent Runtime",
    service: "Bedrock AgentCore Control",
    createOperation: "CreateAgentRuntime",
    deleteOperation: "DeleteAgentRuntime",
    forceNew: ["agent_runtime_name"],
    indexed: true,
    // AgentRuntimeId: "<name>-<10 alphanumerics>" (bedrock-agentcore-control model, AgentRuntimeId pattern).
    id: (world, config) => `${String(config.agent_runtime_name)}-${world.id("x", 10).slice(2).replace(/0/g, "a")}`,
    arn: (world, id, _c, region) => arnOf(world, "bedrock-agentcore", region, `runtime/${id}`),
    computed: (_w, r) => ({ agent_runtime_id: r.id, agent_runtime_arn: r.arn, agent_runtime_version: String(r.attributes.agent_runtime_version ?? "1"), status: "READY" }),
    create: (world, runtime) => {
      validateMounts(world, runtime);
      ensureAgentCoreEnis(world, runtime);
      ensureAgentCoreLogGroup(world, runtime);
    },
    update: (world, runtime) => {
      validateMounts(world, runtime);
      runtime.attributes.agent_runtime_version = String(Number(runtime.attributes.agent_runtime_version ?? "1") + 1);
      ensureAgentCoreEnis(world, runtime);
    },
    remove: (world, runtime) => {
      world.trailEvents.push({ eventName: "DeleteAgentRuntime", eventSource: "bedrock-agentcore.amazonaws.com", time: world.now(), visibleAt: world.now() + 5 * 60_000, requestParameters: { agentRuntimeId: runtime.id } });
      const done = world.now() + world.options.durations.runtimeDelete;
      scheduleAgentCoreRelease(world, runtime, done);
      return world.options.durations.runtimeDelete;
    },
  },
  aws_bedrockagentcore_agent_runtime_endpoint: {
    label: "Bedrock AgentCore Agent Runtime Endpoint",
    service: "Bedrock AgentCore Control",
    createOperation: "CreateAgentRuntimeEndpoint",
    deleteOperation: "DeleteAgentRuntimeEndpoint",
    forceNew: ["agent_runtime_id", "name"],
    indexed: true,
    id: (_w, config) => `${String(config.agent_runtime_id)},${String(config.name)}`,
    arn: (world, _id, config, region) => arnOf(world, "bedrock-agentcore", region, `runtime/${String(config.agent_runtime_id)}/runtime-endpoint/${String(config.name)}`),
    computed: (_w, r) => ({ agent_runtime_endpoint_arn: r.arn, status: "READY" }),
  },
  // A KMS key is never deleted at once: ScheduleKeyDeletion puts it in PendingDeletion for 7-30 days (KMS developer guide, "Deleting keys").
  aws_kms_key: {
    label: "KMS Key",
    service: "KMS",
    createOperation: "CreateKey",
    deleteOperation: "ScheduleKeyDeletion",
    forceNew: [],
    indexed: true,
    id: () => randomUUID(),
    arn: (world, id, _c, region) => arnOf(world, "kms", region, `key/${id}`),
    computed: (_w, r) => ({ key_id: r.id }),
    remove: (world, key) => {
      key.status = "pending-deletion";
      const days = Number(key.attributes.deletion_window_in_days ?? 30);
      key.goneAt = world.now() + days * 24 * 3600_000;
      key.attributes.key_state = "PendingDeletion";
      key.attributes.deletion_date = new Date(key.goneAt).toISOString();
      return -1;
    },
  },
  aws_kms_alias: { ...generic("aws_kms_alias"), id: (_w, config) => String(config.name) },
  aws_sns_topic: {
    label: "SNS Topic",
    service: "SNS",
    createOperation: "CreateTopic",
    deleteOperation: "DeleteTopic",
    forceNew: ["name"],
    indexed: true,
    id: (world, config, region) => arnOf(world, "sns", region, String(config.name)),
    arn: (_w, id) => id,
  },
  aws_sns_topic_policy: { ...generic("aws_sns_topic_policy"), id: (_w, config) => String(config.arn) },
  aws_sns_topic_subscription: { ...generic("aws_sns_topic_subscription"), id: (_w, config) => `${String(config.topic_arn)}:${randomUUID()}` },
  aws_cloudwatch_event_rule: {
    label: "EventBridge Rule",
    service: "EventBridge",
    createOperation: "PutRule",
    deleteOperation: "DeleteRule",
    forceNew: ["name"],
    indexed: true,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "events", region, `rule/${id}`),
  },
  aws_cloudwatch_event_target: { ...generic("aws_cloudwatch_event_target") },
  aws_cloudtrail: {
    label: "CloudTrail Trail",
    service: "CloudTrail",
    createOperation: "CreateTrail",
    deleteOperation: "DeleteTrail",
    forceNew: ["name"],
    indexed: true,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "cloudtrail", region, `trail/${id}`),
  },
};
