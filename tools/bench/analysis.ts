/**
 * The stack report's analysis: from the measurements of two runs (A and B, each of several
 * sessions) to one verdict per series, with Holm's correction across the report.
 *
 * Per series: every session is summarised by the median of its repetitions (of the log values; for
 * QoS accuracy, "closer to 1", by the distance |median - 1|), the session model
 * (tools/bench/session-model.ts) estimates the stack effect with drift removed, and Holm's procedure
 * (tools/bench/multiplicity.ts) decides across every testable series of the report at family-wise
 * alpha 0.05. The estimate of a ratio series is exp(delta): the ratio B/A of typical (median)
 * session values, with its interval; of QoS accuracy, the difference of the distances to 1 (B - A).
 *
 * "not testable" (fewer than 4 sessions of a stack, a design that cannot separate stack and time,
 * no variation at all) and "refused" (the design or the data make any verdict unsafe: not
 * interleaved, different nodes, ties from a coarse timer, values a ratio cannot take) are counted
 * apart from "no detectable difference", which means a test was made and found nothing.
 */
import { MEASUREMENT_BY_METRIC, MEASUREMENTS, type MeasurementDef } from "./measurements";
import { measurementKey, type Measurement } from "./measurements-file";
import { holm } from "./multiplicity";
import { deltaInterval, fitSessions, sessionsToDetect, type ModelFit } from "./session-model";
import { outlierCount, resolution, tiesDominate, withinSessionTrend } from "./series-checks";
import { design, type Design, type Session } from "./sessions";
import { median } from "./statistics";
import { seriesTitle } from "./format";
import { overheadRows, type OverheadRow } from "./overhead";

export const FAMILY_ALPHA = 0.05;
export const MIN_SESSIONS = 4;
export const MAX_SESSIONS = 24;
export const MIN_REPETITIONS = 4;
/** The change the sizing aims at: 10% (log(1.1) on the log scale; 0.1 of distance for QoS). */
export const TARGET_CHANGE = 0.1;
export const POWER = 0.8;

export type Verdict = "B better" | "B worse" | "no detectable difference" | "not testable" | "refused";
export const VERDICTS: readonly Verdict[] = ["B better", "B worse", "no detectable difference", "not testable", "refused"];

export interface SeriesResult {
  readonly key: string;
  readonly def: MeasurementDef;
  readonly labels: Readonly<Record<string, string>>;
  readonly title: string;
  readonly verdict: Verdict;
  /** Why "not testable" or "refused". */
  readonly reason?: string;
  /** "ratio B/A" or "distance to 1, B - A". */
  readonly scale: "ratio B/A" | "distance to 1, B - A";
  readonly estimate?: number;
  readonly interval?: readonly [number, number];
  /** Confidence level of `interval` (Holm-compatible, at least 0.95). */
  readonly confidence?: number;
  readonly p?: number;
  readonly adjustedP?: number;
  readonly sessions: { readonly A: number; readonly B: number };
  readonly repetitions: { readonly A: number; readonly B: number };
  readonly medianA?: number;
  readonly medianB?: number;
  /** Sessions per stack that detect a 10% change with power 0.8 after Holm's correction; null when more than MAX_SESSIONS. */
  readonly sessionsFor10Percent?: number | null;
  readonly outlierRepetitions: number;
  readonly outlierSessions: readonly string[];
  /** Smallest difference between distinct values. */
  readonly resolution: number;
  /** Drift of the session summaries per hour (model term), with its p-value. */
  readonly drift?: { readonly perHour: number; readonly p: number };
  readonly trend?: { readonly perHour: number; readonly p: number };
}

export interface Analysis {
  readonly a: string;
  readonly b: string;
  readonly design: Design;
  readonly series: SeriesResult[];
  readonly overhead: OverheadRow[];
  readonly problems: string[];
  /** Largest size over the series that can be sized within MAX_SESSIONS. */
  readonly recommendedSessions?: number;
  /** Series whose size for a 10% change is above MAX_SESSIONS (left out of recommendedSessions). */
  readonly seriesAboveBound: number;
}

interface Pending {
  readonly base: Omit<SeriesResult, "verdict" | "scale">;
  readonly scale: SeriesResult["scale"];
  readonly fit?: ModelFit;
  readonly stop?: { verdict: "not testable" | "refused"; reason: string };
}

const isCloser = (def: MeasurementDef) => def.better === "closer to 1";

/** Per session, its measurements by series key, each in time order. */
type Indexed = readonly { readonly s: Session; readonly bySeries: ReadonlyMap<string, Measurement[]> }[];

function index(sessions: readonly Session[]): Indexed {
  return sessions.map((s) => {
    const bySeries = new Map<string, Measurement[]>();
    for (const m of s.measurements) {
      const key = measurementKey(m);
      const list = bySeries.get(key);
      if (list) list.push(m);
      else bySeries.set(key, [m]);
    }
    for (const ms of bySeries.values()) ms.sort((x, y) => x.timeMs - y.timeMs);
    return { s, bySeries };
  });
}

function analyseSeries(key: string, def: MeasurementDef, labels: Record<string, string>, indexed: Indexed, d: Design): Pending {
  const per = indexed.flatMap(({ s, bySeries }) => (bySeries.has(key) ? [{ s, ms: bySeries.get(key)! }] : []));
  const values = (stack: "A" | "B") => per.filter((x) => x.s.stack === stack).flatMap((x) => x.ms.map((m) => m.value));
  const [va, vb] = [values("A"), values("B")];
  const count = (stack: "A" | "B") => per.filter((x) => x.s.stack === stack).length;
  const logs = per.map((x) => x.ms.map((m) => Math.log(m.value)));
  const allPositive = [...va, ...vb].every((v) => v > 0);
  const base = {
    key,
    def,
    labels,
    title: seriesTitle(def, labels),
    sessions: { A: count("A"), B: count("B") },
    repetitions: { A: va.length, B: vb.length },
    medianA: va.length ? median(va) : undefined,
    medianB: vb.length ? median(vb) : undefined,
    outlierRepetitions: allPositive ? outlierCount(logs) : 0,
    outlierSessions: [] as string[],
    resolution: resolution([...va, ...vb]),
  };
  const scale = isCloser(def) ? ("distance to 1, B - A" as const) : ("ratio B/A" as const);
  const stop = (verdict: "not testable" | "refused", reason: string): Pending => ({ base, scale, stop: { verdict, reason } });
  if (va.length === 0 || vb.length === 0) return stop("not testable", `only in run ${va.length === 0 ? "B" : "A"}`);
  if (d.refusals.length > 0) return stop("refused", d.refusals.join("; "));
  if (!allPositive) return stop("refused", "values not all positive: no ratio");
  const medians = (stack: "A" | "B") => per.filter((x) => x.s.stack === stack).map((x) => median(x.ms.map((m) => m.value)));
  const [ma, mb] = [medians("A"), medians("B")];
  if (new Set(va).size === 1 && new Set(vb).size === 1) {
    return stop("not testable", `every repetition of A gave ${va[0]} and every one of B ${vb[0]} ${def.unit} (zero variance: no interval can be honest; if a timer gave them, it is too coarse)`);
  }
  if (tiesDominate(ma, va) || tiesDominate(mb, vb)) {
    return stop("refused", `ties dominate (session medians: ${new Set(ma).size} distinct of ${ma.length} in A, ${new Set(mb).size} of ${mb.length} in B; repetitions: ${new Set(va).size} distinct of ${va.length} in A, ${new Set(vb).size} of ${vb.length} in B; resolution ${base.resolution}): the timer is too coarse for this comparison`);
  }
  if (base.sessions.A < MIN_SESSIONS || base.sessions.B < MIN_SESSIONS) {
    return stop("not testable", `${base.sessions.A} session(s) of A and ${base.sessions.B} of B: at least ${MIN_SESSIONS} of each are needed (sessions, not repetitions, are the independent units)`);
  }
  const points = per.map((x) => {
    const y = isCloser(def) ? Math.abs(median(x.ms.map((m) => m.value)) - 1) : median(x.ms.map((m) => Math.log(m.value)));
    return { y, isB: x.s.stack === "B", hours: (x.s.startMs + x.s.endMs) / 2 / 3_600_000 };
  });
  const trend = withinSessionTrend(per.map((x) => ({ hours: x.ms.map((m) => m.timeMs / 3_600_000), ys: x.ms.map((m) => Math.log(m.value)) })));
  const fit = fitSessions(points);
  if (!fit) return stop("not testable", "the session order cannot separate the stack from time");
  // Float rounding leaves a residual of ~1e-16 where the summaries lie exactly on the model: that is no variation either.
  const magnitude = Math.max(1, ...points.map((p) => Math.abs(p.y)));
  if (!(fit.sigma > 1e-9 * magnitude)) return stop("not testable", "the session summaries vary not at all: no interval can be honest (zero variance)");
  const outlierSessions = per.filter((_, i) => Math.abs(fit.residuals[i]) > 3).map((x) => `${x.s.stack}:${x.s.session}`);
  return { base: { ...base, outlierSessions, drift: { perHour: fit.drift, p: fit.driftP }, trend }, scale, fit };
}

function direction(def: MeasurementDef, delta: number): "B better" | "B worse" {
  if (isCloser(def)) return delta < 0 ? "B better" : "B worse";
  return (delta > 0) === (def.better === "higher") ? "B better" : "B worse";
}

/** The whole analysis of runs `a` and `b`. Throws RangeError when a run has no measurements. */
export function analyse(all: readonly Measurement[], a: string, b: string): Analysis {
  const d = design(all, a, b);
  const problems = [...d.refusals.map((r) => `refused: ${r}`), ...d.warnings];
  const keys = new Map<string, { def: MeasurementDef; labels: Record<string, string> }>();
  for (const s of d.sessions) {
    for (const m of s.measurements) {
      const key = measurementKey(m);
      if (!keys.has(key)) keys.set(key, { def: MEASUREMENT_BY_METRIC.get(m.metric)!, labels: { ...m.labels } });
    }
  }
  const derived = [...keys.entries()].filter(([, v]) => v.def.derived);
  if (derived.length > 0) problems.push(`${derived.length} series of ${derived[0][1].def.metric} ignored: the report derives the pod network overhead itself from the pod and host series of each session`);
  const order = (k: string) => MEASUREMENTS.indexOf(keys.get(k)!.def);
  const sortedKeys = [...keys.keys()].filter((k) => !keys.get(k)!.def.derived).sort((x, y) => order(x) - order(y) || x.localeCompare(y));
  const indexed = index(d.sessions);
  const pending = sortedKeys.map((k) => analyseSeries(k, keys.get(k)!.def, keys.get(k)!.labels, indexed, d));
  const decisions = holm(pending.map((p) => (p.fit ? p.fit.p : Number.NaN)), FAMILY_ALPHA);
  const m = pending.filter((p) => p.fit).length;
  const series = pending.map((p, i): SeriesResult => {
    if (p.stop || !p.fit) return { ...p.base, scale: p.scale, verdict: p.stop!.verdict, reason: p.stop!.reason };
    const { rejected, level, adjustedP } = decisions[i];
    const [lo, hi] = deltaInterval(p.fit, level);
    const ratio = p.scale === "ratio B/A";
    const target = ratio ? Math.log(1 + TARGET_CHANGE) : TARGET_CHANGE;
    return {
      ...p.base,
      scale: p.scale,
      verdict: rejected ? direction(p.base.def, p.fit.delta) : "no detectable difference",
      estimate: ratio ? Math.exp(p.fit.delta) : p.fit.delta,
      interval: ratio ? [Math.exp(lo), Math.exp(hi)] : [lo, hi],
      confidence: level,
      p: p.fit.p,
      adjustedP,
      sessionsFor10Percent: sessionsToDetect(p.fit.sigma, p.fit.df, target, FAMILY_ALPHA / Math.max(1, m), POWER, MIN_SESSIONS, MAX_SESSIONS) ?? null,
    };
  });
  problems.push(...seriesProblems(series, d));
  const sized = series.flatMap((s) => (typeof s.sessionsFor10Percent === "number" ? [s.sessionsFor10Percent] : []));
  const unsized = series.filter((s) => s.sessionsFor10Percent === null).length;
  if (unsized > 0) problems.push(`${unsized} series need more than ${MAX_SESSIONS} sessions per stack to find a ${TARGET_CHANGE * 100}% change: the recommended design sizes the others only`);
  return { a, b, design: d, series, overhead: overheadRows(d.sessions), problems, recommendedSessions: sized.length ? Math.max(...sized) : undefined, seriesAboveBound: unsized };
}

function seriesProblems(series: readonly SeriesResult[], d: Design): string[] {
  const out: string[] = [];
  const short = d.sessions.filter((s) => {
    const perSeries = new Map<string, number>();
    for (const m of s.measurements) perSeries.set(measurementKey(m), (perSeries.get(measurementKey(m)) ?? 0) + 1);
    return [...perSeries.values()].some((n) => n < MIN_REPETITIONS);
  });
  if (short.length > 0) out.push(`${short.length} session(s) have fewer than ${MIN_REPETITIONS} repetitions of some series (${short.map((s) => `${s.stack}:${s.session}`).join(", ")}): their medians are rough`);
  const trends = series.filter((s) => s.trend);
  const trendDecisions = holm(trends.map((s) => s.trend!.p), FAMILY_ALPHA);
  trends.forEach((s, i) => {
    if (trendDecisions[i].rejected) out.push(`${s.title}: the repetitions trend within their sessions (${(100 * (Math.exp(s.trend!.perHour) - 1)).toFixed(1)}% per hour): the machine was warming up or degrading while measured`);
  });
  const drifting = series.filter((s) => s.drift && s.drift.p < FAMILY_ALPHA / Math.max(1, series.length));
  if (drifting.length > 0) out.push(`drift over the experiment in ${drifting.length} series (removed by the model; e.g. ${drifting[0].title})`);
  const designReason = d.refusals.join("; ");
  const byReason = new Map<string, string[]>();
  for (const s of series) {
    if ((s.verdict !== "refused" && s.verdict !== "not testable") || !s.reason || s.reason === designReason) continue;
    const key = `${s.verdict}: ${s.reason}`;
    byReason.set(key, [...(byReason.get(key) ?? []), s.title]);
  }
  for (const [reason, titles] of byReason) out.push(`${titles.join(", ")}: ${reason}`);
  for (const s of series) {
    if (s.outlierRepetitions > 0) out.push(`${s.title}: ${s.outlierRepetitions} outlying repetition(s) (> 5 robust sigmas from their session's median; kept, the median resists them)`);
    if (s.outlierSessions.length > 0) out.push(`${s.title}: outlying session(s) ${s.outlierSessions.join(", ")} (> 3 residual sigmas)`);
  }
  return out;
}
