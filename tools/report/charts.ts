/** Inline SVG charts for the report: no scripts, no external assets, readable when printed. */

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#d62728"];

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const DAY = 86400;

function xScale(frame: Frame, start: number, end: number): (t: number) => number {
  return (t) => frame.left + ((t - start) / (end - start)) * (frame.width - frame.left - frame.right);
}

/** Day boundaries with weekday labels along the x axis. */
function dayAxis(frame: Frame, start: number, end: number, x: (t: number) => number, yTop: number, yBottom: number): string {
  const parts: string[] = [];
  for (let t = start; t <= end; t += DAY) {
    parts.push(`<line x1="${x(t).toFixed(1)}" y1="${yTop}" x2="${x(t).toFixed(1)}" y2="${yBottom}" stroke="#ddd"/>`);
    if (t < end) {
      const label = new Date(t * 1000).toISOString().slice(5, 10);
      const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][new Date(t * 1000).getUTCDay()];
      parts.push(`<text x="${(x(t) + x(t + DAY)) / 2}" y="${yBottom + 16}" font-size="11" text-anchor="middle" fill="#444">${weekday} ${label}</text>`);
    }
  }
  return parts.join("");
}

export interface TimelineRow {
  readonly label: string;
  /** Failing intervals, drawn red over a green (ok) or grey (no data) background. */
  readonly failing: ReadonlyArray<{ readonly from: number; readonly to: number }>;
  /** Intervals a gate could not be evaluated (verdict unknown), drawn grey under the failures. */
  readonly unknown?: ReadonlyArray<{ readonly from: number; readonly to: number }>;
  readonly hasData: boolean;
  /** Indented detail row (a gate under its node). */
  readonly detail?: boolean;
}

/** One bar per row over the week: green where comparable, grey where unknown, red where a gate failed. */
export function timelineChart(title: string, rows: readonly TimelineRow[], start: number, end: number, width = 1100): string {
  const rowHeight = 22;
  const frame: Frame = { width, height: 40 + rows.length * rowHeight + 30, left: 230, right: 20, top: 34, bottom: 30 };
  const x = xScale(frame, start, end);
  const bars = rows.map((row, i) => {
    const y = frame.top + i * rowHeight;
    const base = `<rect x="${frame.left}" y="${y + 3}" width="${(x(end) - frame.left).toFixed(1)}" height="${rowHeight - 6}" fill="${row.hasData ? (row.detail ? "#e8f5e9" : "#a5d6a7") : "#e0e0e0"}"/>`;
    const spans = (intervals: ReadonlyArray<{ readonly from: number; readonly to: number }>, fill: string) =>
      intervals
        .map((f) => {
          const x1 = x(Math.max(start, f.from));
          const w = Math.max(2, x(Math.min(end, f.to)) - x1);
          return `<rect x="${x1.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${fill}"/>`;
        })
        .join("");
    const grey = spans(row.unknown ?? [], row.detail ? "#cfcfcf" : "#9e9e9e");
    const red = spans(row.failing, row.detail ? "#ef9a9a" : "#d32f2f");
    const label = `<text x="${row.detail ? 24 : 8}" y="${y + rowHeight / 2 + 4}" font-size="${row.detail ? 11 : 12}" fill="#222"${row.detail ? "" : ' font-weight="bold"'}>${escapeXml(row.label)}</text>`;
    return base + grey + red + label;
  });
  const bottom = frame.top + rows.length * rowHeight;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${frame.height}" viewBox="0 0 ${width} ${frame.height}" role="img" aria-label="${escapeXml(title)}">`,
    `<text x="8" y="20" font-size="14" font-weight="bold" fill="#111">${escapeXml(title)}</text>`,
    dayAxis(frame, start, end, x, frame.top, bottom),
    ...bars,
    `</svg>`,
  ].join("");
}

export interface LineSeries {
  readonly label: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface LineChartOptions {
  readonly title: string;
  /** Unit label of the y axis; values are divided by `scale` for display. */
  readonly unit: string;
  readonly scale?: number;
  /** Horizontal reference lines (thresholds, baselines), dashed. */
  readonly references?: ReadonlyArray<{ readonly label: string; readonly value: number; readonly color?: string }>;
  readonly width?: number;
  readonly height?: number;
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const n = value / magnitude;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
}

export function lineChart(series: readonly LineSeries[], start: number, end: number, options: LineChartOptions): string {
  const width = options.width ?? 1100;
  const scale = options.scale ?? 1;
  const legendRows = Math.ceil((series.length + (options.references?.length ?? 0)) / 4);
  const frame: Frame = { width, height: options.height ?? 280, left: 70, right: 20, top: 34, bottom: 40 + legendRows * 16 };
  const x = xScale(frame, start, end);
  const values = [...series.flatMap((s) => s.points.map(([, v]) => v / scale)), ...(options.references ?? []).map((r) => r.value / scale)].filter(Number.isFinite);
  const yMax = niceMax(Math.max(0, ...values) * 1.05);
  const plotBottom = frame.height - frame.bottom;
  const y = (v: number) => plotBottom - (v / yMax) * (plotBottom - frame.top);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = yMax * f;
    return `<line x1="${frame.left}" y1="${y(v).toFixed(1)}" x2="${width - frame.right}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${frame.left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#444">${Number(v.toPrecision(3))}</text>`;
  });
  const lines = series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const points = s.points.filter(([t, v]) => t >= start && t <= end && Number.isFinite(v)).map(([t, v]) => `${x(t).toFixed(1)},${y(v / scale).toFixed(1)}`);
    return points.length === 0 ? "" : `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(" ")}"/>`;
  });
  const refs = (options.references ?? []).map((r, i) => {
    const color = r.color ?? PALETTE[i % PALETTE.length];
    return `<line x1="${frame.left}" y1="${y(r.value / scale).toFixed(1)}" x2="${width - frame.right}" y2="${y(r.value / scale).toFixed(1)}" stroke="${color}" stroke-dasharray="6 4" stroke-width="1.2"/>`;
  });
  const legendItems = [
    ...series.map((s, i) => ({ label: s.label, color: PALETTE[i % PALETTE.length], dashed: false })),
    ...(options.references ?? []).map((r, i) => ({ label: r.label, color: r.color ?? PALETTE[i % PALETTE.length], dashed: true })),
  ];
  const legend = legendItems.map((item, i) => {
    const lx = frame.left + (i % 4) * 260;
    const ly = plotBottom + 34 + Math.floor(i / 4) * 16;
    return `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="6 4"' : ""}/><text x="${lx + 28}" y="${ly}" font-size="11" fill="#222">${escapeXml(item.label)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${frame.height}" viewBox="0 0 ${width} ${frame.height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<text x="8" y="20" font-size="14" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`,
    `<text x="8" y="${frame.top + 4}" font-size="11" fill="#444">${escapeXml(options.unit)}</text>`,
    ...grid,
    dayAxis(frame, start, end, x, frame.top, plotBottom),
    ...refs,
    ...lines,
    ...legend,
    series.length === 0 ? `<text x="${width / 2}" y="${(frame.top + plotBottom) / 2}" font-size="13" text-anchor="middle" fill="#888">no data</text>` : "",
    `</svg>`,
  ].join("");
}
