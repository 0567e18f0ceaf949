/** Every PromQL expression the layer generates (rules and dashboards), and the metrics they read. */
import type { HealthContext } from "./context";
import { labDashboards } from "./dashboards";
import { dashboardQueries, substituteMacros } from "./dashboards/queries";
import { extractMetricNames } from "../shared/promql-metric-names";
import { isRecording, ruleGroups } from "./rules";

export interface QueryUse {
  readonly where: string;
  /** Plain PromQL (dashboard macros substituted). */
  readonly expr: string;
}

export function layerQueries(ctx: HealthContext): QueryUse[] {
  const rules = ruleGroups(ctx).flatMap((g) => g.rules.map((r) => ({ where: `${g.name} / ${isRecording(r) ? r.record : r.alert}`, expr: r.expr })));
  const dashboards = labDashboards(ctx).flatMap((d) => dashboardQueries(d).map((q) => ({ where: q.where, expr: substituteMacros(q.expr) })));
  return [...rules, ...dashboards];
}

/** Names the layer's rules record. */
export function recordedMetrics(ctx: HealthContext): Set<string> {
  return new Set(ruleGroups(ctx).flatMap((g) => g.rules.filter(isRecording).map((r) => r.record)));
}

/** Metrics read by any rule or dashboard that the layer does not record itself, sorted. */
export function scrapedMetricsUsed(ctx: HealthContext): string[] {
  const recorded = recordedMetrics(ctx);
  const names = new Set(layerQueries(ctx).flatMap((q) => extractMetricNames(q.expr).names));
  return [...names].filter((n) => !recorded.has(n)).sort();
}
