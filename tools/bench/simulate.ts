/**
 * Simulated stack comparisons in the measurements-file format (tools/bench/measurements-file.ts),
 * with the noise a real lab has: spread between repetitions, a random effect per session (the
 * machine, the day), a linear drift over the whole experiment, occasional outliers and heavy tails,
 * and a timer resolution. The truth is known (`changes`), so the report's error rates, coverage and
 * power can be counted (tools/bench/statistics-bench.ts). Seeded: the same scenario gives the same
 * measurements.
 */
import { random, standardNormal } from "../monitoring/synthetic";
import type { Measurement } from "./measurements-file";
import { MEASUREMENT_BY_METRIC, seriesKey } from "./measurements";
import { suiteSeries, type SeriesSpec } from "./synthetic";

export interface Scenario {
  readonly seed: number;
  /** Session order, e.g. "ABBAABBA" (one letter per session). */
  readonly order: string;
  /** Repetitions of every series per session. */
  readonly repetitions: number;
  /** Sigma of the log of a per-session factor shared by every series of the session. Default 0.01. */
  readonly sessionEffect?: number;
  /** Relative change from the first to the last session (0.05: 5% faster by the end). Default 0. */
  readonly drift?: number;
  /** Share of repetitions that are outliers (×3 or ×1/3). Default 0. */
  readonly outliers?: number;
  /** Student-t noise with this many degrees of freedom instead of normal (heavy tails). */
  readonly tailDf?: number;
  /** Rounding of every value to this step (e.g. 1 for 1-second timestamps), per metric. */
  readonly resolution?: Readonly<Record<string, number>>;
  /** True ratio B/A per series key (metric{labels}). */
  readonly changes?: Readonly<Record<string, number>>;
  /** Series to simulate. Default: the whole suite (suiteSeries). */
  readonly series?: readonly SeriesSpec[];
  /** Node pairs: session i runs on pair floor(i / 4) mod pairs. Default 2. */
  readonly nodePairs?: number;
}

export const SESSION_GAP_MS = 3_600_000;
export const REP_GAP_MS = 60_000;
const START = Date.parse("2026-11-20T08:00:00Z");

/** Every measurement of the scenario: runs "stack-a" and "stack-b", sessions "1".."n" numbered per run. */
export function simulate(s: Scenario): Measurement[] {
  const next = random(s.seed);
  const normal = standardNormal(next);
  const noise = () => {
    if (!s.tailDf) return normal();
    let chi = 0;
    for (let i = 0; i < s.tailDf; i++) chi += normal() ** 2;
    // Student t scaled to unit variance.
    return (normal() / Math.sqrt(chi / s.tailDf)) * Math.sqrt((s.tailDf - 2) / s.tailDf);
  };
  const series = s.series ?? suiteSeries();
  const out: Measurement[] = [];
  const perRun = { A: 0, B: 0 };
  const sessions = s.order.length;
  const span = sessions * SESSION_GAP_MS;
  for (let i = 0; i < sessions; i++) {
    const stack = s.order[i] as "A" | "B";
    const session = String(++perRun[stack]);
    const pair = Math.floor(i / 4) % (s.nodePairs ?? 2);
    const nodes = [`node-${String(2 * pair + 2).padStart(2, "0")}`, `node-${String(2 * pair + 3).padStart(2, "0")}`];
    const effect = (s.sessionEffect ?? 0.01) * normal();
    const sessionStart = START + i * SESSION_GAP_MS;
    for (const spec of series) {
      const key = seriesKey(spec.metric, spec.labels);
      const factor = stack === "B" ? (s.changes?.[key] ?? 1) : 1;
      const def = MEASUREMENT_BY_METRIC.get(spec.metric)!;
      for (let rep = 0; rep < s.repetitions; rep++) {
        const timeMs = sessionStart + rep * REP_GAP_MS;
        const drift = 1 + (s.drift ?? 0) * ((timeMs - START) / span);
        // Drift makes the machine faster: rates up, times down.
        const drifted = def.better === "higher" ? drift : 1 / drift;
        let value = spec.centre * factor * drifted * Math.exp(effect + spec.spread * noise());
        if (s.outliers && next() < s.outliers) value *= next() < 0.5 ? 3 : 1 / 3;
        const step = s.resolution?.[spec.metric];
        if (step) value = Math.max(step, Math.round(value / step) * step);
        out.push({ run: stack === "A" ? "stack-a" : "stack-b", session, metric: spec.metric, labels: spec.labels, value, unit: def.unit, timeMs, nodes, line: 0 });
      }
    }
  }
  return out;
}

/** "ABBA" repeated to `sessions` sessions (a multiple of 4 keeps the counterbalance exact). */
export function counterbalanced(sessions: number): string {
  return Array.from({ length: sessions }, (_, i) => "ABBA"[i % 4]).join("");
}
