/**
 * Pod network overhead against the host network, paired within each session: 1 - pod/host for
 * rates, pod/host - 1 for latency, from the medians of the pod and host series of the same session
 * (the same machines, the same hour). Sessions are the units: per stack the mean with its 95%
 * t-interval over sessions, and the difference B - A from the session model (drift removed).
 * Shown with intervals, not tested: the pod and host series it comes from are tested above.
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { seriesKey } from "./measurements";
import { deltaInterval, fitSessions } from "./session-model";
import type { Session } from "./sessions";
import { measurementKey } from "./measurements-file";
import { median } from "./statistics";

export interface OverheadRow {
  /** tcp_1_stream, tcp_8_streams, udp_packets, latency_p50. */
  readonly measurement: string;
  readonly placement: string;
  readonly a?: MeanInterval;
  readonly b?: MeanInterval;
  /** B - A, 95%, when both stacks have at least 4 sessions. */
  readonly difference?: { readonly estimate: number; readonly interval: readonly [number, number] };
}

export interface MeanInterval {
  readonly mean: number;
  /** 95% t-interval over sessions; undefined below 2 sessions. */
  readonly interval?: readonly [number, number];
  readonly sessions: number;
}

const PAIRS = [
  { metric: "lab_bench_tcp_throughput_bytes_per_second", rate: true, quantile: undefined },
  { metric: "lab_bench_udp_packets_per_second", rate: true, quantile: undefined },
  { metric: "lab_bench_request_response_latency_seconds", rate: false, quantile: "0.5" },
] as const;

function name(metric: string, labels: Readonly<Record<string, string>>): string {
  if (metric === "lab_bench_tcp_throughput_bytes_per_second") return `tcp_${labels.streams}_stream${labels.streams === "1" ? "" : "s"}`;
  if (metric === "lab_bench_udp_packets_per_second") return "udp_packets";
  return "latency_p50";
}

function meanInterval(values: readonly number[]): MeanInterval | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, sessions: n };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { mean, interval: [mean - half, mean + half], sessions: n };
}

/** Overhead rows of the sessions (both stacks), one per measurement and placement. */
export function overheadRows(sessions: readonly Session[]): OverheadRow[] {
  const perKey = new Map<string, { measurement: string; placement: string; points: { stack: "A" | "B"; hours: number; value: number }[] }>();
  for (const s of sessions) {
    const bySeries = new Map<string, number[]>();
    for (const m of s.measurements) {
      const list = bySeries.get(measurementKey(m));
      if (list) list.push(m.value);
      else bySeries.set(measurementKey(m), [m.value]);
    }
    const done = new Set<string>();
    for (const m of s.measurements) {
      const pair = PAIRS.find((p) => p.metric === m.metric && (p.quantile === undefined || m.labels.quantile === p.quantile));
      if (!pair || m.labels.network !== "pod" || done.has(measurementKey(m))) continue;
      done.add(measurementKey(m));
      const podKey = measurementKey(m);
      const host = bySeries.get(seriesKey(m.metric, { ...m.labels, network: "host" }));
      const pod = bySeries.get(podKey);
      if (!host || !pod) continue;
      const [mp, mh] = [median(pod), median(host)];
      if (!(mh > 0)) continue;
      const key = `${name(m.metric, m.labels)}/${m.labels.placement}`;
      const entry = perKey.get(key) ?? { measurement: name(m.metric, m.labels), placement: m.labels.placement ?? "", points: [] };
      entry.points.push({ stack: s.stack, hours: s.startMs / 3_600_000, value: pair.rate ? 1 - mp / mh : mp / mh - 1 });
      perKey.set(key, entry);
    }
  }
  return [...perKey.values()]
    .sort((x, y) => x.measurement.localeCompare(y.measurement) || x.placement.localeCompare(y.placement))
    .map(({ measurement, placement, points }) => {
      const values = (stack: "A" | "B") => points.filter((p) => p.stack === stack).map((p) => p.value);
      const row: OverheadRow = { measurement, placement, a: meanInterval(values("A")), b: meanInterval(values("B")) };
      if (values("A").length < 4 || values("B").length < 4) return row;
      const fit = fitSessions(points.map((p) => ({ y: p.value, isB: p.stack === "B", hours: p.hours })));
      return fit && fit.sigma > 0 ? { ...row, difference: { estimate: fit.delta, interval: deltaInterval(fit, 0.95) } } : row;
    });
}
