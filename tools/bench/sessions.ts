/**
 * From the measurements of two runs to sessions, with the checks of the design that hold for every
 * series: a session name reused for a later rerun, after other sessions or right after its first use
 * (only the latest part is kept, and the report says so), the order of A and B sessions (interleaved? counterbalanced?), and the nodes A and B ran on.
 */
import type { Measurement } from "./measurements-file";

export interface Session {
  readonly stack: "A" | "B";
  readonly run: string;
  readonly session: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Node sets the session's repetitions ran on ("node-02,node-03"). */
  readonly nodeSets: readonly string[];
  readonly measurements: readonly Measurement[];
}

export interface Design {
  /** Sessions in time order. */
  readonly sessions: readonly Session[];
  /** "ABBAABBA": the stacks of the sessions in time order. */
  readonly order: string;
  /** Problems that make every verdict "refused". */
  readonly refusals: string[];
  /** What the reader must know (kept data, dropped data, imbalance). */
  readonly warnings: string[];
}

const hour = 3_600_000;

/** Earliest and latest time of measurements (a loop: a spread of many thousand arguments overflows the stack). */
function span(lines: readonly Measurement[]): { startMs: number; endMs: number } {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const l of lines) {
    if (l.timeMs < startMs) startMs = l.timeMs;
    if (l.timeMs > endMs) endMs = l.timeMs;
  }
  return { startMs, endMs };
}

/** Lines of a session that was measured again later under the same name: only the part after the last other session in between is kept. */
function latestPart(own: Measurement[], others: readonly { startMs: number; endMs: number; lines: readonly Measurement[] }[]): { kept: Measurement[]; cut?: number } {
  let cut: number | undefined;
  for (const o of others) {
    const before = own.some((m) => m.timeMs < o.startMs);
    const after = own.some((m) => m.timeMs > o.endMs);
    const inside = own.some((m) => m.timeMs >= o.startMs && m.timeMs <= o.endMs);
    if (before && after && !inside) cut = Math.max(cut ?? -Infinity, o.endMs);
  }
  return cut === undefined ? { kept: own } : { kept: own.filter((m) => m.timeMs > cut!), cut };
}

/** Shortest pause, between two parts of one session name, that makes them two measurements (ms). */
const RERUN_MIN_GAP_MS = 10 * 60_000;

const seriesOf = (m: Measurement) => `${m.metric}\u0000${JSON.stringify(Object.entries(m.labels).sort(([x], [y]) => x.localeCompare(y)))}`;

/**
 * Lines of a session name used again right after its first use, with no other session in between
 * (latestPart cannot see that): the name's measurements fall into two parts with a pause longer than
 * either part and than RERUN_MIN_GAP_MS, and each part holds every series of the other (a whole run
 * of the suite each time; a pause between the series of one run leaves different series on each side).
 * Returns the cut time (the end of the earlier part), or undefined.
 */
function backToBackRerun(own: readonly Measurement[]): number | undefined {
  const times = [...new Set(own.map((m) => m.timeMs))].sort((x, y) => x - y);
  let cut: number | undefined;
  let gap = 0;
  for (let i = 1; i < times.length; i++) {
    if (times[i] - times[i - 1] > gap) [gap, cut] = [times[i] - times[i - 1], times[i - 1]];
  }
  if (cut === undefined || gap < RERUN_MIN_GAP_MS) return undefined;
  const early = own.filter((m) => m.timeMs <= cut!);
  const late = own.filter((m) => m.timeMs > cut!);
  const length = (part: readonly Measurement[]) => {
    const { startMs, endMs } = span(part);
    return endMs - startMs;
  };
  const longest = Math.max(length(early), length(late));
  if (gap <= longest) return undefined;
  const [a, b] = [new Set(early.map(seriesOf)), new Set(late.map(seriesOf))];
  return a.size === b.size && [...a].every((k) => b.has(k)) ? cut : undefined;
}

function nodeSet(m: Measurement): string {
  return m.nodes.join(",");
}

/** Sessions and design checks of runs `a` and `b` (throws when a run has no measurement). */
export function design(all: readonly Measurement[], a: string, b: string): Design {
  const warnings: string[] = [];
  const refusals: string[] = [];
  const groups = new Map<string, Measurement[]>();
  for (const m of all) {
    if (m.run !== a && m.run !== b) continue;
    const key = `${m.run}\u0000${m.session}`;
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  const raw = [...groups.values()].map((lines) => ({ lines, ...span(lines) }));
  const sessions: Session[] = [];
  for (const g of raw) {
    let { kept, cut } = latestPart(g.lines, raw.filter((o) => o !== g));
    // Reused again and again back to back: keep cutting until the latest part is one measurement.
    for (let again = backToBackRerun(kept); again !== undefined; again = backToBackRerun(kept)) {
      cut = again;
      kept = kept.filter((m) => m.timeMs > again);
    }
    const { run, session } = g.lines[0];
    if (cut !== undefined) {
      warnings.push(`run ${run} session ${session} was measured at two separate times (a rerun under the same session name): kept only its latest part (${kept.length} of ${g.lines.length} measurements, after ${new Date(cut).toISOString()})`);
    }
    sessions.push({
      stack: run === a ? "A" : "B",
      run,
      session,
      ...span(kept),
      nodeSets: [...new Set(kept.map(nodeSet))].sort(),
      measurements: kept,
    });
  }
  sessions.sort((x, y) => x.startMs - y.startMs || x.stack.localeCompare(y.stack));
  const order = sessions.map((s) => s.stack).join("");
  for (const [stack, run] of [["A", a], ["B", b]] as const) if (!order.includes(stack)) throw new RangeError(`run "${run}" has no measurements`);
  if (new Set(sessions.map((s) => s.startMs)).size < sessions.length) {
    warnings.push("sessions do not carry distinct start times: their order, and so a drift, can be neither checked nor removed (each repetition's time is when it was measured)");
  } else if (/^A+B+$|^B+A+$/.test(order)) {
    refusals.push(`the sessions are not interleaved (order ${order}): a drift of the machines over time cannot be told from the stack; run A and B alternately (A B B A ...), see docs/stack-benchmarks.md`);
  } else {
    // Correlation of stack with time: 0 for A B B A blocks, large for A A B B ... orders.
    const t = sessions.map((s) => (s.startMs + s.endMs) / 2 / hour);
    const x: number[] = sessions.map((s) => (s.stack === "B" ? 1 : 0));
    const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
    const [mt, mx] = [mean(t), mean(x)];
    const cov = t.reduce((s, ti, i) => s + (ti - mt) * (x[i] - mx), 0);
    const r = cov / Math.sqrt(t.reduce((s, ti) => s + (ti - mt) ** 2, 0) * x.reduce((s, xi) => s + (xi - mx) ** 2, 0));
    if (Math.abs(r) > 0.3) warnings.push(`the order ${order} is not counterbalanced (correlation of stack and time ${r.toFixed(2)}): the model removes a linear drift, but a curved one can still bias the verdicts; prefer A B B A blocks`);
  }
  const setsOf = (stack: "A" | "B") => new Set(sessions.filter((s) => s.stack === stack).flatMap((s) => s.nodeSets));
  const [na, nb] = [setsOf("A"), setsOf("B")];
  if (na.has("") || nb.has("")) warnings.push("some measurements do not record their nodes: that A and B ran on the same machines cannot be checked");
  const onlyA = [...na].filter((n) => n !== "" && !nb.has(n));
  const onlyB = [...nb].filter((n) => n !== "" && !na.has(n));
  const shared = [...na].filter((n) => n !== "" && nb.has(n));
  if (shared.length === 0 && onlyA.length > 0 && onlyB.length > 0) {
    refusals.push(`A and B ran on different nodes (A: ${onlyA.join(" | ")}; B: ${onlyB.join(" | ")}): the machines cannot be told from the stack`);
  } else if (onlyA.length > 0 || onlyB.length > 0) {
    warnings.push(`A and B did not run on the same node sets (only A: ${onlyA.join(" | ") || "none"}; only B: ${onlyB.join(" | ") || "none"}): node differences add to the error`);
  }
  return { sessions, order, refusals, warnings };
}
