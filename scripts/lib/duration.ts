import { UsageError } from "./cli.ts";

/** "90s", "10m", "1h30m", "8h" → milliseconds; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim());
  if (!match || text.trim() === "" || match.slice(1).every((g) => g === undefined)) {
    throw new UsageError(`${flag} "${text}" is not a duration; use e.g. 90s, 10m or 1h30m`);
  }
  const [hours = "0", minutes = "0", seconds = "0"] = match.slice(1).map((g) => g ?? "0");
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}
