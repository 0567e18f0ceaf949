/** ISO 8601 weeks (`2026-W47`): Monday 00:00 UTC to the next Monday. */

export interface IsoWeek {
  readonly label: string;
  /** Unix seconds of Monday 00:00 UTC. */
  readonly start: number;
  /** Unix seconds of the following Monday 00:00 UTC (exclusive). */
  readonly end: number;
}

const WEEK = 7 * 86400;

/** Monday 00:00 UTC of ISO week 1 of `year` (the week holding 4 January). */
function weekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / 1000;
  const weekday = (new Date(jan4 * 1000).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday * 86400;
}

export function isoWeekOf(unixSeconds: number): IsoWeek {
  const date = new Date(unixSeconds * 1000);
  // The ISO year is the year of the week's Thursday.
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) / 1000 + (3 - weekday) * 86400;
  const year = new Date(thursday * 1000).getUTCFullYear();
  const week = Math.floor((thursday - weekOneMonday(year)) / WEEK) + 1;
  return parseIsoWeek(`${year}-W${String(week).padStart(2, "0")}`);
}

/** Parses `YYYY-Www`; throws with the expected form on anything else. */
export function parseIsoWeek(text: string): IsoWeek {
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!m) throw new Error(`"${text}" is not an ISO week such as 2026-W47`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  const weeks = (weekOneMonday(year + 1) - weekOneMonday(year)) / WEEK;
  if (week < 1 || week > weeks) throw new Error(`"${text}": ${year} has weeks 01 to ${weeks}`);
  const start = weekOneMonday(year) + (week - 1) * WEEK;
  return { label: text, start, end: start + WEEK };
}

export function previousWeek(week: IsoWeek): IsoWeek {
  return isoWeekOf(week.start - WEEK);
}

/** `2026-11-18 10:00` (UTC). */
export function formatUtc(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}
