/**
 * What a Network accepts: a private VPC range it can split into subnets, Availability Zones where AgentCore
 * supports VPC mode, an egress that can still pull images and ship logs, and — for an existing VPC — real ids of
 * at least two private subnets in distinct zones.
 */
import { Token } from "cdktn";
import {
  isCidr,
  isPrivateRange,
  MAX_VPC_PREFIX_LENGTH,
  MIN_VPC_PREFIX_LENGTH,
  parseCidr,
  planSubnets,
  SUBNET_LAYOUT,
  type Ipv4Cidr,
} from "../../lib/cidr.ts";
import { checkAvailabilityZoneIds, checkNamePrefix, checkRetentionDays } from "../../lib/construct-checks.ts";
import { AGENTCORE_RUNTIME_REGIONS, agentCoreVpcAzIds, DEFAULT_INTERFACE_ENDPOINTS } from "../../lib/service-facts.ts";
import { shapeProblems } from "../../lib/shape.ts";
import { networkShape } from "../../lib/handle-shapes.ts";
import { ProblemCollector, type ValidationContext, type ValidationResult } from "../../lib/validation.ts";
import { EGRESS_MODES, type CreatedNetwork, type ImportedNetwork, type NetworkProps, type ResolvedNetwork } from "./props.ts";

/** The defaults a Network applies where its props say nothing. */
export const NETWORK_DEFAULTS = {
  /** Availability Zones (private subnets, mount targets) of a created VPC. */
  azCount: 2,
  /** One NAT gateway for the whole VPC. */
  egress: "nat-single",
  /** Days flow logs are kept when they are on. */
  flowLogRetentionDays: 30,
} as const;

const VPC_ID_PATTERN = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]{8,17}$/;
const ROUTE_TABLE_ID_PATTERN = /^rtb-[0-9a-f]{8,17}$/;
const ENDPOINT_SERVICE_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;
/** Without NAT, the runtime pulls its image (ECR api + dkr) and ships its logs only through these endpoints. */
const REQUIRED_ENDPOINTS_WITHOUT_NAT = ["ecr.api", "ecr.dkr", "logs"];
const CREATE_ONLY = ["cidr", "azCount", "availabilityZoneIds", "egress", "flowLogs"] as const;
const IMPORT_ONLY = ["privateSubnets", "s3GatewayRouteTableIds", "interfaceEndpointsServeWholeVpc"] as const;

/** Validates Network props and applies their defaults; see NetworkProps. */
export function validateNetworkProps(props: NetworkProps, context: ValidationContext = {}): ValidationResult<ResolvedNetwork> {
  const types = shapeProblems(networkShape, props, "NetworkProps");
  if (types !== undefined) return { problems: types.problems, resolved: validateNetworkProps(types.rest, context).resolved };
  const check = new ProblemCollector(context, "the network");
  check.checkTemplateSequences(props, []);
  if (props.namePrefix !== undefined) {
    const flowLogs = props.vpcId === undefined && props.flowLogs?.enabled === true;
    checkNamePrefix(check, props.namePrefix, ["agentSecurityGroup", "mountTargetSecurityGroup", "endpointSecurityGroup", ...(flowLogs ? (["flowLogGroup", "flowLogsRole"] as const) : [])]);
  }
  if (props.vpcId !== undefined) {
    for (const key of CREATE_ONLY) {
      if (props[key] !== undefined) check.report(key, props[key], "applies only to a VPC this construct creates, not to an existing one (vpcId)", `remove ${key}, or remove vpcId to create a VPC`);
    }
    return { problems: check.problems, resolved: resolveImported(check, props, props.vpcId) };
  }
  for (const key of IMPORT_ONLY) {
    if (props[key] !== undefined) check.report(key, props[key], "applies only to an existing VPC (vpcId)", `remove ${key}, or set vpcId to the VPC the subnets belong to`);
  }
  return { problems: check.problems, resolved: resolveCreated(check, props) };
}

function resolveCreated(check: ProblemCollector, props: NetworkProps): CreatedNetwork {
  const cidr = checkVpcCidr(check, props.cidr);
  const availabilityZoneIds = resolveAvailabilityZones(check, props);
  const egress = props.egress ?? NETWORK_DEFAULTS.egress;
  if (!EGRESS_MODES.includes(egress)) check.report("egress", egress, "is not one of the allowed values", `use one of ${EGRESS_MODES.map((m) => JSON.stringify(m)).join(", ")}`);
  const interfaceEndpoints = props.interfaceEndpoints !== undefined ? check.list("interfaceEndpoints", props.interfaceEndpoints) : egress === "endpoints-only" ? [...DEFAULT_INTERFACE_ENDPOINTS] : [];
  checkEndpoints(check, interfaceEndpoints, props.namePrefix);
  if (egress === "endpoints-only") {
    const missing = REQUIRED_ENDPOINTS_WITHOUT_NAT.filter((service) => !interfaceEndpoints.includes(service));
    if (missing.length > 0) {
      check.report(
        "interfaceEndpoints",
        interfaceEndpoints,
        `lacks ${missing.join(", ")}, without which a VPC with no NAT cannot pull the agent image or ship its logs`,
        `add ${missing.map((m) => `"${m}"`).join(", ")} or choose a NAT egress mode`,
      );
    }
  }
  const retentionDays = props.flowLogs?.retentionDays ?? NETWORK_DEFAULTS.flowLogRetentionDays;
  checkRetentionDays(check, "flowLogs.retentionDays", retentionDays);
  const subnets =
    cidr && availabilityZoneIds.length <= SUBNET_LAYOUT.maxAvailabilityZones ? planSubnets(cidr, availabilityZoneIds.length) : { private: [], public: [] };
  return {
    mode: "create",
    cidr: props.cidr ?? "",
    availabilityZoneIds,
    egress,
    interfaceEndpoints,
    flowLogs: { enabled: props.flowLogs?.enabled ?? false, retentionDays },
    subnets,
  };
}

function checkVpcCidr(check: ProblemCollector, text: string | undefined): Ipv4Cidr | undefined {
  if (text === undefined) {
    check.report("cidr", undefined, "is required to create a VPC", 'set cidr (e.g. "10.20.0.0/16"), or give vpcId and privateSubnets to use an existing VPC');
    return undefined;
  }
  if (Token.isUnresolved(text)) {
    check.report("cidr", text, "is a Terraform token; the subnets are planned from the range at synth", "give the range as a literal");
    return undefined;
  }
  const parsed = parseCidr(text);
  if (!isCidr(parsed)) {
    check.report("cidr", text, parsed.error, 'use a network address with a prefix length, e.g. "10.20.0.0/16"');
    return undefined;
  }
  if (parsed.prefixLength < MIN_VPC_PREFIX_LENGTH || parsed.prefixLength > MAX_VPC_PREFIX_LENGTH) {
    check.report(
      "cidr",
      text,
      `has a /${parsed.prefixLength} prefix; a VPC here must be /${MIN_VPC_PREFIX_LENGTH} to /${MAX_VPC_PREFIX_LENGTH} (the smallest public subnet AWS allows is /28)`,
      `choose a prefix length between /${MIN_VPC_PREFIX_LENGTH} and /${MAX_VPC_PREFIX_LENGTH}`,
    );
    return undefined;
  }
  if (!isPrivateRange(parsed)) {
    check.report("cidr", text, "is not inside a private (RFC 1918) range, so the VPC would shadow public addresses", "choose a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    return undefined;
  }
  return parsed;
}

function resolveAvailabilityZones(check: ProblemCollector, props: NetworkProps): string[] {
  const region = check.context.region;
  const supported = region !== undefined ? agentCoreVpcAzIds(region) : undefined;
  const azCount = props.azCount;
  if (azCount !== undefined && (!Number.isInteger(azCount) || azCount < 2)) {
    check.report(
      "azCount",
      azCount,
      "must be a whole number of at least 2, so the runtime and the S3 Files mount targets survive the loss of one Availability Zone",
      `set ${check.name("azCount")} to 2 or 3`,
    );
    return [];
  }
  if (props.availabilityZoneIds !== undefined) {
    const ids = check.list("availabilityZoneIds", props.availabilityZoneIds);
    checkAvailabilityZoneIds(check, "availabilityZoneIds", ids);
    if (azCount !== undefined && azCount !== ids.length) {
      check.report("azCount", azCount, `disagrees with ${check.name("availabilityZoneIds")}, which lists ${ids.length}`, `remove ${check.name("azCount")} or make it match the list`);
    }
    if (ids.length > SUBNET_LAYOUT.maxAvailabilityZones) {
      check.report("availabilityZoneIds", ids, `lists ${ids.length} zones; the subnet layout holds at most ${SUBNET_LAYOUT.maxAvailabilityZones}`, `list at most ${SUBNET_LAYOUT.maxAvailabilityZones}`);
    }
    return [...ids];
  }
  if (!supported) {
    if (region === undefined) {
      check.report(
        "availabilityZoneIds",
        undefined,
        "cannot default: the stack's Region is not known at synth, so the AZ IDs where AgentCore supports VPC mode cannot be looked up",
        'list them (e.g. ["usw2-az1", "usw2-az2"]), or give the stack\'s AWS provider a literal region',
      );
    } else if (AGENTCORE_RUNTIME_REGIONS.includes(region)) {
      check.report(
        "availabilityZoneIds",
        undefined,
        `this project has no list of the AZ IDs where AgentCore supports VPC mode in ${region}`,
        'list them (e.g. ["euw2-az1", "euw2-az2"]) from the AgentCore devguide\'s "Supported Availability Zones" table',
      );
    }
    return [];
  }
  const count = azCount ?? Math.min(NETWORK_DEFAULTS.azCount, supported.length);
  if (count > supported.length) {
    check.report(
      "azCount",
      count,
      `${region} has ${supported.length} Availability Zones where AgentCore supports VPC mode (${supported.join(", ")})`,
      `set ${check.name("azCount")} to at most ${supported.length}`,
    );
    return [];
  }
  return supported.slice(0, count);
}

function resolveImported(check: ProblemCollector, props: NetworkProps, vpcId: string): ImportedNetwork {
  if (typeof vpcId !== "string" || (!Token.isUnresolved(vpcId) && !VPC_ID_PATTERN.test(vpcId))) {
    check.report("vpcId", vpcId, "is not a VPC id", 'use the id of an existing VPC, e.g. "vpc-0a1b2c3d4e5f67890"');
  }
  const subnets = check.list("privateSubnets", props.privateSubnets).filter((subnet, i) => {
    if (subnet !== null && typeof subnet === "object") return true;
    check.report(`privateSubnets.${i}`, subnet, "is not a subnet", "write { subnetId, availabilityZoneId }");
    return false;
  });
  subnets.forEach((subnet, i) => {
    if (typeof subnet.subnetId !== "string" || (!Token.isUnresolved(subnet.subnetId) && !SUBNET_ID_PATTERN.test(subnet.subnetId))) {
      check.report(`privateSubnets.${i}.subnetId`, subnet.subnetId, "is not a subnet id", 'use an id such as "subnet-0a1b2c3d4e5f67890"');
    }
  });
  if (new Set(subnets.map((s) => s.subnetId)).size !== subnets.length) {
    check.report("privateSubnets", subnets.map((s) => s.subnetId), "lists the same subnet more than once", "list each subnet once");
  }
  if (subnets.length < 2) {
    check.report(
      "privateSubnets",
      subnets.map((s) => s.subnetId),
      `lists ${subnets.length} subnet${subnets.length === 1 ? "" : "s"}; the runtime and the S3 Files mount targets need at least 2 in distinct Availability Zones`,
      "add private subnets in other Availability Zones",
    );
  } else {
    const zones = subnets.map((s) => s.availabilityZoneId);
    if (zones.some((z) => Token.isUnresolved(z))) {
      check.report("privateSubnets", zones, "has an Availability Zone ID that is a Terraform token; each subnet's AZ ID names its mount target and is checked at plan time", "give each AZ ID as a literal");
    } else {
      checkAvailabilityZoneIds(check, "privateSubnets[*].availabilityZoneId", zones);
    }
  }
  const interfaceEndpoints = check.list("interfaceEndpoints", props.interfaceEndpoints);
  checkEndpoints(check, interfaceEndpoints, props.namePrefix);
  const interfaceEndpointsServeWholeVpc = props.interfaceEndpointsServeWholeVpc ?? false;
  if (interfaceEndpoints.length > 0 && !interfaceEndpointsServeWholeVpc) {
    // Private DNS makes an interface endpoint the answer for its service's name everywhere in the VPC (EC2 API
    // model, CreateVpcEndpointRequest.PrivateDnsEnabled: a private hosted zone for the service's default DNS name,
    // associated with the VPC), and a VPC takes
    // one such endpoint per service ("private-dns-enabled cannot be set because there is already a conflicting
    // DNS domain", hashicorp/terraform-provider-aws#17535).
    check.report(
      "interfaceEndpoints",
      interfaceEndpoints,
      "would become, through private DNS, the endpoints of these services for every workload in the existing VPC, whose calls the endpoints' security group (HTTPS from the agent only) would refuse; and creating one fails if the VPC already has an endpoint for its service (\"conflicting DNS domain\")",
      `remove them if the VPC already reaches these services (through a NAT or endpoints of its own), or set ${check.name("interfaceEndpointsServeWholeVpc")} to true: they then admit HTTPS from the VPC's primary CIDR block and serve all of it, until this network is torn down`,
    );
  }
  if (interfaceEndpoints.length === 0 && props.interfaceEndpointsServeWholeVpc === true) {
    check.report("interfaceEndpointsServeWholeVpc", true, "has no effect: this network creates no interface endpoints", `remove it, or list the endpoints in ${check.name("interfaceEndpoints")}`);
  }
  const routeTables = check.list("s3GatewayRouteTableIds", props.s3GatewayRouteTableIds);
  routeTables.forEach((id, i) => {
    if (typeof id !== "string" || (!Token.isUnresolved(id) && !ROUTE_TABLE_ID_PATTERN.test(id))) {
      check.report(`s3GatewayRouteTableIds.${i}`, id, "is not a route table id", 'use an id such as "rtb-0a1b2c3d4e5f67890"');
    }
  });
  return { mode: "import", vpcId, privateSubnets: subnets, interfaceEndpoints, interfaceEndpointsServeWholeVpc, s3GatewayRouteTableIds: routeTables };
}

/** EC2 tag values are at most 256 characters (EC2 API model, Tag.Value); each endpoint's Name tag is built from its service. */
const MAX_TAG_VALUE_LENGTH = 256;

function checkEndpoints(check: ProblemCollector, services: readonly string[], namePrefix: string | undefined): void {
  services.forEach((service, i) => {
    if (typeof service !== "string" || !ENDPOINT_SERVICE_PATTERN.test(service) || service.startsWith("com.amazonaws")) {
      check.report(`interfaceEndpoints.${i}`, service, "is not a service suffix", 'write the part after "com.amazonaws.<region>.", e.g. "ecr.api"');
    } else if (service === "s3") {
      check.report(`interfaceEndpoints.${i}`, service, "S3 always gets a gateway endpoint (free); an interface endpoint is not needed", 'remove "s3"');
    } else if (namePrefix !== undefined && `${namePrefix}-endpoint-${service}`.length > MAX_TAG_VALUE_LENGTH) {
      check.report(`interfaceEndpoints.${i}`, service, `makes the endpoint's Name tag longer than the ${MAX_TAG_VALUE_LENGTH} characters EC2 accepts; no AWS service is named so`, 'write the service suffix, e.g. "ecr.api"');
    }
  });
  if (new Set(services).size !== services.length) {
    check.report("interfaceEndpoints", services, "lists a service more than once", "list each service once");
  } else {
    // Each endpoint's construct id (its Terraform address) spells the service with "-" for ".": two services that
    // differ only there would claim one address.
    const seen = new Map<string, string>();
    services.forEach((service, i) => {
      if (typeof service !== "string") return;
      const id = service.replace(/\./g, "-");
      const other = seen.get(id);
      if (other !== undefined) check.report(`interfaceEndpoints.${i}`, service, `would take the Terraform address of "${other}" (endpoint addresses spell "." as "-")`, "list only the service AWS names; they never differ only by . and -");
      seen.set(id, service);
    });
  }
}
