/** The PromQL a dashboard runs, for the tests and the metric-usage audit (which metrics the dashboards read). */
import type * as sdk from "@grafana/grafana-foundation-sdk/dashboard";
import type { Dataquery } from "@grafana/grafana-foundation-sdk/prometheus";

/** The non-row panels of a dashboard (the lab's rows are expanded, so their panels are top level). */
export function dataPanels(d: sdk.Dashboard): sdk.Panel[] {
  return (d.panels ?? []).filter((p): p is sdk.Panel => p.type !== "row");
}

/** The Prometheus queries of a panel. */
export function panelQueries(p: sdk.Panel): Dataquery[] {
  return (p.targets ?? []) as Dataquery[];
}

/** Every query of a dashboard: panel targets and variable queries (the selector of `label_values`). */
export function dashboardQueries(d: sdk.Dashboard): Array<{ where: string; expr: string }> {
  const fromPanels = dataPanels(d).flatMap((p) => panelQueries(p).map((t) => ({ where: `${d.uid} / ${p.title} / ${t.refId}`, expr: t.expr })));
  const fromVariables = (d.templating.list ?? []).flatMap((v) => {
    const query = v.query as { query?: unknown } | string | undefined;
    if (v.type !== "query" || typeof query !== "object" || typeof query.query !== "string") return [];
    const m = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(query.query);
    return m ? [{ where: `${d.uid} / variable ${v.name}`, expr: m[1] }] : [];
  });
  return [...fromPanels, ...fromVariables];
}

/**
 * A dashboard query as plain PromQL: Grafana's interval macros become fixed durations and template
 * variables (always used as regex matchers here) become `.*`.
 */
export function substituteMacros(expr: string): string {
  return expr
    .replace(/\$__rate_interval/g, "5m")
    .replace(/\$__interval/g, "1m")
    .replace(/\$__range/g, "1h")
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, ".*");
}
