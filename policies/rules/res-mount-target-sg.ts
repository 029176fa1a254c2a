import { fail, pass, type Rule } from "./rule.ts";
import { reference, resources } from "./terraform.ts";

export const resMountTargetSg: Rule = {
  id: "res-mount-target-sg",
  level: "error",
  group: "Resources",
  cause: "The mount targets' security group admits only TCP 2049 from the agent security group",
  why: "Anything else that can reach NFS on the mount targets can read and write the file system within the access policy.",
  fix: "Keep the network module's mount-target security group: one ingress rule, NFS from the agent security group, no CIDR, no egress.",
  check(context) {
    const network = context.stacks.network;
    const groups = resources(network, "aws_security_group");
    const mountGroup = groups.find(([, g]) => String(g.name).endsWith("-s3files-mount-targets"));
    const agentGroup = groups.find(([, g]) => String(g.description ?? "").startsWith("AgentCore runtime"));
    if (!mountGroup || !agentGroup) return fail("the mount-target or agent security group is missing");
    const mountRef = reference("aws_security_group", mountGroup[0], "id");
    const agentRef = reference("aws_security_group", agentGroup[0], "id");
    if (mountGroup[1].ingress !== undefined || mountGroup[1].egress !== undefined) return fail("the mount-target security group has inline rules");
    const ingress = resources(network, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === mountRef);
    const egress = resources(network, "aws_vpc_security_group_egress_rule").filter(([, r]) => r.security_group_id === mountRef);
    const bad = ingress.filter(([, r]) => !(r.ip_protocol === "tcp" && r.from_port === 2049 && r.to_port === 2049 && r.referenced_security_group_id === agentRef && r.cidr_ipv4 === undefined && r.cidr_ipv6 === undefined));
    if (bad.length > 0) return fail(`other ingress on the mount targets: ${bad.map(([, r]) => `${String(r.ip_protocol)} ${String(r.from_port)}-${String(r.to_port)} from ${String(r.cidr_ipv4 ?? r.referenced_security_group_id ?? "?")}`).join(", ")}`);
    if (ingress.length === 0) return fail("the mount targets admit no NFS from the agent: the mount would time out");
    if (egress.length > 0) return fail("the mount-target security group has egress rules");
    return pass("TCP 2049 from the agent security group only");
  },
};
