/**
 * Synthetic inputs for `promtool test rules`: a healthy lab of four nodes (three in pool
 * "experiments", one in "nomos", as in the example stack), and one scenario per fault. Each
 * scenario says which nodes fail which gate and which alerts fire; everything else must stay ok
 * and silent, so every scenario checks both the faulty and the healthy side.
 */
import type { GateName } from "../../components/health/gates";

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface ExpectedAlert {
  readonly alert: string;
  /** Labels of each firing instance, besides alertname and the rule's own labels. */
  readonly instances: ReadonlyArray<Record<string, string>>;
}

export interface Scenario {
  readonly name: string;
  /** Input interval; the file's evaluation interval follows the scenario kind. */
  readonly interval: string;
  readonly series: readonly InputSeries[];
  readonly evalTime: string;
  /** Nodes failing each gate; every other (node, gate) must be 1. `null`: no gate series at all. */
  readonly failing: Partial<Record<GateName, readonly string[]>> | null;
  readonly alerts: readonly ExpectedAlert[];
  /** (node, pool) pairs the gate series cover, when a node was in two pools in the window (a handover). Default NODES. */
  readonly nodes?: ReadonlyArray<{ readonly node: string; readonly pool: string }>;
}

export const NODES = [
  { node: "node-02", pool: "experiments" },
  { node: "node-03", pool: "experiments" },
  { node: "node-04", pool: "experiments" },
  { node: "node-06", pool: "nomos" },
] as const;
export type NodeName = (typeof NODES)[number]["node"];

const POOL_LABEL = "label_lab_vac_dev_pool";
const NIC = "enp65s0f0";

/** Short scenarios: one sample a minute for an hour, evaluated at 40m (rules every 2m). */
export const SHORT = { interval: "1m", points: 61, evalTime: "40m" } as const;
/** Long scenarios (baselines): one sample every 5 minutes for 30 days, evaluated at the end (rules every 6h, to keep promtool fast). */
export const LONG = { interval: "5m", points: 30 * 288 + 1, evalTime: "720h" } as const;

export const inst = (node: string) => `${node}:9100`;

function labels(metric: string, l: Record<string, string>): string {
  return `${metric}{${Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}

/** `n` samples of a constant. */
export const constant = (value: number, n: number) => `${value}x${n - 1}`;
/** `n` samples of a counter starting at `start` growing by `step` per sample. */
export const counter = (step: number, n: number, start = 0) => `${start}+${step}x${n - 1}`;
/** Joins promtool value segments, e.g. healthy for a while then faulty. */
export const phases = (...segments: string[]) => segments.join(" ");

const series = (metric: string, l: Record<string, string>, values: string): InputSeries => ({ series: labels(metric, l), values });

/** Per-node series of a healthy node, `n` samples. Overridden per metric by the scenarios. */
function healthyNode(node: string, pool: string, n: number): InputSeries[] {
  const i = { instance: inst(node) };
  const pinger = { instance: `pinger-${node}:8080` };
  const peer = NODES.find((x) => x.node !== node)!.node;
  const cni = { namespace: "kube-system", pod: `kube-ovn-cni-${node}` };
  return [
    series("kube_node_labels", { node, [POOL_LABEL]: pool, instance: "ksm:8080" }, constant(1, n)),
    series("kube_node_info", { node, instance: "ksm:8080" }, constant(1, n)),
    series("kube_node_status_condition", { node, condition: "Ready", status: "true", instance: "ksm:8080" }, constant(1, n)),
    series("kube_node_status_condition", { node, condition: "MemoryPressure", status: "true", instance: "ksm:8080" }, constant(0, n)),
    series("node_uname_info", { ...i, nodename: node, release: "6.1.0-31-amd64" }, constant(1, n)),
    series("node_os_info", { ...i, id: "debian", version_id: "12" }, constant(1, n)),
    series("up", { ...i, job: "node-exporter" }, constant(1, n)),
    series("node_boot_time_seconds", i, constant(1.7e9, n)),
    series("node_timex_offset_seconds", i, constant(0.00002, n)),
    series("node_timex_sync_status", i, constant(1, n)),
    series("node_cpu_scaling_governor", { ...i, cpu: "0", governor: "performance" }, constant(1, n)),
    series("node_cpu_scaling_governor", { ...i, cpu: "0", governor: "powersave" }, constant(0, n)),
    series("node_cpu_scaling_frequency_hertz", { ...i, cpu: "0" }, constant(3e9, n)),
    series("node_cpu_core_throttles_total", { ...i, core: "0", package: "0" }, constant(5, n)),
    series("node_cpu_seconds_total", { ...i, cpu: "0", mode: "steal" }, constant(0, n)),
    series("node_cpu_seconds_total", { ...i, cpu: "0", mode: "idle" }, counter(60, n)),
    ...["receive_errs", "transmit_errs", "receive_drop", "transmit_drop"].map((c) => series(`node_network_${c}_total`, { ...i, device: NIC }, constant(3, n))),
    series("node_network_speed_bytes", { ...i, device: NIC }, constant(5e9, n)),
    series("node_network_carrier_changes_total", { ...i, device: NIC }, constant(2, n)),
    series("up", { ...pinger, job: "kube-ovn-pinger" }, constant(1, n)),
    series("pinger_ovs_up", { ...pinger, nodeName: node }, constant(1, n)),
    series("pinger_ovs_down", { ...pinger, nodeName: node }, constant(0, n)),
    series("pinger_pod_ping_count_total", { ...pinger, src_node_name: node, target_node_name: peer }, counter(12, n)),
    series("pinger_pod_ping_lost_total", { ...pinger, src_node_name: node, target_node_name: peer }, constant(0, n)),
    series("kube_pod_info", { ...cni, node, created_by_kind: "DaemonSet", instance: "ksm:8080" }, constant(1, n)),
    series("kube_pod_container_info", { ...cni, container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.4", instance: "ksm:8080" }, constant(1, n)),
    series("kube_pod_container_status_restarts_total", { ...cni, container: "cni-server", instance: "ksm:8080" }, constant(1, n)),
  ];
}

/** The healthy lab: every node healthy, kube-state-metrics up, a team pod at work, no vmagent drops. */
export function healthyLab(n: number): InputSeries[] {
  return [
    ...NODES.flatMap(({ node, pool }) => healthyNode(node, pool, n)),
    series("up", { job: "kube-state-metrics", instance: "ksm:8080" }, constant(1, n)),
    series("vmagent_remotewrite_packets_dropped_total", { job: "vmagent", instance: "vmagent:8429" }, constant(0, n)),
    // Team dst at work on node-02 (3 cores): never foreign on its own pool.
    series("container_cpu_usage_seconds_total", { namespace: "dst", pod: "libp2p-0", container: "node" }, counter(180, n)),
    series("kube_pod_info", { namespace: "dst", pod: "libp2p-0", node: "node-02", created_by_kind: "StatefulSet", instance: "ksm:8080" }, constant(1, n)),
    series("kube_pod_status_phase", { namespace: "dst", pod: "libp2p-0", phase: "Running", instance: "ksm:8080" }, constant(1, n)),
  ];
}

/** Replaces the healthy series with the same metric and labels, or adds new ones. */
export function override(base: readonly InputSeries[], changes: readonly InputSeries[]): InputSeries[] {
  const keys = new Set(changes.map((c) => c.series));
  return [...base.filter((s) => !keys.has(s.series)), ...changes];
}

const n = SHORT.points;
const i3 = { instance: inst("node-03") };

function short(name: string, changes: InputSeries[], failing: Scenario["failing"], alerts: ExpectedAlert[] = [], base = healthyLab(n)): Scenario {
  return { name, interval: SHORT.interval, series: override(base, changes), evalTime: SHORT.evalTime, failing, alerts };
}

const comparabilityAlert = (alert: string, instances: Array<Record<string, string>>): ExpectedAlert => ({ alert, instances });

export const SHORT_SCENARIOS: readonly Scenario[] = [
  short("healthy lab", [], {}),
  {
    // node-04 lent to nomos at 36m: its pool label changes inside the 10m gate window; every gate maps it to its pool now.
    ...short(
      "node-04 handed over to a lease pool inside the window",
      [
        series("kube_node_labels", { node: "node-04", [POOL_LABEL]: "experiments", instance: "ksm:8080" }, `${constant(1, 36)} stale`),
        series("kube_node_labels", { node: "node-04", [POOL_LABEL]: "lease-nomos", instance: "ksm:8080" }, `_x36 ${constant(1, 24)}`),
      ],
      { assignment: ["node-04"] },
    ),
    nodes: NODES.map((n) => (n.node === "node-04" ? { node: n.node, pool: "lease-nomos" } : n)),
  },
  short("clock offset of 5 ms: gate fails, alert stays silent", [series("node_timex_offset_seconds", i3, constant(0.005, n))], { clock: ["node-03"] }),
  short("negative clock offset beyond 1 ms", [series("node_timex_offset_seconds", i3, constant(-0.002, n))], { clock: ["node-03"] }),
  short(
    "clock skew of 80 ms for 40 minutes",
    [series("node_timex_offset_seconds", i3, constant(0.08, n))],
    { clock: ["node-03"] },
    [comparabilityAlert("LabClockSkew", [i3])],
  ),
  short(
    "clock not synchronised",
    [series("node_timex_sync_status", i3, constant(0, n))],
    { clock: ["node-03"] },
    [comparabilityAlert("LabClockUnsynchronised", [i3])],
  ),
  short(
    "powersave governor",
    [
      series("node_cpu_scaling_governor", { ...i3, cpu: "0", governor: "performance" }, constant(0, n)),
      series("node_cpu_scaling_governor", { ...i3, cpu: "0", governor: "powersave" }, constant(1, n)),
    ],
    { cpu_governor: ["node-03"] },
  ),
  short("CPU frequency 17% below the pool median", [series("node_cpu_scaling_frequency_hertz", { ...i3, cpu: "0" }, constant(2.5e9, n))], { cpu_frequency: ["node-03"] }),
  short("CPU frequency 3% below the pool median", [series("node_cpu_scaling_frequency_hertz", { ...i3, cpu: "0" }, constant(2.91e9, n))], {}),
  short("thermal throttling", [series("node_cpu_core_throttles_total", { ...i3, core: "0", package: "0" }, counter(2, n, 5))], { cpu_throttling: ["node-03"] }),
  short(
    "CPU steal of half a core",
    [series("node_cpu_seconds_total", { ...i3, cpu: "0", mode: "steal" }, counter(30, n))],
    { cpu_steal: ["node-03"] },
    [comparabilityAlert("LabCpuSteal", [i3])],
  ),
  short(
    "foreign pod on an experiment node; a foreign DaemonSet's small load and team load are fine",
    [
      series("container_cpu_usage_seconds_total", { namespace: "someone", pod: "miner", container: "c" }, counter(60, n)),
      series("kube_pod_info", { namespace: "someone", pod: "miner", node: "node-03", created_by_kind: "ReplicaSet", instance: "ksm:8080" }, constant(1, n)),
      series("kube_pod_status_phase", { namespace: "someone", pod: "miner", phase: "Running", instance: "ksm:8080" }, constant(1, n)),
      series("container_cpu_usage_seconds_total", { namespace: "logging", pod: "agent-x", container: "c" }, counter(6, n)),
      series("kube_pod_info", { namespace: "logging", pod: "agent-x", node: "node-04", created_by_kind: "DaemonSet", instance: "ksm:8080" }, constant(1, n)),
      series("kube_pod_status_phase", { namespace: "logging", pod: "agent-x", phase: "Running", instance: "ksm:8080" }, constant(1, n)),
      series("container_cpu_usage_seconds_total", { namespace: "nomos", pod: "nomos-0", container: "node" }, counter(120, n)),
      series("kube_pod_info", { namespace: "nomos", pod: "nomos-0", node: "node-06", created_by_kind: "StatefulSet", instance: "ksm:8080" }, constant(1, n)),
      series("kube_pod_status_phase", { namespace: "nomos", pod: "nomos-0", phase: "Running", instance: "ksm:8080" }, constant(1, n)),
    ],
    { foreign_load: ["node-03"] },
  ),
  short(
    "a foreign DaemonSet pod burning a core",
    [
      series("container_cpu_usage_seconds_total", { namespace: "logging", pod: "agent-y", container: "c" }, counter(60, n)),
      series("kube_pod_info", { namespace: "logging", pod: "agent-y", node: "node-04", created_by_kind: "DaemonSet", instance: "ksm:8080" }, constant(1, n)),
    ],
    { foreign_load: ["node-04"] },
  ),
  short(
    "NIC receive drops, while a veth's errors are ignored",
    [
      series("node_network_receive_drop_total", { ...i3, device: NIC }, counter(1, n, 3)),
      series("node_network_receive_errs_total", { instance: inst("node-02"), device: "veth12ab" }, counter(5, n)),
    ],
    { nic: ["node-03"] },
    [comparabilityAlert("LabNicErrors", [{ ...i3, device: NIC, counter: "receive_drop" }])],
  ),
  short("NIC link speed change", [series("node_network_speed_bytes", { ...i3, device: NIC }, phases(constant(5e9, 35), constant(1.25e9, n - 35)))], { nic: ["node-03"] }),
  short(
    "pinger loss from node-03",
    [series("pinger_pod_ping_lost_total", { instance: "pinger-node-03:8080", src_node_name: "node-03", target_node_name: "node-02" }, counter(1, n))],
    { pinger: ["node-03"] },
  ),
  short(
    "node NotReady for 25 minutes",
    [series("kube_node_status_condition", { node: "node-03", condition: "Ready", status: "true", instance: "ksm:8080" }, phases(constant(1, 15), constant(0, n - 15)))],
    { node_health: ["node-03"] },
    [{ alert: "LabNodeNotReady", instances: [{ node: "node-03", condition: "Ready", status: "true", instance: "ksm:8080" }] }],
  ),
  short(
    "memory pressure",
    [series("kube_node_status_condition", { node: "node-03", condition: "MemoryPressure", status: "true", instance: "ksm:8080" }, constant(1, n))],
    { node_health: ["node-03"] },
    [{ alert: "LabNodePressure", instances: [{ node: "node-03", condition: "MemoryPressure", status: "true", instance: "ksm:8080" }] }],
  ),
  short("reboot", [series("node_boot_time_seconds", i3, phases(constant(1.7e9, 35), constant(1.7e9 + 3600, n - 35)))], { node_health: ["node-03"] }),
  short(
    "CNI pod restart on node-03, OVS down on node-04",
    [
      series("kube_pod_container_status_restarts_total", { namespace: "kube-system", pod: "kube-ovn-cni-node-03", container: "cni-server", instance: "ksm:8080" }, phases(constant(1, 35), constant(2, n - 35))),
      series("pinger_ovs_down", { instance: "pinger-node-04:8080", nodeName: "node-04" }, phases(constant(0, 38), constant(1, n - 38))),
    ],
    { cni_restarts: ["node-03", "node-04"] },
  ),
  short(
    "two kernel releases in one pool",
    [series("node_uname_info", { instance: inst("node-04"), nodename: "node-04", release: "6.12.9-amd64" }, constant(1, n))],
    { version_drift: ["node-02", "node-03", "node-04"] },
  ),
  short(
    "node_exporter of node-03 down for 15 minutes",
    [series("up", { ...i3, job: "node-exporter" }, phases(constant(1, 20), constant(0, n - 20)))],
    { scrape_completeness: ["node-03"] },
    [
      { alert: "LabNodeDown", instances: [{ ...i3, node: "node-03" }] },
      comparabilityAlert("LabScrapeIncomplete", [{ ...i3, job: "node-exporter" }]),
    ],
  ),
  {
    ...short("node-04 has no node_exporter at all", [], { scrape_completeness: ["node-04"] }, [{ alert: "LabNodeDown", instances: [{ node: "node-04", pool: "experiments" }] }]),
    series: healthyLab(n).filter((s) => !(s.series.includes(inst("node-04")) && /^(up|node_)/.test(s.series))),
  },
  short("vmagent drops samples: nothing is complete", [series("vmagent_remotewrite_packets_dropped_total", { job: "vmagent", instance: "vmagent:8429" }, phases(constant(0, 30), constant(4, n - 30)))], {
    scrape_completeness: NODES.map((x) => x.node),
  }),
  short(
    "a target near its series limit",
    [
      series("scrape_series_current", { job: "kubelet", instance: "node-02:10250" }, constant(9600, n)),
      series("scrape_series_limit", { job: "kubelet", instance: "node-02:10250" }, constant(10000, n)),
    ],
    {},
    [{ alert: "LabScrapeSeriesNearLimit", instances: [{ job: "kubelet", instance: "node-02:10250" }] }],
  ),
  {
    ...short("kube-state-metrics exposes no pool label", [], null, [{ alert: "LabPoolLabelsMissing", instances: [{}] }]),
    series: healthyLab(n).filter((s) => !s.series.startsWith("kube_node_labels")),
  },
];

/** A pinger histogram (ms buckets as in kube-ovn pkg/pinger/metrics.go) over `n` samples: `perSample` pings land in bucket `le`. */
function pingerHistogram(node: string, target: string, phasesOf: ReadonlyArray<{ samples: number; le: number }>, perSample = 12): InputSeries[] {
  const bounds = [0.25, 0.5, 1, 2, 5, 10, 30, Infinity];
  return bounds.map((b) => {
    let value = 0;
    const segments = phasesOf.map((p) => {
      const step = p.le <= b ? perSample : 0;
      const text = `${value}+${step}x${p.samples - 1}`;
      value += step * p.samples;
      return text;
    });
    const le = b === Infinity ? "+Inf" : String(b);
    return series("pinger_pod_ping_latency_ms_bucket", { instance: `pinger-${node}:8080`, src_node_name: node, target_node_name: target, le }, segments.join(" "));
  });
}

const ln = LONG.points;
const lastDay = 288;

function long(name: string, changes: InputSeries[], failing: Scenario["failing"], alerts: ExpectedAlert[] = []): Scenario {
  return { name, interval: LONG.interval, series: override(healthyLab(ln), changes), evalTime: LONG.evalTime, failing, alerts };
}

const throughput = (node: string, peer: string, values: string) =>
  series("lab_calibration_network_throughput_bytes_per_second", { instance: inst(node), job: "node-exporter", peer }, values);

export const LONG_SCENARIOS: readonly Scenario[] = [
  long(
    "bandwidth of node-03 drops 28% below its 28-day median; node-02 moves 4%",
    [
      throughput("node-02", "node-03", phases(constant(1.25e9, ln - lastDay), constant(1.2e9, lastDay))),
      throughput("node-03", "node-04", phases(constant(1.25e9, ln - lastDay), constant(0.9e9, lastDay))),
      series("lab_calibration_disk_read_latency_seconds", { instance: inst("node-04"), job: "node-exporter" }, constant(0.0001, ln)),
    ],
    { calibration: ["node-03"] },
    // on (instance, peer, benchmark) keeps only those labels (Prometheus one-to-one matching).
    [comparabilityAlert("LabBaselineDrift", [{ instance: inst("node-03"), peer: "node-04", benchmark: "network_throughput" }])],
  ),
  long(
    "CNI image of node-03 changed two days ago",
    [
      series("kube_pod_container_info", { namespace: "kube-system", pod: "kube-ovn-cni-node-03", container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.4", instance: "ksm:8080" }, phases(constant(1, ln - 576), `_x${575}`)),
      series("kube_pod_container_info", { namespace: "kube-system", pod: "kube-ovn-cni-node-03", container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.5", instance: "ksm:8080" }, phases(`_x${ln - 577}`, constant(1, 576))),
    ],
    { version_drift: ["node-03"] },
  ),
  long(
    "OS upgrade on node-06 two days ago",
    [
      series("node_os_info", { instance: inst("node-06"), id: "debian", version_id: "12" }, phases(constant(1, ln - 576), `_x${575}`)),
      series("node_os_info", { instance: inst("node-06"), id: "debian", version_id: "13" }, phases(`_x${ln - 577}`, constant(1, 576))),
    ],
    { version_drift: ["node-06"] },
  ),
  long(
    "pinger p99 from node-03 jumps from 0.5 ms to 5 ms in the last day; node-02 stays",
    [
      ...pingerHistogram("node-03", "node-02", [{ samples: ln - lastDay, le: 0.5 }, { samples: lastDay, le: 5 }]),
      ...pingerHistogram("node-02", "node-03", [{ samples: ln, le: 0.5 }]),
    ],
    { pinger: ["node-03"] },
  ),
];
