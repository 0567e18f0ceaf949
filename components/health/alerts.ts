/**
 * Lab-health alerts. Every node-level alert is identified by `node` and `pool` (never only by an
 * address) and keeps that label set for the whole of an incident: expressions aggregate `by (node,
 * ...)`, so a DaemonSet rollout or a target that goes from down to gone does not change it.
 * Comparability alerts carry `comparability="true"`, which the monitoring layer's Alertmanager
 * routes to the experiments receiver; an alert that mirrors a gate is built from that gate's own
 * failing conditions (gates.ts), so alert and gate cannot disagree. Infra alerts keep the
 * node-mixin and kubernetes-mixin thresholds and durations (monitoring-and-health.md §4). Problems
 * of an experiment target go to its team (label `namespace`, tier="experiment"), never into the
 * lab's comparability.
 */
import type { HealthContext } from "./context";
import { gateFailingDetail, kernelReleases, nodePoolMap, ruleGates, TEAM_VMAGENT_JOB, type Gate, type GateName } from "./gates";
import { eq, labelReplace, ne, nre, re, selector } from "./promql/build";
import type { AlertingRule } from "./rules";

/** The label Alertmanager routes on. */
export const COMPARABILITY = { comparability: "true" } as const;

/** The label experiment-target alerts carry (the team is their `namespace`). */
export const EXPERIMENT_TIER = { tier: "experiment" } as const;

function comparability(severity: string): Record<string, string> {
  return { severity, ...COMPARABILITY };
}

/**
 * `expr` (labelled `node`) with the node's `pool` added. A node kube-state-metrics gives no pool
 * label keeps alerting, without `pool` (LabPoolLabelsMissing says why).
 */
export function withPool(ctx: HealthContext, expr: string): string {
  const pools = nodePoolMap(ctx);
  return `(${expr}) * on (node) group_left (pool) ${pools} or ((${expr}) unless on (node) ${pools})`;
}

/** An alert on a gate's own failing conditions, on the nodes the gate applies to; none when the gate applies nowhere. */
function mirror(ctx: HealthContext, gate: Gate | undefined, rule: Omit<AlertingRule, "expr">): AlertingRule[] {
  if (!gate) return [];
  const applies = nodePoolMap(ctx, gate.pools);
  return [{ ...rule, expr: `(${gateFailingDetail(gate)}) * on (node) group_left (pool) ${applies}` }];
}

const NODE_EXPORTER_UP = selector("up", [eq("job", "node-exporter")]);

export function alertRules(ctx: HealthContext): AlertingRule[] {
  const h = ctx.health;
  const byName = new Map(ruleGates(ctx).map((g) => [g.name, g] as const));
  const gate = (name: GateName) => byName.get(name);
  const experimentUp = selector("up", [eq("tier", "experiment")]);
  return [
    {
      alert: "LabNodeDown",
      // Down (up == 0) or gone (no node_exporter target for a node the cluster has): one label set for both.
      expr: withPool(ctx, `(max by (node) (${NODE_EXPORTER_UP}) == 0) or (max by (node) (kube_node_info) unless on (node) ${NODE_EXPORTER_UP})`),
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "node_exporter of {{ $labels.node }} ({{ $labels.pool }}) is down or gone",
        description: "The node_exporter target of node {{ $labels.node }} in pool {{ $labels.pool }} has been down or missing for 10 minutes (kubernetes-mixin TargetDown: 10m).",
      },
    },
    {
      alert: "LabNodeNotReady",
      expr: withPool(ctx, `max by (node) (${selector("kube_node_status_condition", [eq("condition", "Ready"), eq("status", "true")])}) == 0`),
      for: "15m",
      labels: { severity: "warning" },
      annotations: { summary: "{{ $labels.node }} ({{ $labels.pool }}) is not Ready", description: "Node {{ $labels.node }} in pool {{ $labels.pool }} has not been Ready for 15 minutes (kubernetes-mixin KubeNodeNotReady)." },
    },
    {
      alert: "LabNodePressure",
      expr: withPool(ctx, `max by (node, condition) (${selector("kube_node_status_condition", [re("condition", "MemoryPressure|DiskPressure|PIDPressure"), eq("status", "true")])}) == 1`),
      for: "10m",
      labels: { severity: "info" },
      annotations: {
        summary: "{{ $labels.node }} ({{ $labels.pool }}) has {{ $labels.condition }}",
        description: "Node {{ $labels.node }} in pool {{ $labels.pool }} reports {{ $labels.condition }} for 10 minutes (kubernetes-mixin KubeNodePressure).",
      },
    },
    {
      alert: "LabClockSkew",
      expr: withPool(ctx, `max by (node) (abs(node_timex_offset_seconds)) > ${h.clock.alertOffsetSeconds}`),
      for: "10m",
      labels: comparability("warning"),
      annotations: {
        summary: "Clock of {{ $labels.node }} ({{ $labels.pool }}) is off by more than " + h.clock.alertOffsetSeconds + " s",
        description: "|node_timex_offset_seconds| on {{ $labels.node }} has exceeded " + h.clock.alertOffsetSeconds + " s for 10 minutes (node-mixin NodeClockSkewDetected). Latency results from this node do not compare.",
      },
    },
    {
      alert: "LabClockUnsynchronised",
      expr: withPool(ctx, `min by (node) (min_over_time(node_timex_sync_status[5m])) == 0`),
      for: "10m",
      labels: comparability("warning"),
      annotations: {
        summary: "Clock of {{ $labels.node }} ({{ $labels.pool }}) is not synchronised",
        description: "node_timex_sync_status on {{ $labels.node }} has been 0 for 10 minutes (node-mixin NodeClockNotSynchronising): the kernel does not consider its clock synchronised.",
      },
    },
    ...mirror(ctx, gate("nic"), {
      alert: "LabNicErrors",
      for: "5m",
      labels: comparability("warning"),
      annotations: {
        summary: "{{ $labels.counter }} on {{ $labels.node }} ({{ $labels.pool }}) {{ $labels.device }}",
        description: "The nic gate fails on {{ $labels.node }}: {{ $labels.counter }} increased or changed on {{ $labels.device }} within " + ctx.window.gate + ". Network results from this node do not compare.",
      },
    }),
    ...mirror(ctx, gate("cpu_steal"), {
      alert: "LabCpuSteal",
      for: "5m",
      labels: comparability("warning"),
      annotations: {
        summary: "CPU steal on {{ $labels.node }} ({{ $labels.pool }})",
        description: "{{ $labels.node }} reports CPU steal above " + h.cpu.maxStealCores + " cores; bare metal has none, so something virtualises or misreports it.",
      },
    }),
    ...mirror(ctx, gate("scrape_completeness"), {
      alert: "LabScrapeIncomplete",
      labels: comparability("warning"),
      annotations: {
        summary: "Monitoring of {{ $labels.node }} ({{ $labels.pool }}) is incomplete",
        description:
          "The scrape_completeness gate fails on {{ $labels.node }}: its node_exporter or pinger targets (or kube-state-metrics) were up less than " +
          h.minAvailability * 100 + "% of the last " + ctx.window.completeness + ", or platform series were dropped. A window with missing data is not comparable.",
      },
    }),
    ...mirror(ctx, gate("calibration"), {
      alert: "LabBaselineDrift",
      labels: comparability("warning"),
      annotations: {
        summary: "{{ $labels.benchmark }} on {{ $labels.node }} ({{ $labels.pool }}) is off its baseline",
        description:
          "The {{ $labels.benchmark }} calibration results of {{ $labels.node }} {{ $labels.peer }} left the band of their own " + ctx.window.baseline + " history: " +
          "the latest night beyond the single-night band, or " + h.calibration.gate.persistence.failing + " of the last " + h.calibration.gate.persistence.nights + " nights beyond the persistence band.",
      },
    }),
    {
      alert: "LabPoolKernelsMixed",
      expr: `count by (pool) (count by (pool, release) (${kernelReleases()} * on (node) group_left (pool) ${nodePoolMap(ctx)})) > 1`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: "Pool {{ $labels.pool }} runs more than one kernel release",
        description: "The nodes of pool {{ $labels.pool }} run different kernel releases. Each node's own verdict is unaffected (version_drift fails only a node whose kernel changed), but results from different nodes of the pool may not compare.",
      },
    },
    {
      alert: "LabScrapeSeriesNearLimit",
      expr: withPool(
        ctx,
        `max by (job, instance, node, tier) (${selector("scrape_series_current", [ne("tier", "experiment")])}) / max by (job, instance, node, tier) (${selector("scrape_series_limit", [ne("tier", "experiment")])}) > 0.9`,
      ),
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.job }} {{ $labels.instance }} ({{ $labels.node }}) near its series limit",
        description: "Platform target {{ $labels.instance }} uses more than 90% of its series_limit; past it vmagent drops series and the scrape_completeness gate fails (monitoring-and-health.md §7.1).",
      },
    },
    {
      alert: "LabPoolLabelsMissing",
      expr: `max by (node) (kube_node_info) unless on (node) ${nodePoolMap(ctx)}`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "kube-state-metrics exposes no " + ctx.poolLabel + " label for {{ $labels.node }}",
        description: "kube_node_labels carries no " + ctx.ksmPoolLabel + " for {{ $labels.node }}: no gate applies to it and its alerts carry no pool. Check the node's label, and that kube-state-metrics runs with --metric-labels-allowlist=nodes=[" + ctx.poolLabel + "].",
      },
    },
    {
      alert: "LabExperimentTargetDown",
      // Per target while it exists: experiment pods come and go, so a pod that ended is not down.
      expr: withPool(ctx, `min by (namespace, pod, node, job) (avg_over_time(${experimentUp}[${ctx.window.completeness}])) < ${h.minAvailability}`),
      labels: { severity: "warning", ...EXPERIMENT_TIER },
      annotations: {
        summary: "Experiment target {{ $labels.namespace }}/{{ $labels.pod }} below " + h.minAvailability + " availability",
        description: "The metrics endpoint of {{ $labels.namespace }}/{{ $labels.pod }} on {{ $labels.node }} was up less than " + h.minAvailability * 100 + "% of the last " + ctx.window.completeness + ". This concerns the team's own data, not the lab's comparability.",
      },
    },
    {
      // A team's own vmagent at its daily series budget (team-series-budgets.ts): new series of that
      // team are dropped for up to 24h. Routed to the team by `namespace`; no verdict depends on it.
      alert: "LabExperimentSeriesBudgetExhausted",
      expr: labelReplace(
        `sum by (job) (increase(${selector("vmagent_daily_series_limit_rows_dropped_total", [re("job", TEAM_VMAGENT_JOB)])}[${ctx.window.completeness}])) > 0`,
        "namespace",
        "$1",
        "job",
        TEAM_VMAGENT_JOB,
      ),
      labels: { severity: "warning", ...EXPERIMENT_TIER },
      annotations: {
        summary: "Team {{ $labels.namespace }} reached its daily series budget",
        description: "The experiment vmagent of {{ $labels.namespace }} dropped new series past its -remoteWrite.maxDailySeries within " + ctx.window.completeness + " (the team's share of lab:monitoring.seriesBudgets.experimentDailySeries by cpu quota). Only this team's new series are lost; other teams and the platform have their own budgets.",
      },
    },
    {
      // The platform vmagent near its own budget: past it the scrape_completeness gate fails everywhere.
      alert: "LabPlatformSeriesBudgetNearLimit",
      expr: `max by (job) (${selector("vmagent_daily_series_limit_current_series", [nre("job", TEAM_VMAGENT_JOB)])}) / max by (job) (${selector("vmagent_daily_series_limit_max_series", [nre("job", TEAM_VMAGENT_JOB)])}) > 0.9`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.job }} uses more than 90% of its daily series budget",
        description: "The platform vmagent sent more than 90% of lab:monitoring.seriesBudgets.dailySeries unique series in the last 24h; past it new platform series are dropped and the scrape_completeness gate fails on every node.",
      },
    },
    {
      alert: "LabExperimentSeriesDropped",
      expr: withPool(ctx, `sum by (namespace, pod, node) (sum_over_time(${selector("scrape_series_limit_samples_dropped", [eq("tier", "experiment")])}[${ctx.window.completeness}])) > 0`),
      labels: { severity: "warning", ...EXPERIMENT_TIER },
      annotations: {
        summary: "Experiment target {{ $labels.namespace }}/{{ $labels.pod }} over its series limit",
        description: "vmagent dropped samples of {{ $labels.namespace }}/{{ $labels.pod }} past its series_limit within " + ctx.window.completeness + ". The team's own data is incomplete; the lab's comparability is not affected.",
      },
    },
  ];
}
