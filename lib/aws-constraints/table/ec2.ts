import { prose, pattern, length, oneOf, row, rows } from "./builders.ts";
import type { ApiMember, ConstraintRow } from "../types.ts";

// ---------------------------------------------------------------------------------------------------
// EC2: names, descriptions, tags (most of EC2's rules are prose in its model's documentation)
// ---------------------------------------------------------------------------------------------------

const EC2_CHARACTERS = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*";
/** The same list without "&": prefix-list and security-group-pair descriptions do not allow it. */
const EC2_CHARACTERS_NO_AMPERSAND = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$*";
const ec2Characters = String.raw`[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*`;
const ec2CharactersNoAmpersand = String.raw`[a-zA-Z0-9 ._\-:/()#,@\[\]+=;{}!$*]*`;

const ec2Member = (shape: string, member: string): ApiMember => ({ service: "ec2", shape, member });

/** A security-group rule's description: the API member depends on what the rule names as its other end. */
const RULE_DESCRIPTION_TARGETS: readonly [when: string, shape: string, characters: string, regex: string][] = [
  ["cidr_ipv4", "IpRange", EC2_CHARACTERS, ec2Characters],
  ["cidr_ipv6", "Ipv6Range", EC2_CHARACTERS, ec2Characters],
  ["prefix_list_id", "PrefixListId", EC2_CHARACTERS_NO_AMPERSAND, ec2CharactersNoAmpersand],
  ["referenced_security_group_id", "UserIdGroupPair", EC2_CHARACTERS_NO_AMPERSAND, ec2CharactersNoAmpersand],
];

const EC2_TAGGED = [
  "aws_vpc",
  "aws_subnet",
  "aws_security_group",
  "aws_default_security_group",
  "aws_route_table",
  "aws_internet_gateway",
  "aws_nat_gateway",
  "aws_eip",
  "aws_vpc_endpoint",
  "aws_flow_log",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
];

export const EC2_ROWS: ConstraintRow[] = [
  row("aws_security_group", "name", ec2Member("CreateSecurityGroupRequest", "GroupName"), [
    pattern(ec2Characters, `only ${EC2_CHARACTERS}`, prose(`Valid characters: ${EC2_CHARACTERS}`)),
    length(undefined, 255, prose("Up to 255 characters in length")),
    { kind: "prefix", text: "sg-", forbidden: true, source: prose("Can't start with sg-") },
  ]),
  row("aws_security_group", "description", ec2Member("CreateSecurityGroupRequest", "Description"), [
    pattern(ec2Characters, `only ${EC2_CHARACTERS}`, prose(`Valid characters: ${EC2_CHARACTERS}`)),
    length(undefined, 255, prose("Up to 255 characters in length")),
  ]),
  ...["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((resource) =>
    RULE_DESCRIPTION_TARGETS.map(([when, shape, characters, regex]) =>
      row(
        resource,
        "description",
        ec2Member(shape, "Description"),
        [pattern(regex, `only ${characters}`, prose(`Allowed characters are ${characters}`)), length(undefined, 255, prose("Up to 255 characters in length"))],
        when,
      ),
    ),
  ),
  ...rows(EC2_TAGGED, "tags{keys}", ec2Member("Tag", "Key"), [
    length(1, 127, prose("accept a maximum of 127 Unicode characters")),
    { kind: "prefix", text: "aws:", forbidden: true, source: prose("May not begin with aws:") },
  ]),
  ...rows(EC2_TAGGED, "tags{values}", ec2Member("Tag", "Value"), [length(undefined, 256, prose("accept a maximum of 256 Unicode characters"))]),
  row("aws_flow_log", "traffic_type", ec2Member("CreateFlowLogsRequest", "TrafficType"), [oneOf(["ACCEPT", "REJECT", "ALL"])]),
  row("aws_flow_log", "log_destination_type", ec2Member("CreateFlowLogsRequest", "LogDestinationType"), [oneOf(["cloud-watch-logs", "s3", "kinesis-data-firehose"])]),
  row("aws_flow_log", "max_aggregation_interval", ec2Member("CreateFlowLogsRequest", "MaxAggregationInterval"), [
    oneOf(["60", "600"], prose("The possible values are 60 seconds (1 minute) or 600 seconds (10 minutes)")),
  ]),
  row("aws_vpc_endpoint", "vpc_endpoint_type", ec2Member("CreateVpcEndpointRequest", "VpcEndpointType"), [
    oneOf(["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"]),
  ]),
  row("aws_eip", "domain", ec2Member("AllocateAddressRequest", "Domain"), [oneOf(["vpc", "standard"])]),
];
