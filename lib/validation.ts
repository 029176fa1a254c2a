/**
 * How constructs report bad input: a list of problems, each naming the prop, the value, what is wrong and what
 * to do instead, collected before anything is created and thrown together as one ConfigurationError.
 *
 * A construct's validator is a pure function of its props and of what the construct learns from its scope
 * (ValidationContext), so the environment-file layer can run every construct's validator over every
 * environment first and report all problems of all environments at once, in its own field names.
 */
import { Token } from "cdktn";

/** One thing wrong with a prop: what a validator returns and a ConfigurationError lists, one line each. */
export interface Problem {
  /** The prop, as a dotted path (`models.0.id`, `environmentVariables.LOG_LEVEL`). */
  readonly field: string;
  /** The value given (undefined when the prop is missing). */
  readonly value: unknown;
  /** What is wrong with it, as a clause: "must be a whole number of at least 2". */
  readonly problem: string;
  /** What to do instead, as a clause: "set azCount to 2 or 3". */
  readonly fix: string;
  /**
   * Which check found it (e.g. "lifecycle", "mounts"): lets a caller that merges several validators' problems list
   * them in one stable order (see orderProblems). Not part of the message.
   */
  readonly group?: string;
}

/**
 * What a validator knows beyond the props: the literal Region, partition and account of the stack the construct
 * is in (undefined when they are Terraform tokens, known only at plan time), and how to name fields and the thing
 * being configured in messages.
 */
export interface ValidationContext {
  /** The stack's Region, when it is a literal. @default - unknown at synth: checks that need it are left to plan time */
  readonly region?: string;
  /** The stack's partition ("aws", "aws-cn", "aws-us-gov"), when it is a literal. @default - derived from `region`, or unknown */
  readonly partition?: string;
  /** The account the stack deploys to, when it is pinned. @default - the deploying credentials' account, known at plan time */
  readonly accountId?: string;
  /**
   * How a message names a prop (its own or, with a `storage.` / `network.` prefix, one of a handle it was
   * given). @default the prop's own path
   */
  readonly fieldName?: (prop: string) => string;
  /** What messages call the deployment the values belong to ("the environment's account"). @default per construct */
  readonly owner?: string;
  /** How messages name the setting that pins the account. @default "the provider's allowedAccountIds" */
  readonly accountSetting?: string;
}

/**
 * Collects problems for one construct's props. `report` records one. The checks skip values that are unresolved
 * Terraform tokens (`Token.isUnresolved`): synth cannot know them, and the plan checks what must hold.
 */
export class ProblemCollector {
  readonly problems: Problem[] = [];
  readonly context: ValidationContext;
  private readonly defaultOwner: string;
  /** Fields already refused for a Terraform template sequence: one problem per field is enough. */
  private readonly silenced = new Set<string>();
  /** The check now running; recorded on each problem (Problem.group). */
  group: string | undefined;

  constructor(context: ValidationContext, defaultOwner: string) {
    this.context = context;
    this.defaultOwner = defaultOwner;
  }

  /** The name messages give a prop (see ValidationContext.fieldName). */
  name(prop: string): string {
    return this.context.fieldName?.(prop) ?? prop;
  }

  /** "the environment" / "the runtime": whose account, Region or mounts a message talks about. */
  get owner(): string {
    return this.context.owner ?? this.defaultOwner;
  }

  /** How messages name the setting that pins the account (see ValidationContext.accountSetting). */
  get accountSetting(): string {
    return this.context.accountSetting ?? "the provider's allowedAccountIds";
  }

  report(prop: string, value: unknown, problem: string, fix: string, group = this.group): void {
    if (this.silenced.has(prop)) return;
    this.problems.push({ field: prop, value, problem, fix, ...(group !== undefined && { group }) });
  }

  /**
   * The value as a list, or an empty one after reporting that it must be a list: props typed as lists can still
   * arrive as something else from JavaScript or from parsed data.
   */
  list<T>(prop: string, value: readonly T[] | undefined): readonly T[] {
    if (value === undefined || Array.isArray(value)) return value ?? [];
    this.report(prop, value, `must be a list, not ${typeof value === "object" ? (value === null ? "null" : "an object") : `a ${typeof value}`}`, `set ${this.name(prop)} to a list`);
    return [];
  }

  /**
   * Reports every `${` or `%{` in the strings under `value` (Terraform tokens excepted), once per field: later
   * problems of that field are not reported (`skip`: top-level keys not to walk, such as handles).
   */
  checkTemplateSequences(value: unknown, path: readonly (string | number)[], skip: ReadonlySet<string> = new Set()): void {
    if (typeof value === "string") {
      if (!Token.isUnresolved(value) && TEMPLATE_SEQUENCE.test(value)) {
        const field = fieldPath(...path);
        this.report(field, value, TEMPLATE_PROBLEM, "remove the sequence (these settings take plain text)", "template");
        this.silenced.add(field);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkTemplateSequences(item, [...path, i], skip));
    } else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [key, item] of Object.entries(value)) {
        if (path.length === 0 && skip.has(key)) continue;
        if (TEMPLATE_SEQUENCE.test(key)) this.report(fieldPath(...path, key), key, 'has "${" or "%{" in its name, which Terraform would evaluate', "rename it", "template");
        this.checkTemplateSequences(item, [...path, key], skip);
      }
    }
  }
}

/** "${" and "%{" start an expression or a template directive in a Terraform string (Terraform language, "Strings and Templates"). */
const TEMPLATE_SEQUENCE = /[$%]\{/;
const TEMPLATE_PROBLEM = 'contains "${" or "%{", which Terraform would evaluate as an expression instead of passing the text on';

/** Sorts problems stably by the position of their group in `order` (problems of other groups keep theirs, first). */
export function orderProblems<T extends { readonly group?: string }>(problems: readonly T[], order: readonly string[]): T[] {
  const rank = (p: T) => (p.group === undefined ? -1 : order.indexOf(p.group));
  return problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

/**
 * A field's dotted path, as people write it: `agent.operators.0`, `tags.CostCenter`; a key that would not read
 * as one segment (empty, spaces, dots, quotes, control characters) is written in brackets: `tags[""]`.
 */
export function fieldPath(...segments: readonly (string | number)[]): string {
  return segments
    .map((segment, i) => {
      const text = String(segment);
      if (typeof segment === "string" && !/^[\w:@+=,/-]+$/.test(text)) return `[${JSON.stringify(text)}]`;
      return i === 0 ? text : `.${text}`;
    })
    .join("");
}

/** A value as a message shows it: JSON, cut at 120 characters; "(missing)" when there is none. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** What a construct's validator returns: every problem of the props, and the props with every default applied. */
export interface ValidationResult<Resolved> {
  /** Empty when the props are valid; the constructor throws a ConfigurationError listing them otherwise. */
  readonly problems: Problem[];
  /** The props with defaults applied (meaningful only when there are no problems). */
  readonly resolved: Resolved;
}

/** `<where>: <field> = <value>: <problem>. Fix: <fix>.` */
export function formatProblemLine(where: string, problem: Problem): string {
  return `${where}: ${problem.field} = ${formatValue(problem.value)}: ${problem.problem}. Fix: ${problem.fix}.`;
}

/**
 * Thrown by a construct whose props have problems, before it creates anything: one line per problem, each naming
 * the construct (its path in the app), the prop, the value, the problem and the fix.
 */
export class ConfigurationError extends Error {
  /** The construct's path in the app ("research/runtime"). */
  readonly where: string;
  /** Every problem found, in the order the message lists them. */
  readonly problems: readonly Problem[];
  constructor(where: string, problems: readonly Problem[]) {
    super(problems.map((p) => formatProblemLine(where, p)).join("\n"));
    this.where = where;
    this.problems = problems;
    this.name = "ConfigurationError";
  }
}

/** Throws ConfigurationError when there is any problem. */
export function throwIfProblems(where: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new ConfigurationError(where, problems);
}
