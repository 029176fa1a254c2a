/**
 * EventBridge pattern matching, as documented (Amazon EventBridge user guide, "Event patterns"): every
 * field in the pattern must match; a list of values matches if any value matches; an object descends into
 * the event, and into each element when the event holds an array; content filters supported here are
 * `prefix`, `exists` and `anything-but`.
 */
type Pattern = { [key: string]: Pattern | unknown[] };

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (event as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(expected)) return matchesValues(expected, actual);
    const candidates = Array.isArray(actual) ? actual : [actual];
    return candidates.some((candidate) => candidate !== undefined && matchesPattern(expected as Pattern, candidate));
  });
}

function matchesValues(expected: unknown[], actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return expected.some((rule) => {
    if (rule !== null && typeof rule === "object") {
      const filter = rule as Record<string, unknown>;
      if ("prefix" in filter) return values.some((v) => typeof v === "string" && v.startsWith(String(filter.prefix)));
      if ("exists" in filter) return (actual !== undefined) === filter.exists;
      if ("anything-but" in filter) {
        const excluded = [filter["anything-but"]].flat();
        return actual !== undefined && values.every((v) => !excluded.includes(v));
      }
      throw new Error(`content filter not supported by this matcher: ${JSON.stringify(rule)}`);
    }
    return values.includes(rule);
  });
}
