/**
 * The shape of a fake provider type and the helpers the types share (ids, ARNs, ENIs AWS creates for a
 * service, the generic type). Sources are with each helper; see ../provider.ts for the whole picture.
 */
import { AwsError } from "../errors.ts";
import type { Eni, FakeAwsWorld, Resource } from "../world.ts";


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

export const MINUTE = 60_000;
export const arnOf = (world: FakeAwsWorld, service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${world.account}:${resource}`;
export const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)]);
export const first = (value: unknown): Record<string, unknown> => (Array.isArray(value) ? ((value[0] as Record<string, unknown>) ?? {}) : ((value as Record<string, unknown>) ?? {}));

/** AZ id "usw2-az1" → a zone name in its Region ("us-west-2a"); the mapping is per account in AWS, any fixed one will do. */
export function zoneName(region: string, zoneId: string | undefined): string {
  const n = Number(/az(\d+)$/.exec(zoneId ?? "")?.[1] ?? 1);
  return `${region}${"abcdef"[(n - 1) % 6]}`;
}

export function subnet(world: FakeAwsWorld, id: string): Resource {
  const found = world.get(id);
  if (!found || found.type !== "aws_subnet") throw new AwsError("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`);
  return found;
}

export function groupsOf(world: FakeAwsWorld, ids: readonly string[]): { GroupId: string; GroupName: string }[] {
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
export function serviceEni(
  world: FakeAwsWorld,
  input: { region: string; subnetId: string; groups: string[]; type: string; description: string; requester: string; createdBy: string; tags?: { Key: string; Value: string }[]; requesterManaged?: boolean },
): Eni {
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
    RequesterManaged: input.requesterManaged ?? true,
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
export const REQUESTER = { natGateway: "036872051663", endpoint: "727180483921", s3files: "415290012380", agentcore: "amazon-aws" };

export const dependencyViolation = (message: string) => new AwsError("DependencyViolation", message);

export function generic(type: string): TypeSpec {
  const short = type.replace(/^aws_/, "").split("_").map((w) => w[0]).join("");
  return { label: type, service: "AWS", createOperation: "Create", deleteOperation: "Delete", forceNew: [], indexed: false, id: (world) => world.id(short || "res") };
}


export function sgRule(direction: "Ingress" | "Egress"): TypeSpec {
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

export function ec2Simple(label: string, prefix: string, arnType: string, deleteOperation: string): TypeSpec {
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
