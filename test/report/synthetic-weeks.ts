/**
 * Two synthetic weeks of raw series, as VictoriaMetrics /api/v1/import JSON lines: a clean baseline
 * week, then a week in which node-03 has a 20 ms clock skew for three hours on Wednesday and its
 * iperf3 bandwidth drops by a third from Thursday's calibration run on, and node-06 skips its
 * calibration from Friday's run on (its runs write only their status). Every node has the inputs of every gate (node_exporter, pinger,
 * kube-state-metrics, nightly calibration), labelled as scraped, with a little deterministic noise.
 */
import type { IsoWeek } from "../../tools/report/iso-week";
import { random } from "../../tools/monitoring/synthetic";

export const STEP = 120; // seconds between samples

export const LAB_NODES = [
  { node: "node-01", pool: "control", peer: undefined },
  { node: "node-02", pool: "experiments", peer: "node-03" },
  { node: "node-03", pool: "experiments", peer: "node-02" },
  { node: "node-06", pool: "nomos", peer: undefined },
] as const;

export interface Faults {
  /** node-03's clock is 20 ms off in [from, to). */
  readonly skew: { readonly from: number; readonly to: number };
  /** From this time on, node-03's calibration throughput is 0.8e9 instead of ~1.2e9 bytes/s. */
  readonly bandwidthDropFrom: number;
  /** From this time on node-06's runs are skipped: status (skipped 1, run timestamp) and no result. */
  readonly calibrationSkippedFrom: number;
}

/** Wednesday 10:00-13:00 UTC skew and a bandwidth drop from Thursday 02:10 UTC of the faulty week. */
export function faultsIn(week: IsoWeek): Faults {
  return {
    skew: { from: week.start + 2 * 86400 + 10 * 3600, to: week.start + 2 * 86400 + 13 * 3600 },
    bandwidthDropFrom: week.start + 3 * 86400 + 2 * 3600 + 600,
    calibrationSkippedFrom: week.start + 4 * 86400 + 2 * 3600,
  };
}

function noise(seed: number): () => number {
  const next = random(seed);
  return () => next() - 0.5;
}

function line(metric: Record<string, string>, from: number, to: number, value: (t: number) => number): string {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = from; t < to; t += STEP) {
    timestamps.push(t * 1000);
    values.push(value(t));
  }
  return JSON.stringify({ metric, values, timestamps });
}

/** Target labels as scraped (the VM operator's and the stack's; see test/health/series.ts). */
function exporterTarget(node: string, i: number, tier: string): Record<string, string> {
  return { job: "node-exporter", instance: `192.0.2.${11 + i}:9100`, namespace: "monitoring", node, tier };
}
const KSM = { job: "kube-state-metrics", instance: "10.42.0.9:8080", namespace: "monitoring", tier: "infra" };

/** Import lines from a day before `baseline` to the end of `week`; faults only inside `week`. */
export function syntheticWeeks(baseline: IsoWeek, week: IsoWeek): string[] {
  const from = baseline.start - 86400;
  const to = week.end;
  const faults = faultsIn(week);
  const lines: string[] = [];
  LAB_NODES.forEach(({ node, pool, peer }, i) => {
    const ne = exporterTarget(node, i, "infra");
    const inv = exporterTarget(node, i, "inventory");
    const pinger = { job: "kube-ovn-pinger", instance: `10.42.${i}.5:8080`, namespace: "kube-system", node, tier: "infra" };
    const cni = { namespace: "kube-system", pod: `kube-ovn-cni-${node}` };
    const experimentPool = pool !== "control";
    const jitter = noise(1000 + i);
    lines.push(
      line({ __name__: "kube_node_labels", node, label_lab_vac_dev_pool: pool, ...KSM }, from, to, () => 1),
      line({ __name__: "kube_node_info", node, ...KSM }, from, to, () => 1),
      line({ __name__: "kube_node_status_condition", node, condition: "Ready", status: "true", ...KSM }, from, to, () => 1),
      line({ __name__: "kube_pod_info", ...KSM, ...cni, node, created_by_kind: "DaemonSet" }, from, to, () => 1),
      line({ __name__: "kube_pod_container_info", ...KSM, ...cni, container: "cni-server", image: "docker.io/kubeovn/kube-ovn:v1.15.4" }, from, to, () => 1),
      line({ __name__: "kube_pod_container_status_restarts_total", ...KSM, ...cni, container: "cni-server" }, from, to, () => 0),
      line({ __name__: "up", ...ne }, from, to, () => 1),
      line({ __name__: "up", ...inv }, from, to, () => 1),
      line({ __name__: "up", job: "kubelet", instance: `192.0.2.${11 + i}:10250`, node, tier: "infra" }, from, to, () => 1),
      line({ __name__: "node_uname_info", nodename: node, release: "6.1.0-31-amd64", ...inv }, from, to, () => 1),
      line({ __name__: "node_os_info", id: "debian", version_id: "12", ...inv }, from, to, () => 1),
      line({ __name__: "node_boot_time_seconds", ...ne }, from, to, () => 1.7e9),
      line({ __name__: "node_timex_sync_status", ...ne }, from, to, () => 1),
      line({ __name__: "node_timex_offset_seconds", ...ne }, from, to, (t) =>
        node === "node-03" && t >= faults.skew.from && t < faults.skew.to ? 0.02 : 0.00002 + 0.00002 * jitter(),
      ),
      line({ __name__: "node_cpu_scaling_governor", cpu: "0", governor: "performance", ...ne }, from, to, () => (experimentPool ? 1 : 0)),
      line({ __name__: "node_cpu_scaling_frequency_hertz", cpu: "0", ...ne }, from, to, () => 3e9),
      line({ __name__: "node_cpu_seconds_total", cpu: "0", mode: "steal", ...ne }, from, to, () => 0),
      line({ __name__: "node_network_receive_errs_total", device: "enp65s0f0", ...ne }, from, to, () => 2),
      // LLDP and other frames no protocol takes: rx_dropped grows on healthy nodes, and is no gate.
      line({ __name__: "node_network_receive_drop_total", device: "enp65s0f0", ...ne }, from, to, (t) => 7 + Math.floor((t - from) / 30)),
      line({ __name__: "up", ...pinger }, from, to, () => 1),
      line({ __name__: "pinger_pod_ping_count_total", src_node_name: node, target_node_name: "node-02", ...pinger }, from, to, (t) => (t - from) / 5),
      line({ __name__: "pinger_pod_ping_lost_total", src_node_name: node, target_node_name: "node-02", ...pinger }, from, to, () => 0),
      ...["0.5", "1", "+Inf"].map((le) =>
        line({ __name__: "pinger_pod_ping_latency_ms_bucket", src_node_name: node, target_node_name: "node-02", le, ...pinger }, from, to, (t) => (t - from) / 5),
      ),
    );
    if (experimentPool) lines.push(...calibrationLines(node, i, peer, inv, from, to, faults));
  });
  lines.push(line({ __name__: "up", ...KSM }, from, to, () => 1));
  lines.push(line({ __name__: "vmagent_remotewrite_packets_dropped_total", instance: "10.99.0.5:8429", job: "vmagent", tier: "infra" }, from, to, () => 0));
  return lines;
}

/** Each gated result's level in the fixtures (base units) besides the throughput, and its night-to-night spread. */
const LEVELS: ReadonlyArray<readonly [string, string, number, number]> = [
  ["lab_calibration_disk_read_latency_seconds", "disk", 9.5e-5, 0.02],
  ["lab_calibration_disk_read_operations_per_second", "disk", 10400, 0.02],
  ["lab_calibration_disk_write_throughput_bytes_per_second", "disk", 5.2e8, 0.02],
  ["lab_calibration_cpu_operations_per_second", "compute", 1360, 0.01],
  ["lab_calibration_memory_read_throughput_bytes_per_second", "compute", 1.1e10, 0.01],
  ["lab_calibration_memory_write_throughput_bytes_per_second", "compute", 7.5e9, 0.01],
];

/** Unix time of the newest 02:10 run at or before `t`. */
const runAt = (t: number) => Math.floor((t - 2 * 3600 - 600) / 86400) * 86400 + 2 * 3600 + 600;

/**
 * What the nightly calibration writes on a node (components/health/calibration/scripts.ts): per step
 * its run timestamp and `lab_calibration_skipped{step,reason}`, and every gated result. node-06 is
 * alone in its pool: its network step is skipped (no_peer) every night. From
 * faults.calibrationSkippedFrom on, node-06's runs are skipped (a team pod ran): status only, from the run on.
 */
function calibrationLines(node: string, i: number, peer: string | undefined, inv: Record<string, string>, from: number, to: number, faults: Faults): string[] {
  // The first run at or after the fault: it writes the skip and removes the results.
  const firstRun = runAt(faults.calibrationSkippedFrom) < faults.calibrationSkippedFrom ? runAt(faults.calibrationSkippedFrom) + 86400 : runAt(faults.calibrationSkippedFrom);
  const skippedFrom = node === "node-06" ? firstRun : Infinity;
  const lines: string[] = [];
  for (const step of ["network", "disk", "compute"]) {
    const noPeer = step === "network" && !peer;
    lines.push(line({ __name__: "lab_calibration_last_run_timestamp_seconds", step, ...inv }, from, to, runAt));
    if (noPeer) lines.push(line({ __name__: "lab_calibration_skipped", step, reason: "no_peer", ...inv }, from, to, () => 1));
    else {
      lines.push(line({ __name__: "lab_calibration_skipped", step, reason: "none", ...inv }, from, Math.min(to, skippedFrom), () => 0));
      if (skippedFrom < to) lines.push(line({ __name__: "lab_calibration_skipped", step, reason: "team_pods", ...inv }, skippedFrom, to, () => 1));
    }
  }
  LEVELS.forEach(([metric, , level, spread], k) => {
    lines.push(line({ __name__: metric, ...inv }, from, Math.min(to, skippedFrom), (t) => level * (1 + spread * daily(t, i + 10 * (k + 1)))));
  });
  if (peer) {
    lines.push(
      line({ __name__: "lab_calibration_network_throughput_bytes_per_second", peer, ...inv }, from, to, (t) =>
        node === "node-03" && t >= faults.bandwidthDropFrom ? 0.8e9 * (1 + 0.01 * daily(t, i)) : 1.2e9 * (1 + 0.02 * daily(t, i)),
      ),
    );
  }
  return lines;
}

/** A result that changes once a day at the 02:10 calibration run: noise in [-0.5, 0.5), fixed per day and node. */
function daily(t: number, node: number): number {
  const run = Math.floor((t - 2 * 3600 - 600) / 86400);
  return noise(run * 31 + node)();
}
