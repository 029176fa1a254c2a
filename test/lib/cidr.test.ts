import { describe, expect, it } from "vitest";
import { cidrsOverlap, formatCidr, isCidr, isPrivateRange, parseCidr, planSubnets, type Ipv4Cidr } from "../../lib/cidr.ts";

const cidr = (text: string) => parseCidr(text) as Ipv4Cidr;

describe("parseCidr", () => {
  it("round-trips a network address", () => {
    expect(formatCidr(cidr("10.20.0.0/16"))).toBe("10.20.0.0/16");
    expect(formatCidr(cidr("192.168.4.0/22"))).toBe("192.168.4.0/22");
  });

  it("explains why a block is malformed", () => {
    expect(parseCidr("10.0.0/16")).toEqual({ error: expect.stringContaining("not an IPv4 CIDR block") });
    expect(parseCidr("10.0.300.0/16")).toEqual({ error: "has an octet greater than 255" });
    expect(parseCidr("10.0.0.0/33")).toEqual({ error: "has a prefix length greater than /32" });
    expect(parseCidr("10.0.1.5/16")).toEqual({ error: "has host bits set (the network address is 10.0.0.0/16)" });
    expect(isCidr(parseCidr("10.0.0.0/16"))).toBe(true);
  });
});

describe("overlap and ranges", () => {
  it("detects containment and partial overlap, not neighbours", () => {
    expect(cidrsOverlap(cidr("10.0.0.0/8"), cidr("10.20.0.0/16"))).toBe(true);
    expect(cidrsOverlap(cidr("10.20.0.0/16"), cidr("10.20.128.0/17"))).toBe(true);
    expect(cidrsOverlap(cidr("10.20.0.0/16"), cidr("10.21.0.0/16"))).toBe(false);
  });

  it("knows the RFC 1918 ranges", () => {
    expect(isPrivateRange(cidr("172.31.0.0/16"))).toBe(true);
    expect(isPrivateRange(cidr("172.32.0.0/16"))).toBe(false);
    expect(isPrivateRange(cidr("8.8.0.0/16"))).toBe(false);
  });
});

describe("planSubnets", () => {
  it("gives each AZ a private /19 and a public /22 out of a /16, without overlap", () => {
    const plan = planSubnets(cidr("10.20.0.0/16"), 3);
    expect(plan.private).toEqual(["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"]);
    expect(plan.public).toEqual(["10.20.224.0/22", "10.20.228.0/22", "10.20.232.0/22"]);
    const all = [...plan.private, ...plan.public].map(cidr);
    all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(cidrsOverlap(a, b)).toBe(false)));
  });

  it("keeps public subnets at the /28 minimum in the smallest VPC allowed", () => {
    expect(planSubnets(cidr("10.0.0.0/22"), 2).public).toEqual(["10.0.3.128/28", "10.0.3.144/28"]);
  });
});
