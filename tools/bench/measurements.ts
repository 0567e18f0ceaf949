/**
 * The `lab_bench_*` series of a stack benchmark run, in base units, and which direction is better.
 * The collector, the importer and the report all read this one catalogue. Every sample also carries
 * `run`, `rep` (1-based repetition) and the operator's free-form stack labels.
 */

export type Better = "higher" | "lower" | "closer to 1";

export interface MeasurementDef {
  readonly metric: string;
  /** Short title for the report. */
  readonly title: string;
  readonly unit: "B/s" | "packets/s" | "s" | "ratio" | "connections/s";
  readonly better: Better;
  readonly help: string;
  /** Derived from other series of the same run (shown, not compared with a verdict). */
  readonly derived?: boolean;
}

export const MEASUREMENTS: readonly MeasurementDef[] = [
  { metric: "lab_bench_tcp_throughput_bytes_per_second", title: "TCP throughput", unit: "B/s", better: "higher", help: "iperf3 TCP, received bytes per second (labels network, placement, streams)." },
  { metric: "lab_bench_udp_packets_per_second", title: "UDP packet rate", unit: "packets/s", better: "higher", help: "iperf3 UDP at unlimited rate with small datagrams: datagrams received per second (labels network, placement)." },
  { metric: "lab_bench_request_response_latency_seconds", title: "Request/response latency", unit: "s", better: "lower", help: "ICMP echo round trip (fping), quantile over one repetition's echoes (labels network, placement, quantile)." },
  { metric: "lab_bench_pod_network_overhead_ratio", title: "Pod network overhead", unit: "ratio", better: "lower", derived: true, help: "Cost of the pod network against the host network in the same repetition: 1 - pod/host for rates, pod/host - 1 for latency (labels measurement, placement)." },
  { metric: "lab_bench_mesh_throughput_bytes_per_second", title: "Mesh aggregate throughput", unit: "B/s", better: "higher", help: "Sum over the mesh's pods of the bytes per second each received from its peers, all sending at once (labels pods, peers)." },
  { metric: "lab_bench_mesh_connections_per_second", title: "Mesh connection setup rate", unit: "connections/s", better: "higher", help: "New TCP connections (HTTP request, close) per second, summed over the mesh's pods, each opening them to its peers one after another (labels pods, peers)." },
  { metric: "lab_bench_mesh_connect_seconds", title: "Mesh connection setup time", unit: "s", better: "lower", help: "TCP handshake time of the mesh's new connections, quantile (labels pods, peers, quantile)." },
  { metric: "lab_bench_qos_accuracy_ratio", title: "QoS accuracy", unit: "ratio", better: "closer to 1", help: "Measured TCP throughput of a pod with ovn.kubernetes.io/egress_rate X over X (label egress_mbps)." },
  { metric: "lab_bench_pod_start_latency_seconds", title: "Pod start latency", unit: "s", better: "lower", help: "Creation to Ready of pods created at once (kube-burner podLatency, Ready), quantile over the pods of one repetition (labels scheduler, quantile)." },
  { metric: "lab_bench_dns_lookup_latency_seconds", title: "Cluster DNS lookup latency", unit: "s", better: "lower", help: "Name lookup time of curl (getaddrinfo through the pod's resolv.conf), quantile over one repetition's lookups (label quantile)." },
];

export const MEASUREMENT_BY_METRIC: ReadonlyMap<string, MeasurementDef> = new Map(MEASUREMENTS.map((m) => [m.metric, m]));

/** One value of one repetition. */
export interface Sample {
  readonly metric: string;
  /** Measurement labels (network, placement, quantile, ...), not run or rep. */
  readonly labels: Readonly<Record<string, string>>;
  readonly rep: number;
  readonly value: number;
  /** Unix milliseconds the repetition was measured (collection time when unknown). */
  readonly timestampMs: number;
}

/** A stable key of a series within one run: metric plus sorted measurement labels. */
export function seriesKey(metric: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return `${metric}{${parts.join(",")}}`;
}
