/**
 * Synthetic inputs for `promtool test rules`: a healthy lab of five nodes (three in pool
 * "experiments", one in "nomos", as in the example stack, and the platform node metal-01 in
 * "monitoring"), scraped at the example's intervals (infra 30s, inventory 60s) and labelled as the
 * VM operator's scrape labels them (series.ts). One scenario per fault, and near misses that must
 * stay silent. Each scenario says which nodes fail which gate, which gates cannot be evaluated
 * (unknown), and which alerts fire; every other (node, gate) that applies must pass and every other
 * alert stay silent, so each scenario checks both sides.
 */
import { CALIBRATION_RESULTS } from "../../components/health/calibration/results";
import type { GateName } from "../../components/health/gates";
import { constant, counter, during, encode, every, labelText, rolledOut, series, type InputSeries, type Samples } from "./series";

export type { InputSeries } from "./series";

export interface ExpectedAlert {
  readonly alert: string;
  /** Labels of each firing instance, besides alertname and the rule's own labels. */
  readonly instances: ReadonlyArray<Record<string, string>>;
}

export interface AlertCheck {
  readonly evalTime: string;
  readonly alerts: readonly ExpectedAlert[];
}

export interface Scenario {
  readonly name: string;
  /** Input interval; the file's evaluation interval follows the scenario kind. */
  readonly interval: string;
  readonly series: readonly InputSeries[];
  readonly evalTime: string;
  /** Nodes failing each gate; `null`: no gate series at all (no pool labels). */
  readonly failing: Partial<Record<GateName, readonly string[]>> | null;
  /** Nodes whose gate cannot be evaluated (inputs missing): verdict unknown unless something failed. */
  readonly unknown?: Partial<Record<GateName, readonly string[]>>;
  readonly alerts: readonly ExpectedAlert[];
  /** Further instants at which every alert is checked (others silent). */
  readonly alertChecks?: readonly AlertCheck[];
  /** The nodes and their pools at the evaluation time, when a scenario moves a node (a handover). Default NODES. */
  readonly nodes?: readonly LabNode[];
}

export interface LabNode {
  readonly node: string;
  readonly pool: string;
  readonly ip: string;
  readonly podIp: string;
  /** Suffix of the node's DaemonSet pods. */
  readonly hash: string;
}

export const NODES: readonly LabNode[] = [
  { node: "node-02", pool: "experiments", ip: "192.0.2.12", podIp: "10.42.2.5", hash: "4kq7z" },
  { node: "node-03", pool: "experiments", ip: "192.0.2.13", podIp: "10.42.3.5", hash: "9xw2m" },
  { node: "node-04", pool: "experiments", ip: "192.0.2.14", podIp: "10.42.4.5", hash: "b6tn1" },
  { node: "node-06", pool: "nomos", ip: "192.0.2.16", podIp: "10.42.6.5", hash: "p0r8d" },
  { node: "metal-01", pool: "monitoring", ip: "192.0.2.21", podIp: "10.42.9.5", hash: "h3c5v" },
];

/** Gates that do not apply to the platform pool: experiments never run there, nothing is calibrated. */
const NOT_ON_PLATFORM: readonly GateName[] = ["cpu_governor", "foreign_load", "calibration"];

export function applies(node: LabNode, gate: GateName): boolean {
  return node.pool !== "monitoring" || !NOT_ON_PLATFORM.includes(gate);
}

const byName = (name: string) => NODES.find((n) => n.node === name)!;
const POOL_LABEL = "label_lab_vac_dev_pool";
const NIC = "enp65s0f0";
const KERNEL = "6.1.0-31-amd64";

/** Target labels (series.ts). */
export const exporter = (n: LabNode, tier = "infra") => ({
  job: "node-exporter", instance: `${n.ip}:9100`, namespace: "monitoring", pod: `vmks-prometheus-node-exporter-${n.hash}`,
  container: "node-exporter", service: "vmks-prometheus-node-exporter", endpoint: "metrics", node: n.node, tier,
});
export const pingerTarget = (n: LabNode) => ({
  job: "kube-ovn-pinger", instance: `${n.podIp}:8080`, namespace: "kube-system", pod: `kube-ovn-pinger-${n.hash}`,
  container: "pinger", service: "kube-ovn-pinger", endpoint: "metrics", node: n.node, tier: "infra",
});
const kubelet = (n: LabNode, path: string) => ({ job: "kubelet", instance: `${n.ip}:10250`, node: n.node, tier: "infra", metrics_path: path });
const KSM_TARGET = {
  job: "kube-state-metrics", instance: "10.42.0.9:8080", namespace: "monitoring", pod: "vmks-kube-state-metrics-7c9d4",
  container: "kube-state-metrics", service: "vmks-kube-state-metrics", endpoint: "http", tier: "infra",
};
/** kube-state-metrics honours its own labels (honor_labels): a series' namespace/pod/container win over the target's. */
const ksm = (own: Record<string, string>) => ({ ...KSM_TARGET, ...own });
/** A vmagent's own series as the operator's self-scrape labels them (job = its Service, operator v0.66.1 servicescrape.go L212-216). */
const selfScrape = (service: string) => ({ job: service, instance: "10.99.0.5:8429", namespace: "monitoring", pod: `${service}-7d9f8-abcde`, service, endpoint: "http" });

const teamTarget = (namespace: string, pod: string, node: string) => ({
  job: "experiment", instance: `10.100.0.7:8008`, namespace, pod, container: "node", endpoint: "metrics", node, tier: "experiment",
});

/** One step of the short scenarios: 30 s, the infra interval. */
export const STEP_SECONDS = 30;
/** Sample index at a minute mark. */
export const at = (minutes: number, stepSeconds = STEP_SECONDS) => Math.round((minutes * 60) / stepSeconds);

/** Short scenarios: a sample every 30 s for 2 hours, evaluated at 110m (the completeness window is 100m). */
export const SHORT = { interval: "30s", points: at(120) + 1, evalTime: "110m" } as const;
/** Long scenarios (baselines): a sample every 5 minutes for 30 days, evaluated at the end. */
export const LONG = { interval: "5m", points: 30 * 288 + 1, evalTime: "720h" } as const;

interface Lab {
  readonly n: number;
  /** Seconds between samples. */
  readonly stepSeconds: number;
  /** Samples per inventory scrape (inventory every 60 s). */
  readonly inventoryEvery: number;
}

/** Everything a healthy node exposes, labelled as scraped. */
function healthyNode(lab: Lab, node: LabNode): InputSeries[] {
  const { n } = lab;
  const inv = (s: Samples) => every(lab.inventoryEvery, s);
  const e = exporter(node);
  const ei = exporter(node, "inventory");
  const p = pingerTarget(node);
  const peer = NODES.find((x) => x.node !== node.node)!.node;
  const cni = { namespace: "kube-system", pod: `kube-ovn-cni-${node.hash}` };
  const experimentPool = node.pool !== "monitoring";
  return [
    series("kube_node_labels", ksm({ node: node.node, [POOL_LABEL]: node.pool }), constant(1, n)),
    series("kube_node_info", ksm({ node: node.node, kernel_version: KERNEL }), constant(1, n)),
    series("kube_node_status_condition", ksm({ node: node.node, condition: "Ready", status: "true" }), constant(1, n)),
    series("kube_node_status_condition", ksm({ node: node.node, condition: "MemoryPressure", status: "true" }), constant(0, n)),
    series("up", e, constant(1, n)),
    series("up", ei, inv(constant(1, n))),
    series("up", kubelet(node, "/metrics"), constant(1, n)),
    series("up", kubelet(node, "/metrics/cadvisor"), constant(1, n)),
    series("node_uname_info", { ...ei, nodename: node.node, release: KERNEL, sysname: "Linux" }, inv(constant(1, n))),
    series("node_os_info", { ...ei, id: "debian", version_id: "12" }, inv(constant(1, n))),
    series("node_boot_time_seconds", e, constant(1.7e9, n)),
    series("node_timex_offset_seconds", e, constant(0.00002, n)),
    series("node_timex_sync_status", e, constant(1, n)),
    // The platform pool keeps the kernel's default governor: the gate does not apply there.
    series("node_cpu_scaling_governor", { ...e, cpu: "0", governor: "performance" }, constant(experimentPool ? 1 : 0, n)),
    series("node_cpu_scaling_governor", { ...e, cpu: "0", governor: "schedutil" }, constant(experimentPool ? 0 : 1, n)),
    series("node_cpu_scaling_frequency_hertz", { ...e, cpu: "0" }, constant(3e9, n)),
    series("node_cpu_core_throttles_total", { ...e, core: "0", package: "0" }, constant(5, n)),
    series("node_cpu_seconds_total", { ...e, cpu: "0", mode: "steal" }, constant(0, n)),
    series("node_cpu_seconds_total", { ...e, cpu: "0", mode: "idle" }, counter(STEP_SECONDS, n)),
    ...["receive_errs", "receive_fifo", "receive_drop", "transmit_errs", "transmit_drop", "transmit_fifo"].map((c) => series(`node_network_${c}_total`, { ...e, device: NIC }, constant(3, n))),
    series("node_softnet_dropped_total", { ...e, cpu: "0" }, constant(0, n)),
    series("node_network_speed_bytes", { ...e, device: NIC }, constant(5e9, n)),
    series("node_network_carrier_changes_total", { ...e, device: NIC }, constant(2, n)),
    series("up", p, constant(1, n)),
    series("pinger_ovs_up", { ...p, nodeName: node.node }, constant(1, n)),
    series("pinger_ovs_down", { ...p, nodeName: node.node }, constant(0, n)),
    series("pinger_pod_ping_count_total", { ...p, src_node_name: node.node, target_node_name: peer }, counter(12, n)),
    series("pinger_pod_ping_lost_total", { ...p, src_node_name: node.node, target_node_name: peer }, constant(0, n)),
    series("kube_pod_info", ksm({ ...cni, node: node.node, created_by_kind: "DaemonSet", host_ip: node.ip }), constant(1, n)),
    series("kube_pod_container_info", ksm({ ...cni, container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.4" }), constant(1, n)),
    series("kube_pod_container_status_restarts_total", ksm({ ...cni, container: "cni-server" }), constant(1, n)),
    ...(experimentPool ? calibrationSeries(lab, node, peer) : []),
  ];
}

/** Each gated result's healthy value in the fixtures (base units). */
export const CALIBRATION_VALUES: Readonly<Record<string, number>> = {
  network_throughput: 1.25e9, disk_read_latency: 9.5e-5, disk_read_iops: 10400, disk_write_throughput: 5.2e8,
  cpu: 2400, memory_read_throughput: 1.1e10, memory_write_throughput: 7.5e9,
};

/** Unix time of the newest nightly run (02:00 UTC) at or before `t`. */
export const lastRunAt = (t: number) => Math.floor((t - 7200) / 86400) * 86400 + 7200;

/**
 * What the nightly calibration writes on a node: per step the run's timestamp (a run every night at
 * 02:00) and skipped 0, and every gated result; a node alone in its pool (node-06 in nomos) has no
 * iperf3 peer, so its network step is skipped with reason no_peer every night and writes no throughput.
 */
function calibrationSeries(lab: Lab, node: LabNode, peer: string): InputSeries[] {
  const { n } = lab;
  const ei = exporter(node, "inventory");
  const inv = (s: Samples) => every(lab.inventoryEvery, s);
  const alone = NODES.filter((x) => x.pool === node.pool).length < 2;
  const runs = Array.from({ length: n }, (_, i) => lastRunAt(i * lab.stepSeconds));
  return [
    ...(["network", "disk", "compute"] as const).flatMap((step) => [
      series("lab_calibration_last_run_timestamp_seconds", { ...ei, step }, inv(runs)),
      step === "network" && alone
        ? series("lab_calibration_skipped", { ...ei, step, reason: "no_peer" }, inv(constant(1, n)))
        : series("lab_calibration_skipped", { ...ei, step, reason: "none" }, inv(constant(0, n))),
    ]),
    ...CALIBRATION_RESULTS.filter((r) => !(alone && r.step === "network")).map((r) =>
      series(r.metric, r.step === "network" ? { ...ei, peer } : ei, inv(constant(CALIBRATION_VALUES[r.benchmark], n))),
    ),
  ];
}

/** Baselines as the hourly baseline group records them (short scenarios hold no 28 days of history). */
function recordedBaselines(n: number): InputSeries[] {
  return NODES.flatMap((node) => [
    series("lab:pinger_pod_ping_latency_ms:p99_baseline", { node: node.node }, constant(0.5, n)),
    ...(node.pool !== "monitoring"
      ? CALIBRATION_RESULTS.flatMap((r) => [
          series("lab:calibration_baseline:median", { benchmark: r.benchmark, node: node.node }, constant(CALIBRATION_VALUES[r.benchmark], n)),
          series("lab:calibration_baseline:robust_scale", { benchmark: r.benchmark, node: node.node }, constant(CALIBRATION_VALUES[r.benchmark] / 100, n)),
          series("lab:calibration_baseline:nights", { benchmark: r.benchmark, node: node.node }, constant(28, n)),
        ])
      : []),
  ]);
}

/** The healthy lab: every node healthy, kube-state-metrics up, a team pod at work, no vmagent drops. */
export function healthyLab(n: number, inventoryEvery: number, stepSeconds = STEP_SECONDS): InputSeries[] {
  const lab = { n, inventoryEvery, stepSeconds };
  const node02 = byName("node-02");
  return [
    ...NODES.flatMap((node) => healthyNode(lab, node)),
    series("up", KSM_TARGET, constant(1, n)),
    series("vmagent_remotewrite_packets_dropped_total", { job: "vmagent", instance: "10.99.0.5:8429", namespace: "monitoring", pod: "vmagent-vmks-0", tier: "infra" }, constant(0, n)),
    // Team dst at work on node-02 (3 cores): never foreign on its own pool.
    series("container_cpu_usage_seconds_total", { ...kubelet(node02, "/metrics/cadvisor"), namespace: "dst", pod: "libp2p-0", container: "node" }, counter(3 * STEP_SECONDS, n)),
    series("kube_pod_info", ksm({ namespace: "dst", pod: "libp2p-0", node: "node-02", created_by_kind: "StatefulSet" }), constant(1, n)),
    series("kube_pod_status_phase", ksm({ namespace: "dst", pod: "libp2p-0", phase: "Running" }), constant(1, n)),
    series("up", teamTarget("dst", "libp2p-0", "node-02"), constant(1, n)),
  ];
}

/** Replaces the healthy series with the same metric and labels, or adds new ones. */
export function override(base: readonly InputSeries[], changes: readonly InputSeries[]): InputSeries[] {
  const keys = new Set(changes.map((c) => c.series));
  return [...base.filter((s) => !keys.has(s.series)), ...changes];
}

/** Removes series matching a predicate on their text. */
function without(base: readonly InputSeries[], drop: (text: string) => boolean): InputSeries[] {
  return base.filter((s) => !drop(s.series));
}

const n = SHORT.points;
const shortLab = () => [...healthyLab(n, 2), ...recordedBaselines(n)];

interface ShortOptions {
  readonly unknown?: Scenario["unknown"];
  readonly alerts?: ExpectedAlert[];
  readonly alertChecks?: AlertCheck[];
  readonly base?: InputSeries[];
  readonly points?: number;
}

function short(name: string, changes: InputSeries[], failing: Scenario["failing"], options: ShortOptions = {}): Scenario {
  return {
    name,
    interval: SHORT.interval,
    series: override(options.base ?? shortLab(), changes),
    evalTime: SHORT.evalTime,
    failing,
    unknown: options.unknown,
    alerts: options.alerts ?? [],
    alertChecks: options.alertChecks,
  };
}

const where = (node: string) => ({ node, pool: byName(node).pool });
const alert = (name: string, ...instances: Array<Record<string, string>>): ExpectedAlert => ({ alert: name, instances });

const n3 = byName("node-03");
const n4 = byName("node-04");
const e3 = exporter(n3);

/** The node_exporter-based gates: unknown when the node's exporter sends nothing. */
const EXPORTER_GATES: readonly GateName[] = ["clock", "cpu_governor", "cpu_frequency", "cpu_throttling", "cpu_steal", "nic", "version_drift", "node_health"];
const unknownFor = (node: string, gatesOf: readonly GateName[]) => Object.fromEntries(gatesOf.map((g) => [g, [node]])) as Scenario["unknown"];

/** A node's node_exporter stops at sample `from`: `up` becomes `up(i)` (0 down, undefined gone), every other series of it ends. */
function exporterDown(lab: readonly InputSeries[], node: LabNode, points: number, from: number, up: (i: number) => number | undefined): InputSeries[] {
  return lab.map((s) => {
    if (!s.series.includes(`instance="${node.ip}:9100"`)) return s;
    if (!s.series.startsWith("up{")) return { series: s.series, values: truncate(s.values, from) };
    const inventory = s.series.includes(`tier="inventory"`);
    const samples = Array.from({ length: points }, (_, i) => (i < from ? 1 : up(i)));
    return series("up", exporter(node, inventory ? "inventory" : "infra"), inventory ? every(2, samples) : samples);
  });
}

/** A series' promtool values cut after `from` samples (the rest missing). */
function truncate(values: string, from: number): string {
  const expanded: string[] = [];
  for (const token of values.split(" ")) {
    const gap = /^_x(\d+)$/.exec(token);
    const run = /^(-?[\d.e+]+?)(?:([+-][\d.e+]+))?x(\d+)$/.exec(token);
    if (token === "_") expanded.push("_");
    else if (gap) expanded.push(...Array(Number(gap[1])).fill("_"));
    else if (run) {
      const [, a, b, k] = run;
      for (let i = 0; i <= Number(k); i++) expanded.push(String(Number(a) + Number(b ?? 0) * i));
    } else expanded.push(token);
  }
  return expanded.map((v, i) => (i < from ? v : "_")).join(" ");
}

/** node-04's pool label moves from experiments to nomos at 105m: KSM's old series ends with a staleness marker. */
function handover(): Scenario {
  const moved = at(105);
  const labels = (pool: string) => labelText("kube_node_labels", ksm({ node: "node-04", [POOL_LABEL]: pool }));
  return {
    ...short(
      "node-04 handed over to another pool inside the gate window",
      [
        { series: labels("experiments"), values: `${encode(constant(1, moved))} stale` },
        { series: labels("nomos"), values: `_x${moved} ${encode(constant(1, n - moved))}` },
      ],
      { assignment: ["node-04"] },
    ),
    nodes: NODES.map((node) => (node.node === "node-04" ? { ...node, pool: "nomos" } : node)),
  };
}

export const SHORT_SCENARIOS: readonly Scenario[] = [
  short("healthy lab", [], {}),
  handover(),
  short("clock offset of 5 ms: gate fails, alert stays silent", [series("node_timex_offset_seconds", e3, constant(0.005, n))], { clock: ["node-03"] }),
  short("negative clock offset beyond 1 ms", [series("node_timex_offset_seconds", e3, constant(-0.002, n))], { clock: ["node-03"] }),
  short("clock skew of 80 ms for 40 minutes", [series("node_timex_offset_seconds", e3, during(constant(0.00002, n), at(70), n, () => 0.08))], { clock: ["node-03"] }, {
    alerts: [alert("LabClockSkew", where("node-03"))],
  }),
  short("clock not synchronised", [series("node_timex_sync_status", e3, constant(0, n))], { clock: ["node-03"] }, { alerts: [alert("LabClockUnsynchronised", where("node-03"))] }),
  short(
    "powersave governor on an experiment node; the platform node's default governor is no gate",
    [
      series("node_cpu_scaling_governor", { ...e3, cpu: "0", governor: "performance" }, constant(0, n)),
      series("node_cpu_scaling_governor", { ...e3, cpu: "0", governor: "powersave" }, constant(1, n)),
    ],
    { cpu_governor: ["node-03"] },
  ),
  short("CPU frequency 17% below the pool median", [series("node_cpu_scaling_frequency_hertz", { ...e3, cpu: "0" }, constant(2.5e9, n))], { cpu_frequency: ["node-03"] }),
  short("CPU frequency 3% below the pool median", [series("node_cpu_scaling_frequency_hertz", { ...e3, cpu: "0" }, constant(2.91e9, n))], {}),
  short("thermal throttling", [series("node_cpu_core_throttles_total", { ...e3, core: "0", package: "0" }, counter(1, n, 5))], { cpu_throttling: ["node-03"] }),
  short("CPU steal of half a core", [series("node_cpu_seconds_total", { ...e3, cpu: "0", mode: "steal" }, counter(15, n))], { cpu_steal: ["node-03"] }, {
    alerts: [alert("LabCpuSteal", where("node-03"))],
  }),
  short(
    "foreign pod on an experiment node; a foreign DaemonSet's small load and team load are fine",
    [
      series("container_cpu_usage_seconds_total", { ...kubelet(n3, "/metrics/cadvisor"), namespace: "someone", pod: "miner", container: "c" }, counter(STEP_SECONDS, n)),
      series("kube_pod_info", ksm({ namespace: "someone", pod: "miner", node: "node-03", created_by_kind: "ReplicaSet" }), constant(1, n)),
      series("kube_pod_status_phase", ksm({ namespace: "someone", pod: "miner", phase: "Running" }), constant(1, n)),
      series("container_cpu_usage_seconds_total", { ...kubelet(n4, "/metrics/cadvisor"), namespace: "logging", pod: "agent-x", container: "c" }, counter(3, n)),
      series("kube_pod_info", ksm({ namespace: "logging", pod: "agent-x", node: "node-04", created_by_kind: "DaemonSet" }), constant(1, n)),
      series("kube_pod_status_phase", ksm({ namespace: "logging", pod: "agent-x", phase: "Running" }), constant(1, n)),
      series("kube_pod_info", ksm({ namespace: "nomos", pod: "nomos-0", node: "node-06", created_by_kind: "StatefulSet" }), constant(1, n)),
      series("kube_pod_status_phase", ksm({ namespace: "nomos", pod: "nomos-0", phase: "Running" }), constant(1, n)),
    ],
    { foreign_load: ["node-03"] },
  ),
  short(
    "someone saturates the calibration iperf3 server on nomos's dedicated node outside the window (01:50 UTC); an idle server elsewhere is fine",
    [
      // hostNetwork DaemonSet pod: cAdvisor and kube-state-metrics still name its namespace, pod and container.
      series("container_cpu_usage_seconds_total", { ...kubelet(byName("node-06"), "/metrics/cadvisor"), namespace: "lab-calibration", pod: "iperf3-server-a1b2c", container: "iperf3" }, counter(2 * STEP_SECONDS, n)),
      series("kube_pod_info", ksm({ namespace: "lab-calibration", pod: "iperf3-server-a1b2c", node: "node-06", created_by_kind: "DaemonSet" }), constant(1, n)),
      series("container_cpu_usage_seconds_total", { ...kubelet(n3, "/metrics/cadvisor"), namespace: "lab-calibration", pod: "iperf3-server-d4e5f", container: "iperf3" }, counter(0.02 * STEP_SECONDS, n)),
      series("kube_pod_info", ksm({ namespace: "lab-calibration", pod: "iperf3-server-d4e5f", node: "node-03", created_by_kind: "DaemonSet" }), constant(1, n)),
    ],
    { foreign_load: ["node-06"] },
  ),
  short(
    "a foreign DaemonSet pod burning a core",
    [
      series("container_cpu_usage_seconds_total", { ...kubelet(n4, "/metrics/cadvisor"), namespace: "logging", pod: "agent-y", container: "c" }, counter(STEP_SECONDS, n)),
      series("kube_pod_info", ksm({ namespace: "logging", pod: "agent-y", node: "node-04", created_by_kind: "DaemonSet" }), constant(1, n)),
    ],
    { foreign_load: ["node-04"] },
  ),
  short(
    "NIC: LLDP frames counted in rx_dropped are no loss; a receive FIFO overrun is; a veth's errors are ignored",
    [
      series("node_network_receive_drop_total", { ...e3, device: NIC }, counter(1, n, 3)),
      series("node_network_receive_fifo_total", { ...exporter(n4), device: NIC }, during(constant(3, n), at(104), n, (i) => 3 + i - at(104) + 1)),
      series("node_network_receive_errs_total", { ...exporter(byName("node-02")), device: "veth12ab" }, counter(5, n)),
    ],
    { nic: ["node-04"] },
    { alerts: [alert("LabNicErrors", { ...where("node-04"), device: NIC, counter: "receive_fifo" })] },
  ),
  short("NIC: transmit drops", [series("node_network_transmit_drop_total", { ...e3, device: NIC }, counter(2, n, 3))], { nic: ["node-03"] }, {
    alerts: [alert("LabNicErrors", { ...where("node-03"), device: NIC, counter: "transmit_drop" })],
  }),
  short("NIC: softnet backlog drops", [series("node_softnet_dropped_total", { ...e3, cpu: "0" }, counter(1, n))], { nic: ["node-03"] }, {
    alerts: [alert("LabNicErrors", { ...where("node-03"), counter: "softnet_dropped" })],
  }),
  short("NIC link speed change", [series("node_network_speed_bytes", { ...e3, device: NIC }, during(constant(5e9, n), at(103), n, () => 1.25e9))], { nic: ["node-03"] }, {
    alerts: [alert("LabNicErrors", { ...where("node-03"), device: NIC, counter: "speed_changes" })],
  }),
  short(
    "pinger loss from node-03",
    [series("pinger_pod_ping_lost_total", { ...pingerTarget(n3), src_node_name: "node-03", target_node_name: "node-02" }, counter(1, n))],
    { pinger: ["node-03"] },
  ),
  short(
    "node NotReady for 25 minutes",
    [series("kube_node_status_condition", ksm({ node: "node-03", condition: "Ready", status: "true" }), during(constant(1, n), at(85), n, () => 0))],
    { node_health: ["node-03"] },
    { alerts: [alert("LabNodeNotReady", where("node-03"))] },
  ),
  short(
    "memory pressure",
    [series("kube_node_status_condition", ksm({ node: "node-03", condition: "MemoryPressure", status: "true" }), constant(1, n))],
    { node_health: ["node-03"] },
    { alerts: [alert("LabNodePressure", { ...where("node-03"), condition: "MemoryPressure" })] },
  ),
  short("reboot", [series("node_boot_time_seconds", e3, during(constant(1.7e9, n), at(105), n, () => 1.7e9 + 3600))], { node_health: ["node-03"] }),
  short(
    "CNI pod restart on node-03, OVS down on node-04",
    [
      series("kube_pod_container_status_restarts_total", ksm({ namespace: "kube-system", pod: `kube-ovn-cni-${n3.hash}`, container: "cni-server" }), during(constant(1, n), at(105), n, () => 2)),
      series("pinger_ovs_down", { ...pingerTarget(n4), nodeName: "node-04" }, during(constant(0, n), at(104), n, () => 1)),
    ],
    { cni_restarts: ["node-03", "node-04"] },
  ),
  short(
    "two kernel releases in one pool, neither changed: no drift, a pool warning",
    [series("node_uname_info", { ...exporter(n4, "inventory"), nodename: "node-04", release: "6.12.9-amd64", sysname: "Linux" }, every(2, constant(1, n)))],
    {},
    { alerts: [alert("LabPoolKernelsMixed", { pool: "experiments" })], base: without(shortLab(), (s) => s.startsWith("node_uname_info") && s.includes(`node="node-04"`)) },
  ),
  short(
    "node-04's kernel changed within the window: only node-04 drifts",
    [
      series("node_uname_info", { ...exporter(n4, "inventory"), nodename: "node-04", release: KERNEL, sysname: "Linux" }, every(2, during(constant(1, n), at(60), n, () => undefined))),
      series("node_uname_info", { ...exporter(n4, "inventory"), nodename: "node-04", release: "6.12.9-amd64", sysname: "Linux" }, every(2, during(constant(1, n), 0, at(60), () => undefined))),
    ],
    { version_drift: ["node-04"] },
  ),
  {
    ...short("node_exporter of node-03 down for the last 15 minutes", [], { scrape_completeness: ["node-03"] }, {
      // The calibration results went with the exporter: no current result, so unknown (issue 21).
      unknown: unknownFor("node-03", [...EXPORTER_GATES, "calibration"]),
      alerts: [alert("LabNodeDown", where("node-03")), alert("LabScrapeIncomplete", where("node-03"))],
    }),
    series: exporterDown(shortLab(), n3, n, at(95), () => 0),
  },
  {
    ...short("node-04 has no node_exporter at all", [], { scrape_completeness: ["node-04"] }, {
      unknown: unknownFor("node-04", [...EXPORTER_GATES, "calibration"]),
      alerts: [alert("LabNodeDown", where("node-04")), alert("LabScrapeIncomplete", where("node-04"))],
    }),
    series: without(shortLab(), (s) => s.includes(`instance="${n4.ip}:9100"`)),
  },
  {
    ...short("node_exporter of node-03 evicted for 20 minutes in the window, back since: the gap is missing data", [], { scrape_completeness: ["node-03"] }, {
      alerts: [alert("LabScrapeIncomplete", where("node-03"))],
    }),
    series: shortLab().map((s) =>
      s.series.startsWith("up{") && s.series.includes(`instance="${n3.ip}:9100"`) && !s.series.includes("inventory")
        ? series("up", e3, during(constant(1, n), at(60), at(80), () => undefined))
        : s,
    ),
  },
  short(
    "vmagent drops samples: nothing is complete",
    [series("vmagent_remotewrite_packets_dropped_total", { job: "vmagent", instance: "10.99.0.5:8429", namespace: "monitoring", pod: "vmagent-vmks-0", tier: "infra" }, during(constant(0, n), at(100), n, () => 4))],
    { scrape_completeness: NODES.map((x) => x.node) },
    { alerts: [alert("LabScrapeIncomplete", ...NODES.map((x) => where(x.node)))] },
  ),
  short(
    "the platform vmagent drops new series at its daily budget: nothing is complete",
    [series("vmagent_daily_series_limit_rows_dropped_total", selfScrape("vmagent-vmks"), during(constant(0, n), at(100), n, () => 5000))],
    { scrape_completeness: NODES.map((x) => x.node) },
    { alerts: [alert("LabScrapeIncomplete", ...NODES.map((x) => where(x.node)))] },
  ),
  short(
    "the platform vmagent's persistent queue overflows: nothing is complete",
    [series("vm_persistentqueue_bytes_dropped_total", { ...selfScrape("vmagent-vmks"), path: "/tmp/vmagent-remotewrite-data/persistent-queue/1_ABC" }, during(constant(0, n), at(100), n, () => 1e6))],
    { scrape_completeness: NODES.map((x) => x.node) },
    { alerts: [alert("LabScrapeIncomplete", ...NODES.map((x) => where(x.node)))] },
  ),
  short(
    "one team floods its own vmagent past its daily budget and overloads its remote write: only that team is told, every verdict stands",
    [
      series("vmagent_daily_series_limit_rows_dropped_total", selfScrape("vmagent-exp-nomos"), during(constant(0, n), at(100), n, () => 2_100_000)),
      series("vmagent_remotewrite_packets_dropped_total", { ...selfScrape("vmagent-exp-nomos"), url: "1:secret-url" }, during(constant(0, n), at(100), n, () => 7)),
      series("vmagent_daily_series_limit_current_series", selfScrape("vmagent-exp-nomos"), constant(560_000, n)),
      series("vmagent_daily_series_limit_max_series", selfScrape("vmagent-exp-nomos"), constant(560_000, n)),
    ],
    {},
    { alerts: [alert("LabExperimentSeriesBudgetExhausted", { namespace: "nomos", job: "vmagent-exp-nomos" })] },
  ),
  short(
    "the platform vmagent near its daily series budget",
    [
      series("vmagent_daily_series_limit_current_series", selfScrape("vmagent-vmks"), constant(1_900_000, n)),
      series("vmagent_daily_series_limit_max_series", selfScrape("vmagent-vmks"), constant(2_000_000, n)),
    ],
    {},
    { alerts: [alert("LabPlatformSeriesBudgetNearLimit", { job: "vmagent-vmks" })] },
  ),
  short(
    "a team's pod over its series limit and another team target down: no other node or team loses its verdict",
    [
      series("scrape_series_limit_samples_dropped", teamTarget("nomos", "nomos-0", "node-06"), constant(120, n)),
      series("up", teamTarget("dst", "libp2p-0", "node-02"), during(constant(1, n), at(90), n, () => 0)),
    ],
    {},
    {
      alerts: [
        alert("LabExperimentSeriesDropped", { namespace: "nomos", pod: "nomos-0", ...where("node-06") }),
        alert("LabExperimentTargetDown", { namespace: "dst", pod: "libp2p-0", ...where("node-02"), job: "experiment" }),
      ],
    },
  ),
  short(
    "node_exporter of node-03 over its series limit: node-03's data is incomplete",
    [series("scrape_series_limit_samples_dropped", e3, during(constant(0, n), at(100), n, () => 40))],
    { scrape_completeness: ["node-03"] },
    { alerts: [alert("LabScrapeIncomplete", where("node-03"))] },
  ),
  short(
    "one missed inventory scrape in the window (99%): gate and alert both pass",
    [series("up", exporter(n3, "inventory"), every(2, during(constant(1, n), at(70), at(70) + 1, () => 0)))],
    {},
  ),
  short(
    "two missed inventory scrapes in the window (98%): gate fails and the alert fires",
    [series("up", exporter(n3, "inventory"), every(2, during(during(constant(1, n), at(70), at(70) + 1, () => 0), at(90), at(90) + 1, () => 0)))],
    { scrape_completeness: ["node-03"] },
    { alerts: [alert("LabScrapeIncomplete", where("node-03"))] },
  ),
  short(
    "a platform target near its series limit",
    [
      series("scrape_series_current", kubelet(byName("node-02"), "/metrics/cadvisor"), constant(9600, n)),
      series("scrape_series_limit", kubelet(byName("node-02"), "/metrics/cadvisor"), constant(10000, n)),
      series("scrape_series_current", teamTarget("dst", "libp2p-0", "node-02"), constant(4900, n)),
      series("scrape_series_limit", teamTarget("dst", "libp2p-0", "node-02"), constant(5000, n)),
    ],
    {},
    { alerts: [alert("LabScrapeSeriesNearLimit", { job: "kubelet", instance: `${byName("node-02").ip}:10250`, ...where("node-02"), tier: "infra" })] },
  ),
  {
    ...short("kube-state-metrics exposes no pool label", [], null, {
      alerts: [alert("LabPoolLabelsMissing", ...NODES.map((x) => ({ node: x.node })))],
    }),
    series: without(shortLab(), (s) => s.startsWith("kube_node_labels")),
  },
  {
    ...short("node-06 skipped its calibration (a team pod ran): unknown, not comparable; the platform node is never calibrated", [], {}, {
      unknown: { calibration: ["node-06"] },
    }),
    series: without(shortLab(), (s) => s.startsWith("lab_calibration_cpu_operations_per_second") && s.includes(`node="node-06"`)),
  },
  {
    ...short("node_exporter of node-02 too old for the governor metric: the gate is unknown, not passing", [], {}, { unknown: { cpu_governor: ["node-02"] } }),
    series: without(shortLab(), (s) => s.startsWith("node_cpu_scaling_governor") && s.includes(`node="node-02"`)),
  },
  {
    ...short("a node_exporter and pinger rollout on every node inside every window: nothing changes", [], {}),
    series: rollAll(shortLab(), at(105)),
  },
];

/** Every DaemonSet series (node_exporter, pinger) of every node split between an old and a new pod at `step`. */
function rollAll(lab: readonly InputSeries[], step: number): InputSeries[] {
  return lab.flatMap((s) => {
    if (!/pod="(vmks-prometheus-node-exporter|kube-ovn-pinger)-/.test(s.series)) return [s];
    const [, metric, body] = /^([^{]+)\{(.*)\}$/.exec(s.series)!;
    const labels = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const samples = truncate(s.values, Number.MAX_SAFE_INTEGER).split(" ").map((v) => (v === "_" ? undefined : Number(v)));
    return rolledOut(metric, labels, samples, step);
  });
}

/** Item 5: a two-hour outage of node-03's node_exporter, first down (up = 0), then gone (its pod evicted: no series). */
const OUTAGE = { points: at(240) + 1, start: at(60), gone: at(120) } as const;

function outageLab(): InputSeries[] {
  const points = OUTAGE.points;
  return exporterDown([...healthyLab(points, 2), ...recordedBaselines(points)], n3, points, OUTAGE.start, (i) => (i < OUTAGE.gone ? 0 : undefined));
}

const nodeDown = [alert("LabNodeDown", where("node-03"))];
export const OUTAGE_SCENARIO: Scenario = {
  name: "a two-hour node_exporter outage, down then gone: one LabNodeDown identity, firing throughout",
  interval: SHORT.interval,
  series: outageLab(),
  evalTime: "230m",
  failing: { scrape_completeness: ["node-03"] },
  unknown: unknownFor("node-03", [...EXPORTER_GATES, "calibration"]),
  alerts: [...nodeDown, alert("LabScrapeIncomplete", where("node-03"))],
  // Firing at every check from 10 minutes in: a new label set would be pending for 10 minutes first.
  alertChecks: [76, 90, 110, 118, 122, 126, 130, 150, 170, 180, 182, 190, 200, 216].map((m) => ({
    evalTime: `${m}m`,
    alerts: [...nodeDown, alert("LabScrapeIncomplete", where("node-03"))],
  })),
};

/** A pinger histogram (ms buckets as in kube-ovn pkg/pinger/metrics.go) over `n` samples: `perSample` pings land in bucket `le`. */
function pingerHistogram(node: LabNode, target: string, points: number, phasesOf: ReadonlyArray<{ samples: number; le: number }>, perSample = 12): InputSeries[] {
  const bounds = [0.25, 0.5, 1, 2, 5, 10, 30, Infinity];
  return bounds.map((b) => {
    const samples: number[] = [];
    let value = 0;
    for (const p of phasesOf) {
      for (let i = 0; i < p.samples; i++) {
        samples.push(value);
        if (p.le <= b) value += perSample;
      }
    }
    const le = b === Infinity ? "+Inf" : String(b);
    return series("pinger_pod_ping_latency_ms_bucket", { ...pingerTarget(node), src_node_name: node.node, target_node_name: target, le }, samples.slice(0, points));
  });
}

const ln = LONG.points;
const lastDay = 288;
const LONG_STEP = 300;

/** The long healthy lab: 30 days at 5 minutes, pinger histograms everywhere (the baselines are recorded by the rules). */
function longLab(): InputSeries[] {
  const base = healthyLab(ln, 1, LONG_STEP);
  const histograms = NODES.flatMap((node) => pingerHistogram(node, NODES.find((x) => x !== node)!.node, ln, [{ samples: ln, le: 0.5 }]));
  // Counters of the short lab grow per 30 s; at 5 minutes the idle counter grows 10x as fast, which changes nothing the gates read.
  return [...base, ...histograms];
}

function long(name: string, changes: InputSeries[], failing: Scenario["failing"], alerts: ExpectedAlert[] = [], base = longLab()): Scenario {
  return { name, interval: LONG.interval, series: override(base, changes), evalTime: LONG.evalTime, failing, alerts };
}

const throughput = (node: LabNode, peer: string, samples: Samples) =>
  series("lab_calibration_network_throughput_bytes_per_second", { ...exporter(node, "inventory"), peer }, samples);

const dayIndex = (days: number) => ln - 1 - days * 288;

export const LONG_SCENARIOS: readonly Scenario[] = [
  long(
    "bandwidth of node-03 drops 28% below its 28-day median; node-02 moves 4%",
    [
      throughput(byName("node-02"), "node-03", during(constant(1.25e9, ln), ln - lastDay, ln, () => 1.2e9)),
      throughput(n3, "node-04", during(constant(1.25e9, ln), ln - lastDay, ln, () => 0.9e9)),
    ],
    { calibration: ["node-03"] },
    [alert("LabBaselineDrift", { ...where("node-03"), peer: "node-04", benchmark: "network_throughput" })],
  ),
  {
    ...long(
      "node_exporter rolled out 14 days and 10 hours ago on every node (pods renamed mid-window); node-03's bandwidth drops in the last day",
      [],
      { calibration: ["node-03"] },
      [alert("LabBaselineDrift", { ...where("node-03"), peer: "node-04", benchmark: "network_throughput" })],
    ),
    series: rollAllTwice(
      override(longLab(), [
        throughput(byName("node-02"), "node-03", constant(1.25e9, ln)),
        throughput(n3, "node-04", during(constant(1.25e9, ln), ln - lastDay, ln, () => 0.9e9)),
      ]),
      dayIndex(14),
      ln - 1 - (10 * 3600) / LONG_STEP,
    ),
  },
  long(
    "CNI image of node-03 changed two days ago",
    [
      series("kube_pod_container_info", ksm({ namespace: "kube-system", pod: `kube-ovn-cni-${n3.hash}`, container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.4" }), during(constant(1, ln), dayIndex(2), ln, () => undefined)),
      series("kube_pod_container_info", ksm({ namespace: "kube-system", pod: `kube-ovn-cni-${n3.hash}`, container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.5" }), during(constant(1, ln), 0, dayIndex(2), () => undefined)),
    ],
    { version_drift: ["node-03"] },
  ),
  long(
    "OS upgrade on node-06 two days ago",
    [
      series("node_os_info", { ...exporter(byName("node-06"), "inventory"), id: "debian", version_id: "12" }, during(constant(1, ln), dayIndex(2), ln, () => undefined)),
      series("node_os_info", { ...exporter(byName("node-06"), "inventory"), id: "debian", version_id: "13" }, during(constant(1, ln), 0, dayIndex(2), () => undefined)),
    ],
    { version_drift: ["node-06"] },
  ),
  long(
    "kernels: node-04 upgraded 8 days ago (outside the drift window), node-02 two days ago: only node-02 drifts, the pool is mixed",
    [
      ...[["node-04", 8], ["node-02", 2]].flatMap(([name, days]) => {
        const node = byName(name as string);
        const labels = { ...exporter(node, "inventory"), nodename: node.node, sysname: "Linux" };
        return [
          series("node_uname_info", { ...labels, release: KERNEL }, during(constant(1, ln), dayIndex(days as number), ln, () => undefined)),
          series("node_uname_info", { ...labels, release: "6.12.9-amd64" }, during(constant(1, ln), 0, dayIndex(days as number), () => undefined)),
        ];
      }),
    ],
    { version_drift: ["node-02"] },
    [alert("LabPoolKernelsMixed", { pool: "experiments" })],
  ),
  long(
    "pinger p99 from node-03 jumps from 0.5 ms to 5 ms in the last day; node-02 stays",
    [
      ...pingerHistogram(n3, "node-02", ln, [{ samples: ln - lastDay, le: 0.5 }, { samples: lastDay, le: 5 }]),
      ...pingerHistogram(byName("node-02"), "node-03", ln, [{ samples: ln, le: 0.5 }]),
    ],
    { pinger: ["node-03"] },
  ),
];

function rollAllTwice(lab: readonly InputSeries[], first: number, second: number): InputSeries[] {
  // The second rollout renames the pods the first one created ("-r0ll8" -> "-r0ll8-2").
  return rollAll(lab, first).flatMap((s) => {
    if (!s.series.includes("-r0ll8")) return [s];
    const [, metric, body] = /^([^{]+)\{(.*)\}$/.exec(s.series)!;
    const labels = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const samples = truncate(s.values, Number.MAX_SAFE_INTEGER).split(" ").map((v) => (v === "_" ? undefined : Number(v)));
    const [old, renewed] = rolledOut(metric, { ...labels, pod: `${labels.pod}x` }, samples, second);
    return [{ series: old.series.replace(`${labels.pod}x`, labels.pod), values: old.values }, renewed];
  });
}
