/**
 * Reading the ARNs an environment names: IAM principals (operators, invokers) and the partition and account
 * of any ARN. Used by the environment schema (which reports problems) and by the constructs (which throw).
 *
 * Facts (IAM API model, shared/aws-models/iam.json; IAM User Guide "IAM identifiers" and "IAM object quotas"):
 * - role and user names match [\w+=,.@-]+, 1 to 64 characters; group names the same, up to 128;
 * - a path is "/" or "/segment/.../", at most 512 characters;
 * - names are unique in an account whatever their path, and not case-sensitive ("PRODROLE" and "prodrole"
 *   cannot both exist), so two ARNs that differ only in path or case name one principal.
 * This parser is stricter than IAM in one place: path segments use the name characters only (IAM allows any
 * printable ASCII), so no ARN can carry an IAM wildcard (*, ?) or a Terraform interpolation (${, %{).
 */

export type PrincipalKind = "role" | "user" | "group" | "root";

export interface IamPrincipalArn {
  readonly arn: string;
  readonly partition: string;
  readonly accountId: string;
  readonly kind: PrincipalKind;
  /** "/" or "/a/b/"; "" for the account root. */
  readonly path: string;
  /** The friendly name (what a policy attachment takes); "root" for the account root. */
  readonly name: string;
}

export type ArnParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string; readonly fix: string };

const NAME_CHARACTERS = /^[\w+=,.@-]+$/;
const MAX_NAME_LENGTH: Readonly<Record<Exclude<PrincipalKind, "root">, number>> = { role: 64, user: 64, group: 128 };
const MAX_PATH_LENGTH = 512;
const PARTITION_PATTERN = /^aws(-[a-z]+)*$/;
const EXAMPLE = '"arn:aws:iam::123456789012:role/platform-oncall"';

function refuse(problem: string, fix = `use the principal's ARN, e.g. ${EXAMPLE}`): ArnParse<never> {
  return { ok: false, problem, fix };
}

/** Parses an IAM role, user, group or account-root ARN, saying exactly what is wrong when it is not one. */
export function parseIamPrincipalArn(arn: string): ArnParse<IamPrincipalArn> {
  if (/[*?]/.test(arn)) return refuse("contains a wildcard; a principal is named exactly", `list each principal's full ARN, e.g. ${EXAMPLE}`);
  if (/[$%]\{/.test(arn)) return refuse("contains a policy variable or Terraform interpolation", `write the ARN out, e.g. ${EXAMPLE}`);
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn") return refuse("is not an ARN (arn:<partition>:iam::<account>:<role|user|group>/<name>)");
  const [, partition, service, region, accountId, resource] = parts as [string, string, string, string, string, string];
  if (!PARTITION_PATTERN.test(partition)) return refuse(`has no valid partition ("${partition}")`);
  if (service === "sts" && resource.startsWith("assumed-role/")) {
    return refuse("is a role session (assumed-role) ARN, which names one session, not the role", `use the role's ARN, arn:${partition}:iam::${accountId}:role/${resource.split("/")[1] ?? "<name>"}`);
  }
  if (service !== "iam") return refuse(`is an ARN of ${service || "no service"}, not of an IAM principal`);
  if (region !== "") return refuse("names a Region; IAM ARNs have none", `write it as arn:${partition}:iam::<account>:…`);
  if (!/^\d{12}$/.test(accountId)) return refuse(`has "${accountId}" where the 12-digit account id belongs`);
  if (resource === "root") return { ok: true, value: { arn, partition, accountId, kind: "root", path: "", name: "root" } };
  const slash = resource.indexOf("/");
  const kind = resource.slice(0, slash);
  if (slash < 0 || !(kind in MAX_NAME_LENGTH)) return refuse(`names "${resource.split("/")[0]}", not a role, user or group (or the account root)`);
  const rest = resource.slice(slash + 1);
  if (rest.endsWith("/")) return refuse('ends with "/"; the last path segment is the principal\'s name', `remove the trailing slash: ${arn.replace(/\/+$/, "")}`);
  const segments = rest.split("/");
  if (segments.some((s) => s === "")) return refuse('has an empty path segment ("//")', "write the path as /segment/segment/ with no empty segment");
  const name = segments.pop()!;
  const bad = [...segments, name].find((s) => !NAME_CHARACTERS.test(s));
  if (bad !== undefined) return refuse(`has "${bad}": IAM names and path segments use letters, digits and _+=,.@- only`);
  const max = MAX_NAME_LENGTH[kind as keyof typeof MAX_NAME_LENGTH];
  if (name.length > max) return refuse(`has a ${kind} name of ${name.length} characters; IAM allows at most ${max}`, "correct the name");
  const path = `/${segments.map((s) => `${s}/`).join("")}`;
  if (path.length > MAX_PATH_LENGTH) return refuse(`has a path of ${path.length} characters; IAM allows at most ${MAX_PATH_LENGTH}`, "correct the path");
  return { ok: true, value: { arn, partition, accountId, kind: kind as PrincipalKind, path, name } };
}

/**
 * The key under which IAM knows a principal in one account: kind and name, case-folded (names are unique
 * whatever the path, and not case-sensitive). Two ARNs with the same key name the same principal.
 */
export function principalIdentity(principal: Pick<IamPrincipalArn, "accountId" | "kind" | "name">): string {
  return `${principal.accountId}:${principal.kind}:${principal.name.toLowerCase()}`;
}

/** The partition and account of any ARN (`arn:<partition>:<service>:<region>:<account>:…`), if it has them. */
export function arnParts(arn: string): { partition: string; service: string; region: string; accountId: string } | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, accountId: parts[4]! };
}
