/**
 * The lab-health dashboards' layout conventions on top of Grafana's own builders
 * (`@grafana/grafana-foundation-sdk` 0.0.21, pinned in package.json: the SDK line that follows
 * Grafana 12, which victoria-metrics-k8s-stack 0.67.0 deploys through its grafana subchart 10.1.5,
 * appVersion 12.3.0 — grafana/helm-charts charts/grafana/Chart.yaml at tag grafana-10.1.5).
 *
 * Dashboards stay data: a dashboard file lists rows of `panel(...)` specs; `dashboard(...)` turns them
 * into the SDK's `DashboardBuilder`, `RowBuilder`, per-type `PanelBuilder`s and
 * `prometheus.DataqueryBuilder`s, and returns the SDK's typed `Dashboard` model (serialised as is).
 */
import * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as sdk from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

/** The SDK's dashboard model; the lab's always has a uid (its ConfigMap is named after it). */
export type Dashboard = sdk.Dashboard & { uid: string };
export type Panel = sdk.Panel;
export type Variable = cog.Builder<sdk.VariableModel>;

/** Every query reads the data source the viewer picks in the `datasource` variable. */
export const PROMETHEUS_DATASOURCE: sdk.DataSourceRef = { type: "prometheus", uid: "${datasource}" };

/** The ConfigMap label the Grafana dashboard sidecar watches (victoria-metrics-k8s-stack 0.67.0: `grafana_dashboard: "1"`). */
export const DASHBOARD_LABEL = "grafana_dashboard";

export interface QuerySpec {
  readonly expr: string;
  /** Legend template; default "__auto" (Grafana names the series). */
  readonly legend?: string;
  /** One value per series at the end of the range (tables, stats). Default false. */
  readonly instant?: boolean;
}

export type PanelType = "timeseries" | "stat" | "table" | "state-timeline";

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
  readonly mappings?: readonly sdk.ValueMapping[];
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
export const OK_MAPPING: sdk.ValueMap = {
  type: sdk.MappingType.ValueToText,
  options: {
    "1": { text: "comparable", color: "green", index: 0 },
    "0": { text: "NOT comparable", color: "red", index: 1 },
    "-1": { text: "UNKNOWN (a gate not evaluated)", color: "grey", index: 2 },
  },
};

export const panel = (type: PanelType, title: string, queries: readonly QuerySpec[], options: PanelOptions = {}): PanelSpec => ({ type, title, queries, ...options });

function target(q: QuerySpec, index: number, tableFormat: boolean): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder()
    .refId(String.fromCharCode(65 + index))
    .expr(q.expr)
    .legendFormat(q.legend ?? "__auto")
    .format(tableFormat ? prometheus.PromQueryFormat.Table : prometheus.PromQueryFormat.TimeSeries)
    .datasource(PROMETHEUS_DATASOURCE);
  return q.instant ? query.instant() : query.range();
}

/** The per-type builder with the lab's visual defaults for that type. */
function typedBuilder(type: PanelType) {
  switch (type) {
    case "timeseries":
      return new timeseries.PanelBuilder()
        .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right).showLegend(true).calcs(["lastNotNull", "max"]))
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
    case "stat":
      return new stat.PanelBuilder()
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).fields("").values(false))
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.None)
        .textMode(common.BigValueTextMode.ValueAndName)
        .orientation(common.VizOrientation.Auto);
    case "table":
      return new table.PanelBuilder().showHeader(true).cellHeight(common.TableCellHeight.Sm).footer(new common.TableFooterOptionsBuilder().show(false));
    case "state-timeline":
      return new statetimeline.PanelBuilder()
        .showValue(common.VisibilityMode.Never)
        .mergeValues(true)
        .alignValue(common.TimelineValueAlignment.Left)
        .rowHeight(0.9)
        .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
  }
}

function panelBuilder(spec: PanelSpec, id: number, gridPos: sdk.GridPos): cog.Builder<sdk.Panel> {
  const b = typedBuilder(spec.type).id(id).title(spec.title).gridPos(gridPos).datasource(PROMETHEUS_DATASOURCE);
  if (spec.description) b.description(spec.description);
  spec.queries.forEach((q, i) => b.withTarget(target(q, i, spec.type === "table")));
  if (spec.unit) b.unit(spec.unit);
  if (spec.min !== undefined) b.min(spec.min);
  if (spec.max !== undefined) b.max(spec.max);
  if (spec.mappings) b.mappings([...spec.mappings]);
  if (spec.thresholds) {
    const steps = spec.thresholds.map(([color, value], i) => ({ color, value: i === 0 ? null : value }));
    b.thresholds(new sdk.ThresholdsConfigBuilder().mode(sdk.ThresholdsMode.Absolute).steps(steps));
    b.colorScheme(new sdk.FieldColorBuilder().mode(sdk.FieldColorModeId.Thresholds));
  }
  if (spec.matrix) b.withTransformation({ id: "groupingToMatrix", options: { rowField: spec.matrix.rows, columnField: spec.matrix.columns, valueField: "Value" } });
  return b;
}

export const datasourceVariable: Variable = new sdk.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus");

const ALL_SELECTED: sdk.VariableOption = { selected: true, text: ["All"], value: ["$__all"] };

/** A multi-select variable from `label_values(<selector>, <label>)`; "All" matches everything. */
export function labelValuesVariable(name: string, label: string, selector: string, labelName: string): Variable {
  return new sdk.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS_DATASOURCE)
    .query({ query: `label_values(${selector}, ${labelName})`, refId: `${name}-values` })
    .refresh(sdk.VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current(ALL_SELECTED);
}

/** A multi-select variable with fixed values (e.g. the teams of the model). */
export function customVariable(name: string, label: string, values: readonly string[]): Variable {
  return new sdk.CustomVariableBuilder(name)
    .label(label)
    .values(values.join(","))
    .multi(true)
    .includeAll(true)
    .allValue(values.length > 0 ? values.join("|") : ".*")
    .current(ALL_SELECTED)
    .options(values.map((v) => ({ selected: false, text: v, value: v })));
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

/**
 * Builds a dashboard: read-only, UTC, refreshed every minute, tagged `lab-health`, the data source
 * variable first. Rows go top to bottom, each panel left to right wrapping at 24 grid units (explicit
 * grid positions, so the layout does not depend on the SDK's auto-placement); panel ids are sequential.
 */
export function dashboard(spec: DashboardSpec): Dashboard {
  const builder = new sdk.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(["lab-health"])
    .timezone("utc")
    .readonly()
    .refresh("1m")
    .time({ from: spec.from ?? "now-7d", to: "now" })
    .variables([datasourceVariable, ...spec.variables]);
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    builder.withRow(new sdk.RowBuilder(row.title).id(id++).gridPos({ x: 0, y, w: 24, h: 1 }));
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.width ?? 12;
      const h = p.height ?? 8;
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      builder.withPanel(panelBuilder(p, id++, { x, y, w, h }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  // The SDK's build() hands out the builder's own object, and variable builders are shared between
  // dashboards: a JSON copy keeps every dashboard independent of the others, and is exactly what is
  // provisioned (the SDK's query objects also carry a marker function that JSON leaves out).
  return JSON.parse(JSON.stringify({ ...builder.build(), uid: spec.uid })) as Dashboard;
}
