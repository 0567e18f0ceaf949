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
}

export interface TimelineRow {
  readonly label: string;
  /** Spans of this row; later spans are drawn over earlier ones where they overlap. */
  readonly spans: readonly TimelineSpan[];
  /** A detail row under the row above (e.g. one gate of a node): indented label, paler band. Default false. */
  readonly detail?: boolean;
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
    if (last && last.state === top.state && last.to === from) out[out.length - 1] = { ...last, to };
    else out.push({ from, to, state: top.state });
  }
  return out;
}

/**
 * Rows top to bottom, labelled on the left (rows bold, detail rows indented), with the UTC time axis below
 * (`utcAxis`: one grid line per day for ranges of three days or more). Overlapping spans of a row are
 * flattened (the later wins); spans shorter than 0.2% of the range are widened to it. Throws on a
 * state missing from `states`.
 */
export function timelineChart(options: TimelineOptions): string {
  const [start, end] = options.range;
  const minSpan = (end - start) * MIN_SPAN_SHARE;
  const keys = options.rows.map((_, i) => String(i));
  // Labels are drawn as text in the left margin (not as axis ticks) so that detail rows can be indented
  // under their row and rows bold; rows are keyed by index, so equal labels stay separate rows.
  const labels = options.rows.map((r, i) => ({ row: String(i), label: r.label, detail: r.detail ?? false, at: new Date(start * 1000) }));
  const spans = options.rows.flatMap((row, i) => {
    for (const s of row.spans) if (!(s.state in options.states)) throw new Error(`timelineChart ${options.title}: row "${row.label}": unknown state "${s.state}"`);
    // Widen short spans first, then flatten, so a short span stays visible over what lies under it.
    const widened = row.spans.map((s) => ({ ...s, to: Math.max(s.to, Math.max(start, s.from) + minSpan) }));
    return flattenSpans(widened, start, end).map((s) => ({ row: String(i), state: s.state, from: new Date(s.from * 1000), to: new Date(s.to * 1000), opacity: row.detail ? DETAIL_OPACITY : 1 }));
  });
  return renderFigure(options, {
    height: options.height ?? 30 + options.rows.length * 22 + 30,
    x: utcAxis(start, end),
    y: { axis: null, domain: keys, padding: 0.15 },
    color: { domain: Object.keys(options.states), range: Object.values(options.states), legend: true },
    opacity: { type: "identity" },
    marginLeft: LABEL_WIDTH,
    marks: [
      Plot.barX(spans, { x1: "from", x2: "to", y: "row", fill: "state", fillOpacity: "opacity" }),
      Plot.text(labels.filter((l) => !l.detail), { x: "at", y: "row", text: "label", textAnchor: "start", dx: 8 - LABEL_WIDTH, fontWeight: "bold", fill: "#111" }),
      Plot.text(labels.filter((l) => l.detail), { x: "at", y: "row", text: "label", textAnchor: "start", dx: 24 - LABEL_WIDTH, fill: "#333" }),
    ],
  });
}
