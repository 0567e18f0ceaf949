/**
 * Static charts for the lab's reports, rendered server-side with Observable Plot (pinned
 * @observablehq/plot) on linkedom's DOM: each function returns one `<figure>` of inline SVG (and, for
 * legends, inline HTML swatches), with no script and no external asset, readable when printed.
 *
 * The API is small and general so that every report can share it:
 * - `timeSeriesChart`: lines over time (unix seconds), one per series, with dashed reference lines;
 * - `intervalChart`: a dot with its interval per row (estimates with confidence intervals), with a
 *   reference value (e.g. a ratio of 1);
 * - `dotChart`: every observation as a dot per row, coloured by group (repetitions of two runs);
 * - `barChart`: one bar per row, optionally coloured by group;
 * - `timelineChart` (timeline.ts): states over time per row, e.g. a gate's failing and unknown spans.
 * Colours come from one fixed palette, in the order groups first appear.
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { escapeHtml } from "./html";

/** Colour-blind-safe categorical palette (Okabe & Ito, 2008), in order of use. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

export interface ChartFrame {
  /** Heading of the figure. */
  readonly title: string;
  /** Pixels; default 900. */
  readonly width?: number;
  /** Pixels; default depends on the chart. */
  readonly height?: number;
}

/** One Plot chart as a `<figure>` with its title; `options` are Plot's (width defaults to 1100 px). */
export function renderFigure(frame: ChartFrame, options: Plot.PlotOptions): string {
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>");
  const chart = Plot.plot({
    document,
    width: frame.width ?? 1100,
    style: { fontSize: "12px", color: "#111", background: "#fff", overflow: "visible" },
    ...options,
  } as Plot.PlotOptions) as unknown as { outerHTML: string };
  return `<figure><h3>${escapeHtml(frame.title)}</h3>${chart.outerHTML}</figure>`;
}

/**
 * A UTC time axis over [start, end] (unix seconds): one tick and grid line per day, labelled
 * "Mon 05-11", for ranges of three days to three weeks; per Monday (UTC), same labels, beyond three
 * weeks (a label a day would overlap); Plot's own ticks for ranges under three days. Intervals "day"
 * and "monday" are Plot's names for d3's utcDay and utcMonday (@observablehq/plot 0.6.17 src/time.js).
 */
export function utcAxis(start: number, end: number): Plot.ScaleOptions {
  const span = end - start;
  const ticks = span > 21 * 86400 ? { ticks: "monday", tickFormat: "%a %m-%d" } : span >= 3 * 86400 ? { ticks: "day", tickFormat: "%a %m-%d" } : {};
  return { type: "utc", label: null, grid: true, domain: [new Date(start * 1000), new Date(end * 1000)], ...ticks };
}

function colorScale(groups: readonly string[]) {
  const domain = [...new Set(groups)];
  return { domain, range: PALETTE.slice(0, Math.max(1, domain.length)), legend: domain.length > 1 };
}

export interface TimeSeries {
  readonly label: string;
  /** [unix seconds, value]. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface TimeSeriesOptions extends ChartFrame {
  readonly series: readonly TimeSeries[];
  /** Y axis label, with its unit. */
  readonly yLabel: string;
  /** Dashed horizontal lines (thresholds, baselines). */
  readonly references?: ReadonlyArray<{ readonly label: string; readonly value: number }>;
  /** Time axis range in unix seconds (e.g. a whole week even where data is missing); default the data's. */
  readonly range?: readonly [number, number];
}

/** Lines over time, one per series. */
export function timeSeriesChart(options: TimeSeriesOptions): string {
  const data = options.series.flatMap((s) => s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => ({ series: s.label, time: new Date(t * 1000), value: v })));
  const references = options.references ?? [];
  return renderFigure(options, {
    height: options.height ?? 260,
    x: options.range ? utcAxis(options.range[0], options.range[1]) : { type: "utc", label: null },
    y: { label: options.yLabel, grid: true, zero: true },
    color: colorScale(options.series.map((s) => s.label)),
    marks: [
      Plot.ruleY(references, { y: "value", stroke: "#555", strokeDasharray: "6 4" }),
      // One label mark per reference, each a line higher, so references at (nearly) the same value stay readable.
      ...references.map((r, i) => Plot.text([r], { y: "value", frameAnchor: "right", text: "label", dy: -6 - 13 * i, fill: "#333" })),
      Plot.line(data, { x: "time", y: "value", stroke: "series", strokeWidth: 1.5 }),
      ...(data.length === 0 ? [Plot.text(["no data"], { frameAnchor: "middle", fill: "#888" })] : []),
    ],
  });
}

export interface IntervalRow {
  readonly label: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  /** Colour group (e.g. verdict); default one colour. */
  readonly group?: string;
}

export interface IntervalOptions extends ChartFrame {
  readonly rows: readonly IntervalRow[];
  readonly xLabel: string;
  /** A vertical reference line, e.g. 1 for ratios. */
  readonly reference?: number;
  /** Log scale for ratios (symmetric around 1). Default false. */
  readonly log?: boolean;
  /** Fixed colours per group (e.g. verdicts); default the palette in order. */
  readonly colors?: Readonly<Record<string, string>>;
}

/** One dot with its interval per row: estimates and confidence intervals (a forest plot). */
export function intervalChart(options: IntervalOptions): string {
  const rows = options.rows.map((r) => ({ ...r, group: r.group ?? "" }));
  const groups = rows.map((r) => r.group);
  const color = options.colors
    ? { domain: Object.keys(options.colors), range: Object.values(options.colors), legend: true }
    : colorScale(groups);
  const finite = rows.flatMap((r) => [r.low, r.high, r.value]).filter((v) => Number.isFinite(v) && v > 0);
  const domain = [Math.min(...finite, options.reference ?? Infinity) * 0.97, Math.max(...finite, options.reference ?? 0) * 1.03];
  // Log axes get readable ratio ticks inside the domain (Plot labels only some log ticks by default).
  const logTicks = [0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.2, 1.3, 1.5, 2].filter((t) => t >= domain[0] && t <= domain[1]);
  return renderFigure(options, {
    height: options.height ?? 40 + rows.length * 26 + 40,
    marginLeft: 390,
    x: { label: options.xLabel, grid: true, ...(options.log ? { type: "log", domain, ticks: logTicks, tickFormat: (t: number) => String(t) } : {}) },
    y: { label: null, domain: rows.map((r) => r.label) },
    color,
    marks: [
      ...(options.reference !== undefined ? [Plot.ruleX([options.reference], { stroke: "#555", strokeDasharray: "6 4" })] : []),
      Plot.link(rows.filter((r) => Number.isFinite(r.low) && Number.isFinite(r.high)), { x1: "low", x2: "high", y1: "label", y2: "label", stroke: "group", strokeWidth: 2.5 }),
      Plot.dot(rows, { x: "value", y: "label", fill: "group", r: 4.5 }),
    ],
  });
}

export interface DotRow {
  readonly label: string;
  readonly value: number;
  readonly group: string;
}

export interface DotOptions extends ChartFrame {
  readonly rows: readonly DotRow[];
  readonly xLabel: string;
}

/** Every observation as a dot, one line per row and group ("label · group"), coloured by group. */
export function dotChart(options: DotOptions): string {
  const rows = options.rows.map((r) => ({ ...r, line: `${r.label} · ${r.group}` }));
  const lines = [...new Set(rows.map((r) => r.line))];
  return renderFigure(options, {
    height: options.height ?? 40 + lines.length * 20 + 40,
    marginLeft: 390,
    x: { label: options.xLabel, grid: true },
    y: { label: null, domain: lines },
    color: colorScale(rows.map((r) => r.group)),
    marks: [Plot.dot(rows, { x: "value", y: "line", fill: "group", r: 3.5, fillOpacity: 0.75 })],
  });
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly group?: string;
}

export interface BarOptions extends ChartFrame {
  readonly bars: readonly Bar[];
  readonly xLabel: string;
}

/** One horizontal bar per row. */
export function barChart(options: BarOptions): string {
  const bars = options.bars.map((b) => ({ ...b, group: b.group ?? "" }));
  return renderFigure(options, {
    height: options.height ?? 40 + bars.length * 24 + 40,
    marginLeft: 390,
    x: { label: options.xLabel, grid: true },
    y: { label: null, domain: bars.map((b) => b.label) },
    color: colorScale(bars.map((b) => b.group)),
    marks: [Plot.barX(bars, { x: "value", y: "label", fill: "group" }), Plot.ruleX([0])],
  });
}
