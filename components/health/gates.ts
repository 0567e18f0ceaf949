/**
 * The comparability gates: for every node, is it fit to produce results that compare with other
 * weeks? Each gate is data: the pools it applies to, the series whose presence means it can be
 * evaluated, and its failing conditions. The recording rules, the mirrored alerts and the weekly
 * report all build their PromQL here.
 *
 * A gate's state per node (gateStateExpr): 0 failed (a failing condition is present), 1 passed
 * (every input present, nothing failing), -1 unknown (inputs missing). Failing wins over missing
 * inputs: a clock 80 ms off is not comparable even if another input is absent.
 *
 * Node identity: every node-level series carries `node` (the stack's target label from discovery;
 * kube-state-metrics and the Kube-OVN pinger name the node themselves). Conditions aggregate
 * `by (node, ...)`, so a DaemonSet rollout (two targets of one node within a window, whatever their
 * pod labels) never makes a duplicate match group. node -> pool comes from kube-state-metrics'
 * `kube_node_labels` (the pool label, sanitised), at the instant of evaluation.
 */
import { pingerP99Over, recordedBaselines, type Baselines } from "./baselines";
import { IPERF_SERVER_CONTAINER } from "./calibration/jobs";
import { calibrationCurrent, calibrationNodeValue, calibrationNotApplicable } from "./calibration/promql";
import { CALIBRATION_RESULTS, type CalibrationResult } from "./calibration/results";
import { calibrationBands, type CalibrationBands } from "./calibration/tolerance";
import { minutesOfDay } from "../../config/health";
import type { HealthContext, PoolContext } from "./context";
import { durationSeconds } from "../../config/duration";
import { assignmentGate } from "./lease-rules";
import { alternation, copyLabel, eq, ne, nre, re, selector, union, withLabel } from "./promql/build";

export const GATE_NAMES = [
  "clock", "cpu_governor", "cpu_frequency", "cpu_throttling", "cpu_steal", "foreign_load", "nic", "pinger", "calibration",
  "version_drift", "node_health", "cni_restarts", "scrape_completeness", "assignment",
] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** Scrape tiers of the platform (never `experiment`: a team's targets cannot fail another team's verdict). */
export type PlatformTier = "infra" | "inventory";

/**
 * A failing condition: present = failing. `expr` is aggregated `by (node, ...detail)`; the detail
 * labels (device, benchmark, job...) say what failed and stay on the mirrored alert.
 */
export interface FailPart {
  readonly expr: string;
}

export interface Gate {
  readonly name: GateName;
  readonly title: string;
  /** The threshold in words, with the configured values. */
  readonly threshold: string;
  readonly source: string;
  /** Scrape tiers whose series the gate reads (kube-state-metrics and node_exporter are infra). */
  readonly tiers: readonly PlatformTier[];
  /** Pools the gate applies to; undefined: every pool. */
  readonly pools?: readonly string[];
  /** Node-labelled expressions that must all be present for the gate to evaluate (inputs, in words in `inputs`). */
  readonly evaluable: readonly string[];
  /** The inputs in words: what must exist for the node, else the gate is unknown. */
  readonly inputs: string;
  readonly failing: readonly FailPart[];
}

/** Recorded series the alerts and dashboards join on (the inventory group records them). */
export const NODE_POOL_SERIES = "lab:node_pool:info";

/** Pools selected by name (all pools with a pool label when `pools` is undefined). */
function poolMatcher(ctx: HealthContext, pools?: readonly string[]): string {
  return pools ? re(ctx.ksmPoolLabel, alternation(pools)) : ne(ctx.ksmPoolLabel, "");
}

/**
 * node -> pool from kube-state-metrics' node labels now (one pool per node: a window would give a
 * node that changed pools two), optionally for some pools only. Labels: node, pool.
 */
export function nodePoolMap(ctx: HealthContext, pools?: readonly string[]): string {
  return `max by (node, pool) (${copyLabel(selector("kube_node_labels", [poolMatcher(ctx, pools)]), ctx.ksmPoolLabel, "pool")})`;
}

/** Per pod: its node (kube_pod_info, now or at any time within `range`), for joining cAdvisor and kube-state-metrics pod series. */
function podNode(matchers: readonly string[], range?: string): string {
  const sel = selector("kube_pod_info", matchers);
  return `max by (namespace, pod, node) (${range ? `max_over_time(${sel}[${range}])` : sel})`;
}

const part = (expr: string): FailPart => ({ expr });

/** Present (1) per node when any series of `sel` had a sample within `w`. */
export function presentByNode(sel: string, w: string): string {
  return `max by (node) (present_over_time(${sel}[${w}]))`;
}

/** Node-labelled copy of a per-src_node_name pinger series. */
function pingerBySource(expr: string): string {
  return copyLabel(expr, "src_node_name", "node");
}

/** The calibration threshold in words, with the derived band multiples. */
export function calibrationThreshold(ctx: HealthContext): string {
  const g = ctx.health.calibration.gate;
  const b = calibrationBandsOf(ctx);
  const f = (x: number) => x.toFixed(2);
  return (
    `per gated result, against its own ${ctx.window.baseline} history on the node (median, robust scale s = IQR/1.349): ` +
    `fails when the current night is beyond median ± max(${f(b.night)} s, ${g.minRelativeBand * 100}%), or ${g.persistence.failing} of the last ${g.persistence.nights} nights are beyond median ± max(${f(b.persistence)} s, ${g.minRelativeBand * 100}%) on one side; ` +
    `c from a family-wise error of ${g.familyErrorRate} per node-week over ${b.tests} tests (Bonferroni); calibrated pools and their lease pools only`
  );
}

/**
 * Pools the calibration gate applies to: the calibrated pools, and the lease pool of every lease of
 * the config whose nodes come from one. Rules are planned at apply time; a lease that starts later
 * moves its nodes into `lease-<team>` at the boundary, and without this the gate would stop applying
 * to them until the next apply (a leased node would look comparable with no calibration at all).
 */
export function calibrationGatePools(ctx: HealthContext): string[] {
  const calibrated = ctx.pools.filter((p) => p.calibrated).map((p) => p.name);
  return [...new Set([...calibrated, ...ctx.calibratedLeasePools])].sort();
}

/** Namespaces whose pods are not foreign on a pool's nodes. */
export function allowedNamespaces(ctx: HealthContext, pool: PoolContext): string[] {
  return [...new Set([...pool.teams, ...ctx.health.foreignLoad.systemNamespaces, ctx.monitoringNamespace, ctx.health.calibration.namespace])].sort();
}

/** Pools that experiments run on: the ones a team uses. */
export function experimentPools(ctx: HealthContext): string[] {
  return ctx.pools.filter((p) => p.teams.length > 0).map((p) => p.name);
}

/**
 * Present (an empty-labelled 1) while the time of day is outside the calibration window, extended by
 * the gate window `w` (a rate over `w` still sees the window's last load): `hour()`/`minute()` of
 * the evaluation time, UTC, as the CronJobs' schedule is. The window may wrap midnight.
 */
export function outsideCalibrationWindow(ctx: HealthContext, w: string): string {
  const { start, end } = ctx.health.calibration.window;
  const s = minutesOfDay(start);
  const e = (minutesOfDay(end) + Math.ceil(durationSeconds(w) / 60)) % 1440;
  const m = "(hour() * 60 + minute())";
  if (s === e) return "vector(1)";
  return s < e ? `((${m} < ${s}) or (${m} >= ${e}))` : `((${m} >= ${e}) and (${m} < ${s}))`;
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
      // The calibration's iperf3 server runs with hostNetwork on every calibrated node, also a
      // dedicated one; outside the nightly window nothing of the lab sends to it, so its cpu then is
      // someone else's load on this node's NIC (issue 20 item 8), whatever its namespace.
      const calibration = [eq("namespace", ctx.health.calibration.namespace), eq("container", IPERF_SERVER_CONTAINER)];
      const iperf =
        `(sum by (node) (sum by (namespace, pod) (rate(${selector("container_cpu_usage_seconds_total", calibration)}[${w}]))` +
        ` * on (namespace, pod) group_left (node) ${podNode([eq("namespace", ctx.health.calibration.namespace)])}) > ${maxCores})` +
        ` and on () ${outsideCalibrationWindow(ctx, w)}`;
      return part(`max by (node) (${union([cpu, pods, iperf])}) and on (node) ${nodePoolMap(ctx, [pool.name])}`);
    });
}

/** Nights in a full baseline window (one run a night). */
function baselineWindowNights(ctx: HealthContext): number {
  return Math.round(durationSeconds(ctx.window.baseline) / 86400);
}

/** The band multiples of the gated results with the configured settings, for a baseline of `nights` nights (default: a full window). */
export function calibrationBandsOf(ctx: HealthContext, nights = baselineWindowNights(ctx)): CalibrationBands {
  return calibrationBands(ctx.health.calibration.gate, CALIBRATION_RESULTS.length, nights);
}

/**
 * Night counts at which a baseline's band multiple steps down: from minBaselineNights (the gate's
 * first night) over 14 to the full window. A baseline of n nights uses the multiple of the largest
 * step at or below n, so it is never narrower than the t prediction multiple its own n gives
 * (a young baseline's median and scale are less certain: with the default settings c_night is 9.67
 * at 7 nights, 5.69 at 14 and 4.63 at 28).
 */
export function calibrationBandSteps(ctx: HealthContext): number[] {
  const full = baselineWindowNights(ctx);
  const first = Math.min(ctx.health.calibration.gate.minBaselineNights, full);
  return [...new Set([first, ...(14 > first && 14 < full ? [14] : []), full])];
}

/**
 * The band multiple as PromQL, by node and benchmark: the full window's multiple, raised by a step
 * wherever the baseline has fewer nights (`nights < bool step`).
 */
function bandMultiple(ctx: HealthContext, baselines: Baselines, result: CalibrationResult, kind: "night" | "persistence"): string {
  const steps = calibrationBandSteps(ctx);
  const c = steps.map((n) => calibrationBandsOf(ctx, n)[kind]);
  const nights = `max by (node, benchmark) (${baselines.calibrationNights(result)})`;
  const raises = steps.slice(1).map((step, i) => ` + (${nights} < bool ${step}) * ${(c[i] - c[i + 1]).toFixed(4)}`);
  return `(${nights} * 0 + ${c[c.length - 1].toFixed(4)}${raises.join("")})`;
}

/** Signed relative deviation of the current result from its baseline median (0.1 = 10% above), by node, peer, benchmark. */
export function calibrationDeviation(ctx: HealthContext, baselines: Baselines, result: CalibrationResult): string {
  return `${calibrationCurrent(ctx, result)} / on (node, benchmark) group_left () ${baselines.calibrationMedian(result)} - 1`;
}

/** Half-width of a band: max(c × robust scale, minRelativeBand × median), labels node, benchmark; c by the baseline's nights (bandMultiple). */
function bandHalfWidth(ctx: HealthContext, baselines: Baselines, result: CalibrationResult, kind: "night" | "persistence"): string {
  const scaled = `${bandMultiple(ctx, baselines, result, kind)} * on (node, benchmark) ${baselines.calibrationScale(result)}`;
  const floor = `${ctx.health.calibration.gate.minRelativeBand} * ${baselines.calibrationMedian(result)}`;
  return `(${scaled} > on (node, benchmark) ${floor} or ${floor})`;
}

/**
 * The calibration gate's failing conditions, per gated result (labels node, benchmark; `peer` too on
 * the single-night test of the network): the current night beyond median ± c_night × scale (a gross
 * change fails at once), or at least k of the last m nights beyond median ± c_persist × scale on one
 * side (the (k − ½)/m quantile of the last m nights' hourly-sampled values crosses the band edge:
 * each night holds about 1/m of the samples). See calibration/tolerance.ts for c.
 */
export function calibrationDrift(ctx: HealthContext, baselines: Baselines): FailPart[] {
  return calibrationDriftByResult(ctx, baselines).flatMap((d) => d.parts);
}

/** calibrationDrift's conditions grouped by gated result: the single-night test and both sides of the persistence test. */
export function calibrationDriftByResult(ctx: HealthContext, baselines: Baselines): Array<{ readonly result: CalibrationResult; readonly parts: FailPart[] }> {
  const bands = calibrationBandsOf(ctx);
  const { nights } = ctx.health.calibration.gate.persistence;
  const q = bands.persistenceQuantile;
  return CALIBRATION_RESULTS.map((r) => {
    const median = baselines.calibrationMedian(r);
    // m nights less an hour: the point exactly m days old (a range's closed left end in Prometheus 2) belongs to the night before.
    const recent = baselines.calibrationHistory(r, `${nights * 24 - 1}h`);
    const night = bandHalfWidth(ctx, baselines, r, "night");
    const persist = bandHalfWidth(ctx, baselines, r, "persistence");
    return {
      result: r,
      parts: [
        part(`abs(${calibrationCurrent(ctx, r)} - on (node, benchmark) group_left () ${median}) > on (node, benchmark) group_left () ${night}`),
        part(`quantile_over_time(${q}, ${recent}) < on (node, benchmark) (${median} - on (node, benchmark) ${persist})`),
        part(`quantile_over_time(${1 - q}, ${recent}) > on (node, benchmark) (${median} + on (node, benchmark) ${persist})`),
      ],
    };
  });
}

/**
 * The calibration gate's failing conditions as the rules record them (rules.ts, group
 * lab-health-gates): one series per failing (node, benchmark), `peer` too on the network's
 * single-night test.
 */
export const CALIBRATION_FAILING_SERIES = "lab:calibration_gate:failing";

/**
 * The gates as the rules and alerts evaluate them (recorded baselines). The calibration gate reads
 * its failing conditions from CALIBRATION_FAILING_SERIES instead of inline: inline, its verdict
 * rule is about 20 KB of PromQL, over VictoriaMetrics' default query limit (-search.maxQueryLen,
 * 16384 bytes), which vmalert's queries must fit. vmalert sees a series recorded earlier in the
 * same group one evaluation (1 minute) later, like every verdict built on the gate series.
 */
export function ruleGates(ctx: HealthContext): Gate[] {
  return gates(ctx, recordedBaselines(ctx)).map((g) =>
    g.name === "calibration" ? { ...g, failing: [part(`max by (node, benchmark, peer) (${CALIBRATION_FAILING_SERIES})`)] } : g,
  );
}

/**
 * Per node, present when every gated result is current and has a baseline of at least
 * minBaselineNights nights, or cannot exist by design (no iperf3 peer in a single-node pool).
 */
function calibrationEvaluable(ctx: HealthContext, baselines: Baselines): string[] {
  const min = ctx.health.calibration.gate.minBaselineNights;
  return CALIBRATION_RESULTS.map((r) => {
    const ready = `max by (node) (${calibrationNodeValue(ctx, r)} and on (node, benchmark) (${baselines.calibrationNights(r)} >= ${min}))`;
    const exempt = calibrationNotApplicable(ctx, r);
    return exempt ? `(${ready} or ${exempt})` : ready;
  });
}

function cniPods(ctx: HealthContext): string[] {
  return [eq("namespace", ctx.health.cni.namespace), re("pod", ctx.health.cni.pods)];
}

/**
 * The node's own inventory changed within the window: more than one distinct value of `keys` seen
 * for it. Only the node itself: a pool with mixed kernels is the LabPoolKernelsMixed warning.
 */
function changedWithin(perNodeOverWindow: string, keys: readonly string[]): FailPart {
  return part(`count by (node) (count by (node, ${keys.join(", ")}) (${perNodeOverWindow})) > 1`);
}

/** Kernel releases per node, now or seen within a range (`7d`): for drift and the heterogeneity warning. */
export function kernelReleases(range?: string): string {
  return `max by (node, release) (${range ? `max_over_time(node_uname_info[${range}])` : "node_uname_info"})`;
}

/** The `up` series the completeness gate reads per node: node_exporter (both scrapes) and the Kube-OVN pinger. */
export function completenessTargets(): string[] {
  return [
    selector("up", [eq("job", "node-exporter"), ne("tier", "inventory")]),
    selector("up", [eq("job", "node-exporter"), eq("tier", "inventory")]),
    selector("up", [eq("job", "kube-ovn-pinger")]),
  ];
}

/**
 * Scrape slots of a node's infra-tier targets in the window: the most samples any of its platform
 * targets has (the kubelet's target exists while the Node does, and records up=0 when it cannot
 * reach it). A target that was gone for part of the window (evicted pod: no `up` at all) falls short
 * of it; the sample interval itself never enters, so the same expression holds at any interval.
 */
function scrapeSlots(w: string): string {
  return `max by (node) (count_over_time(${selector("up", [ne("node", ""), nre("tier", "inventory|experiment")])}[${w}]))`;
}

/**
 * Availability of a target kind per node over the completeness window: successful scrapes over the
 * node's scrape slots (or over the target's own samples, if more). A rollout (two targets of one
 * node, one after the other) counts once; a target gone for a while counts as down for that while.
 */
export function availability(ctx: HealthContext, up: string): string {
  const c = ctx.window.completeness;
  const own = `sum by (node) (count_over_time(${up}[${c}]))`;
  const slots = up.includes(`tier="inventory"`) ? own : `(${own} > ${scrapeSlots(c)} or ${scrapeSlots(c)})`;
  return `sum by (node) (sum_over_time(${up}[${c}])) / on (node) ${slots}`;
}

const PLATFORM_TIERS = `tier!="experiment"`;

/**
 * vmagent's own drop counters (VictoriaMetrics v1.133.0): remote-write packets dropped on overload
 * (app/vmagent/remotewrite/client.go L201), rows dropped by `-remoteWrite.maxDailySeries` /
 * `maxHourlySeries` (remotewrite.go L793-794), bytes dropped by a full persistent queue
 * (lib/persistentqueue/persistentqueue.go L158). Series-limit drops per target are
 * `scrape_series_limit_samples_dropped`, read per node below.
 */
export const VMAGENT_DROP_COUNTERS = [
  "vmagent_remotewrite_packets_dropped_total",
  "vmagent_daily_series_limit_rows_dropped_total",
  "vmagent_hourly_series_limit_rows_dropped_total",
  "vm_persistentqueue_bytes_dropped_total",
] as const;

/**
 * The teams' experiment vmagents (components/monitoring/team-vmagents.ts) are scraped as job
 * `vmagent-exp-<team>` (the operator's self-scrape names the job after the Service, operator v0.66.1
 * factory/vmagent/servicescrape.go L212-216). Their drops are the team's own (an alert), never a
 * platform verdict; every other vmagent counts as platform, so a changed job name fails safe.
 */
export const TEAM_VMAGENT_JOB = "vmagent-exp-(.+)";

function completeness(ctx: HealthContext): FailPart[] {
  const c = ctx.window.completeness;
  const min = ctx.health.minAvailability;
  const nodes = nodePoolMap(ctx);
  const ksm = selector("up", [eq("job", "kube-state-metrics")]);
  // Lab-wide conditions from platform targets only: every node's data went through them.
  const platformWide = union([
    `min(avg_over_time(${ksm}[${c}])) < ${min}`,
    `absent_over_time(${ksm}[${c}])`,
    // Every drop counter of the platform vmagent: a platform series lost anywhere is missing data.
    ...VMAGENT_DROP_COUNTERS.map((m) => `sum(increase(${selector(m, [nre("job", TEAM_VMAGENT_JOB)])}[${c}])) > 0`),
    `sum(sum_over_time(scrape_series_limit_samples_dropped{${PLATFORM_TIERS},node=""}[${c}])) > 0`,
  ]);
  return [
    ...completenessTargets().map((up) => part(`${availability(ctx, up)} < ${min}`)),
    // A target of the node gone altogether (no `up` within the window: pod evicted, never
    // rescheduled) is missing data like one gone for part of it; availability alone never sees it.
    ...completenessTargets().map((up) => part(`max by (node) (${nodes}) unless on (node) max by (node) (present_over_time(${up}[${c}]))`)),
    part(`sum by (node) (sum_over_time(scrape_series_limit_samples_dropped{${PLATFORM_TIERS},node!=""}[${c}])) > 0`),
    part(`max by (node) (${nodes}) and on () (${platformWide})`),
  ];
}

/**
 * Every gate that applies somewhere, with its inputs and failing conditions; `baselines` decides
 * what calibration and pinger compare with. A gate with no pool to apply to (no team pools, no
 * calibrated pools) or no condition here is left out: no series, no alert.
 */
export function gates(ctx: HealthContext, baselines: Baselines): Gate[] {
  return allGates(ctx, baselines).filter((g) => g.failing.length > 0 && (g.pools === undefined || g.pools.length > 0));
}

function allGates(ctx: HealthContext, baselines: Baselines): Gate[] {
  const h = ctx.health;
  const w = ctx.window.gate;
  const nic = (metric: string) => selector(metric, [re("device", h.nic.devices)]);
  const frequency = `avg by (node) (avg_over_time(node_cpu_scaling_frequency_hertz[${w}]))`;
  const frequencyInPool = `${frequency} * on (node) group_left (pool) ${nodePoolMap(ctx)}`;
  const nodeCondition = (condition: string, status: string) => selector("kube_node_status_condition", [re("condition", condition), eq("status", status)]);
  const lostTraffic = ["receive_errs", "receive_fifo", "transmit_errs", "transmit_drop", "transmit_fifo"];
  return [
    {
      name: "clock",
      title: "Clock synchronised, offset under threshold",
      threshold: `|node_timex_offset_seconds| < ${h.clock.maxOffsetSeconds} s and node_timex_sync_status = 1 over ${w}`,
      source: "1 ms: monitoring-and-health.md §3.5/§7.3 (chrony on a LAN is tens of µs); sync status: node-mixin NodeClockNotSynchronising",
      tiers: ["infra"],
      inputs: `node_timex_offset_seconds and node_timex_sync_status within ${w}`,
      evaluable: [presentByNode("node_timex_offset_seconds", w), presentByNode("node_timex_sync_status", w)],
      failing: [
        part(`max by (node) (max_over_time(node_timex_offset_seconds[${w}])) >= ${h.clock.maxOffsetSeconds}`),
        part(`min by (node) (min_over_time(node_timex_offset_seconds[${w}])) <= -${h.clock.maxOffsetSeconds}`),
        part(`min by (node) (min_over_time(node_timex_sync_status[${w}])) == 0`),
      ],
    },
    {
      name: "cpu_governor",
      title: `CPU governor is ${h.cpu.governor}`,
      threshold: `node_cpu_scaling_governor{governor="${h.cpu.governor}"} = 1 on every CPU over ${w} (node_exporter >= 1.6); experiment pools only`,
      source: "google/benchmark docs/reducing_variance.md; monitoring-and-health.md §3.5; the bootstrap sets it on experiment pools only",
      tiers: ["infra"],
      pools: experimentPools(ctx),
      inputs: `node_cpu_scaling_governor{governor="${h.cpu.governor}"} within ${w}`,
      evaluable: [presentByNode(selector("node_cpu_scaling_governor", [eq("governor", h.cpu.governor)]), w)],
      failing: [part(`min by (node) (min_over_time(${selector("node_cpu_scaling_governor", [eq("governor", h.cpu.governor)])}[${w}])) == 0`)],
    },
    {
      name: "cpu_frequency",
      title: "CPU frequency matches the pool",
      threshold: `mean node_cpu_scaling_frequency_hertz within ${h.cpu.maxFrequencyDeviation * 100}% of the pool median over ${w}`,
      source: "project choice (monitoring-and-health.md §3.5: 5% of the hardware-class median)",
      tiers: ["infra"],
      inputs: `node_cpu_scaling_frequency_hertz within ${w}`,
      evaluable: [presentByNode("node_cpu_scaling_frequency_hertz", w)],
      failing: [part(`max by (node) (abs(${frequencyInPool} / on (pool) group_left () quantile by (pool) (0.5, ${frequencyInPool}) - 1) > ${h.cpu.maxFrequencyDeviation})`)],
    },
    {
      name: "cpu_throttling",
      title: "No thermal throttling",
      threshold: `no increase of node_cpu_core_throttles_total or node_cpu_package_throttles_total over ${w}`,
      source: "monitoring-and-health.md §3.5 (> 0 in the window)",
      tiers: ["infra"],
      // The throttle counters exist only where the CPU reports throttling (Intel thermal_throttle): their absence is no missing data.
      inputs: `node_cpu_seconds_total within ${w} (node_exporter's cpu collector)`,
      evaluable: [presentByNode("node_cpu_seconds_total", w)],
      failing: [
        part(`sum by (node) (increase(node_cpu_core_throttles_total[${w}])) > 0`),
        part(`sum by (node) (increase(node_cpu_package_throttles_total[${w}])) > 0`),
      ],
    },
    {
      name: "cpu_steal",
      title: "No CPU steal",
      threshold: `steal rate <= ${h.cpu.maxStealCores} cores over ${w}`,
      source: "monitoring-and-health.md §3.5/§7.3 (steal = 0 on bare metal)",
      tiers: ["infra"],
      inputs: `node_cpu_seconds_total{mode="steal"} within ${w}`,
      evaluable: [presentByNode(selector("node_cpu_seconds_total", [eq("mode", "steal")]), w)],
      failing: [part(`sum by (node) (rate(${selector("node_cpu_seconds_total", [eq("mode", "steal")])}[${w}])) > ${h.cpu.maxStealCores}`)],
    },
    {
      name: "foreign_load",
      title: "No foreign load on experiment nodes",
      threshold:
        `on pools with teams: CPU of pods outside the pool's teams and system namespaces <= ${h.foreignLoad.maxCores} cores over ${w}, and no such non-DaemonSet pod pending or running; ` +
        `the calibration iperf3 server's CPU <= ${h.foreignLoad.maxCores} cores outside the calibration window ${h.calibration.window.start}-${h.calibration.window.end} UTC (+${w})`,
      source: "monitoring-and-health.md §3.5/§7.3 (0.25 core; any foreign non-DaemonSet pod)",
      tiers: ["infra"],
      pools: experimentPools(ctx),
      inputs: `kube_pod_info of pods on the node within ${w} (kube-state-metrics lists the node's pods)`,
      evaluable: [presentByNode("kube_pod_info", w)],
      failing: foreignLoad(ctx),
    },
    {
      name: "nic",
      title: "Physical NICs lose no traffic and stay stable",
      threshold:
        `devices =~ "${h.nic.devices}": increase of receive_errs, receive_fifo, transmit_errs, transmit_drop, transmit_fifo <= ${h.nic.maxNewErrors} and of node_softnet_dropped_total <= ${h.nic.maxNewDrops}, ` +
        `no speed or carrier change over ${w}; not receive_drop (it counts frames no protocol takes, e.g. LLDP)`,
      source:
        "Linux Documentation/networking/statistics.rst and include/uapi/linux/if_link.h (rx_dropped: received but not processed, e.g. unsupported protocol; rx_missed_errors/rx_fifo_errors: lost for lack of buffer); " +
        "net/core/dev.c __netif_receive_skb_core (no handler -> rx_dropped); node_exporter collector/netdev_common.go legacy(): receive_drop = rx_dropped + rx_missed_errors",
      tiers: ["infra"],
      inputs: `node_network_receive_errs_total on a device =~ "${h.nic.devices}" within ${w}`,
      evaluable: [presentByNode(nic("node_network_receive_errs_total"), w)],
      failing: [
        ...lostTraffic.map((counter) => part(withLabel(`sum by (node, device) (increase(${nic(`node_network_${counter}_total`)}[${w}])) > ${h.nic.maxNewErrors}`, "counter", counter))),
        part(withLabel(`sum by (node) (increase(node_softnet_dropped_total[${w}])) > ${h.nic.maxNewDrops}`, "counter", "softnet_dropped")),
        part(withLabel(`sum by (node, device) (changes(${nic("node_network_speed_bytes")}[${w}])) > 0`, "counter", "speed_changes")),
        part(withLabel(`sum by (node, device) (increase(${nic("node_network_carrier_changes_total")}[${w}])) > 0`, "counter", "carrier_changes")),
      ],
    },
    {
      name: "pinger",
      title: "Kube-OVN pinger: no loss, latency at baseline",
      threshold: `loss ratio <= ${h.pinger.maxLossRatio} and pod-ping p99 <= ${h.pinger.maxP99Ratio} x baseline p99 over ${w}`,
      source: "project choice (monitoring-and-health.md §3.5/§7.3: loss = 0, p99 within 1.5x baseline)",
      tiers: ["infra"],
      inputs: `pinger_pod_ping_count_total from the node within ${w}, and a baseline p99 for it`,
      evaluable: [`max by (node) (${pingerBySource(`present_over_time(pinger_pod_ping_count_total[${w}])`)})`, `max by (node) (${baselines.pingerP99()})`],
      failing: [
        ...(["pod", "node"] as const).map((kind) =>
          part(
            withLabel(
              `sum by (node) (${pingerBySource(`increase(pinger_${kind}_ping_lost_total[${w}])`)})` +
                ` / sum by (node) (${pingerBySource(`increase(pinger_${kind}_ping_count_total[${w}])`)}) > ${h.pinger.maxLossRatio}`,
              "check",
              `${kind}_ping_loss`,
            ),
          ),
        ),
        part(withLabel(`${pingerP99Over(`[${w}]`)} / on (node) ${baselines.pingerP99()} > ${h.pinger.maxP99Ratio}`, "check", "pod_ping_p99")),
      ],
    },
    {
      name: "calibration",
      title: "Calibration results at their own baseline",
      threshold: calibrationThreshold(ctx),
      source:
        "Maricq et al., OSDI'18 CONFIRM (per-node history, persistence); Hoefler & Belli, SC'15 (nonparametric, n > 5); Holm 1979 / Bonferroni (family-wise error per node-week); " +
        "robust scale IQR/1.349 (Rousseeuw & Croux 1993)",
      tiers: ["inventory"],
      pools: calibrationGatePools(ctx),
      inputs:
        `every gated lab_calibration_* result from a run at most ${ctx.calibrationMaxAge} old (lab_calibration_last_run_timestamp_seconds{step}) and not skipped, ` +
        `with a baseline of >= ${h.calibration.gate.minBaselineNights} nights; the network result is exempt on a node with no iperf3 peer (skipped reason no_peer)`,
      evaluable: calibrationEvaluable(ctx, baselines),
      failing: calibrationDrift(ctx, baselines),
    },
    {
      name: "version_drift",
      title: "No kernel, OS or CNI version change on the node",
      threshold: `one kernel release, one OS (id, version_id) and one image per CNI container seen for the node within ${ctx.window.drift}`,
      source: "g5k-checks (kernel version vs reference); monitoring-and-health.md §3.5 (a change within the class)",
      tiers: ["inventory", "infra"],
      inputs: `node_uname_info and node_os_info within ${w}`,
      evaluable: [presentByNode("node_uname_info", w), presentByNode("node_os_info", w)],
      failing: [
        changedWithin(kernelReleases(ctx.window.drift), ["release"]),
        changedWithin(`max by (node, id, version_id) (max_over_time(node_os_info[${ctx.window.drift}]))`, ["id", "version_id"]),
        part(
          `count by (node, container) (count by (node, container, image) (max_over_time(${selector("kube_pod_container_info", cniPods(ctx))}[${ctx.window.drift}])` +
            ` * on (namespace, pod) group_left (node) ${podNode(cniPods(ctx), ctx.window.drift)})) > 1`,
        ),
      ],
    },
    {
      name: "node_health",
      title: "Node Ready, no pressure, no reboot, no memory errors",
      threshold: `Ready and no Memory/Disk/PID pressure over ${w}; node_boot_time_seconds unchanged; no EDAC errors`,
      source: "kubernetes-mixin KubeNodeNotReady / KubeNodePressure; node-mixin; EDAC: monitoring-and-health.md §3.5",
      tiers: ["infra"],
      inputs: `kube_node_status_condition{condition="Ready"} and node_boot_time_seconds within ${w}`,
      evaluable: [presentByNode(nodeCondition("Ready", "true"), w), presentByNode("node_boot_time_seconds", w)],
      failing: [
        part(`min by (node) (min_over_time(${nodeCondition("Ready", "true")}[${w}])) == 0`),
        part(`max by (node) (max_over_time(${nodeCondition("MemoryPressure|DiskPressure|PIDPressure", "true")}[${w}])) == 1`),
        // max - min of the boot time over the window: a rollout's second series has the same value.
        part(`max by (node) (max_over_time(node_boot_time_seconds[${w}])) - min by (node) (min_over_time(node_boot_time_seconds[${w}])) > 0`),
        part(`sum by (node) (increase(node_edac_correctable_errors_total[${w}])) > 0`),
        part(`sum by (node) (increase(node_edac_uncorrectable_errors_total[${w}])) > 0`),
      ],
    },
    {
      name: "cni_restarts",
      title: "CNI pods steady",
      threshold: `no restart of ${h.cni.namespace}/${h.cni.pods} and no OVS/OVN-controller down or inconsistent port binding over ${w}`,
      source: "monitoring-and-health.md §3.5 (kubernetes-mixin restarts; Kube-OVN pinger health gauges)",
      tiers: ["infra"],
      inputs: `kube_pod_info of a ${h.cni.namespace}/${h.cni.pods} pod on the node within ${w}`,
      evaluable: [presentByNode(selector("kube_pod_info", cniPods(ctx)), w)],
      failing: [
        part(
          `sum by (node) (increase(${selector("kube_pod_container_status_restarts_total", cniPods(ctx))}[${w}])` +
            ` * on (namespace, pod) group_left (node) ${podNode(cniPods(ctx))}) > 0`,
        ),
        ...["pinger_ovs_down", "pinger_ovn_controller_down", "pinger_inconsistent_port_binding"].map((m) =>
          part(`max by (node) (${copyLabel(`max_over_time(${m}[${w}])`, "nodeName", "node")}) > 0`),
        ),
      ],
    },
    {
      name: "scrape_completeness",
      title: "Monitoring complete",
      threshold:
        `node_exporter (infra and inventory scrapes) and pinger targets of the node, and kube-state-metrics: successful scrapes >= ${h.minAvailability} of those ${ctx.window.completeness} should hold; ` +
        `the node's node_exporter target exists; no platform series-limit drops on the node's targets or lab-wide ones; no drop by the platform vmagent (remote-write overload, daily or hourly series limit, full persistent queue)`,
      source: "monitoring-and-health.md §3.5/§7.3 (availability >= 0.99 over the window; a window with missing data is not comparable); window: 100 scrapes of the slowest tier read (config/health.ts healthWindows)",
      tiers: ["infra", "inventory"],
      inputs: "the node is known to kube-state-metrics (always evaluated: missing targets fail it)",
      evaluable: [],
      failing: completeness(ctx),
    },
    assignmentGate(ctx),
  ];
}

/** Failing nodes of a gate with the parts' detail labels (device, benchmark...): what a mirrored alert fires on. */
export function gateFailingDetail(gate: Gate): string {
  return union(gate.failing.map((p) => p.expr));
}

/** Failing nodes of a gate (label `node`). */
export function gateFailingNodes(gate: Gate): string {
  return `max by (node) (${gateFailingDetail(gate)})`;
}

/** Nodes (labels node, pool) the gate applies to. */
export function gateApplies(ctx: HealthContext, gate: Gate): string {
  return nodePoolMap(ctx, gate.pools);
}

/** Nodes of `applies` whose inputs are all present. */
function gateEvaluated(gate: Gate, applies: string): string {
  return gate.evaluable.reduce((acc, e) => `${acc} and on (node) ${e}`, applies);
}

/**
 * The gate's verdict per applicable node, labelled node, pool and gate: 0 failed, 1 passed
 * (every input present and nothing failing), -1 unknown (an input missing). What the weekly report
 * evaluates over a week.
 */
export function gateStateExpr(ctx: HealthContext, gate: Gate): string {
  const applies = gateApplies(ctx, gate);
  const failed = `(0 * ${applies} and on (node) ${gateFailingNodes(gate)})`;
  const passed = `(${gateEvaluated(gate, applies)})`;
  return withLabel(`${failed} or ${passed} or (-1 * ${applies})`, "gate", gate.name);
}

/** The evaluated part of the state: 1 passed or 0 failed, for applicable nodes whose gate could be evaluated. */
export function gateOkExpr(ctx: HealthContext, gate: Gate): string {
  const applies = gateApplies(ctx, gate);
  const failed = `(0 * ${applies} and on (node) ${gateFailingNodes(gate)})`;
  return withLabel(`${failed} or (${gateEvaluated(gate, applies)})`, "gate", gate.name);
}
