/**
 * What the AWS provider does to the account for each Terraform resource type the stacks use, against the
 * fake world: the ids and computed attributes AWS returns, the side effects AWS has (a NAT gateway's ENI,
 * an interface endpoint's ENIs, a mount target's ENI, AgentCore's shared `agentic_ai` ENIs), and the errors
 * AWS answers (DependencyViolation while ENIs use a subnet, RepositoryNotEmptyException, S3 Files'
 * ConflictException while writes are pending export, …). The stand-in Terraform (terraform/) calls this
 * through the world's /__provider endpoints; it applies the provider's own retry and wait rules from
 * `schema()` (which errors the provider retries, for how long).
 *
 * Types not listed here get GENERIC: an id, their configuration as attributes, nothing else. They are
 * resources whose behaviour deploy and teardown do not depend on (route table associations, bucket
 * sub-resources, policies, event targets, …).
 *
 * Sources, per type, are in the comments; "provider" means hashicorp/terraform-provider-aws.
 */
import { randomUUID } from "node:crypto";
import { AwsError } from "./errors.ts";
import type { Eni, FakeAwsWorld, Resource } from "./world.ts";

export interface TypeSpec {
  /** How the provider names the resource in its errors ("deleting EC2 Subnet (subnet-…): …"). */
  readonly label: string;
  /** The service name the AWS SDK for Go puts in its errors ("operation error EC2: DeleteSubnet"). */
  readonly service: string;
  readonly createOperation: string;
  readonly deleteOperation: string;
  /** Attributes whose change replaces the resource ("all": every attribute but tags). */
  readonly forceNew: "all" | readonly string[];
  /** Error codes the provider's delete retries, and for how long (its default delete timeout). */
  readonly deleteRetryOn?: readonly string[];
  readonly deleteTimeoutMs?: number;
  /** Listed by the Resource Groups Tagging API (GetResources lists no IAM users and roles). */
  readonly indexed: boolean;
  readonly id: (world: FakeAwsWorld, config: Record<string, unknown>, region: string) => string;
  readonly arn?: (world: FakeAwsWorld, id: string, config: Record<string, unknown>, region: string) => string;
  readonly computed?: (world: FakeAwsWorld, resource: Resource) => Record<string, unknown>;
  /** Validation and side effects of the create call; may throw AwsError. Returns how long creation takes. */
  readonly create?: (world: FakeAwsWorld, resource: Resource) => number | void;
  readonly update?: (world: FakeAwsWorld, resource: Resource, config: Record<string, unknown>) => void;
  /** The delete call: throws AwsError when AWS refuses; returns how long deletion takes (the provider waits). */
  readonly remove?: (world: FakeAwsWorld, resource: Resource) => number | void;
}

const MINUTE = 60_000;
const arnOf = (world: FakeAwsWorld, service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${world.account}:${resource}`;
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)]);
const first = (value: unknown): Record<string, unknown> => (Array.isArray(value) ? ((value[0] as Record<string, unknown>) ?? {}) : ((value as Record<string, unknown>) ?? {}));

/** AZ id "usw2-az1" → a zone name in its Region ("us-west-2a"); the mapping is per account in AWS, any fixed one will do. */
export function zoneName(region: string, zoneId: string | undefined): string {
  const n = Number(/az(\d+)$/.exec(zoneId ?? "")?.[1] ?? 1);
  return `${region}${"abcdef"[(n - 1) % 6]}`;
}

function subnet(world: FakeAwsWorld, id: string): Resource {
  const found = world.get(id);
  if (!found || found.type !== "aws_subnet") throw new AwsError("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`);
  return found;
}

function groupsOf(world: FakeAwsWorld, ids: readonly string[]): { GroupId: string; GroupName: string }[] {
  return ids.map((id) => {
    const group = world.get(id);
    if (!group) throw new AwsError("InvalidGroup.NotFound", `The security group '${id}' does not exist`);
    return { GroupId: id, GroupName: String(group.attributes.name ?? "default") };
  });
}

/**
 * A service-managed ENI: requester-managed, attached by "amazon-aws" through an "ela-attach-…" attachment,
 * owned by the account (EC2 User Guide, "Requester-managed network interfaces"; shared/REFERENCE.md).
 */
function serviceEni(world: FakeAwsWorld, input: { region: string; subnetId: string; groups: string[]; type: string; description: string; requester: string; createdBy: string; tags?: { Key: string; Value: string }[] }): Eni {
  const sub = subnet(world, input.subnetId);
  return world.addEni({
    region: input.region,
    SubnetId: input.subnetId,
    VpcId: String(sub.attributes.vpc_id),
    AvailabilityZone: zoneName(input.region, sub.attributes.availability_zone_id as string | undefined),
    InterfaceType: input.type,
    Description: input.description,
    OwnerId: world.account,
    RequesterId: input.requester,
    RequesterManaged: true,
    Status: "in-use",
    Groups: groupsOf(world, input.groups),
    Attachment: { AttachmentId: world.id("ela-attach"), InstanceOwnerId: "amazon-aws", Status: "attached", AttachTime: new Date(world.now()).toISOString(), DeviceIndex: 1, DeleteOnTermination: false },
    TagSet: input.tags ?? [],
    createdBy: input.createdBy,
  });
}

/**
 * Requester ids of service-managed ENIs. The NAT gateway's is taken from a NAT-gateway ENI as EC2 returns it
 * (aws/aws-parallelcluster cli tests, test_validators.py: RequesterId "036872051663", InterfaceType
 * "nat_gateway" — the EC2 model's enum spells it "natGateway"); the others are examples of AWS-owned ids
 * (they vary by service and Region). Teardown must not depend on any of them.
 */
const REQUESTER = { natGateway: "036872051663", endpoint: "727180483921", s3files: "415290012380", agentcore: "amazon-aws" };

const dependencyViolation = (message: string) => new AwsError("DependencyViolation", message);

function generic(type: string): TypeSpec {
  const short = type.replace(/^aws_/, "").split("_").map((w) => w[0]).join("");
  return { label: type, service: "AWS", createOperation: "Create", deleteOperation: "Delete", forceNew: [], indexed: false, id: (world) => world.id(short || "res") };
}

/** The runtimes' AgentCore ENIs: one per subnet and security-group set, shared by every runtime that uses the same (REFERENCE.md). */
function agentCoreKey(subnetId: string, groups: readonly string[]): string {
  return `${subnetId}|${[...groups].sort().join(",")}`;
}

function runtimeNetwork(resource: Resource): { subnets: string[]; groups: string[] } | undefined {
  const network = first(resource.attributes.network_configuration);
  if (network.network_mode !== "VPC") return undefined;
  const config = first(network.network_mode_config);
  return { subnets: list(config.subnets), groups: list(config.security_groups) };
}

function ensureAgentCoreEnis(world: FakeAwsWorld, runtime: Resource): void {
  const network = runtimeNetwork(runtime);
  if (!network) return;
  for (const subnetId of network.subnets) {
    const key = agentCoreKey(subnetId, network.groups);
    const existing = [...world.enis.values()].find((e) => e.createdBy === "agentcore" && agentCoreKey(e.SubnetId, e.Groups.map((g) => g.GroupId)) === key);
    if (existing) {
      delete existing.releaseAt;
      continue;
    }
    // agentic_ai, tagged AmazonBedrockAgentCoreManaged=true, ela-attach by amazon-aws (hashicorp/terraform-provider-aws#47399, #46569; REFERENCE.md).
    const eni = serviceEni(world, {
      region: runtime.region,
      subnetId,
      groups: network.groups,
      type: "agentic_ai",
      description: "",
      requester: REQUESTER.agentcore,
      createdBy: "agentcore",
      tags: [{ Key: "AmazonBedrockAgentCoreManaged", Value: "true" }],
    });
    if (world.options.managedEnisHidden) eni.Operator = { Managed: true, Principal: "bedrock-agentcore.amazonaws.com", HiddenByDefault: true };
  }
}

/** After a runtime is deleted, AgentCore keeps each of its ENIs until no runtime uses it, plus up to 8 hours. */
function scheduleAgentCoreRelease(world: FakeAwsWorld, runtime: Resource, at: number): void {
  const network = runtimeNetwork(runtime);
  if (!network) return;
  const stillUsed = new Set(
    world
      .all("aws_bedrockagentcore_agent_runtime", runtime.region)
      .filter((r) => r.id !== runtime.id && r.status !== "deleting")
      .flatMap((r) => {
        const n = runtimeNetwork(r);
        return n ? n.subnets.map((s) => agentCoreKey(s, n.groups)) : [];
      }),
  );
  for (const eni of world.enis.values()) {
    if (eni.createdBy !== "agentcore") continue;
    const key = agentCoreKey(eni.SubnetId, eni.Groups.map((g) => g.GroupId));
    if (network.subnets.some((s) => agentCoreKey(s, network.groups) === key) && !stillUsed.has(key)) eni.releaseAt = at + world.options.eniReleaseMs;
  }
}

function accessPointArns(runtime: Resource): string[] {
  const mounts = Array.isArray(runtime.attributes.filesystem_configuration) ? (runtime.attributes.filesystem_configuration as Record<string, unknown>[]) : [];
  return mounts.flatMap((f) => (Array.isArray(f.s3_files_access_point) ? (f.s3_files_access_point as Record<string, unknown>[]) : [])).map((a) => String(a.access_point_arn));
}

/** AgentCore validates the S3 Files mount when it creates or updates a runtime (REFERENCE.md "IAM actions and keys"). */
function validateMounts(world: FakeAwsWorld, runtime: Resource): void {
  for (const arn of accessPointArns(runtime)) {
    const id = /access-point\/(fsap-[0-9a-f]+)$/.exec(arn)?.[1];
    const accessPoint = id ? world.find("aws_s3files_access_point", id) : undefined;
    if (!accessPoint || accessPoint.status !== "available") throw new AwsError("ValidationException", `S3 Files access point ${arn} was not found or is not available`);
  }
}

export const TYPES: Record<string, TypeSpec> = {
  // provider internal/service/ec2/vpc_.go: DeleteVpc retried on DependencyViolation for the delete timeout.
  aws_vpc: {
    label: "EC2 VPC",
    service: "EC2",
    createOperation: "CreateVpc",
    deleteOperation: "DeleteVpc",
    forceNew: ["cidr_block"],
    deleteRetryOn: ["DependencyViolation"],
    deleteTimeoutMs: 5 * MINUTE,
    indexed: true,
    id: (world) => world.id("vpc"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `vpc/${id}`),
    create: (world, vpc) => {
      // Every VPC comes with its default security group and main route table.
      const sg = world.add({ type: "default_security_group", id: world.id("sg"), region: vpc.region, attributes: { vpc_id: vpc.id, name: "default", description: "default VPC security group" }, tags: {} });
      sg.arn = arnOf(world, "ec2", vpc.region, `security-group/${sg.id}`);
      vpc.attributes.default_security_group_id = sg.id;
    },
    remove: (world, vpc) => {
      const inVpc = [...world.resources.values()].filter((r) => r.attributes.vpc_id === vpc.id && r.type !== "default_security_group" && r.status !== "deleting");
      if (inVpc.length > 0 || world.enisIn(vpc.region).some((e) => e.VpcId === vpc.id)) throw dependencyViolation(`The vpc '${vpc.id}' has dependencies and cannot be deleted.`);
      for (const sg of world.all("default_security_group", vpc.region).filter((r) => r.attributes.vpc_id === vpc.id)) world.forget(sg);
    },
  },
  // provider vpc_subnet.go: DeleteSubnet retried on DependencyViolation for the delete timeout (20 min).
  aws_subnet: {
    label: "EC2 Subnet",
    service: "EC2",
    createOperation: "CreateSubnet",
    deleteOperation: "DeleteSubnet",
    forceNew: ["vpc_id", "cidr_block", "availability_zone", "availability_zone_id"],
    deleteRetryOn: ["DependencyViolation"],
    deleteTimeoutMs: 20 * MINUTE,
    indexed: true,
    id: (world) => world.id("subnet"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `subnet/${id}`),
    computed: (_world, r) => ({ availability_zone: zoneName(r.region, r.attributes.availability_zone_id as string | undefined) }),
    remove: (world, sub) => {
      if (world.enisIn(sub.region).some((e) => e.SubnetId === sub.id)) throw dependencyViolation(`The subnet '${sub.id}' has dependencies and cannot be deleted.`);
    },
  },
  // provider vpc_security_group.go: DeleteSecurityGroup retried on DependencyViolation and InvalidGroup.InUse (15 min).
  aws_security_group: {
    label: "Security Group",
    service: "EC2",
    createOperation: "CreateSecurityGroup",
    deleteOperation: "DeleteSecurityGroup",
    forceNew: ["name", "description", "vpc_id"],
    deleteRetryOn: ["DependencyViolation", "InvalidGroup.InUse"],
    deleteTimeoutMs: 15 * MINUTE,
    indexed: true,
    id: (world) => world.id("sg"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `security-group/${id}`),
    remove: (world, sg) => {
      const usedByEni = world.enisIn(sg.region).some((e) => e.Groups.some((g) => g.GroupId === sg.id));
      const referenced = [...world.resources.values()].some((r) => r.attributes.referenced_security_group_id === sg.id && r.attributes.security_group_id !== sg.id);
      if (usedByEni || referenced) throw dependencyViolation(`resource ${sg.id} has a dependent object`);
    },
  },
  // provider default_security_group.go: adopts the VPC's default group; destroy only removes it from state.
  aws_default_security_group: {
    label: "Default Security Group",
    service: "EC2",
    createOperation: "DescribeSecurityGroups",
    deleteOperation: "RevokeSecurityGroupIngress",
    forceNew: ["vpc_id"],
    indexed: true,
    id: (world, config) => {
      const sg = [...world.resources.values()].find((r) => r.type === "default_security_group" && r.attributes.vpc_id === config.vpc_id);
      if (!sg) throw new AwsError("InvalidGroup.NotFound", `no default security group in ${String(config.vpc_id)}`);
      return sg.id;
    },
  },
  aws_vpc_security_group_ingress_rule: sgRule("Ingress"),
  aws_vpc_security_group_egress_rule: sgRule("Egress"),
  // provider internet_gateway.go: detaching retries DependencyViolation ("mapped public address(es)") for the delete timeout (20 min).
  aws_internet_gateway: {
    label: "EC2 Internet Gateway",
    service: "EC2",
    createOperation: "CreateInternetGateway",
    deleteOperation: "DetachInternetGateway",
    forceNew: [],
    deleteRetryOn: ["DependencyViolation"],
    deleteTimeoutMs: 20 * MINUTE,
    indexed: true,
    id: (world) => world.id("igw"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `internet-gateway/${id}`),
    remove: (world, igw) => {
      const mapped = world.all("aws_nat_gateway", igw.region).some((n) => world.get(String(n.attributes.subnet_id))?.attributes.vpc_id === igw.attributes.vpc_id);
      if (mapped) throw dependencyViolation(`Network ${String(igw.attributes.vpc_id)} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`);
    },
  },
  aws_eip: {
    label: "EC2 EIP",
    service: "EC2",
    createOperation: "AllocateAddress",
    deleteOperation: "ReleaseAddress",
    forceNew: ["domain"],
    indexed: true,
    id: (world) => world.id("eipalloc"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `elastic-ip/${id}`),
    computed: (world, r) => ({ allocation_id: r.id, public_ip: `203.0.113.${(Number.parseInt(r.id.slice(-4), 16) % 250) + 1}`, domain: "vpc" }),
  },
  // A public NAT gateway has one ENI: InterfaceType nat_gateway, "Interface for NAT Gateway nat-…" (EC2 API reference, CreateNatGateway; User Guide, "Requester-managed network interfaces").
  aws_nat_gateway: {
    label: "EC2 NAT Gateway",
    service: "EC2",
    createOperation: "CreateNatGateway",
    deleteOperation: "DeleteNatGateway",
    forceNew: ["allocation_id", "subnet_id", "connectivity_type"],
    indexed: true,
    id: (world) => world.id("nat"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `natgateway/${id}`),
    create: (world, nat) => {
      const eni = serviceEni(world, { region: nat.region, subnetId: String(nat.attributes.subnet_id), groups: [], type: "nat_gateway", description: `Interface for NAT Gateway ${nat.id}`, requester: REQUESTER.natGateway, createdBy: nat.id });
      nat.attributes.network_interface_id = eni.NetworkInterfaceId;
      nat.attributes.private_ip = eni.PrivateIpAddress;
      return world.options.durations.natGateway;
    },
    remove: (world) => world.options.durations.natGateway,
  },
  aws_route_table: { ...ec2Simple("Route Table", "rtb", "route-table", "DeleteRouteTable") },
  aws_route: { ...generic("aws_route"), label: "Route", service: "EC2", deleteOperation: "DeleteRoute" },
  aws_route_table_association: { ...generic("aws_route_table_association"), id: (world) => world.id("rtbassoc") },
  // Interface endpoints have one ENI per subnet (InterfaceType vpc_endpoint, "VPC Endpoint Interface vpce-…": EC2 User Guide,
  // "Requester-managed network interfaces"); a gateway endpoint has none and a prefix list instead.
  aws_vpc_endpoint: {
    label: "EC2 VPC Endpoint",
    service: "EC2",
    createOperation: "CreateVpcEndpoint",
    deleteOperation: "DeleteVpcEndpoints",
    forceNew: ["vpc_id", "service_name", "vpc_endpoint_type"],
    indexed: true,
    id: (world) => world.id("vpce"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `vpc-endpoint/${id}`),
    create: (world, endpoint) => {
      if (endpoint.attributes.vpc_endpoint_type !== "Interface") {
        endpoint.attributes.prefix_list_id = world.id("pl", 8);
        return;
      }
      const enis = list(endpoint.attributes.subnet_ids).map(
        (subnetId) =>
          serviceEni(world, { region: endpoint.region, subnetId, groups: list(endpoint.attributes.security_group_ids), type: "vpc_endpoint", description: `VPC Endpoint Interface ${endpoint.id}`, requester: REQUESTER.endpoint, createdBy: endpoint.id })
            .NetworkInterfaceId,
      );
      endpoint.attributes.network_interface_ids = enis;
      return world.options.durations.interfaceEndpoint;
    },
    remove: (world, endpoint) => (endpoint.attributes.vpc_endpoint_type === "Interface" ? world.options.durations.interfaceEndpoint : 0),
  },
  aws_flow_log: { ...ec2Simple("Flow Log", "fl", "vpc-flow-log", "DeleteFlowLogs") },
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
  aws_cloudwatch_log_delivery_source: {
    label: "CloudWatch Logs Delivery Source",
    service: "CloudWatch Logs",
    createOperation: "PutDeliverySource",
    deleteOperation: "DeleteDeliverySource",
    forceNew: ["name", "log_type", "resource_arn"],
    indexed: false,
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
    indexed: false,
    id: (_w, config) => String(config.name),
    arn: (world, id, _c, region) => arnOf(world, "logs", region, `delivery-destination:${id}`),
  },
  aws_cloudwatch_log_delivery: {
    label: "CloudWatch Logs Delivery",
    service: "CloudWatch Logs",
    createOperation: "CreateDelivery",
    deleteOperation: "DeleteDelivery",
    forceNew: ["delivery_source_name", "delivery_destination_arn"],
    indexed: false,
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
    },
    update: (world, runtime) => {
      validateMounts(world, runtime);
      runtime.attributes.agent_runtime_version = String(Number(runtime.attributes.agent_runtime_version ?? "1") + 1);
      ensureAgentCoreEnis(world, runtime);
    },
    remove: (world, runtime) => {
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

function sgRule(direction: "Ingress" | "Egress"): TypeSpec {
  return {
    label: `VPC Security Group ${direction} Rule`,
    service: "EC2",
    createOperation: `AuthorizeSecurityGroup${direction}`,
    deleteOperation: `RevokeSecurityGroup${direction}`,
    forceNew: ["security_group_id"],
    indexed: true,
    id: (world) => world.id("sgr"),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `security-group-rule/${id}`),
    computed: (_w, r) => ({ security_group_rule_id: r.id }),
  };
}

function ec2Simple(label: string, prefix: string, arnType: string, deleteOperation: string): TypeSpec {
  return {
    label,
    service: "EC2",
    createOperation: deleteOperation.replace("Delete", "Create"),
    deleteOperation,
    forceNew: ["vpc_id"],
    indexed: true,
    id: (world) => world.id(prefix),
    arn: (world, id, _c, region) => arnOf(world, "ec2", region, `${arnType}/${id}`),
  };
}

export function specOf(type: string): TypeSpec {
  return TYPES[type] ?? generic(type);
}

/** What the stand-in Terraform needs of each type: labels for its errors, replacement and retry rules. */
export type TypeSchema = Pick<TypeSpec, "label" | "service" | "createOperation" | "deleteOperation" | "forceNew" | "deleteRetryOn" | "deleteTimeoutMs">;

export function schema(): Record<string, TypeSchema> {
  return Object.fromEntries(
    Object.entries(TYPES).map(([type, spec]) => [
      type,
      { label: spec.label, service: spec.service, createOperation: spec.createOperation, deleteOperation: spec.deleteOperation, forceNew: spec.forceNew, ...(spec.deleteRetryOn && { deleteRetryOn: spec.deleteRetryOn }), ...(spec.deleteTimeoutMs && { deleteTimeoutMs: spec.deleteTimeoutMs }) },
    ]),
  );
}

export interface ProviderAnswer {
  readonly attributes?: Record<string, unknown>;
  /** How long to wait (virtual) for the operation to finish; -1: nothing to wait for. */
  readonly waitMs?: number;
  readonly gone?: boolean;
  readonly error?: { readonly code: string; readonly message: string; readonly status: number; readonly members?: Record<string, unknown> };
}

function failure(error: unknown): ProviderAnswer {
  if (error instanceof AwsError) return { error: { code: error.code, message: error.message, status: error.status, members: error.members } };
  throw error;
}

function snapshot(world: FakeAwsWorld, resource: Resource): Record<string, unknown> {
  const spec = specOf(resource.type);
  return { ...resource.attributes, ...spec.computed?.(world, resource), id: resource.id, ...(resource.arn !== undefined && { arn: resource.arn }), tags_all: resource.tags };
}

export function providerCreate(world: FakeAwsWorld, type: string, region: string, config: Record<string, unknown>, tags: Record<string, string>): ProviderAnswer {
  const spec = specOf(type);
  try {
    world.call("provider", spec.createOperation);
    const id = spec.id(world, config, region);
    if (type === "aws_default_security_group") {
      const sg = world.find("default_security_group", id)!;
      sg.tags = tags;
      return { attributes: { ...config, ...snapshot(world, sg) } };
    }
    const existing = world.find(type, id);
    if (existing && existing.status !== "deleting") throw new AwsError("AlreadyExists", `${spec.label} ${id} already exists`);
    const resource: Resource = { type, id, region, attributes: { ...config }, tags, status: "available" };
    const arn = spec.arn?.(world, id, config, region);
    if (arn !== undefined) resource.arn = arn;
    const duration = spec.create?.(world, resource) ?? 0;
    if (duration > 0) {
      resource.status = "creating";
      resource.readyAt = world.now() + duration;
    }
    world.add(resource);
    return { attributes: snapshot(world, resource), waitMs: duration };
  } catch (error) {
    return failure(error);
  }
}

export function providerUpdate(world: FakeAwsWorld, type: string, id: string, config: Record<string, unknown>, tags: Record<string, string>): ProviderAnswer {
  const spec = specOf(type);
  const resource = world.find(type, id);
  if (!resource) return { gone: true };
  try {
    world.call("provider", spec.createOperation.replace(/^(Create|Put)/, "Update"));
    const previous = resource.attributes;
    resource.attributes = { ...previous, ...config };
    resource.tags = tags;
    spec.update?.(world, resource, config);
    world.changes.push(`update ${type} ${id}`);
    return { attributes: snapshot(world, resource) };
  } catch (error) {
    return failure(error);
  }
}

export function providerRead(world: FakeAwsWorld, type: string, id: string): ProviderAnswer {
  world.call("provider", `Read:${type}`);
  if (type === "aws_default_security_group") {
    const sg = world.find("default_security_group", id);
    return sg ? { attributes: snapshot(world, sg) } : { gone: true };
  }
  const resource = world.find(type, id);
  if (!resource || resource.status === "deleting" || resource.status === "pending-deletion") return { gone: true };
  return { attributes: snapshot(world, resource) };
}

export function providerDelete(world: FakeAwsWorld, type: string, id: string): ProviderAnswer {
  const spec = specOf(type);
  if (type === "aws_default_security_group") return { waitMs: 0 };
  const resource = world.find(type, id);
  if (!resource || resource.status === "deleting" || resource.status === "pending-deletion") return { waitMs: 0 };
  try {
    world.call("provider", spec.deleteOperation);
    const duration = spec.remove?.(world, resource) ?? 0;
    world.changes.push(`delete ${type} ${id}`);
    if (duration < 0) return { waitMs: 0 };
    if (duration > 0) {
      resource.status = "deleting";
      resource.goneAt = world.now() + duration;
      return { waitMs: duration };
    }
    world.forget(resource);
    return { waitMs: 0 };
  } catch (error) {
    return failure(error);
  }
}

export function providerData(world: FakeAwsWorld, type: string): ProviderAnswer {
  world.call("provider", `Data:${type}`);
  if (type === "aws_caller_identity") {
    const arn = `arn:aws:sts::${world.account}:assumed-role/deployer/ci`;
    return { attributes: { account_id: world.account, arn, user_id: "AROAEXAMPLEDEPLOYER:ci", id: world.account } };
  }
  return { error: { code: "UnsupportedDataSource", message: `the fake world has no data source ${type}`, status: 400 } };
}
