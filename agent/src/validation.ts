/** Payload validation: every refusal says what was wrong and what is accepted. */
import { DEFAULT_SIZES, formatSize, MAX_BENCH_BYTES, MAX_BENCH_TOTAL_BYTES, parseSize } from "./bench.js";

export const MAX_PROMPT_LENGTH = 10_000;
export const MAX_BENCH_SIZES = 8;

/** How a JSON value is named in a refusal: null and arrays by name, the rest by type. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export type Request =
  | { readonly kind: "prompt"; readonly prompt: string }
  | { readonly kind: "storage_report" }
  | { readonly kind: "storage_bench"; readonly sizes: number[]; readonly repeat: number };

export class ValidationError extends Error {
  override name = "ValidationError";
}

export function parseRequest(body: unknown): Request {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError('the payload must be a JSON object, e.g. {"prompt": "..."} or {"action": "storage_report"}');
  }
  const payload = body as Record<string, unknown>;
  if ("action" in payload) {
    if (payload.action === "storage_report") return { kind: "storage_report" };
    if (payload.action === "storage_bench") {
      // An absent field takes its default; a present one, null included, must be what the field takes.
      const rawSizes = "sizes" in payload ? payload.sizes : DEFAULT_SIZES;
      if (!Array.isArray(rawSizes) || rawSizes.length === 0 || rawSizes.length > MAX_BENCH_SIZES) {
        const got = Array.isArray(rawSizes) ? `${rawSizes.length} sizes` : kindOf(rawSizes);
        throw new ValidationError(`"sizes" must be a list of 1 to ${MAX_BENCH_SIZES} sizes, e.g. ["1KB", "1MB"], not ${got}`);
      }
      const sizes = rawSizes.map((s) => {
        const bytes = parseSize(s);
        if (bytes === undefined || bytes > MAX_BENCH_BYTES) {
          throw new ValidationError(`size ${JSON.stringify(s) ?? String(s)} is not a size from 1 B to 64 MB; use e.g. "100KB" or "10MB"`);
        }
        return bytes;
      });
      const total = sizes.reduce((sum, bytes) => sum + bytes, 0);
      if (total > MAX_BENCH_TOTAL_BYTES) {
        throw new ValidationError(`"sizes" add up to ${formatSize(total)}; one benchmark writes at most ${formatSize(MAX_BENCH_TOTAL_BYTES)} in all`);
      }
      const repeat = "repeat" in payload ? payload.repeat : 3;
      if (typeof repeat !== "number" || !Number.isInteger(repeat) || repeat < 1 || repeat > 10) {
        throw new ValidationError(`"repeat" must be a whole number from 1 to 10, not ${typeof repeat === "number" ? repeat : kindOf(repeat)}`);
      }
      return { kind: "storage_bench", sizes, repeat };
    }
    throw new ValidationError(`unknown action ${JSON.stringify(payload.action)}; use "storage_report" or "storage_bench"`);
  }
  if (!("prompt" in payload)) throw new ValidationError('the payload needs "prompt" (a string) or "action"');
  if (typeof payload.prompt !== "string") throw new ValidationError(`"prompt" must be a string, not ${payload.prompt === null ? "null" : typeof payload.prompt}`);
  if (payload.prompt.trim().length === 0) throw new ValidationError('"prompt" is empty');
  if (payload.prompt.length > MAX_PROMPT_LENGTH) {
    throw new ValidationError(`"prompt" is ${payload.prompt.length} characters; the limit is ${MAX_PROMPT_LENGTH}`);
  }
  return { kind: "prompt", prompt: payload.prompt };
}
