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
  /** Unix milliseconds the role's Job was created (absent in runs recorded before it). */
  readonly startedAt?: number;
  /** Unix milliseconds the role finished. */
  readonly finishedAt: number;
}

/** What a session ran on (stack-bench records it; the report checks the nodes). */
export interface RawEnvironment {
  /** Each used node with its status.nodeInfo (kernelVersion, kubeletVersion, containerRuntimeVersion, osImage, ...). */
  readonly nodes: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The client template's environment: REPETITIONS, SECONDS, STREAMS, ... */
  readonly settings: Readonly<Record<string, string>>;
  /** Image(s) per template. */
  readonly images: Readonly<Record<string, string>>;
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
  /** The session of the run this record is (stack-bench numbers them 1, 2, ...). */
  readonly session?: string;
  /** Free-form stack labels of the run (`--label k=v`). */
  readonly labels: Readonly<Record<string, string>>;
  readonly startedAt: number;
  /** Nodes of the pairs (A, B) and of the mesh and pod-start tests. */
  readonly nodes?: { readonly pair: readonly string[]; readonly mesh: readonly string[] };
  readonly environment?: RawEnvironment;
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

/**
 * When a repetition of a client log was measured: the logs carry no clock, so repetition r of n is
 * placed at the middle of its share of the Job's run, start + (r - 0.5) / n of it (the repetitions
 * run back to back and alike); the finish time when the start is not recorded.
 */
function repetitionTime(log: RawLog, rep: number, reps: number): number {
  if (log.startedAt === undefined || reps < 1) return log.finishedAt;
  return Math.round(log.startedAt + ((rep - 0.5) / reps) * (log.finishedAt - log.startedAt));
}

function clientSamples(log: RawLog, section: Section, reps: number): Sample[] {
  const base = { rep: section.rep, timestampMs: repetitionTime(log, section.rep, reps) };
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
    const reps = Math.max(0, ...parsed.sections.map((x) => x.rep));
    for (const section of parsed.sections) {
      if (section.rc !== 0) {
        problems.push(`${describe(log, section)}: ${section.rc === undefined ? "did not finish" : `exit ${section.rc}`}: ${section.body.slice(0, 200)}`);
        continue;
      }
      try {
        samples.push(...clientSamples(log, section, reps));
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
  if (!raw.nodes) return { samples, problems };
  // Which nodes each repetition ran on: the pair for the pairs, QoS and DNS; the free nodes for the mesh and pod start.
  const onMesh = new Set(["lab_bench_mesh_throughput_bytes_per_second", "lab_bench_mesh_connections_per_second", "lab_bench_mesh_connect_seconds", "lab_bench_pod_start_latency_seconds"]);
  const withNodes = samples.map((s) => ({ ...s, labels: { ...s.labels, nodes: [...(onMesh.has(s.metric) ? raw.nodes!.mesh : raw.nodes!.pair)].sort().join(",") } }));
  return { samples: withNodes, problems };
}
