/**
 * IPv4 CIDR arithmetic for planning VPC subnets at synth time, so the plan shows concrete ranges
 * and bad ranges fail before any Terraform runs.
 */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; returns a reason string instead of throwing so callers can build their own message. */
export function parseCidr(text: string): Ipv4Cidr | { error: string } {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return { error: 'is not an IPv4 CIDR block of the form "a.b.c.d/n"' };
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255)) return { error: "has an octet greater than 255" };
  if (prefixLength > 32) return { error: "has a prefix length greater than /32" };
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = maskTo(address, prefixLength);
  if (network !== address) {
    return { error: `has host bits set (the network address is ${formatCidr({ network, prefixLength })})` };
  }
  return { network, prefixLength };
}

export function isCidr(value: Ipv4Cidr | { error: string }): value is Ipv4Cidr {
  return !("error" in value);
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  const octets = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return `${octets.join(".")}/${cidr.prefixLength}`;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  return maskTo(a.network, shorter) === maskTo(b.network, shorter);
}

/** Same as Terraform's cidrsubnet(prefix, newbits, netnum). */
export function subnetOf(parent: Ipv4Cidr, newBits: number, netNum: number): Ipv4Cidr {
  const prefixLength = parent.prefixLength + newBits;
  if (prefixLength > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`cannot take subnet ${netNum} of ${formatCidr(parent)} with ${newBits} new bits`);
  }
  return { network: parent.network + netNum * 2 ** (32 - prefixLength), prefixLength };
}

/** RFC 1918 private ranges; a VPC on public address space breaks routing to that space. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Ipv4Cidr);

export function isPrivateRange(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((range) => range.prefixLength <= cidr.prefixLength && cidrsOverlap(range, cidr));
}

function maskTo(address: number, prefixLength: number): number {
  if (prefixLength === 0) return 0;
  const hostBits = 32 - prefixLength;
  return Math.floor(address / 2 ** hostBits) * 2 ** hostBits;
}

/**
 * The subnet layout of a created VPC: the VPC is split into eight equal blocks; block i (i < 7) is the
 * private subnet of AZ i, and the last block is split into eight public subnets (used only with NAT egress).
 * A /16 gives /19 private subnets (8,187 usable addresses each) and /22 public subnets.
 */
export const SUBNET_LAYOUT = { blockBits: 3, publicBits: 3, maxAvailabilityZones: 7 } as const;

/** The smallest VPC (largest prefix length) whose public subnets are still the /28 minimum AWS allows. */
export const MAX_VPC_PREFIX_LENGTH = 28 - SUBNET_LAYOUT.blockBits - SUBNET_LAYOUT.publicBits;
export const MIN_VPC_PREFIX_LENGTH = 16;

export function planSubnets(vpc: Ipv4Cidr, availabilityZoneCount: number): { private: string[]; public: string[] } {
  if (availabilityZoneCount > SUBNET_LAYOUT.maxAvailabilityZones) {
    throw new Error(`the subnet layout holds at most ${SUBNET_LAYOUT.maxAvailabilityZones} Availability Zones`);
  }
  const lastBlock = subnetOf(vpc, SUBNET_LAYOUT.blockBits, 2 ** SUBNET_LAYOUT.blockBits - 1);
  const indexes = Array.from({ length: availabilityZoneCount }, (_, i) => i);
  return {
    private: indexes.map((i) => formatCidr(subnetOf(vpc, SUBNET_LAYOUT.blockBits, i))),
    public: indexes.map((i) => formatCidr(subnetOf(lastBlock, SUBNET_LAYOUT.publicBits, i))),
  };
}
