/**
 * Typed builders for the parts of Grafana's dashboard JSON model the lab's dashboards use (schema
 * version 39: timeseries, stat, table, state-timeline panels; query and custom variables). Plain
 * functions returning plain objects, so dashboards are data that tests can walk; no SDK dependency.
 */

export const PROMETHEUS_DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

/** The ConfigMap label the Grafana dashboard sidecar watches (victoria-metrics-k8s-stack 0.67.0: `grafana_dashboard: "1"`). */
export const DASHBOARD_LABEL = "grafana_dashboard";

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly instant: boolean;
  readonly range: boolean;
  readonly format: "time_series" | "table";
  readonly datasource: typeof PROMETHEUS_DATASOURCE;
}

export interface QuerySpec {
  readonly expr: string;
  readonly legend?: string;
  /** One value per series at the end of the range (tables, stats). Default false. */
  readonly instant?: boolean;
}

export type PanelType = "timeseries" | "stat" | "table" | "state-timeline";

export interface ValueMapping {
  readonly type: "value";
  readonly options: Record<string, { readonly text: string; readonly color: string; readonly index: number }>;
}

export interface Panel {
  readonly id: number;
  readonly type: PanelType | "row";
  readonly title: string;
  readonly description?: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: typeof PROMETHEUS_DATASOURCE;
  readonly targets?: readonly Target[];
  readonly fieldConfig?: {
    readonly defaults: {
      readonly unit?: string;
      readonly min?: number;
      readonly max?: number;
      readonly decimals?: number;
      readonly mappings?: readonly ValueMapping[];
      readonly thresholds?: { readonly mode: "absolute"; readonly steps: ReadonlyArray<{ readonly color: string; readonly value: number | null }> };
      readonly color?: { readonly mode: string };
    };
    readonly overrides: readonly unknown[];
  };
  readonly options?: Record<string, unknown>;
  readonly transformations?: ReadonlyArray<{ readonly id: string; readonly options: Record<string, unknown> }>;
  readonly collapsed?: boolean;
  readonly panels?: readonly Panel[];
}

export interface Variable {
  readonly name: string;
  readonly label: string;
  readonly type: "datasource" | "query" | "custom";
  readonly query: string | { readonly query: string; readonly refId: string };
  readonly datasource?: typeof PROMETHEUS_DATASOURCE;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
  readonly refresh?: number;
  readonly current: Record<string, unknown>;
  readonly options: readonly unknown[];
  readonly hide: number;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: "utc";
  readonly editable: boolean;
  readonly schemaVersion: 39;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Variable[] };
  readonly panels: readonly Panel[];
}

/** Panel options beyond the queries. */
export interface PanelOptions {
  readonly description?: string;
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Width in grid units (24 = full width). Default 12. */
  readonly width?: number;
  /** Height in grid units. Default 8. */
  readonly height?: number;
  readonly mappings?: readonly ValueMapping[];
  /** Threshold steps, lowest first: [[color, from], ...]; the first step starts at -infinity. */
  readonly thresholds?: ReadonlyArray<readonly [string, number | null]>;
  /** Table only: pivot rows x columns of a label pair (Grafana's "grouping to matrix"). */
  readonly matrix?: { readonly rows: string; readonly columns: string };
}

export interface PanelSpec extends PanelOptions {
  readonly type: PanelType;
  readonly title: string;
  readonly queries: readonly QuerySpec[];
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** The verdict values (rules.ts VERDICT): 1 comparable (green), 0 not comparable (red), -1 unknown (grey). */
export const OK_MAPPING: ValueMapping = {
  type: "value",
  options: {
    "1": { text: "comparable", color: "green", index: 0 },
    "0": { text: "NOT comparable", color: "red", index: 1 },
    "-1": { text: "UNKNOWN (a gate not evaluated)", color: "grey", index: 2 },
  },
};

export const panel = (type: PanelType, title: string, queries: readonly QuerySpec[], options: PanelOptions = {}): PanelSpec => ({ type, title, queries, ...options });

function target(q: QuerySpec, index: number, tableFormat: boolean): Target {
  return {
    refId: String.fromCharCode(65 + index),
    expr: q.expr,
    legendFormat: q.legend ?? "__auto",
    instant: q.instant ?? false,
    range: !(q.instant ?? false),
    format: tableFormat ? "table" : "time_series",
    datasource: PROMETHEUS_DATASOURCE,
  };
}

function panelOptions(spec: PanelSpec): Record<string, unknown> {
  switch (spec.type) {
    case "timeseries":
      return { legend: { displayMode: "table", placement: "right", showLegend: true, calcs: ["lastNotNull", "max"] }, tooltip: { mode: "multi", sort: "desc" } };
    case "stat":
      return { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "background", graphMode: "none", textMode: "value_and_name", orientation: "auto" };
    case "table":
      return { showHeader: true, cellHeight: "sm", footer: { show: false } };
    case "state-timeline":
      return { showValue: "never", mergeValues: true, alignValue: "left", rowHeight: 0.9, legend: { showLegend: true, displayMode: "list", placement: "bottom" } };
  }
}

function buildPanel(spec: PanelSpec, id: number, x: number, y: number): Panel {
  const thresholds = spec.thresholds && { mode: "absolute" as const, steps: spec.thresholds.map(([color, value], i) => ({ color, value: i === 0 ? null : value })) };
  return {
    id,
    type: spec.type,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    gridPos: { x, y, w: spec.width ?? 12, h: spec.height ?? 8 },
    datasource: PROMETHEUS_DATASOURCE,
    targets: spec.queries.map((q, i) => target(q, i, spec.type === "table")),
    fieldConfig: {
      defaults: {
        ...(spec.unit ? { unit: spec.unit } : {}),
        ...(spec.min !== undefined ? { min: spec.min } : {}),
        ...(spec.max !== undefined ? { max: spec.max } : {}),
        ...(spec.mappings ? { mappings: spec.mappings } : {}),
        ...(thresholds ? { thresholds, color: { mode: "thresholds" } } : {}),
      },
      overrides: [],
    },
    options: panelOptions(spec),
    ...(spec.matrix
      ? { transformations: [{ id: "groupingToMatrix", options: { rowField: spec.matrix.rows, columnField: spec.matrix.columns, valueField: "Value" } }] }
      : {}),
  };
}

/** Lays rows out top to bottom, panels left to right wrapping at 24 units; ids are sequential. */
export function layout(rows: readonly RowSpec[]): Panel[] {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: "row", title: row.title, gridPos: { x: 0, y, w: 24, h: 1 }, collapsed: false, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const spec of row.panels) {
      const w = spec.width ?? 12;
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(buildPanel(spec, id++, x, y));
      x += w;
      rowHeight = Math.max(rowHeight, spec.height ?? 8);
    }
    y += rowHeight;
  }
  return panels;
}

export const datasourceVariable: Variable = {
  name: "datasource",
  label: "Data source",
  type: "datasource",
  query: "prometheus",
  current: {},
  options: [],
  hide: 0,
};

/** A multi-select variable from `label_values(<selector>, <label>)`; "All" matches everything. */
export function labelValuesVariable(name: string, label: string, selector: string, labelName: string): Variable {
  return {
    name,
    label,
    type: "query",
    datasource: PROMETHEUS_DATASOURCE,
    query: { query: `label_values(${selector}, ${labelName})`, refId: `${name}-values` },
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: ".*",
    current: { selected: true, text: ["All"], value: ["$__all"] },
    options: [],
    hide: 0,
  };
}

/** A multi-select variable with fixed values (e.g. the teams of the model). */
export function customVariable(name: string, label: string, values: readonly string[]): Variable {
  return {
    name,
    label,
    type: "custom",
    query: values.join(","),
    multi: true,
    includeAll: true,
    allValue: values.length > 0 ? values.join("|") : ".*",
    current: { selected: true, text: ["All"], value: ["$__all"] },
    options: values.map((v) => ({ selected: false, text: v, value: v })),
    hide: 0,
  };
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly Variable[];
  readonly rows: readonly RowSpec[];
  /** Default time range. Default the last 7 days (the comparison unit is a week). */
  readonly from?: string;
}

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["lab-health"],
    timezone: "utc",
    editable: false,
    schemaVersion: 39,
    refresh: "1m",
    time: { from: spec.from ?? "now-7d", to: "now" },
    templating: { list: [datasourceVariable, ...spec.variables] },
    panels: layout(spec.rows),
  };
}

/** Every query of a dashboard: panel targets and variable queries (the selector of `label_values`). */
export function dashboardQueries(d: Dashboard): Array<{ where: string; expr: string }> {
  const fromPanels = d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.uid} / ${p.title} / ${t.refId}`, expr: t.expr })));
  const fromVariables = d.templating.list.flatMap((v) => {
    if (v.type !== "query" || typeof v.query === "string") return [];
    const m = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(v.query.query);
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
