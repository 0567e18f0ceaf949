/**
 * A state timeline: one horizontal band per row over a fixed time range, coloured by state per span
 * (Grafana's "state timeline" as a static figure). Rendered with Observable Plot like the other charts
 * of this module: inline SVG plus a swatch legend, no script, no external asset.
 */
import * as Plot from "@observablehq/plot";
import { renderFigure, utcAxis, type ChartFrame } from "./charts";

export interface TimelineSpan {
  /** Unix seconds, inclusive. */
  readonly from: number;
  /** Unix seconds, exclusive. */
  readonly to: number;
  /** A key of `TimelineOptions.states`. */
  readonly state: string;
  /** Text drawn inside the span, cut with "…" to the span's width; default none. */
  readonly label?: string;
  /** Hover text: the bar's SVG `<title>` (a tooltip in browsers, no script); default none. */
  readonly title?: string;
}

export interface TimelineRow {
  readonly label: string;
  /** Spans of this row; later spans are drawn over earlier ones where they overlap. */
  readonly spans: readonly TimelineSpan[];
  /** A detail row under the row above (e.g. one gate of a node): indented label, paler band. Default false. */
  readonly detail?: boolean;
  /** A second, smaller line under the label (e.g. a node's role and home pool); default none. */
  readonly note?: string;
}

export interface TimelineOptions extends ChartFrame {
  readonly rows: readonly TimelineRow[];
  /** The time axis in unix seconds, [start, end); spans are clipped to it. */
  readonly range: readonly [number, number];
  /** Colour of each state, in legend order; a span of an unlisted state is an error. */
  readonly states: Readonly<Record<string, string>>;
}

/** Spans shorter than this share of the range are widened to it, so a 10-minute failure in a week stays visible. */
const MIN_SPAN_SHARE = 0.002;
/** Pixels left of the bands for the row labels. */
const LABEL_WIDTH = 230;
/** Pixels right of the bands (Plot's default for a time axis, so the last tick label fits). */
const MARGIN_RIGHT = 20;
/** Pixels per row: one line of label, or two where any row has a note. */
const ROW_HEIGHT = 22;
const ROW_HEIGHT_WITH_NOTE = 36;
/** Span label font size and the width budgeted per character (wider than DejaVu Sans' average, so labels never overflow). */
const SPAN_FONT_PX = 11;
const SPAN_CHAR_PX = 7.2;
/** Fills darker than this relative luminance (WCAG 2.x) get white span labels, lighter ones near-black. */
const DARK_FILL_LUMINANCE = 0.4;
/** Detail rows are drawn at this opacity (they repeat their parent row's state per cause). */
const DETAIL_OPACITY = 0.55;

/** Disjoint spans within [start, end): where spans overlap, the later one wins (so nothing is drawn twice). */
export function flattenSpans(spans: readonly TimelineSpan[], start: number, end: number): TimelineSpan[] {
  const clipped = spans.map((s) => ({ ...s, from: Math.max(start, s.from), to: Math.min(end, s.to) })).filter((s) => s.to > s.from);
  const cuts = [...new Set(clipped.flatMap((s) => [s.from, s.to]))].sort((a, b) => a - b);
  const out: TimelineSpan[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const top = [...clipped].reverse().find((s) => s.from <= from && s.to >= to);
    if (!top) continue;
    const last = out.at(-1);
    // Pieces of one span join again; touching spans join only when they read the same.
    if (last && last.state === top.state && last.label === top.label && last.title === top.title && last.to === from) out[out.length - 1] = { ...last, to };
    else out.push({ ...top, from, to });
  }
  return out;
}

/** Relative luminance of a `#rrggbb` colour (WCAG 2.x definition), 0 (black) to 1 (white). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** `text` cut to at most `chars` characters, the last one "…" when cut; "" when not even one character and "…" fit. */
function fit(text: string, chars: number): string {
  const glyphs = [...text];
  if (glyphs.length <= chars) return text;
  return chars < 2 ? "" : `${glyphs.slice(0, chars - 1).join("")}…`;
}

interface RowLabel {
  readonly row: string;
  readonly label: string;
  readonly note?: string;
  readonly at: Date;
}

/** The label of each row in the left margin, `indent` pixels in, and its note line under it where there is one. */
function rowLabels(labels: readonly RowLabel[], indent: number, lineOffset: number, style: Plot.TextOptions): Plot.Markish[] {
  const at = { x: "at", y: "row", textAnchor: "start", dx: indent - LABEL_WIDTH } as const;
  const notes = labels.filter((l) => l.note !== undefined);
  return [
    Plot.text(labels, { ...at, text: "label", dy: -lineOffset, ariaDescription: "row label", ...style }),
    ...(notes.length > 0 ? [Plot.text(notes, { ...at, text: "note", dy: lineOffset + 1, fill: "#555", fontSize: 10, ariaDescription: "row note" })] : []),
  ];
}

/**
 * Rows top to bottom, labelled on the left (rows bold, detail rows indented, an optional note line under
 * the label), with the UTC time axis below (`utcAxis`: one grid line per day for ranges of three days to
 * three weeks, per Monday beyond). Overlapping spans of a row are flattened (the later wins); spans
 * shorter than 0.2% of the range are widened to it. A span's `label` is drawn inside it (white on dark
 * fills, near-black on light ones, cut with "…" to the span's width) and its `title` becomes the bar's
 * SVG `<title>` (hover text). All text is set through the DOM, so it is shown, never interpreted.
 * Colours are `#rrggbb`. Throws on a state missing from `states`.
 */
export function timelineChart(options: TimelineOptions): string {
  const [start, end] = options.range;
  const minSpan = (end - start) * MIN_SPAN_SHARE;
  const width = options.width ?? 1100;
  const pxPerSecond = (width - LABEL_WIDTH - MARGIN_RIGHT) / (end - start);
  const noted = options.rows.some((r) => r.note !== undefined);
  const keys = options.rows.map((_, i) => String(i));
  // Labels are drawn as text in the left margin (not as axis ticks) so that detail rows can be indented
  // under their row and rows bold; rows are keyed by index, so equal labels stay separate rows.
  const labels = options.rows.map((r, i) => ({ row: String(i), label: r.label, note: r.note, detail: r.detail ?? false, at: new Date(start * 1000) }));
  const spans = options.rows.flatMap((row, i) => {
    for (const s of row.spans) if (!(s.state in options.states)) throw new Error(`timelineChart ${options.title}: row "${row.label}": unknown state "${s.state}"`);
    // Widen short spans first, then flatten, so a short span stays visible over what lies under it.
    const widened = row.spans.map((s) => ({ ...s, to: Math.max(s.to, Math.max(start, s.from) + minSpan) }));
    return flattenSpans(widened, start, end).map((s) => ({
      row: String(i),
      state: s.state,
      from: new Date(s.from * 1000),
      to: new Date(s.to * 1000),
      opacity: row.detail ? DETAIL_OPACITY : 1,
      title: s.title,
      label: s.label === undefined ? "" : fit(s.label, Math.floor(((s.to - s.from) * pxPerSecond - 10) / SPAN_CHAR_PX)),
      dark: luminance(options.states[s.state]) < DARK_FILL_LUMINANCE,
    }));
  });
  const labelled = spans.filter((s) => s.label !== "");
  const annotated = labelled.length > 0 || spans.some((s) => s.title !== undefined);
  const spanText = (dark: boolean) =>
    Plot.text(labelled.filter((s) => s.dark === dark), { x: "from", y: "row", text: "label", textAnchor: "start", dx: 5, fontSize: SPAN_FONT_PX, fill: dark ? "#fff" : "#222", fontWeight: dark ? "bold" : "normal", ariaDescription: "span label" });
  const lineOffset = noted ? 7 : 0;
  return renderFigure(options, {
    width,
    height: options.height ?? 30 + options.rows.length * (noted ? ROW_HEIGHT_WITH_NOTE : ROW_HEIGHT) + 30,
    x: utcAxis(start, end),
    y: { axis: null, domain: keys, padding: 0.15 },
    color: { domain: Object.keys(options.states), range: Object.values(options.states), legend: true },
    opacity: { type: "identity" },
    marginLeft: LABEL_WIDTH,
    marginRight: MARGIN_RIGHT,
    marks: [
      // Annotated spans get their hover text and a white outline, which keeps touching spans (e.g. two
      // leases back to back) apart without moving their edges.
      Plot.barX(spans, { x1: "from", x2: "to", y: "row", fill: "state", fillOpacity: "opacity", ...(annotated ? { title: "title", stroke: "#fff", ariaDescription: "span" } : {}) }),
      ...(labelled.length > 0 ? [spanText(true), spanText(false)] : []),
      ...rowLabels(labels.filter((l) => !l.detail), 8, lineOffset, { fontWeight: "bold", fill: "#111" }),
      ...rowLabels(labels.filter((l) => l.detail), 24, lineOffset, { fill: "#333" }),
    ],
  });
}
