/**
 * Independent `promtool test rules` cases for issue 10, written from the issue text and
 * docs/lab-health.md + docs/monitoring.md only (not from the rules or the project's own scenarios).
 * Series are shaped as a VictoriaMetrics-operator scrape gives them: job, instance = host:port,
 * namespace, pod, container, service, endpoint, plus the stack's tier and node; pools come from
 * kube-state-metrics' kube_node_labels (label_lab_vac_dev_pool, the example's labelDomain).
 * Every item has a case that must fire/fail and a near miss that must stay silent.
 */

/** One promtool input series: selector text and its values string. */
export interface Series {
  series: string;
  values: string;
}
/** One promtool test group (a case). */
export interface Case {
  name: string;
  /** Scrape intervals the rules are generated for, when not the example's (infra 30s, inventory 60s). */
  intervals?: { infra: string; inventory: string };
  interval: string;
  input_series: Series[];
  alert_rule_test?: Array<{ eval_time: string; alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }>;
  promql_expr_test?: Array<{ expr: string; eval_time: string; exp_samples: Array<{ labels: string; value: number }> }>;
}

type Labels = Record<string, string>;
const sel = (metric: string, labels: Labels) =>
  `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",")}}`;

/** Example lab nodes used here: two in the shared pool, one dedicated (nomos). */
export const NODES = {
  "node-02": { ip: "192.0.2.12", pool: "experiments" },
  "node-03": { ip: "192.0.2.13", pool: "experiments" },
  "node-06": { ip: "192.0.2.16", pool: "nomos" },
} as const;
type NodeName = keyof typeof NODES;

const POOL_LABEL = "label_lab_vac_dev_pool";

/** node_exporter infra target labels, as the operator scrape gives them (pod = the DaemonSet pod). */
export const ne = (node: NodeName, pod = `node-exporter-${node.slice(-2)}aa`): Labels => ({
  job: "node-exporter",
  instance: `${NODES[node].ip}:9100`,
  namespace: "monitoring",
  pod,
  container: "node-exporter",
  service: "node-exporter",
  endpoint: "metrics",
  tier: "infra",
  node,
});
/** The inventory scrape of the same exporter (60s): the stack sets job="node-exporter" on both scrapes, tier tells them apart. */
export const inv = (node: NodeName, pod = `node-exporter-${node.slice(-2)}aa`): Labels => ({ ...ne(node, pod), tier: "inventory" });
const kubelet = (node: NodeName): Labels => ({ job: "kubelet", instance: `${NODES[node].ip}:10250`, namespace: "kube-system", service: "kubelet", endpoint: "https-metrics", tier: "infra", node });
const pinger = (node: NodeName): Labels => ({
  job: "kube-ovn-pinger",
  instance: `10.42.0.${NODES[node].ip.slice(-2)}:8080`,
  namespace: "kube-system",
  pod: `kube-ovn-pinger-${node.slice(-2)}xx`,
  container: "pinger",
  service: "kube-ovn-pinger",
  endpoint: "metrics",
  tier: "infra",
  node,
});
/** kube-state-metrics target labels (honorLabels: a series' own node/namespace/pod win). */
const KSM_TARGET: Labels = { job: "kube-state-metrics", instance: "10.99.0.20:8080", namespace: "monitoring", pod: "kube-state-metrics-7d9f", container: "kube-state-metrics", service: "kube-state-metrics", endpoint: "http", tier: "infra" };
const ksm = (labels: Labels): Labels => ({ ...KSM_TARGET, ...labels });

/** `n` samples of a constant. */
const flat = (v: number, samples: number) => `${v}+0x${samples - 1}`;
/** A series scraped every `every` test steps, `samples` steps long, value `at(k)` for its k-th scrape. */
const sparse = (every: number, samples: number, at: (k: number) => number = () => 1) =>
  Array.from({ length: Math.ceil(samples / every) }, (_, k) => [String(at(k)), ...Array(every - 1).fill("_")].join(" ")).join(" ");
/** A 60s series inside a 30s test: a value every other step. */
const everyOther = (values: number[]) => values.map((v) => `${v} _`).join(" ");

/** Cluster-side series of a node: pool label, node info, Ready, up of kubelet, pinger, KSM. */
function clusterSeries(node: NodeName, samples: number, pool: string = NODES[node].pool): Series[] {
  return [
    { series: sel("kube_node_labels", ksm({ node, [POOL_LABEL]: pool })), values: flat(1, samples) },
    { series: sel("kube_node_info", ksm({ node, kernel_version: "6.1.0-25-amd64", os_image: "Debian GNU/Linux 12 (bookworm)" })), values: flat(1, samples) },
    { series: sel("kube_node_status_condition", ksm({ node, condition: "Ready", status: "true" })), values: flat(1, samples) },
    { series: sel("up", kubelet(node)), values: flat(1, samples) },
    { series: sel("up", pinger(node)), values: flat(1, samples) },
  ];
}
/** node_exporter up (infra + inventory) for the whole test. */
function exporterUp(node: NodeName, samples: number): Series[] {
  return [
    { series: sel("up", ne(node)), values: flat(1, samples) },
    { series: sel("up", inv(node)), values: everyOther(Array(Math.ceil(samples / 2)).fill(1)) },
  ];
}
const ksmUp = (samples: number): Series => ({ series: sel("up", { ...KSM_TARGET, node: "metal-01" }), values: flat(1, samples) });

/** Healthy NIC counters and link of a node (flat counters). */
function nicSeries(node: NodeName, samples: number, labels = ne(node)): Series[] {
  const dev = { ...labels, device: "enp65s0f0" };
  return [
    ...["receive_errs", "receive_fifo", "receive_drop", "transmit_errs", "transmit_drop", "transmit_fifo"].map((c) => ({ series: sel(`node_network_${c}_total`, dev), values: flat(0, samples) })),
    { series: sel("node_network_carrier_changes_total", dev), values: flat(2, samples) },
    { series: sel("node_network_carrier", dev), values: flat(1, samples) },
    { series: sel("node_network_speed_bytes", dev), values: flat(5e9, samples) },
    { series: sel("node_softnet_dropped_total", { ...labels, cpu: "0" }), values: flat(0, samples) },
  ];
}
/** CPU seconds counters (idle, steal) growing as a healthy 1-CPU sample would. */
function cpuSeries(node: NodeName, samples: number, stealPerStep = 0, labels = ne(node)): Series[] {
  return [
    { series: sel("node_cpu_seconds_total", { ...labels, cpu: "0", mode: "idle" }), values: `0+30x${samples - 1}` },
    { series: sel("node_cpu_seconds_total", { ...labels, cpu: "0", mode: "steal" }), values: `0+${stealPerStep}x${samples - 1}` },
  ];
}
const clockSeries = (node: NodeName, samples: number, labels = ne(node)): Series[] => [
  { series: sel("node_timex_offset_seconds", labels), values: flat(0.00002, samples) },
  { series: sel("node_timex_sync_status", labels), values: flat(1, samples) },
];

const pool = (n: NodeName) => NODES[n].pool;
const gateSample = (metric: string, gate: string, node: NodeName, value: number) => ({ labels: sel(metric, { gate, node, pool: pool(node), scope: "node" }), value });

const H = 120; // 30s samples per hour

/**
 * Alert expectations as ALERTS series, so the label set is compared exactly and the annotations
 * (text, not contract) are not: promtool's alert_rule_test compares both.
 */
function alertsToExprs(c: Case): Case {
  const exprs = (c.alert_rule_test ?? []).map((a) => ({
    expr: `ALERTS{alertname="${a.alertname}",alertstate="firing"}`,
    eval_time: a.eval_time,
    exp_samples: a.exp_alerts.map((e) => ({ labels: sel("ALERTS", { alertname: a.alertname, alertstate: "firing", ...e.exp_labels }), value: 1 })),
  }));
  const { alert_rule_test: _, ...rest } = c;
  return { ...rest, promql_expr_test: [...(c.promql_expr_test ?? []), ...exprs] };
}

/** All cases, one per fault and one near miss each. */
export function cases(): Case[] {
  return rawCases().map(alertsToExprs);
}

function rawCases(): Case[] {
  const out: Case[] = [];

  // Item 4 (+ item 3's identity question, two nodes): LabNicErrors / LabCpuSteal carry node and pool.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) s.push(...clusterSeries(node, n), ...exporterUp(node, n), ...clockSeries(node, n));
    s.push(...nicSeries("node-03", n), ...cpuSeries("node-03", n));
    const dev = { ...ne("node-02"), device: "enp65s0f0" };
    s.push(
      { series: sel("node_network_receive_errs_total", dev), values: `0x${H} 0+5x${H - 1}` },
      ...nicSeries("node-02", n).filter((x) => !x.series.startsWith("node_network_receive_errs_total")),
      ...cpuSeries("node-02", n, 3),
    );
    out.push({
      name: "item4: LabNicErrors and LabCpuSteal fire for node-02 only, labelled node and pool (not only instance); node-03 stays silent",
      interval: "30s",
      input_series: s,
      alert_rule_test: [
        { eval_time: "100m", alertname: "LabNicErrors", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", device: "enp65s0f0", counter: "receive_errs", severity: "warning", comparability: "true" } }] },
        { eval_time: "100m", alertname: "LabCpuSteal", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning", comparability: "true" } }] },
        { eval_time: "50m", alertname: "LabNicErrors", exp_alerts: [] },
      ],
      promql_expr_test: [
        { expr: 'lab:comparability_gate:failed{gate=~"nic|cpu_steal"}', eval_time: "100m", exp_samples: [gateSample("lab:comparability_gate:failed", "cpu_steal", "node-02", 1), gateSample("lab:comparability_gate:failed", "nic", "node-02", 1)] },
        { expr: 'lab:comparability_gate:ok{gate=~"nic|cpu_steal",scope="node",node="node-03"}', eval_time: "100m", exp_samples: [gateSample("lab:comparability_gate:ok", "cpu_steal", "node-03", 1), gateSample("lab:comparability_gate:ok", "nic", "node-03", 1)] },
      ],
    });
  }

  // Item 5: a 2-hour outage (down 1h, then gone 1h): one identity, firing throughout. Near miss:
  // node-03's exporter rolls over to a new pod (old target gone, new one up): silent.
  {
    const n = 3 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) s.push(...clusterSeries(node, n));
    s.push({ series: sel("up", ne("node-02")), values: `1x${H / 4} 0x${H}` }); // up 15m, down 60m, then no series
    s.push({ series: sel("up", ne("node-03", "node-exporter-03aa")), values: `1x${H}` });
    s.push({ series: sel("up", ne("node-03", "node-exporter-03bb")), values: `_x${H + 1} 1x${2 * H - 2}` });
    const firing = [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning" } }];
    out.push({
      name: "item5: LabNodeDown fires with one label set through a 2h outage (down, then target gone); an exporter rollout on node-03 stays silent",
      interval: "30s",
      input_series: s,
      alert_rule_test: ["10m", "30m", "60m", "76m", "90m", "106m", "120m", "136m", "150m", "170m"].map((t, i) => ({ eval_time: t, alertname: "LabNodeDown", exp_alerts: i === 0 ? [] : firing })),
    });
  }

  // Item 6: DaemonSet rollout (new pod name) in the middle of every gate's window: no duplicate match
  // group, gates keep evaluating and pass; a real change across the rollout still fails.
  {
    const n = 2 * H;
    const half = H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) s.push(...clusterSeries(node, n));
    for (const node of ["node-02", "node-03"] as const) {
      const a = `node-exporter-${node.slice(-2)}aa`;
      const b = `node-exporter-${node.slice(-2)}bb`;
      // each series of pod a runs for the first hour, pod b's from then on (same values: one identity)
      const split = (xs: Series[], pod: string, first: boolean) =>
        xs.map((x) => ({ series: x.series, values: first ? x.values.replace(/x\d+$/, `x${half - 1}`) : `_x${half} ${x.values.replace(/x\d+$/, `x${n - half - 1}`)}` }));
      const build = (labels: Labels) => [
        ...nicSeries(node, n, labels),
        ...clockSeries(node, n, labels),
        { series: sel("node_cpu_seconds_total", { ...labels, cpu: "0", mode: "steal" }), values: flat(100, n) },
        { series: sel("node_cpu_seconds_total", { ...labels, cpu: "0", mode: "idle" }), values: flat(1000, n) },
        { series: sel("up", labels), values: flat(1, n) },
        { series: sel("node_boot_time_seconds", labels), values: flat(1.7e9, n) },
      ];
      s.push(...split(build(ne(node, a)), a, true), ...split(build(ne(node, b)), b, false));
      s.push({ series: sel("up", inv(node, a)), values: everyOther(Array(half / 2).fill(1)) });
      s.push({ series: sel("up", inv(node, b)), values: `_x${half} ${everyOther(Array(half / 2).fill(1))}` });
    }
    // node-03: a real steal increase after the rollout must still fail
    const steal3 = s.findIndex((x) => x.series.includes('mode="steal"') && x.series.includes("node-exporter-03bb"));
    s[steal3] = { series: s[steal3].series, values: `_x${half} 100+3x${n - half - 1}` };
    out.push({
      name: "item6: an exporter rollout mid-window keeps nic, clock, cpu_steal, node_health (10m windows, at 64m) and scrape_completeness (100m, at 110m) evaluated and passing on node-02; real steal on node-03 after its rollout still fails",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        {
          expr: 'lab:comparability_gate:ok{scope="node",node="node-02",gate=~"nic|clock|cpu_steal|node_health"}',
          eval_time: "64m",
          exp_samples: ["clock", "cpu_steal", "nic", "node_health"].map((g) => gateSample("lab:comparability_gate:ok", g, "node-02", 1)),
        },
        // the 100m completeness window holds the rollout at 60m
        { expr: 'lab:comparability_gate:ok{scope="node",gate="scrape_completeness"}', eval_time: "110m", exp_samples: [gateSample("lab:comparability_gate:ok", "scrape_completeness", "node-02", 1), gateSample("lab:comparability_gate:ok", "scrape_completeness", "node-03", 1)] },
        { expr: 'lab:comparability_gate:failed{gate="cpu_steal"}', eval_time: "64m", exp_samples: [gateSample("lab:comparability_gate:failed", "cpu_steal", "node-03", 1)] },
      ],
      alert_rule_test: [
        { eval_time: "64m", alertname: "LabNicErrors", exp_alerts: [] },
        { eval_time: "110m", alertname: "LabNodeDown", exp_alerts: [] },
      ],
    });
  }

  // Item 6 (28-day window): calibration baseline with a rollout in the middle; a real drop fires.
  // What the nightly jobs write (issue 21): each step's run timestamp (a run every night at 02:00)
  // and every gated result; the rollout splits each series between the two exporter pods.
  {
    const days = 30;
    const n = days * 24; // hourly samples
    const half = 15 * 24;
    const s: Series[] = [];
    const inv1h = (node: NodeName, pod: string) => inv(node, pod);
    const runAt = (h: number) => (h < 2 ? "_" : String((Math.floor((h - 2) / 24) * 24 + 2) * 3600));
    const hours = (from: number, to: number, value: (h: number) => string) => Array.from({ length: to - from }, (_, i) => value(from + i));
    // A series as exporter pod a shows it before the rollout and pod b after (gaps as `_`).
    const split = (value: (h: number) => string) => [
      [...hours(0, half, value), ...hours(half, n, () => "_")].join(" "),
      [...hours(0, half, () => "_"), ...hours(half, n, value)].join(" "),
    ];
    const others: Record<string, number> = {
      lab_calibration_disk_read_latency_seconds: 9.5e-5, lab_calibration_disk_read_operations_per_second: 10400, lab_calibration_disk_write_throughput_bytes_per_second: 5.2e8,
      lab_calibration_cpu_operations_per_second: 2400, lab_calibration_memory_read_throughput_bytes_per_second: 1.1e10, lab_calibration_memory_write_throughput_bytes_per_second: 7.5e9,
    };
    for (const node of ["node-02", "node-03"] as const) {
      const peer = node === "node-02" ? "node-03" : "node-02";
      s.push({ series: sel("kube_node_labels", ksm({ node, [POOL_LABEL]: pool(node) })), values: flat(1, n) });
      const pods = [`node-exporter-${node.slice(-2)}aa`, `node-exporter-${node.slice(-2)}bb`];
      const add = (metric: string, labels: Labels, value: (h: number) => string) =>
        split(value).forEach((values, i) => s.push({ series: sel(metric, { ...inv1h(node, pods[i]), ...labels }), values }));
      for (const step of ["network", "disk", "compute"]) add("lab_calibration_last_run_timestamp_seconds", { step }, runAt);
      for (const [metric, value] of Object.entries(others)) add(metric, {}, (h) => (h < 2 ? "_" : String(value)));
      // node-02 keeps its throughput; node-03's drops to half on the last day
      add("lab_calibration_network_throughput_bytes_per_second", { peer }, (h) => (h < 2 ? "_" : node === "node-03" && h >= n - 30 ? "2e9" : "4e9"));
    }
    out.push({
      name: "item6: calibration baseline over 28 days with an exporter rollout in the middle stays one series; node-02 passes, node-03's 50% drop fails and fires LabBaselineDrift with node, pool, peer",
      interval: "1h",
      input_series: s,
      promql_expr_test: [
        { expr: 'count by (node) (lab:calibration_baseline:median{node="node-02",benchmark="network_throughput"})', eval_time: "714h", exp_samples: [{ labels: '{node="node-02"}', value: 1 }] },
        { expr: 'lab:comparability_gate:ok{scope="node",gate="calibration"}', eval_time: "714h", exp_samples: [gateSample("lab:comparability_gate:ok", "calibration", "node-02", 1), gateSample("lab:comparability_gate:ok", "calibration", "node-03", 0)] },
        { expr: 'count by (node, pool, peer) (ALERTS{alertname="LabBaselineDrift",alertstate="firing"})', eval_time: "714h", exp_samples: [{ labels: '{node="node-03",peer="node-02",pool="experiments"}', value: 1 }] },
      ],
    });
  }

  // Item 7: a gate that cannot be evaluated is unknown (-1), never comparable; a failure wins.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) s.push(...clusterSeries(node, n), ...exporterUp(node, n));
    s.push(...clockSeries("node-03", n)); // node-02 has no timex series at all
    out.push({
      name: "item7: node-02 without clock series has clock unknown and verdict -1 (pool -1); node-03 with them has clock evaluated (no unknown row for clock)",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        { expr: 'lab:comparability_gate:unknown{gate="clock"}', eval_time: "110m", exp_samples: [gateSample("lab:comparability_gate:unknown", "clock", "node-02", 1)] },
        { expr: 'lab:comparability_gate:ok{gate="clock",scope="node"}', eval_time: "110m", exp_samples: [gateSample("lab:comparability_gate:ok", "clock", "node-03", 1)] },
        { expr: 'lab:comparable{scope="node",node="node-02"}', eval_time: "110m", exp_samples: [{ labels: sel("lab:comparable", { node: "node-02", pool: "experiments", scope: "node" }), value: -1 }] },
        { expr: 'lab:comparable{scope="pool"}', eval_time: "110m", exp_samples: [{ labels: sel("lab:comparable", { pool: "experiments", scope: "pool" }), value: -1 }] },
      ],
    });
    const s2 = s.slice();
    s2.push(...cpuSeries("node-02", n, 3));
    out.push({
      name: "item7: a failed gate wins over an unknown one: node-02 with steal and no clock series is 0, not -1",
      interval: "30s",
      input_series: s2,
      promql_expr_test: [{ expr: 'lab:comparable{scope="node",node="node-02"}', eval_time: "110m", exp_samples: [{ labels: sel("lab:comparable", { node: "node-02", pool: "experiments", scope: "node" }), value: 0 }] }],
    });
  }

  // Item 8: one team's pod over its series limit, or down, touches no platform verdict; a platform target's drops do.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03", "node-06"] as const) s.push(...clusterSeries(node, n), ...exporterUp(node, n));
    const exp = (pod: string, node: NodeName, ip: string): Labels => ({ job: "experiment", instance: `${ip}:8008`, namespace: "nomos", pod, container: "bench", endpoint: "metrics", tier: "experiment", node });
    s.push({ series: sel("scrape_series_limit_samples_dropped", exp("nomos-bench-0", "node-03", "10.101.0.7")), values: `0x${H} 0+500x${H - 1}` });
    s.push({ series: sel("up", exp("nomos-bench-0", "node-03", "10.101.0.7")), values: flat(1, n) });
    s.push({ series: sel("up", exp("nomos-bench-1", "node-06", "10.101.0.8")), values: `1x${H / 2} 0x${H * 1.5 - 1}` });
    s.push({ series: sel("scrape_series_limit_samples_dropped", exp("nomos-bench-1", "node-06", "10.101.0.8")), values: flat(0, n) });
    s.push({ series: sel("scrape_series_limit_samples_dropped", ne("node-02")), values: flat(0, n) });
    s.push({ series: sel("scrape_series_limit_samples_dropped", ne("node-03")), values: flat(0, n) });
    s.push({ series: sel("scrape_series_limit_samples_dropped", ne("node-06")), values: flat(0, n) });
    out.push({
      name: "item8: nomos's pod over its series limit and another nomos pod down leave every node's scrape_completeness passing; the team's own alerts fire per namespace",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        {
          expr: 'lab:comparability_gate:ok{gate="scrape_completeness",scope="node"}',
          eval_time: "110m",
          exp_samples: (["node-02", "node-03", "node-06"] as const).map((nd) => gateSample("lab:comparability_gate:ok", "scrape_completeness", nd, 1)),
        },
      ],
      alert_rule_test: [
        { eval_time: "110m", alertname: "LabScrapeIncomplete", exp_alerts: [] },
        { eval_time: "110m", alertname: "LabExperimentSeriesDropped", exp_alerts: [{ exp_labels: { namespace: "nomos", pod: "nomos-bench-0", node: "node-03", pool: "experiments", severity: "warning", tier: "experiment" } }] },
        { eval_time: "110m", alertname: "LabExperimentTargetDown", exp_alerts: [{ exp_labels: { namespace: "nomos", pod: "nomos-bench-1", node: "node-06", pool: "nomos", job: "experiment", severity: "warning", tier: "experiment" } }] },
      ],
    });
    const s2 = s.map((x) => (x.series === sel("scrape_series_limit_samples_dropped", ne("node-02")) ? { series: x.series, values: `0x${H} 0+500x${H - 1}` } : x));
    out.push({
      name: "item8: node-02's own node_exporter over its series limit fails scrape_completeness on node-02 only and fires LabScrapeIncomplete for node-02",
      interval: "30s",
      input_series: s2,
      promql_expr_test: [
        { expr: 'lab:comparability_gate:failed{gate="scrape_completeness"}', eval_time: "110m", exp_samples: [gateSample("lab:comparability_gate:failed", "scrape_completeness", "node-02", 1)] },
      ],
      alert_rule_test: [{ eval_time: "110m", alertname: "LabScrapeIncomplete", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning", comparability: "true" } }] }],
    });
  }

  // Item 9: a kernel change on node-02 fails its version_drift; node-03 (unchanged, pool now mixed) passes;
  // the mixed pool is a warning alert.
  {
    const n = 3 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) {
      s.push(...clusterSeries(node, n), ...exporterUp(node, n));
      s.push({ series: sel("node_os_info", { ...inv(node), id: "debian", version_id: "12", name: "Debian GNU/Linux" }), values: everyOther(Array(n / 2).fill(1)) });
    }
    const uname = (node: NodeName, release: string) => sel("node_uname_info", { ...inv(node), release, machine: "x86_64", nodename: node, sysname: "Linux", version: "#1 SMP Debian", domainname: "(none)" });
    s.push({ series: uname("node-02", "6.1.0-25-amd64"), values: everyOther(Array(H / 4).fill(1)) });
    s.push({ series: uname("node-02", "6.1.0-26-amd64"), values: `_x${H / 2} ${everyOther(Array(n / 2 - H / 4).fill(1))}` });
    s.push({ series: uname("node-03", "6.1.0-25-amd64"), values: everyOther(Array(n / 2).fill(1)) });
    out.push({
      name: "item9: node-02's kernel change fails version_drift on node-02 only; node-03 in the now mixed pool passes; LabPoolKernelsMixed warns for the pool",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        { expr: 'lab:comparability_gate:ok{gate="version_drift",scope="node"}', eval_time: "170m", exp_samples: [gateSample("lab:comparability_gate:ok", "version_drift", "node-02", 0), gateSample("lab:comparability_gate:ok", "version_drift", "node-03", 1)] },
      ],
      alert_rule_test: [{ eval_time: "170m", alertname: "LabPoolKernelsMixed", exp_alerts: [{ exp_labels: { pool: "experiments", severity: "warning" } }] }],
    });
  }

  // Item 9/6: a CNI DaemonSet pod replaced with the same image (node-02) is no drift; a Kube-OVN
  // image upgrade on node-03 is.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    const half = H / 2;
    for (const node of ["node-02", "node-03"] as const) {
      s.push(...clusterSeries(node, n), ...exporterUp(node, n));
      s.push({ series: sel("node_os_info", { ...inv(node), id: "debian", version_id: "12", name: "Debian GNU/Linux" }), values: everyOther(Array(n / 2).fill(1)) });
      s.push({ series: sel("node_uname_info", { ...inv(node), release: "6.1.0-25-amd64", machine: "x86_64", nodename: node, sysname: "Linux", version: "#1 SMP Debian", domainname: "(none)" }), values: everyOther(Array(n / 2).fill(1)) });
      const cni = (pod: string, image: string, first: boolean): Series[] => {
        const podLabels = ksm({ namespace: "kube-system", pod, node, uid: `uid-${pod}` });
        const values = first ? `1x${half}` : `_x${half + 1} 1x${n - half - 2}`;
        return [
          { series: sel("kube_pod_info", { ...podLabels, created_by_kind: "DaemonSet", created_by_name: "kube-ovn-cni", host_ip: NODES[node].ip, pod_ip: NODES[node].ip, priority_class: "system-node-critical" }), values },
          { series: sel("kube_pod_container_info", { ...podLabels, container: "cni-server", image: image, image_spec: image, image_id: `${image}@sha256:${first ? "aa" : node === "node-02" ? "aa" : "bb"}`, container_id: `containerd://${pod}` }), values },
          { series: sel("kube_pod_container_status_restarts_total", { ...podLabels, container: "cni-server" }), values: first ? `0x${half}` : `_x${half + 1} 0x${n - half - 2}` },
        ];
      };
      const img = "docker.io/kubeovn/kube-ovn:v1.14.4";
      s.push(...cni(`kube-ovn-cni-${node.slice(-2)}aa`, img, true), ...cni(`kube-ovn-cni-${node.slice(-2)}bb`, node === "node-02" ? img : "docker.io/kubeovn/kube-ovn:v1.14.5", false));
    }
    out.push({
      name: "item9: a CNI pod replaced with the same image (node-02) passes version_drift and cni_restarts; a Kube-OVN image upgrade on node-03 fails version_drift",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        { expr: 'lab:comparability_gate:ok{gate="version_drift",scope="node"}', eval_time: "60m", exp_samples: [gateSample("lab:comparability_gate:ok", "version_drift", "node-02", 1), gateSample("lab:comparability_gate:ok", "version_drift", "node-03", 0)] },
        { expr: 'lab:comparability_gate:failed{gate="cni_restarts"}', eval_time: "60m", exp_samples: [] },
      ],
    });
  }

  // Item 10: receive_drop growing (LLDP) on a healthy node gates nothing; receive_fifo growing does.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) s.push(...clusterSeries(node, n), ...exporterUp(node, n), ...clockSeries(node, n), ...cpuSeries(node, n));
    const grow = (node: NodeName, counter: string) => (x: Series) =>
      x.series === sel(`node_network_${counter}_total`, { ...ne(node), device: "enp65s0f0" }) ? { series: x.series, values: `0+2x${n - 1}` } : x;
    s.push(...nicSeries("node-02", n).map(grow("node-02", "receive_drop")), ...nicSeries("node-03", n).map(grow("node-03", "receive_fifo")));
    out.push({
      name: "item10: receive_drop growing on node-02 (LLDP frames) keeps nic passing and LabNicErrors silent; receive_fifo growing on node-03 fails nic and fires",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        { expr: 'lab:comparability_gate:ok{gate="nic",scope="node"}', eval_time: "100m", exp_samples: [gateSample("lab:comparability_gate:ok", "nic", "node-02", 1), gateSample("lab:comparability_gate:ok", "nic", "node-03", 0)] },
      ],
      alert_rule_test: [{ eval_time: "100m", alertname: "LabNicErrors", exp_alerts: [{ exp_labels: { node: "node-03", pool: "experiments", device: "enp65s0f0", counter: "receive_fifo", severity: "warning", comparability: "true" } }] }],
    });
  }

  // Item 11: 1 missed inventory scrape per hour (60s tier): alert and gate agree at every instant.
  {
    const n = 4 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) s.push(...clusterSeries(node, n));
    s.push({ series: sel("up", ne("node-02")), values: flat(1, n) }, { series: sel("up", ne("node-03")), values: flat(1, n) }, { series: sel("up", inv("node-03")), values: everyOther(Array(n / 2).fill(1)) });
    // inventory samples at minute m (0..n/2-1); misses (up=0) at minutes 30, 90, 150, 210
    s.push({ series: sel("up", inv("node-02")), values: everyOther(Array.from({ length: n / 2 }, (_, m) => (m % 60 === 30 ? 0 : 1))) });
    const verdictAt = (t: string, failing: boolean): Case["promql_expr_test"] => [
      { expr: 'lab:comparability_gate:failed{gate="scrape_completeness"}', eval_time: t, exp_samples: failing ? [gateSample("lab:comparability_gate:failed", "scrape_completeness", "node-02", 1)] : [] },
    ];
    const alertAt = (t: string, failing: boolean) => ({ eval_time: t, alertname: "LabScrapeIncomplete", exp_alerts: failing ? [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning", comparability: "true" } }] : [] });
    // window 100m: at 160m it holds the misses at 90 and 150 (98%: fail); at 200m only 150 (99%: pass)
    out.push({
      name: "item11: one missed 60s inventory scrape per hour: gate and LabScrapeIncomplete both fail at 98% (160m) and both pass at 99% (200m)",
      interval: "30s",
      input_series: s,
      promql_expr_test: [...verdictAt("160m", true)!, ...verdictAt("200m", false)!],
      alert_rule_test: [alertAt("160m", true), alertAt("200m", false)],
    });
  }

  // Item 5/11 (gone, not down): a node's pinger or inventory target gone for the whole window is
  // missing data (docs: a target gone for a while counts as missing for that while); the node's
  // other targets are fine. Near miss: node-03, whose targets are all there.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03", "node-06"] as const) s.push(...clusterSeries(node, n).filter((x) => !(node !== "node-03" && x.series.startsWith("up{") && x.series.includes("kube-ovn-pinger"))));
    s.push(...exporterUp("node-03", n), { series: sel("up", ne("node-02")), values: flat(1, n) }, ...exporterUp("node-06", n).filter((x) => !x.series.includes("inventory")));
    s.push({ series: sel("up", pinger("node-06")), values: flat(1, n) });
    // node-02: no pinger target at all (pod evicted); node-06: no inventory target at all
    s.push({ series: sel("up", inv("node-02")), values: everyOther(Array(n / 2).fill(1)) });
    out.push({
      name: "item5: a node whose pinger or inventory target is gone for the whole window fails scrape_completeness (node-02, node-06); node-03 passes",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        { expr: 'lab:comparability_gate:ok{gate="scrape_completeness",scope="node"}', eval_time: "110m", exp_samples: [gateSample("lab:comparability_gate:ok", "scrape_completeness", "node-02", 0), gateSample("lab:comparability_gate:ok", "scrape_completeness", "node-03", 1), gateSample("lab:comparability_gate:ok", "scrape_completeness", "node-06", 0)] },
      ],
    });
  }

  // Item 5: a node whose node_exporter never ran (no target at all) is down too.
  {
    const n = H;
    const s: Series[] = [ksmUp(n), ...clusterSeries("node-06", n), ...clusterSeries("node-03", n), ...exporterUp("node-03", n)];
    out.push({
      name: "item5: node-06 in the cluster with no node_exporter target ever fires LabNodeDown with node and pool; node-03 silent",
      interval: "30s",
      input_series: s,
      alert_rule_test: [{ eval_time: "30m", alertname: "LabNodeDown", exp_alerts: [{ exp_labels: { node: "node-06", pool: "nomos", severity: "warning" } }] }],
    });
  }

  // Item 4: Ready/pressure alerts from kube-state-metrics (series carry KSM's own target labels) name node and pool.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-03"] as const) {
      s.push(...clusterSeries(node, n).filter((x) => !x.series.startsWith("kube_node_status_condition")), ...exporterUp(node, n));
      const bad = node === "node-02";
      const cond = (condition: string, status: string, v: number) => ({ series: sel("kube_node_status_condition", ksm({ node, condition, status })), values: flat(v, n) });
      s.push(cond("Ready", "true", bad ? 0 : 1), cond("Ready", "false", bad ? 1 : 0), cond("Ready", "unknown", 0));
      s.push(cond("MemoryPressure", "true", bad ? 1 : 0), cond("MemoryPressure", "false", bad ? 0 : 1), cond("MemoryPressure", "unknown", 0));
      s.push(cond("DiskPressure", "true", 0), cond("DiskPressure", "false", 1), cond("DiskPressure", "unknown", 0));
    }
    out.push({
      name: "item4: node-02 NotReady and under memory pressure: LabNodeNotReady and LabNodePressure carry node and pool (not KSM's pod or instance); node-03 silent",
      interval: "30s",
      input_series: s,
      alert_rule_test: [
        { eval_time: "60m", alertname: "LabNodeNotReady", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning" } }] },
        { eval_time: "60m", alertname: "LabNodePressure", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", condition: "MemoryPressure", severity: "info" } }] },
      ],
      promql_expr_test: [{ expr: 'lab:comparability_gate:failed{gate="node_health"}', eval_time: "60m", exp_samples: [gateSample("lab:comparability_gate:failed", "node_health", "node-02", 1)] }],
    });
  }

  // Item 6 (kube-state-metrics side): a KSM Deployment rollout with surge (old and new pod both
  // scraped for 2 minutes, each its own instance) is not a pool move and gives one series per node.
  {
    const n = 2 * H;
    const other = { ...KSM_TARGET, instance: "10.99.0.21:8080", pod: "kube-state-metrics-5c8b" };
    const s: Series[] = [];
    const twice = (x: Series): Series[] => {
      const m = /^(\w+)\{(.*)\}$/.exec(x.series)!;
      const swapped = m[2].replace('instance="10.99.0.20:8080"', `instance="${other.instance}"`).replace('pod="kube-state-metrics-7d9f"', `pod="${other.pod}"`);
      return [
        { series: x.series, values: x.values.replace(/x\d+$/, `x${H + 4}`) },
        { series: `${m[1]}{${swapped}}`, values: `_x${H} ${x.values.replace(/x\d+$/, `x${n - H - 1}`)}` },
      ];
    };
    s.push(...twice(ksmUp(n)).map((x, i) => (i === 1 ? { series: x.series.replace('node="metal-01"', 'node="metal-01"'), values: x.values } : x)));
    for (const node of ["node-02", "node-03"] as const) {
      const cluster = clusterSeries(node, n);
      s.push(...cluster.filter((x) => x.series.startsWith("up{")), ...cluster.filter((x) => !x.series.startsWith("up{")).flatMap(twice), ...exporterUp(node, n));
      s.push({ series: sel("node_boot_time_seconds", ne(node)), values: flat(1.7e9, n) });
    }
    out.push({
      name: "item6: a kube-state-metrics rollout with surge keeps assignment and node_health passing and one verdict per node",
      interval: "30s",
      input_series: s,
      promql_expr_test: [
        {
          expr: 'lab:comparability_gate:ok{scope="node",gate=~"assignment|node_health"}',
          eval_time: "64m",
          exp_samples: (["node-02", "node-03"] as const).flatMap((nd) => ["assignment", "node_health"].map((g) => ({ ...gateSample("lab:comparability_gate:ok", g, nd, 1), g }))).map(({ labels, value }) => ({ labels, value })),
        },
        { expr: 'count by (node) (lab:comparable{scope="node"})', eval_time: "64m", exp_samples: [{ labels: '{node="node-02"}', value: 1 }, { labels: '{node="node-03"}', value: 1 }] },
        { expr: 'lab:comparability_gate:failed', eval_time: "64m", exp_samples: [] },
      ],
    });
  }

  // Item 4/7: a node kube-state-metrics gives no pool label still alerts (without pool) and says why;
  // node-02 with its pool label does not trigger LabPoolLabelsMissing.
  {
    const n = H;
    const s: Series[] = [ksmUp(n), ...clusterSeries("node-02", n), ...exporterUp("node-02", n)];
    s.push(...clusterSeries("node-03", n).filter((x) => !x.series.startsWith("kube_node_labels")));
    s.push({ series: sel("kube_node_labels", ksm({ node: "node-03" })), values: flat(1, n) });
    out.push({
      name: "item4: node-03 without a pool label and without node_exporter fires LabPoolLabelsMissing and LabNodeDown (node, no pool); node-02 silent",
      interval: "30s",
      input_series: s,
      alert_rule_test: [
        { eval_time: "30m", alertname: "LabPoolLabelsMissing", exp_alerts: [{ exp_labels: { node: "node-03", severity: "warning" } }] },
        { eval_time: "30m", alertname: "LabNodeDown", exp_alerts: [{ exp_labels: { node: "node-03", severity: "warning" } }] },
      ],
    });
  }

  // Item 12 (+11): infra at 45s with every health default. Test steps of 15s: infra every 3rd step,
  // inventory (60s) every 4th. node-02 misses one inventory scrape per hour: gate and alert agree
  // (fail at 98% at 160m, pass at 99% at 200m); node-03, all targets up at 45s, passes throughout.
  {
    const steps = 4 * 240; // 4h of 15s steps
    const s: Series[] = [{ series: sel("up", { ...KSM_TARGET, node: "metal-01" }), values: sparse(3, steps) }];
    for (const node of ["node-02", "node-03"] as const) {
      s.push(
        ...clusterSeries(node, 1).map((x) => ({ series: x.series, values: sparse(3, steps) })),
        { series: sel("up", ne(node)), values: sparse(3, steps) },
        { series: sel("up", inv(node)), values: sparse(4, steps, (m) => (node === "node-02" && m % 60 === 30 ? 0 : 1)) },
      );
    }
    const failed = (t: string, f: boolean) => ({ expr: 'lab:comparability_gate:failed{gate="scrape_completeness"}', eval_time: t, exp_samples: f ? [gateSample("lab:comparability_gate:failed", "scrape_completeness", "node-02", 1)] : [] });
    const alert = (t: string, f: boolean) => ({ eval_time: t, alertname: "LabScrapeIncomplete", exp_alerts: f ? [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning", comparability: "true" } }] : [] });
    out.push({
      name: "item12: infra 45s with every health default: one missed inventory scrape per hour fails gate and alert together at 160m, both pass at 200m; node-03 passes",
      intervals: { infra: "45s", inventory: "60s" },
      interval: "15s",
      input_series: s,
      promql_expr_test: [
        failed("160m", true),
        failed("200m", false),
        { expr: 'lab:comparability_gate:ok{gate="scrape_completeness",node="node-03"}', eval_time: "160m", exp_samples: [gateSample("lab:comparability_gate:ok", "scrape_completeness", "node-03", 1)] },
      ],
      alert_rule_test: [alert("160m", true), alert("200m", false)],
    });
  }

  // Item 4: node-level lab alerts without pool on the down exporter; every alert has node and pool.
  {
    const n = 2 * H;
    const s: Series[] = [ksmUp(n)];
    for (const node of ["node-02", "node-06"] as const) s.push(...clusterSeries(node, n));
    s.push({ series: sel("up", ne("node-02")), values: `1x10 0x${n - 11}` }, { series: sel("up", ne("node-06")), values: flat(1, n) });
    s.push(
      { series: sel("node_timex_offset_seconds", ne("node-02")), values: flat(0.2, n) },
      { series: sel("node_timex_sync_status", ne("node-02")), values: flat(1, n) },
      ...clockSeries("node-06", n),
    );
    out.push({
      name: "item4: LabNodeDown and LabClockSkew on node-02 carry node and pool; node-06 (nomos, healthy) silent",
      interval: "30s",
      input_series: s,
      alert_rule_test: [
        { eval_time: "60m", alertname: "LabNodeDown", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning" } }] },
        { eval_time: "60m", alertname: "LabClockSkew", exp_alerts: [{ exp_labels: { node: "node-02", pool: "experiments", severity: "warning", comparability: "true" } }] },
      ],
    });
  }
  return out;
}
