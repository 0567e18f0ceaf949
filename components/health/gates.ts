/**
 * The comparability gates: for every node, is it fit to produce results that compare with other
 * weeks? Each gate is a list of failing conditions over raw series; a node with any present
 * condition fails the gate. The recording rules and the weekly report both build their PromQL here.
 *
 * Node identity: node_exporter series are mapped instance -> node through `node_uname_info`
 * (nodename = Kubernetes node name, as k3s registers the host name), and node -> pool through
 * kube-state-metrics' `kube_node_labels` (the pool label, sanitised). Gates without data for a node
 * pass; missing data is the completeness gate's business.
 */
import { pingerP99Over, type Baselines } from "./baselines";
import { CALIBRATION_RESULTS, type CalibrationResult } from "./calibration/results";
import type { HealthContext, PoolContext } from "./context";
import { assignmentGate } from "./lease-rules";
import { alternation, copyLabel, eq, ne, nre, re, selector, union, withLabel } from "./promql/build";

export const GATE_NAMES = [
  "clock", "cpu_governor", "cpu_frequency", "cpu_throttling", "cpu_steal", "foreign_load", "nic", "pinger", "calibration",
  "version_drift", "node_health", "cni_restarts", "scrape_completeness", "assignment",
] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** A failing condition: series present = failing, keyed by `instance` (node_exporter) or `node`. */
export interface FailPart {
  readonly by: "instance" | "node";
  readonly expr: string;
}

export interface Gate {
  readonly name: GateName;
  readonly title: string;
  /** The threshold in words, with the configured values. */
  readonly threshold: string;
  readonly source: string;
  readonly failing: readonly FailPart[];
}

/** instance -> node, for node_exporter targets; kept for a completeness window so a down exporter stays mapped. */
export function instanceNodeMap(ctx: HealthContext): string {
  return `max by (instance, node) (${copyLabel(`max_over_time(node_uname_info[${ctx.window.completeness}])`, "nodename", "node")})`;
}

/**
 * node -> pool from kube-state-metrics' node labels, optionally for one pool: the node's pool now,
 * else (kube-state-metrics down) its pool within the gate window. A node moved between pools (a
 * lease boundary) then still maps to one pool, so `group_left (pool)` joins never see two.
 */
export function nodePoolMap(ctx: HealthContext, pool?: string): string {
  const byPool = (expr: string) => `max by (node, pool) (${copyLabel(expr, ctx.ksmPoolLabel, "pool")})`;
  const labels = (matcher: string) => selector("kube_node_labels", [matcher]);
  const any = ne(ctx.ksmPoolLabel, "");
  const current = `(${byPool(labels(any))} or on (node) ${byPool(`max_over_time(${labels(any)}[${ctx.window.gate}])`)})`;
  if (!pool) return current;
  return `(${current} and on (node, pool) ${byPool(`max_over_time(${labels(eq(ctx.ksmPoolLabel, pool))}[${ctx.window.gate}])`)})`;
}

/** Per pod: its node (kube_pod_info), for joining cAdvisor and kube-state-metrics pod series. */
function podNode(matchers: readonly string[], at: (sel: string) => string = (sel) => sel): string {
  return `max by (namespace, pod, node) (${at(selector("kube_pod_info", matchers))})`;
}

const byInstance = (expr: string): FailPart => ({ by: "instance", expr });
const byNode = (expr: string): FailPart => ({ by: "node", expr });

/** Node-labelled copy of a per-src_node_name pinger series. */
function pingerBySource(expr: string): string {
  return copyLabel(expr, "src_node_name", "node");
}

/** Namespaces whose pods are not foreign on a pool's nodes. */
export function allowedNamespaces(ctx: HealthContext, pool: PoolContext): string[] {
  return [...new Set([...pool.teams, ...ctx.health.foreignLoad.systemNamespaces, ctx.monitoringNamespace, ctx.health.calibration.namespace])].sort();
}

function foreignLoad(ctx: HealthContext): FailPart[] {
  const { maxCores } = ctx.health.foreignLoad;
  const w = ctx.window.gate;
  return ctx.pools
    .filter((p) => p.teams.length > 0)
    .map((pool) => {
      const foreign = nre("namespace", alternation(allowedNamespaces(ctx, pool)));
      const cpu =
        `sum by (node) (sum by (namespace, pod) (rate(${selector("container_cpu_usage_seconds_total", [ne("container", ""), foreign])}[${w}]))` +
        ` * on (namespace, pod) group_left (node) ${podNode([foreign])}) > ${maxCores}`;
      const live = `max by (namespace, pod) (${selector("kube_pod_status_phase", [re("phase", "Pending|Running"), foreign])} == 1)`;
      const pods = `count by (node) (${podNode([foreign, ne("created_by_kind", "DaemonSet")])} * on (namespace, pod) group_left () ${live})`;
      return byNode(`(${union([cpu, pods])}) * on (node) group_left () ${nodePoolMap(ctx, pool.name)}`);
    });
}

/** Signed relative deviation of the current result from its baseline median (0.1 = 10% above). */
export function calibrationDeviation(ctx: HealthContext, baselines: Baselines, result: CalibrationResult): string {
  const current = withLabel(`last_over_time(${result.metric}[${ctx.calibrationMaxAge}])`, "benchmark", result.benchmark);
  return `${current} / on (instance, peer, benchmark) ${baselines.calibrationMedian(result.metric)} - 1`;
}

/** One condition per calibration result: current value off its baseline median by more than the tolerance. */
export function calibrationDrift(ctx: HealthContext, baselines: Baselines): FailPart[] {
  return CALIBRATION_RESULTS.map((r) => byInstance(`abs(${calibrationDeviation(ctx, baselines, r)}) > ${ctx.health.calibration.tolerance}`));
}

/** Builds an inventory expression from its selectors, each passed through `at` (now, or the reference time). */
type Inventory = (at: (sel: string) => string) => string;

/**
 * Inventory that must equal the reference: present = a value the reference did not have. A node
 * with no inventory at the reference time has nothing to drift from and passes (the weekly report
 * says separately when a node has no baseline week).
 */
function drift(inventory: Inventory, keys: readonly string[], by: "instance" | "node", baselines: Baselines): FailPart {
  const labels = [by, ...keys].join(", ");
  const now = `max by (${labels}) (${inventory((sel) => sel)})`;
  const then = `max by (${labels}) (${inventory(baselines.reference)})`;
  return { by, expr: `count by (${by}) ((${now} unless on (${labels}) ${then}) and on (${by}) ${then})` };
}

/** Nodes of pools whose members disagree on `keys` (e.g. two kernel releases in one pool). */
function heterogeneous(ctx: HealthContext, perNode: string, keys: readonly string[]): FailPart {
  const withPool = `${perNode} * on (node) group_left (pool) ${nodePoolMap(ctx)}`;
  const distinct = `count by (pool) (count by (pool, ${keys.join(", ")}) (${withPool})) > 1`;
  return byNode(`${nodePoolMap(ctx)} * on (pool) group_left () (${distinct})`);
}

function cniPods(ctx: HealthContext): string[] {
  return [eq("namespace", ctx.health.cni.namespace), re("pod", ctx.health.cni.pods)];
}

function cniImages(ctx: HealthContext): Inventory {
  return (at) =>
    `max by (node, container, image) (${at(selector("kube_pod_container_info", cniPods(ctx)))} * on (namespace, pod) group_left (node) ${podNode(cniPods(ctx), at)})`;
}

function completeness(ctx: HealthContext): FailPart[] {
  const c = ctx.window.completeness;
  const min = ctx.health.minAvailability;
  const availability = `avg by (instance) (avg_over_time(up[${c}]))`;
  const pingerNodes = `max by (instance, node) (${copyLabel(`max_over_time(pinger_ovs_up[${c}])`, "nodeName", "node")})`;
  const ksmTargets = `max by (instance) (max_over_time(kube_node_info[${c}]))`;
  const clusterWide = union([
    `max(${availability} * on (instance) group_left () ${ksmTargets}) < ${min}`,
    `sum(increase(vmagent_remotewrite_packets_dropped_total[${c}])) > 0`,
    `sum(sum_over_time(scrape_series_limit_samples_dropped[${c}])) > 0`,
  ]);
  return [
    byInstance(`${availability} < ${min}`),
    byNode(`(${availability} < ${min}) * on (instance) group_left (node) ${pingerNodes}`),
    byNode(`${nodePoolMap(ctx)} unless on (node) ${instanceNodeMap(ctx)}`),
    byNode(`${nodePoolMap(ctx)} and on () (${clusterWide})`),
  ];
}

/** Every gate with its failing conditions; `baselines` decides what calibration, pinger and drift compare with. */
export function gates(ctx: HealthContext, baselines: Baselines): Gate[] {
  const h = ctx.health;
  const w = ctx.window.gate;
  const nic = (metric: string) => selector(metric, [re("device", h.nic.devices)]);
  const frequency = `max by (node) (avg by (instance) (avg_over_time(node_cpu_scaling_frequency_hertz[${w}])) * on (instance) group_left (node) ${instanceNodeMap(ctx)})`;
  const frequencyInPool = `${frequency} * on (node) group_left (pool) ${nodePoolMap(ctx)}`;
  const nodeCondition = (condition: string, status: string) => selector("kube_node_status_condition", [re("condition", condition), eq("status", status)]);
  return [
    {
      name: "clock",
      title: "Clock synchronised, offset under threshold",
      threshold: `|node_timex_offset_seconds| < ${h.clock.maxOffsetSeconds} s and node_timex_sync_status = 1 over ${w}`,
      source: "1 ms: monitoring-and-health.md §3.5/§7.3 (chrony on a LAN is tens of µs); sync status: node-mixin NodeClockNotSynchronising",
      failing: [
        byInstance(`max_over_time(node_timex_offset_seconds[${w}]) >= ${h.clock.maxOffsetSeconds}`),
        byInstance(`min_over_time(node_timex_offset_seconds[${w}]) <= -${h.clock.maxOffsetSeconds}`),
        byInstance(`min_over_time(node_timex_sync_status[${w}]) == 0`),
      ],
    },
    {
      name: "cpu_governor",
      title: `CPU governor is ${h.cpu.governor}`,
      threshold: `node_cpu_scaling_governor{governor="${h.cpu.governor}"} = 1 on every CPU over ${w} (node_exporter >= 1.6)`,
      source: "google/benchmark docs/reducing_variance.md; monitoring-and-health.md §3.5",
      failing: [byInstance(`min_over_time(${selector("node_cpu_scaling_governor", [eq("governor", h.cpu.governor)])}[${w}]) == 0`)],
    },
    {
      name: "cpu_frequency",
      title: "CPU frequency matches the pool",
      threshold: `mean node_cpu_scaling_frequency_hertz within ${h.cpu.maxFrequencyDeviation * 100}% of the pool median over ${w}`,
      source: "project choice (monitoring-and-health.md §3.5: 5% of the hardware-class median)",
      failing: [byNode(`abs(${frequencyInPool} / on (pool) group_left () quantile by (pool) (0.5, ${frequencyInPool}) - 1) > ${h.cpu.maxFrequencyDeviation}`)],
    },
    {
      name: "cpu_throttling",
      title: "No thermal throttling",
      threshold: `no increase of node_cpu_core_throttles_total or node_cpu_package_throttles_total over ${w}`,
      source: "monitoring-and-health.md §3.5 (> 0 in the window)",
      failing: [
        byInstance(`sum by (instance) (increase(node_cpu_core_throttles_total[${w}])) > 0`),
        byInstance(`sum by (instance) (increase(node_cpu_package_throttles_total[${w}])) > 0`),
      ],
    },
    {
      name: "cpu_steal",
      title: "No CPU steal",
      threshold: `steal rate <= ${h.cpu.maxStealCores} cores over ${w}`,
      source: "monitoring-and-health.md §3.5/§7.3 (steal = 0 on bare metal)",
      failing: [byInstance(`sum by (instance) (rate(${selector("node_cpu_seconds_total", [eq("mode", "steal")])}[${w}])) > ${h.cpu.maxStealCores}`)],
    },
    {
      name: "foreign_load",
      title: "No foreign load on experiment nodes",
      threshold: `on pools with teams: CPU of pods outside the pool's teams and system namespaces <= ${h.foreignLoad.maxCores} cores over ${w}, and no such non-DaemonSet pod pending or running`,
      source: "monitoring-and-health.md §3.5/§7.3 (0.25 core; any foreign non-DaemonSet pod)",
      failing: foreignLoad(ctx),
    },
    {
      name: "nic",
      title: "Physical NICs clean and stable",
      threshold: `devices =~ "${h.nic.devices}": new errors <= ${h.nic.maxNewErrors}, new drops <= ${h.nic.maxNewDrops}, no speed or carrier change over ${w}`,
      source: "monitoring-and-health.md §3.5/§7.3 (any increase; node-mixin alerts only above 1% for 1h)",
      failing: [
        ...["receive", "transmit"].map((dir) => byInstance(`sum by (instance) (increase(${nic(`node_network_${dir}_errs_total`)}[${w}])) > ${h.nic.maxNewErrors}`)),
        ...["receive", "transmit"].map((dir) => byInstance(`sum by (instance) (increase(${nic(`node_network_${dir}_drop_total`)}[${w}])) > ${h.nic.maxNewDrops}`)),
        byInstance(`sum by (instance) (changes(${nic("node_network_speed_bytes")}[${w}])) > 0`),
        byInstance(`sum by (instance) (increase(${nic("node_network_carrier_changes_total")}[${w}])) > 0`),
      ],
    },
    {
      name: "pinger",
      title: "Kube-OVN pinger: no loss, latency at baseline",
      threshold: `loss ratio <= ${h.pinger.maxLossRatio} and pod-ping p99 <= ${h.pinger.maxP99Ratio} x baseline p99 over ${w}`,
      source: "project choice (monitoring-and-health.md §3.5/§7.3: loss = 0, p99 within 1.5x baseline)",
      failing: [
        ...(["pod", "node"] as const).map((kind) =>
          byNode(
            `sum by (node) (${pingerBySource(`increase(pinger_${kind}_ping_lost_total[${w}])`)})` +
              ` / sum by (node) (${pingerBySource(`increase(pinger_${kind}_ping_count_total[${w}])`)}) > ${h.pinger.maxLossRatio}`,
          ),
        ),
        byNode(`${pingerP99Over(`[${w}]`)} / on (node) ${baselines.pingerP99()} > ${h.pinger.maxP99Ratio}`),
      ],
    },
    {
      name: "calibration",
      title: "Calibration results at baseline",
      threshold: `every current lab_calibration_* result within ${h.calibration.tolerance * 100}% of its baseline median`,
      source: "g5k-checks testdisk (10%); CloudLab (Maricq et al., OSDI'18): per-node history of micro-benchmarks",
      failing: calibrationDrift(ctx, baselines),
    },
    {
      name: "version_drift",
      title: "No kernel, OS or CNI version drift",
      threshold: `kernel release, OS (id, version_id) and CNI images as they were ${ctx.window.drift} before (the weekly report: at the end of the baseline week), and one kernel release per pool`,
      source: "g5k-checks (kernel version vs reference); monitoring-and-health.md §3.5 (distinct values > 1 per class, or a change)",
      failing: [
        drift((at) => at("node_uname_info"), ["release"], "instance", baselines),
        drift((at) => at("node_os_info"), ["id", "version_id"], "instance", baselines),
        drift(cniImages(ctx), ["container", "image"], "node", baselines),
        heterogeneous(ctx, `max by (node, release) (max by (instance, release) (node_uname_info) * on (instance) group_left (node) ${instanceNodeMap(ctx)})`, ["release"]),
      ],
    },
    {
      name: "node_health",
      title: "Node Ready, no pressure, no reboot, no memory errors",
      threshold: `Ready and no Memory/Disk/PID pressure over ${w}; node_boot_time_seconds unchanged; no EDAC errors`,
      source: "kubernetes-mixin KubeNodeNotReady / KubeNodePressure; node-mixin; EDAC: monitoring-and-health.md §3.5",
      failing: [
        byNode(`min by (node) (min_over_time(${nodeCondition("Ready", "true")}[${w}])) == 0`),
        byNode(`max by (node) (max_over_time(${nodeCondition("MemoryPressure|DiskPressure|PIDPressure", "true")}[${w}])) == 1`),
        byInstance(`max by (instance) (changes(node_boot_time_seconds[${w}])) > 0`),
        byInstance(`sum by (instance) (increase(node_edac_correctable_errors_total[${w}])) > 0`),
        byInstance(`sum by (instance) (increase(node_edac_uncorrectable_errors_total[${w}])) > 0`),
      ],
    },
    {
      name: "cni_restarts",
      title: "CNI pods steady",
      threshold: `no restart of ${h.cni.namespace}/${h.cni.pods} and no OVS/OVN-controller down or inconsistent port binding over ${w}`,
      source: "monitoring-and-health.md §3.5 (kubernetes-mixin restarts; Kube-OVN pinger health gauges)",
      failing: [
        byNode(
          `sum by (node) (increase(${selector("kube_pod_container_status_restarts_total", cniPods(ctx))}[${w}])` +
            ` * on (namespace, pod) group_left (node) ${podNode(cniPods(ctx))}) > 0`,
        ),
        ...["pinger_ovs_down", "pinger_ovn_controller_down", "pinger_inconsistent_port_binding"].map((m) =>
          byNode(`max by (node) (${copyLabel(`max_over_time(${m}[${w}])`, "nodeName", "node")}) > 0`),
        ),
      ],
    },
    {
      name: "scrape_completeness",
      title: "Monitoring complete",
      threshold: `every node_exporter and pinger target of the node, and kube-state-metrics, up >= ${h.minAvailability} over ${ctx.window.completeness}; no vmagent remote-write drops or series-limit drops`,
      source: "monitoring-and-health.md §3.5/§7.3 (avg_over_time(up[w]) >= 0.99; a window with missing data is not comparable)",
      failing: completeness(ctx),
    },
    assignmentGate(ctx),
  ];
}

/** Failing nodes of a gate (label `node`), or undefined when the gate has no condition here. */
export function gateFailingNodes(ctx: HealthContext, gate: Gate): string | undefined {
  if (gate.failing.length === 0) return undefined;
  const parts = gate.failing.map((p) =>
    p.by === "node" ? `max by (node) (${p.expr})` : `max by (node) (max by (instance) (${p.expr}) * on (instance) group_left (node) ${instanceNodeMap(ctx)})`,
  );
  return `max by (node) (${union(parts)})`;
}

/** 1 (ok) or 0 (failing) for every node of every pool, labelled node, pool and gate. */
export function gateOkExpr(ctx: HealthContext, gate: Gate): string {
  const failing = gateFailingNodes(ctx, gate);
  const pools = nodePoolMap(ctx);
  const ok = failing ? `0 * ${failing} * on (node) group_left (pool) ${pools} or on (node) ${pools}` : pools;
  return withLabel(ok, "gate", gate.name);
}
