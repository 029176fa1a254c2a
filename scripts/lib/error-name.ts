/** The error name the SDK gives a service exception (e.g. "DependencyViolation"); no SDK module is loaded for it. */
export function errorName(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return e.Code ?? e.name ?? e.code ?? "Error";
}
