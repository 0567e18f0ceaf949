/**
 * The weekly comparability verdict. The recording rules may not have run over a past week (or ran
 * with other thresholds), so every gate is evaluated here from raw series with the same PromQL the
 * rules use (components/health/gates.ts); only the baseline differs: the baseline week instead of
 * the rolling median.
 */
import { rawBaselines, type Baselines } from "../../components/health/baselines";
import { CALIBRATION_RESULTS } from "../../components/health/calibration/results";
import type { HealthContext } from "../../components/health/context";
import { gateApplies, gateStateExpr, gates, type Gate, type GateName } from "../../components/health/gates";
import type { LabModel } from "../../config/model";
import { durationSeconds, formatSeconds } from "../../config/duration";
import type { IsoWeek } from "./iso-week";
import type { MetricsClient, RangeSeries } from "./vm-client";

export interface Interval {
  readonly from: number;
  readonly to: number;
}

export interface GateFailure {
  readonly gate: GateName;
  readonly intervals: readonly Interval[];
}

/**
 * The three verdict states. Not comparable: a gate failed. Unknown: nothing failed, but a gate that
 * applies could not be evaluated for some of the time (its inputs missing), or the node has no
 * data in a week; unknown is never comparable.
 */
export type Verdict = "comparable" | "not comparable" | "unknown";

/** The worst of several verdicts: not comparable, then unknown, then comparable. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes("not comparable")) return "not comparable";
  return verdicts.includes("unknown") ? "unknown" : "comparable";
}

export interface NodeWeek {
  /** Whether any gate reported on this node in the week (the node was known to monitoring). */
  readonly hasData: boolean;
  readonly failures: readonly GateFailure[];
  /** Gates that could not be evaluated, with when. */
  readonly unknown: readonly GateFailure[];
}

export interface NodeVerdict {
  readonly node: string;
  readonly pool: string;
  readonly verdict: Verdict;
  readonly week: NodeWeek;
  readonly baseline: NodeWeek;
  /** Why not comparable or unknown, in words; empty when comparable. */
  readonly reasons: readonly string[];
}

export interface PoolVerdict {
  readonly pool: string;
  readonly verdict: Verdict;
  readonly nodes: readonly NodeVerdict[];
}

export interface ChartSeries {
  readonly label: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface WeekReport {
  readonly week: IsoWeek;
  readonly baseline: IsoWeek;
  /** Seconds between evaluations: the gate window, so consecutive windows tile the week. */
  readonly step: number;
  readonly source: string;
  readonly gates: readonly Gate[];
  readonly pools: readonly PoolVerdict[];
  readonly verdict: Verdict;
  readonly charts: {
    readonly clockOffset: readonly ChartSeries[];
    readonly clockThresholdSeconds: number;
    readonly throughput: readonly ChartSeries[];
    /** Baseline-week median throughput per node -> peer. */
    readonly throughputBaseline: ReadonlyArray<{ readonly label: string; readonly value: number }>;
  };
}

/**
 * Baselines as of the baseline week's end. Pinger p99: the baseline week. Calibration: the node's
 * history over the rules' baseline window (28 days by default) ending with the baseline week, so each
 * result's band rests on several weeks of nights (a week alone holds one night per iperf3 peer).
 */
export function weekBaselines(ctx: HealthContext, baseline: IsoWeek): Baselines {
  const weekDays = (baseline.end - baseline.start) / 86400;
  const week = rawBaselines(ctx, { kind: "fixed", window: `${weekDays}d`, endUnix: baseline.end });
  const historySeconds = Math.max(durationSeconds(ctx.window.baseline), weekDays * 86400);
  const history = rawBaselines(ctx, { kind: "fixed", window: formatSeconds(historySeconds), endUnix: baseline.end });
  return { ...history, pingerP99: week.pingerP99 };
}

/** Consecutive evaluations with value `state` (0 failed, -1 unknown) merged into intervals; each evaluation at t covers (t - step, t]. */
export function failingIntervals(values: ReadonlyArray<readonly [number, number]>, step: number, state = 0): Interval[] {
  const intervals: Interval[] = [];
  for (const [t, v] of values) {
    if (v !== state) continue;
    const last = intervals.at(-1);
    if (last && last.to >= t - step) intervals[intervals.length - 1] = { from: last.from, to: t };
    else intervals.push({ from: t - step, to: t });
  }
  return intervals;
}

interface GateResults {
  readonly failures: Map<string, GateFailure[]>;
  readonly unknown: Map<string, GateFailure[]>;
  readonly seen: Map<string, string>;
}

/** Union of interval lists, sorted and with overlapping or touching intervals merged. */
function unionIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const i of [...a, ...b].sort((x, y) => x.from - y.from)) {
    const last = merged.at(-1);
    if (last && i.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, i.to) };
    else merged.push(i);
  }
  return merged;
}

/**
 * Records a gate's intervals for a node. A node seen in two pools within one evaluation (a handover:
 * its old pool label is still inside the lookback) yields one series per pool: one entry per gate.
 */
function add(map: Map<string, GateFailure[]>, node: string, gate: GateName, intervals: Interval[]): void {
  if (intervals.length === 0) return;
  const entries = map.get(node) ?? [];
  const same = entries.find((e) => e.gate === gate);
  const entry = { gate, intervals: same ? unionIntervals(same.intervals, intervals) : intervals };
  map.set(node, [...entries.filter((e) => e !== same), entry]);
}

/**
 * Longest query VictoriaMetrics accepts by default (`-search.maxQueryLen`, 16384 bytes; vmselect and
 * vmsingle alike). The calibration gate over raw series is several times longer.
 */
export const MAX_QUERY_BYTES = 16384;

/**
 * A gate's state per node over [start, end] (labels node, pool, gate; 0 failed, 1 passed, -1 unknown):
 * gateStateExpr in one query when it fits in MAX_QUERY_BYTES, else the same state from its parts,
 * combined here per evaluation: the nodes it applies to, each failing condition and each input.
 * Throws QueryError-like errors from the client; a part longer than the limit throws too.
 */
export async function gateStates(client: MetricsClient, ctx: HealthContext, gate: Gate, start: number, end: number, step: number): Promise<RangeSeries[]> {
  const whole = gateStateExpr(ctx, gate);
  if (Buffer.byteLength(whole) <= MAX_QUERY_BYTES) return client.queryRange(whole, start, end, step);
  const query = (expr: string) => {
    if (Buffer.byteLength(expr) > MAX_QUERY_BYTES) throw new Error(`gate ${gate.name}: a part of ${Buffer.byteLength(expr)} bytes exceeds the ${MAX_QUERY_BYTES}-byte query limit`);
    return client.queryRange(expr, start, end, step);
  };
  // Times at which a node has a sample of `series`.
  const byNode = (series: readonly RangeSeries[]) => {
    const out = new Map<string, Set<number>>();
    for (const s of series) {
      const node = s.metric.node;
      if (!node) continue;
      const times = out.get(node) ?? new Set<number>();
      for (const [t] of s.values) times.add(t);
      out.set(node, times);
    }
    return out;
  };
  const applies = await query(gateApplies(ctx, gate));
  const failing: Array<Map<string, Set<number>>> = [];
  for (const part of gate.failing) failing.push(byNode(await query(`max by (node) (${part.expr})`)));
  const inputs: Array<Map<string, Set<number>>> = [];
  for (const e of gate.evaluable) inputs.push(byNode(await query(e)));
  return applies.map((s) => {
    const node = s.metric.node ?? "";
    const values = s.values.map(([t]): [number, number] => {
      if (failing.some((f) => f.get(node)?.has(t))) return [t, 0];
      return [t, inputs.every((i) => i.get(node)?.has(t)) ? 1 : -1];
    });
    return { metric: { ...s.metric, gate: gate.name }, values };
  });
}

async function evaluateGates(client: MetricsClient, ctx: HealthContext, list: readonly Gate[], week: IsoWeek, step: number): Promise<GateResults> {
  const results: GateResults = { failures: new Map(), unknown: new Map(), seen: new Map() };
  for (const gate of list) {
    const series = await gateStates(client, ctx, gate, week.start + step, week.end, step);
    for (const s of series) {
      const { node, pool } = s.metric;
      if (!node) continue;
      results.seen.set(node, pool ?? "");
      add(results.failures, node, gate.name, failingIntervals(s.values, step, 0));
      add(results.unknown, node, gate.name, failingIntervals(s.values, step, -1));
    }
  }
  return results;
}

function nodeWeek(results: GateResults, node: string): NodeWeek {
  return { hasData: results.seen.has(node), failures: results.failures.get(node) ?? [], unknown: results.unknown.get(node) ?? [] };
}

function reasonsOf(week: NodeWeek, baseline: NodeWeek, labels: { week: string; baseline: string }): string[] {
  const reasons: string[] = [];
  if (!week.hasData) reasons.push(`no monitoring data in ${labels.week}`);
  if (!baseline.hasData) reasons.push(`no monitoring data in the baseline week ${labels.baseline}`);
  for (const f of week.failures) reasons.push(`${f.gate} failed in ${labels.week}`);
  for (const f of baseline.failures) reasons.push(`${f.gate} failed in the baseline week ${labels.baseline}`);
  for (const f of week.unknown) reasons.push(`${f.gate} could not be evaluated in ${labels.week}`);
  for (const f of baseline.unknown) reasons.push(`${f.gate} could not be evaluated in the baseline week ${labels.baseline}`);
  return reasons;
}

function nodeVerdict(week: NodeWeek, baseline: NodeWeek): Verdict {
  if (week.failures.length > 0 || baseline.failures.length > 0) return "not comparable";
  const complete = week.hasData && baseline.hasData && week.unknown.length === 0 && baseline.unknown.length === 0;
  return complete ? "comparable" : "unknown";
}

function toChart(series: readonly RangeSeries[], label: (m: Record<string, string>) => string): ChartSeries[] {
  return series.map((s) => ({ label: label(s.metric), points: s.values })).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

const THROUGHPUT = "lab_calibration_network_throughput_bytes_per_second";
const THROUGHPUT_RESULT = CALIBRATION_RESULTS.find((r) => r.metric === THROUGHPUT)!;

export async function buildWeekReport(client: MetricsClient, ctx: HealthContext, model: LabModel, week: IsoWeek, baseline: IsoWeek, source: string): Promise<WeekReport> {
  const step = durationSeconds(ctx.window.gate);
  const baselines = weekBaselines(ctx, baseline);
  const gateList = gates(ctx, baselines);
  const thisWeek = await evaluateGates(client, ctx, gateList, week, step);
  const baselineWeek = await evaluateGates(client, ctx, gateList, baseline, step);

  const nodePool = new Map(model.nodes.map((n) => [n.name, n.pool]));
  for (const [node, pool] of [...thisWeek.seen, ...baselineWeek.seen]) if (!nodePool.has(node)) nodePool.set(node, pool);
  const pools = [...new Set(nodePool.values())].sort().map((pool) => {
    const nodes = [...nodePool].filter(([, p]) => p === pool).map(([node]) => node).sort().map((node) => {
      const w = nodeWeek(thisWeek, node);
      const b = nodeWeek(baselineWeek, node);
      const reasons = reasonsOf(w, b, { week: week.label, baseline: baseline.label });
      return { node, pool, verdict: nodeVerdict(w, b), week: w, baseline: b, reasons };
    });
    return { pool, verdict: worstVerdict(nodes.map((n) => n.verdict)), nodes };
  });

  const clock = await client.queryRange(`max by (node) (abs(node_timex_offset_seconds))`, week.start + step, week.end, step);
  const throughput = await client.queryRange(`max by (node, peer) (${THROUGHPUT})`, week.start + step, week.end, step);
  const median = await client.queryRange(`max by (node) (${baselines.calibrationMedian(THROUGHPUT_RESULT)})`, week.end, week.end, step);
  return {
    week,
    baseline,
    step,
    source,
    gates: gateList,
    pools,
    verdict: worstVerdict(pools.map((p) => p.verdict)),
    charts: {
      clockOffset: toChart(clock, (m) => m.node ?? "?"),
      clockThresholdSeconds: ctx.health.clock.maxOffsetSeconds,
      throughput: toChart(throughput, (m) => `${m.node} -> ${m.peer}`),
      throughputBaseline: median.map((s) => ({ label: `${s.metric.node} (any peer)`, value: s.values.at(-1)?.[1] ?? NaN })),
    },
  };
}
