/**
 * The lab-health rule groups in Prometheus rules-file shape (also the `spec.groups` of a VMRule):
 * the node/pool inventory, the rolling baselines, the comparability gates with their roll-ups, and
 * the alerts. Plain PromQL, so promtool unit-tests them and vmalert runs them unchanged.
 */
import { alertRules } from "./alerts";
import { RECORDED, rawBaselines, recordedBaselines, rollingRange } from "./baselines";
import { CALIBRATION_RESULTS } from "./calibration/results";
import type { HealthContext } from "./context";
import { gateOkExpr, gates, instanceNodeMap, nodePoolMap } from "./gates";

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: { readonly summary: string; readonly description: string };
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** Names of the series the lab-health rules record (as opposed to those scraped). */
export const SERIES = {
  nodeInstance: "lab:node_instance:info",
  nodePool: "lab:node_pool:info",
  gateOk: "lab:comparability_gate:ok",
  gateFailed: "lab:comparability_gate:failed",
  comparable: "lab:comparable",
  ...RECORDED,
} as const;

export function isRecording(rule: Rule): rule is RecordingRule {
  return "record" in rule;
}

function gateRules(ctx: HealthContext): RecordingRule[] {
  const perNode = `${SERIES.gateOk}{scope="node"}`;
  return [
    // Static labels repeat what the expression sets, so each rule is unique for promtool's linter.
    ...gates(ctx, recordedBaselines(ctx)).map((gate) => ({ record: SERIES.gateOk, expr: gateOkExpr(ctx, gate), labels: { scope: "node", gate: gate.name } })),
    // The reason series: one per failed gate and node, so dashboards and alerts can say why.
    { record: SERIES.gateFailed, expr: `1 - ${perNode} == 1`, labels: { scope: "node" } },
    { record: SERIES.comparable, expr: `min by (node, pool) (${perNode})`, labels: { scope: "node" } },
    { record: SERIES.gateOk, expr: `min by (gate, pool) (${perNode})`, labels: { scope: "pool" } },
    { record: SERIES.comparable, expr: `min by (pool) (${SERIES.comparable}{scope="node"})`, labels: { scope: "pool" } },
  ];
}

function baselineRules(ctx: HealthContext): RecordingRule[] {
  const raw = rawBaselines(ctx, rollingRange(ctx));
  return [
    ...CALIBRATION_RESULTS.map((r) => ({ record: SERIES.calibrationBaseline, expr: raw.calibrationMedian(r.metric), labels: { benchmark: r.benchmark } })),
    { record: SERIES.pingerBaseline, expr: raw.pingerP99() },
  ];
}

/** Gates look back 10 minutes; evaluating them every minute (not vmalert's 20s default) is plenty. */
const GATE_INTERVAL = "1m";

export function ruleGroups(ctx: HealthContext): RuleGroup[] {
  return [
    {
      name: "lab-health-inventory",
      interval: GATE_INTERVAL,
      rules: [
        { record: SERIES.nodeInstance, expr: instanceNodeMap(ctx) },
        { record: SERIES.nodePool, expr: nodePoolMap(ctx) },
      ],
    },
    { name: "lab-health-baselines", interval: ctx.window.baselineRefresh, rules: baselineRules(ctx) },
    { name: "lab-health-gates", interval: GATE_INTERVAL, rules: gateRules(ctx) },
    { name: "lab-health-alerts", rules: alertRules(ctx) },
  ];
}
