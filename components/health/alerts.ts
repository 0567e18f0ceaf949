/**
 * Lab-health alerts. Comparability alerts carry `comparability="true"`, which the monitoring layer's
 * Alertmanager routes to the experiments receiver; infra alerts keep the node-mixin and
 * kubernetes-mixin thresholds and durations (monitoring-and-health.md §4).
 */
import { recordedBaselines } from "./baselines";
import type { HealthContext } from "./context";
import { calibrationDrift } from "./gates";
import { eq, ne, re, selector, union, withLabel } from "./promql/build";
import type { AlertingRule } from "./rules";

/** The label Alertmanager routes on. */
export const COMPARABILITY = { comparability: "true" } as const;

const NODE_INSTANCE = "lab:node_instance:info";
const NODE_POOL = "lab:node_pool:info";

function comparability(severity: string): Record<string, string> {
  return { severity, ...COMPARABILITY };
}

export function alertRules(ctx: HealthContext): AlertingRule[] {
  const h = ctx.health;
  const w = ctx.window.gate;
  const nic = (metric: string) => selector(metric, [re("device", h.nic.devices)]);
  const nicCounters = ["receive_errs", "transmit_errs", "receive_drop", "transmit_drop"].map((counter) =>
    withLabel(`sum by (instance, device) (increase(${nic(`node_network_${counter}_total`)}[${w}])) > 0`, "counter", counter),
  );
  return [
    {
      alert: "LabNodeDown",
      expr: `max by (instance, node) (up * on (instance) group_left (node) ${NODE_INSTANCE}) == 0 or (${NODE_POOL} unless on (node) ${NODE_INSTANCE})`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "node_exporter of {{ $labels.node }} is down",
        description: "The node_exporter target of node {{ $labels.node }} has been down (or missing) for 10 minutes (kubernetes-mixin TargetDown: 10m).",
      },
    },
    {
      alert: "LabNodeNotReady",
      expr: `${selector("kube_node_status_condition", [eq("condition", "Ready"), eq("status", "true")])} == 0`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: { summary: "{{ $labels.node }} is not Ready", description: "Node {{ $labels.node }} has not been Ready for 15 minutes (kubernetes-mixin KubeNodeNotReady)." },
    },
    {
      alert: "LabNodePressure",
      expr: `${selector("kube_node_status_condition", [re("condition", "MemoryPressure|DiskPressure|PIDPressure"), eq("status", "true")])} == 1`,
      for: "10m",
      labels: { severity: "info" },
      annotations: { summary: "{{ $labels.node }} has {{ $labels.condition }}", description: "Node {{ $labels.node }} reports {{ $labels.condition }} for 10 minutes (kubernetes-mixin KubeNodePressure)." },
    },
    {
      alert: "LabClockSkew",
      expr: `abs(node_timex_offset_seconds) > ${h.clock.alertOffsetSeconds}`,
      for: "10m",
      labels: comparability("warning"),
      annotations: {
        summary: "Clock of {{ $labels.instance }} is off by more than " + h.clock.alertOffsetSeconds + " s",
        description: "|node_timex_offset_seconds| on {{ $labels.instance }} has exceeded " + h.clock.alertOffsetSeconds + " s for 10 minutes (node-mixin NodeClockSkewDetected). Latency results from this node do not compare.",
      },
    },
    {
      alert: "LabClockUnsynchronised",
      expr: `min_over_time(node_timex_sync_status[5m]) == 0`,
      for: "10m",
      labels: comparability("warning"),
      annotations: {
        summary: "Clock of {{ $labels.instance }} is not synchronised",
        description: "node_timex_sync_status on {{ $labels.instance }} has been 0 for 10 minutes (node-mixin NodeClockNotSynchronising): the kernel does not consider its clock synchronised.",
      },
    },
    {
      alert: "LabNicErrors",
      expr: union(nicCounters),
      for: "5m",
      labels: comparability("warning"),
      annotations: {
        summary: "{{ $labels.counter }} increasing on {{ $labels.instance }} {{ $labels.device }}",
        description: "node_network_{{ $labels.counter }}_total increased on physical NIC {{ $labels.device }} of {{ $labels.instance }} within " + w + ". Network results from this node do not compare.",
      },
    },
    {
      alert: "LabCpuSteal",
      expr: `sum by (instance) (rate(${selector("node_cpu_seconds_total", [eq("mode", "steal")])}[${w}])) > ${h.cpu.maxStealCores}`,
      for: "5m",
      labels: comparability("warning"),
      annotations: {
        summary: "CPU steal on {{ $labels.instance }}",
        description: "{{ $labels.instance }} reports CPU steal above " + h.cpu.maxStealCores + " cores; bare metal has none, so something virtualises or misreports it.",
      },
    },
    {
      alert: "LabScrapeIncomplete",
      expr: `avg_over_time(up[${ctx.window.completeness}]) < ${h.minAvailability}`,
      labels: comparability("warning"),
      annotations: {
        summary: "{{ $labels.job }} target {{ $labels.instance }} below " + h.minAvailability + " availability",
        description: "Target {{ $labels.instance }} of job {{ $labels.job }} was up less than " + h.minAvailability * 100 + "% of the last " + ctx.window.completeness + "; a window with missing data is not comparable.",
      },
    },
    {
      alert: "LabBaselineDrift",
      expr: union(calibrationDrift(ctx, recordedBaselines(ctx)).map((p) => p.expr)),
      labels: comparability("warning"),
      annotations: {
        summary: "{{ $labels.benchmark }} on {{ $labels.instance }} is off its baseline",
        description: "The latest {{ $labels.benchmark }} calibration result of {{ $labels.instance }} {{ $labels.peer }} deviates from its " + ctx.window.baseline + " median by more than " + h.calibration.tolerance * 100 + "% (g5k-checks tolerance).",
      },
    },
    {
      alert: "LabScrapeSeriesNearLimit",
      expr: "scrape_series_current / scrape_series_limit > 0.9",
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.job }} {{ $labels.instance }} near its series limit",
        description: "Target {{ $labels.instance }} uses more than 90% of its series_limit; past it vmagent drops series (monitoring-and-health.md §7.1).",
      },
    },
    {
      alert: "LabPoolLabelsMissing",
      expr: `absent(${selector("kube_node_labels", [ne(ctx.ksmPoolLabel, "")])})`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "kube-state-metrics exposes no " + ctx.poolLabel + " node label",
        description: "kube_node_labels carries no " + ctx.ksmPoolLabel + "; allow it with --metric-labels-allowlist=nodes=[" + ctx.poolLabel + "]. Without it every comparability gate is empty.",
      },
    },
  ];
}
