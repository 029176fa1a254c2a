/**
 * What an environment file adds to AgentEnvironment's props: defaults by stage. Development is cheap and
 * disposable; production is resilient and keeps its data. A field the file sets always wins; a field neither
 * sets takes the construct's own default.
 */
import { agentCoreVpcAzIds } from "../../../lib/service-facts.ts";
import type { EgressMode, NetworkProps } from "../../network/props.ts";
import { omit, type AgentEnvironmentProps, type Stage } from "../props.ts";
import type { EnvironmentData } from "./input.ts";

/** What an environment file's stage sets where the file says nothing (a field the file sets always wins). */
export interface StageDefaults {
  /** Network `egress`. */
  readonly egress: EgressMode;
  /** Network `azCount` (at most the Region's Availability Zones where AgentCore supports VPC mode). */
  readonly azCount: number;
  /** Storage `retainDataOnTeardown`. */
  readonly retainDataOnTeardown: boolean;
  /** Network `flowLogs.enabled`. */
  readonly flowLogsEnabled: boolean;
  /** Network `flowLogs.retentionDays`. */
  readonly flowLogRetentionDays: number;
  /** Storage `noncurrentVersionExpirationDays`. */
  readonly noncurrentVersionExpirationDays: number;
  /** Agent `logRetentionDays` (and the alert trail's). */
  readonly logRetentionDays: number;
}

/** Development is cheap and disposable; production is resilient and keeps its data. */
export const STAGE_DEFAULTS: Readonly<Record<Stage, StageDefaults>> = {
  development: {
    egress: "nat-single",
    azCount: 2,
    retainDataOnTeardown: false,
    flowLogsEnabled: false,
    flowLogRetentionDays: 30,
    noncurrentVersionExpirationDays: 7,
    logRetentionDays: 30,
  },
  production: {
    egress: "nat-per-az",
    azCount: 3,
    retainDataOnTeardown: true,
    flowLogsEnabled: true,
    flowLogRetentionDays: 365,
    noncurrentVersionExpirationDays: 90,
    logRetentionDays: 365,
  },
};

/** An environment file's content as AgentEnvironment props, its stage's defaults filled in. */
export function propsFromFile(data: EnvironmentData): AgentEnvironmentProps {
  const stage = data.stage ?? "production";
  const defaults = STAGE_DEFAULTS[stage];
  const { alerts, ...agent } = data.agent;
  return {
    region: data.region,
    ...(data.account !== undefined && { account: data.account }),
    ...(data.deployRoleArn !== undefined && { deployRoleArn: data.deployRoleArn }),
    ...(data.state !== undefined && { state: data.state }),
    ...(data.tags !== undefined && { tags: data.tags }),
    stage,
    auditSuppressions: data.audit?.suppress ?? [],
    network: networkProps(data, defaults),
    storage: {
      ...data.storage,
      retainDataOnTeardown: data.storage?.retainDataOnTeardown ?? defaults.retainDataOnTeardown,
      noncurrentVersionExpirationDays: data.storage?.noncurrentVersionExpirationDays ?? defaults.noncurrentVersionExpirationDays,
    },
    agent: {
      ...(agent as AgentEnvironmentProps["agent"]),
      logRetentionDays: agent.logRetentionDays ?? defaults.logRetentionDays,
      ...(alerts !== undefined && { alerts }),
    },
  };
}

function networkProps(data: EnvironmentData, defaults: StageDefaults): Omit<NetworkProps, "namePrefix"> {
  const network = data.network;
  if (network.mode === "import") return omit(network, "mode");
  const { azCount, availabilityZoneIds, flowLogs, ...created } = omit(network, "mode");
  // The stage's AZ count, where the Region has fewer AZs that AgentCore supports in VPC mode, is all of them.
  const supported = agentCoreVpcAzIds(data.region)?.length ?? defaults.azCount;
  return {
    ...created,
    ...(availabilityZoneIds !== undefined
      ? { availabilityZoneIds, ...(azCount !== undefined && { azCount }) }
      : { azCount: azCount ?? Math.min(defaults.azCount, supported) }),
    egress: network.egress ?? defaults.egress,
    flowLogs: { enabled: flowLogs?.enabled ?? defaults.flowLogsEnabled, retentionDays: flowLogs?.retentionDays ?? defaults.flowLogRetentionDays },
  };
}
