/**
 * RFC 3339 instants in UTC, the only time format `lab:leases` accepts: `2027-01-15T00:00:00Z`
 * (seconds required, optional fraction, `Z` only). Offsets such as `+01:00`, dates without a time
 * and anything `Date.parse` would guess at are refused, so every reader of the config agrees on the
 * instant. Source: RFC 3339 §5.6 (`date-time` with `time-offset = "Z"`).
 */

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** Milliseconds since the epoch of an RFC 3339 UTC instant, or undefined when the text is not one (or names no real date). */
export function parseInstant(text: string): number | undefined {
  const m = RFC3339_UTC.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + (m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0);
  const d = new Date(ms);
  // Date.UTC rolls 2027-02-30 over to March; a real date round-trips.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return ms;
}

/** The canonical text of an instant: `2027-01-15T00:00:00Z` (milliseconds only when not zero). */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

export const INSTANT_MESSAGE = 'must be an RFC 3339 UTC instant such as "2027-01-15T00:00:00Z" (seconds and a trailing Z; no offsets)';
