/**
 * A run exported from VictoriaMetrics (tools/bench/vm.ts) as measurements of the report's file
 * format: `session` and `nodes` come from the labels stack-bench sets on every sample (a run
 * imported before sessions existed is one session, "1", on unrecorded nodes). A repetition of a
 * session stored twice means the session was measured again under the same name: only the later
 * measurement is kept (from the first repeated timestamp on), and the returned note says so.
 */
import type { Measurement } from "./measurements-file";
import { MEASUREMENT_BY_METRIC, seriesKey, type Sample } from "./measurements";
import type { ExportedRun } from "./vm";

export function storeMeasurements(run: ExportedRun): { measurements: Measurement[]; notes: string[] } {
  const all = run.samples.map((s) => {
    const { session = "1", nodes = "", ...labels } = s.labels;
    return { rep: s.rep, m: { run: run.run, session, metric: s.metric, labels, value: s.value, unit: MEASUREMENT_BY_METRIC.get(s.metric)!.unit, timeMs: s.timestampMs, nodes: nodes ? nodes.split(",").sort() : [], line: 0 } as Measurement };
  });
  const notes: string[] = [];
  const bySession = new Map<string, typeof all>();
  for (const x of all) bySession.set(x.m.session, [...(bySession.get(x.m.session) ?? []), x]);
  const kept: Measurement[] = [];
  for (const [session, xs] of bySession) {
    const byRep = new Map<string, number[]>();
    for (const x of xs) {
      const key = `${seriesKey(x.m.metric, x.m.labels)}#${x.rep}`;
      byRep.set(key, [...(byRep.get(key) ?? []), x.m.timeMs]);
    }
    const repeated = [...byRep.values()].filter((times) => times.length > 1);
    if (repeated.length === 0) {
      kept.push(...xs.map((x) => x.m));
      continue;
    }
    // The rerun began no later than the latest copy of any repeated repetition.
    const rerun = Math.min(...repeated.map((times) => Math.max(...times)));
    const latest = xs.filter((x) => x.m.timeMs >= rerun).map((x) => x.m);
    notes.push(`run ${run.run} session ${session} was stored twice (a rerun under the same name): kept only the latest measurement, ${latest.length} of ${xs.length} samples from ${new Date(rerun).toISOString()} on`);
    kept.push(...latest);
  }
  return { measurements: kept, notes };
}

/** Measurements as the samples stack-bench imports (the inverse of storeMeasurements): `session` and `nodes` become labels, `rep` counts within the session and series. */
export function measurementSamples(measurements: readonly Measurement[]): Sample[] {
  const reps = new Map<string, number>();
  return [...measurements]
    .sort((x, y) => x.timeMs - y.timeMs)
    .map((m) => {
      const key = `${m.run}\u0000${m.session}\u0000${seriesKey(m.metric, m.labels)}`;
      const rep = (reps.get(key) ?? 0) + 1;
      reps.set(key, rep);
      return { metric: m.metric, labels: { ...m.labels, session: m.session, nodes: m.nodes.join(",") }, rep, value: m.value, timestampMs: m.timeMs };
    });
}
