/**
 * Synthetic benchmark runs with known differences, for the report's tests and the worked example in
 * docs/stack-benchmarks.md. Values are log-normal around realistic centres of a 40 Gbit/s lab
 * (seeded PRNG, so every call gives the same samples); `changes` scales the centre of chosen
 * series in run B.
 */
import { random, standardNormal } from "../monitoring/synthetic";
import { overheadSamples } from "./collect";
import { seriesKey, type Sample } from "./measurements";

export interface SeriesSpec {
  readonly metric: string;
  readonly labels: Record<string, string>;
  readonly centre: number;
  /** Sigma of the log: relative spread between repetitions. */
  readonly spread: number;
}

/** Every series of the suite with a realistic centre and spread. */
export function suiteSeries(): SeriesSpec[] {
  const out: SeriesSpec[] = [];
  for (const placement of ["same_node", "cross_node"]) {
    for (const network of ["pod", "host"]) {
      const cost = network === "pod" ? (placement === "cross_node" ? 0.8 : 0.9) : 1;
      const cross = placement === "cross_node";
      out.push({ metric: "lab_bench_tcp_throughput_bytes_per_second", labels: { network, placement, streams: "1" }, centre: (cross ? 2.2e9 : 5e9) * cost, spread: 0.03 });
      out.push({ metric: "lab_bench_tcp_throughput_bytes_per_second", labels: { network, placement, streams: "8" }, centre: (cross ? 4.6e9 : 9e9) * cost, spread: 0.02 });
      out.push({ metric: "lab_bench_udp_packets_per_second", labels: { network, placement }, centre: (cross ? 9e5 : 1.4e6) * cost, spread: 0.05 });
      out.push({ metric: "lab_bench_request_response_latency_seconds", labels: { network, placement, quantile: "0.5" }, centre: (cross ? 60e-6 : 25e-6) / cost, spread: 0.04 });
      out.push({ metric: "lab_bench_request_response_latency_seconds", labels: { network, placement, quantile: "0.99" }, centre: (cross ? 140e-6 : 70e-6) / cost, spread: 0.12 });
    }
  }
  out.push({ metric: "lab_bench_mesh_throughput_bytes_per_second", labels: { pods: "8", peers: "3" }, centre: 1.5e10, spread: 0.04 });
  out.push({ metric: "lab_bench_mesh_connections_per_second", labels: { pods: "8", peers: "3" }, centre: 24000, spread: 0.06 });
  out.push({ metric: "lab_bench_mesh_connect_seconds", labels: { pods: "8", peers: "3", quantile: "0.5" }, centre: 90e-6, spread: 0.05 });
  out.push({ metric: "lab_bench_qos_accuracy_ratio", labels: { egress_mbps: "100" }, centre: 0.93, spread: 0.01 });
  for (const scheduler of ["default-scheduler", "vaclab-scheduler"]) {
    const slower = scheduler === "vaclab-scheduler" ? 1.3 : 1;
    out.push({ metric: "lab_bench_pod_start_latency_seconds", labels: { scheduler, quantile: "0.5" }, centre: 2.1 * slower, spread: 0.08 });
    out.push({ metric: "lab_bench_pod_start_latency_seconds", labels: { scheduler, quantile: "0.99" }, centre: 4.0 * slower, spread: 0.15 });
  }
  out.push({ metric: "lab_bench_dns_lookup_latency_seconds", labels: { quantile: "0.5" }, centre: 400e-6, spread: 0.06 });
  out.push({ metric: "lab_bench_dns_lookup_latency_seconds", labels: { quantile: "0.99" }, centre: 1.6e-3, spread: 0.2 });
  return out;
}

/** The worked example's change: B's pod network is 12% faster cross-node (1 stream) and its cross-node p50 latency 10% lower; B's QoS limit is looser. */
export const EXAMPLE_CHANGES: Readonly<Record<string, number>> = {
  [seriesKey("lab_bench_tcp_throughput_bytes_per_second", { network: "pod", placement: "cross_node", streams: "1" })]: 1.12,
  [seriesKey("lab_bench_request_response_latency_seconds", { network: "pod", placement: "cross_node", quantile: "0.5" })]: 0.9,
  [seriesKey("lab_bench_qos_accuracy_ratio", { egress_mbps: "100" })]: 1.04,
};

/**
 * Samples of one synthetic run: every series of the suite, `repetitions` values each, centres scaled
 * by `changes` (series key -> factor), starting at `startMs` one minute per repetition. Pod network
 * overhead is derived per repetition by the collector's own function.
 */
export function syntheticRun(seed: number, repetitions: number, startMs: number, changes: Readonly<Record<string, number>> = {}): Sample[] {
  const next = random(seed);
  const normal = standardNormal(next);
  const samples: Sample[] = [];
  for (const spec of suiteSeries()) {
    const factor = changes[seriesKey(spec.metric, spec.labels)] ?? 1;
    for (let rep = 1; rep <= repetitions; rep++) {
      samples.push({ metric: spec.metric, labels: spec.labels, rep, value: spec.centre * factor * Math.exp(spec.spread * normal()), timestampMs: startMs + rep * 60_000 });
    }
  }
  samples.push(...overheadSamples(samples));
  return samples;
}
