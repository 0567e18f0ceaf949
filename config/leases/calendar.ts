/**
 * The lease calendar as data: per node, who has it over a time window, cut at lease boundaries.
 * Pure; the plan renders it as calendar.md and calendar.html (tools/plan/calendar.ts).
 */
import { assignmentAt, boundaries, type ActiveLease } from "./assignment";
import { parseInstant } from "./instant";
import type { LeaseSections } from "./view";

export const DAY_MS = 86_400_000;
/** The calendar shows at least this many weeks, and more when a lease ends later (up to MAX_WEEKS). */
export const MIN_WEEKS = 6;
export const MAX_WEEKS = 26;

export interface CalendarSegment {
  /** ms since the epoch, `[from, until)`. */
  readonly from: number;
  readonly until: number;
  readonly pool: string;
  /** Teams that may use the node during the segment. */
  readonly teams: readonly string[];
  /** The lease holding the node, when it is lent. */
  readonly lease?: ActiveLease;
}

export interface CalendarRow {
  readonly node: string;
  readonly role: string;
  readonly homePool: string;
  readonly segments: readonly CalendarSegment[];
}

export interface Calendar {
  readonly at: number;
  /** Window: from the start of `at`'s UTC day, whole days. */
  readonly start: number;
  readonly end: number;
  readonly rows: readonly CalendarRow[];
  /** Every lease of the config with its state at `at`. */
  readonly leases: ReadonlyArray<{ readonly index: number; readonly team: string; readonly nodes: readonly string[]; readonly from: number; readonly until: number; readonly reason: string; readonly state: "ended" | "active" | "upcoming" }>;
}

export function leaseCalendar(sections: LeaseSections, at: number): Calendar {
  const start = Math.floor(at / DAY_MS) * DAY_MS;
  const cuts = boundaries(sections);
  const lastEnd = cuts.length > 0 ? cuts[cuts.length - 1] : start;
  const days = Math.min(MAX_WEEKS * 7, Math.max(MIN_WEEKS * 7, Math.ceil((lastEnd - start) / DAY_MS) + 7));
  const end = start + days * DAY_MS;
  const edges = [start, ...cuts.filter((t) => t > start && t < end), end];
  const pieces = edges.slice(1).map((until, i) => ({ from: edges[i], until, a: assignmentAt(sections, edges[i]) }));
  const teamsOf = (pool: string) => sections.teams.filter((t) => t.pools.includes(pool)).map((t) => t.name);
  const rows = sections.nodes.map((node): CalendarRow => {
    const segments: CalendarSegment[] = [];
    for (const piece of pieces) {
      const n = piece.a.nodes.get(node.name)!;
      const teams = n.lease ? [n.lease.team] : teamsOf(n.pool);
      const last = segments[segments.length - 1];
      if (last && last.pool === n.pool && last.lease?.index === n.lease?.index) segments[segments.length - 1] = { ...last, until: piece.until };
      else segments.push({ from: piece.from, until: piece.until, pool: n.pool, teams, lease: n.lease });
    }
    return { node: node.name, role: node.role, homePool: node.pool, segments };
  });
  const leases = sections.leases.map((l, index) => {
    const from = parseInstant(l.from)!;
    const until = parseInstant(l.until)!;
    const state = at >= until ? "ended" : at >= from ? "active" : "upcoming";
    return { index, team: l.team, nodes: [...l.nodes], from, until, reason: l.reason, state } as const;
  });
  return { at, start, end, rows, leases };
}
