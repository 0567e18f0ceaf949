/**
 * The lab-health rule groups in Prometheus rules-file shape (also the `spec.groups` of a VMRule):
 * the node/pool inventory, the rolling baselines, the comparability gates with their roll-ups, and
 * the alerts. Plain PromQL, so promtool unit-tests them and vmalert runs them unchanged.
 */
import { alertRules } from "./alerts";
import { RECORDED, calibrationRollingRange, recordedBaselines, rollingRange, ruleBaselines } from "./baselines";
import { CALIBRATION_HISTORY_STEP, calibrationNodeValue, calibrationRunTimestamp } from "./calibration/promql";
import { CALIBRATION_RESULTS } from "./calibration/results";
import type { HealthContext } from "./context";
import { CALIBRATION_FAILING_SERIES, NODE_POOL_SERIES, calibrationDriftByResult, gateApplies, gateOkExpr, nodePoolMap, ruleGates } from "./gates";
import { union, withLabel } from "./promql/build";

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
  nodePool: NODE_POOL_SERIES,
  /** 1 for every (node, gate) the gate applies to. */
  gateApplies: "lab:comparability_gate:applies",
  /** 1 passed, 0 failed; only where the gate was evaluated. */
  gateOk: "lab:comparability_gate:ok",
  /** 1 per failed (node, gate): the reason. */
  gateFailed: "lab:comparability_gate:failed",
  /** 1 per (node, gate) that applies but was not evaluated (inputs missing, or its rule failed). */
  gateUnknown: "lab:comparability_gate:unknown",
  /** 1 per failing calibration condition (labels node, benchmark; peer on the network's single-night test). */
  calibrationFailing: CALIBRATION_FAILING_SERIES,
  /** The verdict: 1 comparable, 0 not comparable, -1 unknown. */
  comparable: "lab:comparable",
  ...RECORDED,
} as const;

/** The verdict values of `lab:comparable` (scope node and pool). */
export const VERDICT = { comparable: 1, notComparable: 0, unknown: -1 } as const;

export function isRecording(rule: Rule): rule is RecordingRule {
  return "record" in rule;
}

function gateRules(ctx: HealthContext): RecordingRule[] {
  const node = (series: string) => `${series}{scope="node"}`;
  const all = ruleGates(ctx);
  // The calibration gate's failing conditions per gated result, recorded first (ruleGates says why).
  const calibrationFailing = all.some((g) => g.name === "calibration")
    ? calibrationDriftByResult(ctx, recordedBaselines(ctx)).map((d) => ({ record: SERIES.calibrationFailing, expr: union(d.parts.map((p) => p.expr)), labels: { benchmark: d.result.benchmark } }))
    : [];
  const verdict = (by: string, of: string) =>
    // Not comparable if anything failed; else unknown if anything is unknown; else comparable.
    `min by (${by}) (${of} == ${VERDICT.notComparable}) or min by (${by}) (${of} == ${VERDICT.unknown}) or min by (${by}) (${of})`;
  return [
    ...calibrationFailing,
    // Static labels repeat what the expression sets, so each rule is unique for promtool's linter.
    ...all.map((gate) => ({ record: SERIES.gateApplies, expr: withLabel(gateApplies(ctx, gate), "gate", gate.name), labels: { scope: "node", gate: gate.name } })),
    ...all.map((gate) => ({ record: SERIES.gateOk, expr: gateOkExpr(ctx, gate), labels: { scope: "node", gate: gate.name } })),
    // The reason series: one per failed gate and node, so dashboards and alerts can say why.
    { record: SERIES.gateFailed, expr: `1 - ${node(SERIES.gateOk)} == 1`, labels: { scope: "node" } },
    // A gate that applies and has no ok series (no data, or its rule failed to evaluate) is unknown, never passing.
    { record: SERIES.gateUnknown, expr: `${node(SERIES.gateApplies)} unless on (node, gate) ${node(SERIES.gateOk)}`, labels: { scope: "node" } },
    {
      record: SERIES.comparable,
      expr: verdict("node, pool", `(${node(SERIES.gateOk)} or ${VERDICT.unknown} * ${node(SERIES.gateUnknown)})`),
      labels: { scope: "node" },
    },
    { record: SERIES.gateOk, expr: `min by (gate, pool) (${node(SERIES.gateOk)})`, labels: { scope: "pool" } },
    { record: SERIES.comparable, expr: verdict("pool", node(SERIES.comparable)), labels: { scope: "pool" } },
  ];
}

function baselineRules(ctx: HealthContext): RecordingRule[] {
  const raw = ruleBaselines(calibrationRollingRange(ctx));
  return [
    ...CALIBRATION_RESULTS.flatMap((r) => [
      { record: SERIES.calibrationBaseline, expr: raw.calibrationMedian(r), labels: { benchmark: r.benchmark } },
      { record: SERIES.calibrationScale, expr: raw.calibrationScale(r), labels: { benchmark: r.benchmark } },
      { record: SERIES.calibrationNights, expr: raw.calibrationNights(r), labels: { benchmark: r.benchmark } },
    ]),
    { record: SERIES.pingerBaseline, expr: ruleBaselines(rollingRange(ctx)).pingerP99() },
  ];
}

/** Gates look back 10 minutes; evaluating them every minute (not vmalert's 20s default) is plenty. */
const GATE_INTERVAL = "1m";

export function ruleGroups(ctx: HealthContext): RuleGroup[] {
  return [
    {
      name: "lab-health-inventory",
      interval: GATE_INTERVAL,
      rules: [{ record: SERIES.nodePool, expr: nodePoolMap(ctx) }],
    },
    // The hourly history the calibration bands come from; the baselines read it.
    {
      name: "lab-health-calibration-history",
      interval: CALIBRATION_HISTORY_STEP,
      rules: CALIBRATION_RESULTS.flatMap((r) => [
        { record: SERIES.calibrationCurrent, expr: calibrationNodeValue(ctx, r), labels: { benchmark: r.benchmark } },
        { record: SERIES.calibrationRun, expr: calibrationRunTimestamp(ctx, r), labels: { benchmark: r.benchmark } },
      ]),
    },
    { name: "lab-health-baselines", interval: ctx.window.baselineRefresh, rules: baselineRules(ctx) },
    { name: "lab-health-gates", interval: GATE_INTERVAL, rules: gateRules(ctx) },
    { name: "lab-health-alerts", rules: alertRules(ctx) },
  ];
}
