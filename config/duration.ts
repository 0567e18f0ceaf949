/**
 * Durations as written in the stack config and in Prometheus/VictoriaMetrics flags: a sequence of
 * `<integer><unit>` with units w, d, h, m, s, ms, each at most once and largest first (e.g. "30s",
 * "1h30m", "6w"), as Prometheus' model.ParseDuration (prometheus/common) requires.
 */
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(?=\d)(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const PART = /(\d+)(ms|s|m|h|d|w)/g;

/** Seconds in a duration string, or undefined when it does not parse. */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== "string" || text.length > 64 || !DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit];
  return seconds;
}

/** Seconds in a duration string that is known to be valid (validated by the schema). */
export function durationSeconds(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined) throw new Error(`invalid duration "${text}"`);
  return seconds;
}

/** The shortest exact rendering of whole seconds, e.g. 90 -> "90s", 300 -> "5m", 86400 -> "1d". */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of [["w", 604800], ["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
