/**
 * From a run's raw record (every role's log as the tools printed it, and the pods of the pod-start
 * test as the API returned them) to `lab_bench_*` samples. The raw record is what `stack-bench`
 * keeps as raw.json; collecting it again gives the same samples.
 */
import { quantile } from "./statistics";
import { type Sample } from "./measurements";
import { curlTimes, fpingRoundTrips, iperfTcpBytesPerSecond, iperfUdpPacketsPerSecond, ParseError, qosLimitMbps, sections, type Section } from "./parsers";
import { podReadyLatencies, watchLatencies, type PodJson, type WatchEvent } from "./pod-latency";

export interface RawLog {
  /** client: pairs, qos, dns; mesh: one member of one mesh repetition. */
  readonly role: "client" | "mesh";
  /**
   * What the log measured: network (pod|host) and placement (same_node|cross_node) for pairs;
   * test (qos|dns); for mesh: pods, peers, member and rep.
   */
  readonly labels: Readonly<Record<string, string>>;
  readonly log: string;
  /** Unix milliseconds the role finished. */
  readonly finishedAt: number;
}

export interface RawPodStart {
  readonly scheduler: string;
  readonly rep: number;
  readonly requested: number;
  readonly pods: readonly PodJson[];
  /** Client-side watch events of the batch (millisecond resolution); absent in runs recorded before them. */
  readonly events?: readonly WatchEvent[];
  readonly finishedAt: number;
}

export interface RawRun {
  readonly run: string;
  /** Free-form stack labels of the run (`--label k=v`). */
  readonly labels: Readonly<Record<string, string>>;
  readonly startedAt: number;
  readonly logs: readonly RawLog[];
  readonly podStart: readonly RawPodStart[];
}

export interface Collected {
  readonly samples: Sample[];
  /** Skipped roles, failed tools, unparsable output: each names its log and section. */
  readonly problems: string[];
}

const QUANTILES = [0.5, 0.99] as const;

function describe(log: RawLog, section?: Section): string {
  const what = Object.entries(log.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return section ? `${log.role}{${what}} ${section.kind} rep ${section.rep}` : `${log.role}{${what}}`;
}

function clientSamples(log: RawLog, section: Section): Sample[] {
  const base = { rep: section.rep, timestampMs: log.finishedAt };
  const pair = { network: log.labels.network ?? "pod", placement: log.labels.placement ?? "cross_node" };
  switch (section.kind) {
    case "tcp_1":
    case "tcp_n": {
      const streams = section.kind === "tcp_1" ? "1" : (log.labels.streams ?? "n");
      return [{ ...base, metric: "lab_bench_tcp_throughput_bytes_per_second", labels: { ...pair, streams }, value: iperfTcpBytesPerSecond(section.body) }];
    }
    case "udp":
      return [{ ...base, metric: "lab_bench_udp_packets_per_second", labels: pair, value: iperfUdpPacketsPerSecond(section.body) }];
    case "latency": {
      const { rtts } = fpingRoundTrips(section.body);
      if (rtts.length === 0) throw new ParseError("every echo was lost");
      return QUANTILES.map((q) => ({ ...base, metric: "lab_bench_request_response_latency_seconds", labels: { ...pair, quantile: String(q) }, value: quantile(rtts, q) }));
    }
    case "qos": {
      const limit = qosLimitMbps(section.body);
      const measured = iperfTcpBytesPerSecond(section.body);
      return [{ ...base, metric: "lab_bench_qos_accuracy_ratio", labels: { egress_mbps: String(limit) }, value: (measured * 8) / (limit * 1e6) }];
    }
    case "dns": {
      const lookups = curlTimes(section.body, 1).map(([t]) => t);
      if (lookups.length === 0) throw new ParseError("no lookups");
      return QUANTILES.map((q) => ({ ...base, metric: "lab_bench_dns_lookup_latency_seconds", labels: { quantile: String(q) }, value: quantile(lookups, q) }));
    }
    default:
      throw new ParseError(`unknown section kind "${section.kind}"`);
  }
}

/** Pod network overhead per repetition: pod against host, same placement and repetition. */
export function overheadSamples(samples: readonly Sample[]): Sample[] {
  const out: Sample[] = [];
  const find = (metric: string, labels: Record<string, string>, rep: number) =>
    samples.find((s) => s.metric === metric && s.rep === rep && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  for (const pod of samples.filter((s) => s.labels.network === "pod")) {
    const { network: _network, ...rest } = pod.labels;
    const host = find(pod.metric, { ...rest, network: "host" }, pod.rep);
    if (!host || !(host.value > 0)) continue;
    let measurement: string | undefined;
    let value = 0;
    if (pod.metric === "lab_bench_tcp_throughput_bytes_per_second") {
      measurement = `tcp_${pod.labels.streams}_stream${pod.labels.streams === "1" ? "" : "s"}`;
      value = 1 - pod.value / host.value;
    } else if (pod.metric === "lab_bench_udp_packets_per_second") {
      measurement = "udp_packets";
      value = 1 - pod.value / host.value;
    } else if (pod.metric === "lab_bench_request_response_latency_seconds" && pod.labels.quantile === "0.5") {
      measurement = "latency_p50";
      value = pod.value / host.value - 1;
    }
    if (measurement) out.push({ metric: "lab_bench_pod_network_overhead_ratio", labels: { measurement, placement: pod.labels.placement }, rep: pod.rep, value, timestampMs: pod.timestampMs });
  }
  return out;
}

/** One mesh repetition from its members' logs: aggregate throughput, connection rate and handshake quantiles. */
function meshSamples(members: readonly RawLog[], problems: string[]): Sample[] {
  const first = members[0];
  const labels = { pods: first.labels.pods, peers: first.labels.peers };
  const rep = Number(first.labels.rep);
  const timestampMs = Math.max(...members.map((m) => m.finishedAt));
  let throughput = 0;
  let rate = 0;
  const connects: number[] = [];
  let complete = true;
  for (const member of members) {
    const parsed = sections(member.log);
    if (parsed.skipped) {
      problems.push(`${describe(member)}: skipped (${parsed.skipped.reason} on ${parsed.skipped.node})`);
      complete = false;
      continue;
    }
    try {
      const flows = parsed.sections.filter((s) => s.kind === "mesh_throughput");
      if (flows.length !== Number(first.labels.peers)) throw new ParseError(`${flows.length} of ${first.labels.peers} peer flows`);
      for (const flow of flows) throughput += iperfTcpBytesPerSecond(flow.body);
      const connect = parsed.sections.find((s) => s.kind === "mesh_connect");
      if (!connect || connect.rc !== 0) throw new ParseError(`connection test ${connect ? `failed (curl exit ${connect.rc})` : "missing"}`);
      const times = curlTimes(connect.body, 2);
      const busy = times.reduce((sum, [, total]) => sum + total, 0);
      if (times.length === 0 || !(busy > 0)) throw new ParseError("no connections");
      rate += times.length / busy;
      connects.push(...times.map(([t]) => t));
    } catch (error) {
      problems.push(`${describe(member)}: ${(error as Error).message}`);
      complete = false;
    }
  }
  // A partial mesh would understate the aggregate: keep nothing from it.
  if (!complete) return [];
  return [
    { metric: "lab_bench_mesh_throughput_bytes_per_second", labels, rep, value: throughput, timestampMs },
    { metric: "lab_bench_mesh_connections_per_second", labels, rep, value: rate, timestampMs },
    ...QUANTILES.map((q) => ({ metric: "lab_bench_mesh_connect_seconds", labels: { ...labels, quantile: String(q) }, rep, value: quantile(connects, q), timestampMs })),
  ];
}

/** Every sample of a run, and every problem met on the way. */
export function collect(raw: RawRun): Collected {
  const samples: Sample[] = [];
  const problems: string[] = [];
  for (const log of raw.logs.filter((l) => l.role === "client")) {
    const parsed = sections(log.log);
    if (parsed.skipped) problems.push(`${describe(log)}: skipped (${parsed.skipped.reason} on ${parsed.skipped.node}); later repetitions not run`);
    for (const section of parsed.sections) {
      if (section.rc !== 0) {
        problems.push(`${describe(log, section)}: ${section.rc === undefined ? "did not finish" : `exit ${section.rc}`}: ${section.body.slice(0, 200)}`);
        continue;
      }
      try {
        samples.push(...clientSamples(log, section));
      } catch (error) {
        problems.push(`${describe(log, section)}: ${(error as Error).message}`);
      }
    }
  }
  samples.push(...overheadSamples(samples));
  const meshReps = new Map<string, RawLog[]>();
  for (const log of raw.logs.filter((l) => l.role === "mesh")) {
    const key = log.labels.rep;
    meshReps.set(key, [...(meshReps.get(key) ?? []), log]);
  }
  for (const members of meshReps.values()) samples.push(...meshSamples(members, problems));
  for (const test of raw.podStart) {
    // Watch events when recorded (milliseconds); the API's whole-second timestamps otherwise (the report refuses them when ties dominate).
    const { latencies, notReady } = test.events && test.events.length > 0 ? watchLatencies(test.events) : podReadyLatencies(test.pods);
    if (notReady.length > 0 || test.pods.length < test.requested) {
      problems.push(`pod start ${test.scheduler} rep ${test.rep}: ${test.requested - latencies.length} of ${test.requested} pods not Ready in time (left out, as kube-burner does)`);
    }
    if (latencies.length === 0) continue;
    for (const q of QUANTILES) {
      samples.push({ metric: "lab_bench_pod_start_latency_seconds", labels: { scheduler: test.scheduler, quantile: String(q) }, rep: test.rep, value: quantile(latencies, q), timestampMs: test.finishedAt });
    }
  }
  return { samples, problems };
}
