/**
 * Environment files to environments: each file's shape (input.ts), its stage's defaults (stage.ts), everything
 * AgentEnvironment and its constructs check (validateAgentEnvironmentProps), the rules a stage adds, and the
 * checks across environments. Every problem of every environment is reported at once, named by the field as the
 * file writes it, before any stack exists.
 */
import { cidrsOverlap, parseCidr, type Ipv4Cidr } from "../../../lib/cidr.ts";
import { trailQuotaProblems } from "../../../lib/trail-quota.ts";
import { orderProblems, ProblemCollector, type Problem } from "../../../lib/validation.ts";
import type { CreatedNetwork } from "../../network/props.ts";
import type { Environment } from "../props.ts";
import { PROBLEM_ORDER, validateAgentEnvironmentProps } from "../validate.ts";
import { environmentInputSchema, type EnvironmentData } from "./input.ts";
import { EnvironmentConfigError, EnvironmentSelectionError, labelOf, problemFromIssue, type ConfigProblem } from "./problems.ts";
import { propsFromFile } from "./stage.ts";

/** How resolveEnvironments resolves. */
export interface ResolveOptions {
  /**
   * Only these environments (by name): every environment is still validated, but only the problems of these
   * refuse, and only these are returned. The checks across environments run over every valid environment and
   * refuse when a problem involves one of these. A name the inputs do not define throws EnvironmentSelectionError.
   * @default every environment
   */
  readonly only?: readonly string[];
}

/**
 * Validates every environment and resolves their defaults. Throws one EnvironmentConfigError listing
 * every problem in every environment (or, with `only`, in the selected ones), so a user fixes them in one pass.
 */
export function resolveEnvironments(inputs: readonly unknown[], options: ResolveOptions = {}): Environment[] {
  const selected = options.only === undefined ? undefined : new Set(options.only);
  if (selected !== undefined) {
    const defined = inputs.map((input) => (input !== null && typeof input === "object" ? (input as { name?: unknown }).name : undefined));
    const unknown = [...selected].filter((name) => !defined.includes(name));
    if (unknown.length > 0) throw new EnvironmentSelectionError(unknown, inputs.map(labelOf));
  }
  const concerns = (...names: readonly string[]) => selected === undefined || names.some((name) => selected.has(name));
  const problems: ConfigProblem[] = [];
  const resolved: Environment[] = [];
  inputs.forEach((input, index) => {
    const label = labelOf(input, index);
    const parsed = environmentInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) {
      if (concerns(label)) problems.push(...parsed.error.issues.map((issue) => problemFromIssue(label, issue)));
      return;
    }
    const file = resolveEnvironmentFile(parsed.data);
    if (concerns(label)) problems.push(...file.problems.map((p) => ({ environment: label, field: p.field, value: p.value, problem: p.problem, fix: p.fix })));
    if (file.problems.length === 0) resolved.push(file.environment);
  });
  problems.push(...crossEnvironmentProblems(resolved).filter((p) => concerns(p.environment, ...(p.related ?? []))));
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
  return selected === undefined ? resolved : resolved.filter((env) => selected.has(env.name));
}

/** An environment file, judged: its problems and the environment it resolves to. */
export interface ResolvedEnvironmentFile {
  /** Its problems, named by the file's fields (empty when it is valid). */
  readonly problems: Problem[];
  /** The environment with every default applied (meaningful only without problems). */
  readonly environment: Environment;
}

/** One parsed environment file: its problems (named by the file's fields) and the environment it resolves to. */
export function resolveEnvironmentFile(data: EnvironmentData): ResolvedEnvironmentFile {
  const check = new ProblemCollector({ owner: "the environment" }, "the environment");
  // Every string of the file reaches the synthesized Terraform JSON as written (audit reasons excepted).
  check.checkTemplateSequences(data, [], new Set(["audit"]));
  const { problems, resolved } = validateAgentEnvironmentProps(data.name, propsFromFile(data));
  const seen = new Set(check.problems.map((p) => `${p.field}|${p.problem}|${JSON.stringify(p.value)}`));
  for (const p of problems) {
    const field = p.field.replace(/^auditSuppressions(?=\.|$)/, "audit.suppress");
    const key = `${field}|${p.problem}|${JSON.stringify(p.value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    check.report(field, p.value, p.problem, p.fix, p.group);
  }
  const auth = resolved.agent.auth;
  if (auth.type === "CUSTOM_JWT" && auth.tokenHoldersCanRunCommands && !resolved.auditSuppressions.some((s) => s.rule === "shell-iam-authorizes-commands")) {
    // The audit fails a JWT runtime (shell-iam-authorizes-commands, error level): a reviewer reads why it is accepted.
    check.report(
      "agent.auth.tokenHoldersCanRunCommands",
      true,
      "lets every holder of a token the authorizer accepts run commands in the runtime (InvokeAgentRuntimeCommand is authorized by the bearer token, not by IAM), which the audit fails",
      'use { type: "AWS_IAM" }, or say why token holders may run commands in audit.suppress: { rule: "shell-iam-authorizes-commands", reason: "…" }',
      "auth",
    );
  }
  if (resolved.stage === "production") {
    // The audit fails production on these (shell-alert-configured, res-data-retained-in-production, error level):
    // an environment file refuses them at synth, unless a reviewed suppression says why.
    if (resolved.agent.alertEmails.length === 0) {
      check.report(
        "agent.alerts.emails",
        resolved.agent.alertEmails,
        "is empty, but shell access into a production runtime (InvokeAgentRuntimeCommand) must alert someone",
        "add at least one address that is watched, e.g. the platform team's on-call list",
        "alerts",
      );
    }
    if (!resolved.storage.retainDataOnTeardown && !resolved.auditSuppressions.some((s) => s.rule === "res-data-retained-in-production")) {
      check.report(
        "storage.retainDataOnTeardown",
        false,
        "is false in a production environment: one teardown would delete the bucket with every object and version the agents wrote",
        'keep it true, or, if this production environment\'s data is disposable, say why in audit.suppress: { rule: "res-data-retained-in-production", reason: "…" }',
        "stage",
      );
    }
  }
  return { problems: orderProblems(check.problems, PROBLEM_ORDER), environment: resolved };
}

function crossEnvironmentProblems(environments: readonly Environment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const env of environments) {
    if (seen.has(env.name)) {
      problems.push({ environment: env.name, field: "name", value: env.name, problem: "is used by another environment too; stack and resource names would collide", fix: "give each environment a unique name" });
    }
    seen.add(env.name);
  }
  const created = environments.filter((e): e is Environment & { network: CreatedNetwork } => e.network.mode === "create");
  created.forEach((env, i) => {
    const mine = parseCidr(env.network.cidr) as Ipv4Cidr;
    for (const other of created.slice(0, i)) {
      if (cidrsOverlap(mine, parseCidr(other.network.cidr) as Ipv4Cidr)) {
        problems.push({
          environment: env.name,
          field: "network.cidr",
          value: env.network.cidr,
          related: [other.name],
          problem: `overlaps environment "${other.name}" (${other.network.cidr}), which would prevent peering or Transit Gateway routing between them`,
          fix: "give each environment its own range, e.g. 10.20.0.0/16, 10.30.0.0/16, 10.40.0.0/16",
        });
      }
    }
  });
  problems.push(...trailQuotaProblems(environments));
  return problems;
}
