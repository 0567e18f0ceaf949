/**
 * Deterministic synthetic series in VictoriaMetrics' JSON-lines import format (/api/v1/import), for
 * the storage tests and the benchmark: counters that grow with jitter, random-walk gauges and
 * constants, sampled at a fixed step.
 */

export type SeriesShape = "counter" | "gauge" | "constant";

export interface SyntheticSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly shape: SeriesShape;
}

export interface ImportLine {
  readonly metric: Record<string, string>;
  readonly values: number[];
  readonly timestamps: number[];
}

/** mulberry32: small, fast, seeded; uniform in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws N(0, 1) from a uniform generator such as `random` (Box–Muller; 1 − u keeps the log finite). */
export function standardNormal(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Samples of one series from `startMs` (exclusive) to `endMs` (inclusive) every `stepMs`. */
export function samples(series: SyntheticSeries, startMs: number, endMs: number, stepMs: number, seed: number): ImportLine {
  const next = random(seed);
  const timestamps: number[] = [];
  const values: number[] = [];
  let value = series.shape === "counter" ? Math.floor(next() * 1e6) : 1000 + next() * 100;
  for (let t = startMs + stepMs; t <= endMs; t += stepMs) {
    if (series.shape === "counter") value += Math.round(100 + next() * 10); // ~10% jitter on the rate
    else if (series.shape === "gauge") value = Math.round((value + (next() - 0.5) * 10) * 100) / 100;
    timestamps.push(t);
    values.push(series.shape === "constant" ? 1 : value);
  }
  return { metric: { ...series.labels }, values, timestamps };
}

/** The JSON-lines body for a set of series. */
export function importBody(series: readonly SyntheticSeries[], startMs: number, endMs: number, stepMs: number): string {
  return series.map((s, i) => JSON.stringify(samples(s, startMs, endMs, stepMs, i + 1))).join("\n") + "\n";
}
