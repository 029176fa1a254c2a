import type { Construct } from "constructs";
import { throwIfProblems } from "../../lib/validation.ts";
import type { Network } from "../network/network.ts";
import type { AgentRegistry } from "../registry/registry.ts";
import type { AgentRuntime } from "../runtime/runtime.ts";
import type { ShellAccessAlert } from "../security/shell-access-alert.ts";
import type { S3FilesStorage } from "../storage/storage.ts";
import type { EnvironmentStack } from "./environment-stack.ts";
import { AgentStack, NetworkStack, RegistryStack, StorageStack } from "./layers.ts";
import { environmentProps, type AgentEnvironmentProps, type Environment } from "./props.ts";
import { validateAgentEnvironmentProps } from "./validate.ts";

/**
 * One environment: the stacks `<name>-network`, `<name>-storage`, `<name>-registry` and `<name>-agent`, wired
 * together through cross-stack references (storage on network; agent on all three), each with the
 * environment's AWS provider, state backend and tags, and each carrying the environment's description.
 *
 * The stacks are direct children of `scope` (the App): cdktn names a stack's folder, its manifest dependencies and
 * the cross-stack remote-state data sources by the stack's id and path, so nesting them under another construct
 * would move them. Hence a plain class with the construct signature rather than a construct.
 *
 * Validates its whole props — its own settings and every section as the construct it becomes
 * (validateAgentEnvironmentProps) — before creating anything, and throws a ConfigurationError naming every
 * problem by field (`network.azCount`, `agent.alerts.emails.0`).
 */
export class AgentEnvironment {
  /** The environment's name: the id given, and the prefix of every stack and resource name. */
  readonly name: string;
  /** The props with every default applied. */
  readonly environment: Environment;
  /** `<name>-network`: the VPC (or the existing one's security groups), egress and endpoints. */
  readonly network: NetworkStack;
  /** `<name>-storage`: the bucket and the S3 Files file system, mount targets and access point. */
  readonly storage: StorageStack;
  /** `<name>-registry`: the ECR repository. */
  readonly registry: RegistryStack;
  /** `<name>-agent`: the runtime, its IAM and the shell-access alert. */
  readonly agent: AgentStack;

  constructor(scope: Construct, name: string, props: AgentEnvironmentProps) {
    const { problems, resolved } = validateAgentEnvironmentProps(name, props);
    throwIfProblems(`environment ${JSON.stringify(name)}`, problems);
    this.name = name;
    this.environment = resolved;
    this.network = new NetworkStack(scope, resolved);
    this.storage = new StorageStack(scope, resolved, this.network.network);
    this.registry = new RegistryStack(scope, resolved);
    this.agent = new AgentStack(scope, resolved, this.network.network, this.storage.storage, this.registry.registry);
  }

  /** An environment already resolved (resolveEnvironments, or another AgentEnvironment's `environment`), built again. */
  static fromEnvironment(scope: Construct, environment: Environment): AgentEnvironment {
    return new AgentEnvironment(scope, environment.name, environmentProps(environment));
  }

  /** The four stacks, in deploy order of their dependencies (network, storage, registry, agent). */
  get all(): EnvironmentStack[] {
    return [this.network, this.storage, this.registry, this.agent];
  }

  /** The Network construct of the network stack. */
  get networkConstruct(): Network {
    return this.network.network;
  }

  /** The S3FilesStorage construct: grant other roles client access to the file system with it. */
  get storageConstruct(): S3FilesStorage {
    return this.storage.storage;
  }

  /** The AgentRegistry construct: grant other roles pull access with it. */
  get registryConstruct(): AgentRegistry {
    return this.registry.registry;
  }

  /** The runtime: grant invoke or operate on it, or add to its execution role's policy. */
  get runtime(): AgentRuntime {
    return this.agent.runtime;
  }

  /** The ShellAccessAlert: its topic takes more subscribers. */
  get alert(): ShellAccessAlert {
    return this.agent.alert;
  }
}
