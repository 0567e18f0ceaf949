/**
 * The stack report: two runs of the benchmark suite side by side. Per series (a measurement and its
 * labels), the medians of A and B, the ratio B/A with its 95% confidence interval, a verdict that
 * knows which direction is better, and the repetitions that would detect a 5% change
 * (tools/bench/statistics.ts). Rendered as Markdown and as self-contained HTML with charts
 * (tools/charts).
 */
import { barChart, dotChart, intervalChart } from "../charts/charts";
import { escapeHtml, htmlDocument } from "../charts/html";
import { formatValue, seriesTitle } from "./format";
import { MEASUREMENTS, MEASUREMENT_BY_METRIC, seriesKey, type MeasurementDef, type Sample } from "./measurements";
import { compare, CONFIDENCE, DETECTABLE_CHANGE, median, POWER, type Comparison, type Verdict } from "./statistics";
import type { ExportedRun } from "./vm";

export interface SeriesRow {
  readonly key: string;
  readonly def: MeasurementDef;
  readonly labels: Readonly<Record<string, string>>;
  readonly title: string;
  /** One value per repetition (the latest when a repetition was imported twice). */
  readonly a: number[];
  readonly b: number[];
  readonly comparison?: Comparison;
  /** Why there is no comparison (series missing from a run, values not positive, derived). */
  readonly note?: string;
}

export interface StackReport {
  readonly a: ExportedRun;
  readonly b: ExportedRun;
  readonly rows: SeriesRow[];
}

/** Per series key: one value per repetition, the latest sample winning. */
function bySeries(samples: readonly Sample[]): Map<string, { metric: string; labels: Record<string, string>; reps: Map<number, Sample> }> {
  const out = new Map<string, { metric: string; labels: Record<string, string>; reps: Map<number, Sample> }>();
  for (const s of samples) {
    const key = seriesKey(s.metric, s.labels);
    const entry = out.get(key) ?? { metric: s.metric, labels: { ...s.labels }, reps: new Map() };
    const seen = entry.reps.get(s.rep);
    if (!seen || seen.timestampMs <= s.timestampMs) entry.reps.set(s.rep, s);
    out.set(key, entry);
  }
  return out;
}

/** "closer to 1": a real difference, judged by which median is nearer 1. */
function closerToOneVerdict(c: Comparison): Verdict {
  if (c.verdict === "no detectable difference") return c.verdict;
  return Math.abs(Math.log(c.medianB)) < Math.abs(Math.log(c.medianA)) ? "B better" : "B worse";
}

export function buildStackReport(a: ExportedRun, b: ExportedRun): StackReport {
  const sa = bySeries(a.samples);
  const sb = bySeries(b.samples);
  const keys = [...new Set([...sa.keys(), ...sb.keys()])];
  const order = (key: string) => MEASUREMENTS.findIndex((m) => m.metric === (sa.get(key) ?? sb.get(key))!.metric);
  keys.sort((x, y) => order(x) - order(y) || x.localeCompare(y));
  const rows = keys.map((key): SeriesRow => {
    const entry = (sa.get(key) ?? sb.get(key))!;
    const def = MEASUREMENT_BY_METRIC.get(entry.metric)!;
    const values = (m: typeof sa) => [...(m.get(key)?.reps.values() ?? [])].sort((p, q) => p.rep - q.rep).map((s) => s.value);
    const row = { key, def, labels: entry.labels, title: seriesTitle(def, entry.labels), a: values(sa), b: values(sb) };
    if (row.a.length === 0 || row.b.length === 0) return { ...row, note: `only in run ${row.a.length === 0 ? "B" : "A"}` };
    if (def.derived) return { ...row, note: "derived from the rows above; compare those" };
    if ([...row.a, ...row.b].some((v) => !(v > 0))) return { ...row, note: "values not all positive: no ratio" };
    const comparison = compare(row.a, row.b, def.better !== "lower");
    return { ...row, comparison: def.better === "closer to 1" ? { ...comparison, verdict: closerToOneVerdict(comparison) } : comparison };
  });
  return { a, b, rows };
}

const runLabel = (run: ExportedRun) => {
  const labels = Object.entries(run.stackLabels).map(([k, v]) => `${k}=${v}`).join(", ");
  return `${run.run}${labels ? ` (${labels})` : ""}`;
};

const fmtRatio = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "∞");
const interval = (c: Comparison) => (c.interval.low === 0 && !Number.isFinite(c.interval.high) ? "too few reps" : `${fmtRatio(c.interval.low)} – ${fmtRatio(c.interval.high)}`);
const repsFor5 = (c: Comparison) => (Number.isFinite(c.repetitionsFor5Percent) ? String(c.repetitionsFor5Percent) : "–");

function counts(report: StackReport): Record<Verdict, number> {
  const out: Record<Verdict, number> = { "B better": 0, "B worse": 0, "no detectable difference": 0 };
  for (const r of report.rows) if (r.comparison) out[r.comparison.verdict]++;
  return out;
}

const METHOD = `Each row is one series: a measurement with its labels, one value per repetition. B/A is the ratio of the medians; the ${CONFIDENCE * 100}% confidence interval of B/A is distribution-free (Mann-Whitney inverted on log values: the Hodges-Lehmann interval), so a verdict other than "no detectable difference" means the interval excludes 1. "Reps for 5%" is how many repetitions per run would detect a ${DETECTABLE_CHANGE * 100}% change with power ${POWER} at this spread (Noether's formula); see CONFIRM (Maricq et al., OSDI'18) on why testbed comparisons need that many.`;

/** The report as Markdown. */
export function renderMarkdown(report: StackReport): string {
  const c = counts(report);
  const lines = [
    `# Stack comparison: ${report.a.run} vs ${report.b.run}`,
    "",
    `- A: ${runLabel(report.a)}`,
    `- B: ${runLabel(report.b)}`,
    "",
    `**${c["B better"]} better, ${c["B worse"]} worse, ${c["no detectable difference"]} with no detectable difference** (B against A, ${CONFIDENCE * 100}% confidence).`,
    "",
    METHOD,
    "",
    "## Results",
    "",
    "| Measurement | Better | Median A | Median B | B/A | 95% CI of B/A | Verdict | Reps A/B | Reps for 5% |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of report.rows.filter((row) => !row.def.derived)) {
    const cmp = r.comparison;
    const ma = r.a.length ? formatValue(r.def, median(r.a)) : "–";
    const mb = r.b.length ? formatValue(r.def, median(r.b)) : "–";
    lines.push(
      cmp
        ? `| ${r.title} | ${r.def.better} | ${ma} | ${mb} | ${fmtRatio(cmp.ratio)} | ${interval(cmp)} | ${cmp.verdict} | ${cmp.repetitionsA}/${cmp.repetitionsB} | ${repsFor5(cmp)} |`
        : `| ${r.title} | ${r.def.better} | ${ma} | ${mb} | – | – | ${r.note} | ${r.a.length}/${r.b.length} | – |`,
    );
  }
  const overhead = report.rows.filter((r) => r.def.derived);
  if (overhead.length > 0) {
    lines.push("", "## Pod network overhead against the host network", "", "Median per repetition of 1 − pod/host (rates) or pod/host − 1 (latency); lower is better.", "", "| Measurement | A | B |", "| --- | --- | --- |");
    for (const r of overhead) lines.push(`| ${r.title} | ${r.a.length ? formatValue(r.def, median(r.a)) : "–"} | ${r.b.length ? formatValue(r.def, median(r.b)) : "–"} |`);
  }
  return `${lines.join("\n")}\n`;
}

const VERDICT_COLORS: Record<Verdict, string> = { "B better": "#1b7837", "B worse": "#c51b7d", "no detectable difference": "#777777" };
const VERDICT_CLASS: Record<Verdict, string> = { "B better": "better", "B worse": "worse", "no detectable difference": "same" };

/** The report as one self-contained HTML page with charts. */
export function renderHtml(report: StackReport): string {
  const c = counts(report);
  const compared = report.rows.filter((r) => r.comparison);
  const table = [
    "<table><thead><tr><th>Measurement</th><th>Better</th><th>Median A</th><th>Median B</th><th>B/A</th><th>95% CI of B/A</th><th>Verdict</th><th>Reps A/B</th><th>Reps for 5%</th></tr></thead><tbody>",
    ...report.rows
      .filter((r) => !r.def.derived)
      .map((r) => {
        const cmp = r.comparison;
        const ma = r.a.length ? formatValue(r.def, median(r.a)) : "–";
        const mb = r.b.length ? formatValue(r.def, median(r.b)) : "–";
        const cells = cmp
          ? [fmtRatio(cmp.ratio), interval(cmp), `<span class="${VERDICT_CLASS[cmp.verdict]}">${cmp.verdict}</span>`, `${cmp.repetitionsA}/${cmp.repetitionsB}`, repsFor5(cmp)]
          : ["–", "–", escapeHtml(r.note ?? ""), `${r.a.length}/${r.b.length}`, "–"];
        return `<tr><td>${escapeHtml(r.title)}</td><td>${r.def.better}</td><td class="num">${ma}</td><td class="num">${mb}</td>${cells.map((x, i) => `<td${i === 0 || i === 3 || i === 4 ? ' class="num"' : ""}>${x}</td>`).join("")}</tr>`;
      }),
    "</tbody></table>",
  ].join("\n");
  const forest = intervalChart({
    title: `B/A per measurement with its ${CONFIDENCE * 100}% confidence interval (log scale; right of 1 means B is higher)`,
    rows: compared.map((r) => ({
      label: r.title,
      value: r.comparison!.ratio,
      low: r.comparison!.interval.low > 0 ? r.comparison!.interval.low : Number.NaN,
      high: Number.isFinite(r.comparison!.interval.high) ? r.comparison!.interval.high : Number.NaN,
      group: r.comparison!.verdict,
    })),
    xLabel: "B / A",
    reference: 1,
    log: true,
    colors: VERDICT_COLORS,
  });
  const perMetric = MEASUREMENTS.filter((m) => !m.derived)
    .map((def) => {
      const rows = report.rows.filter((r) => r.def === def);
      if (rows.length === 0) return "";
      // Seconds as ms below a second (network, DNS), as seconds above (pod start); bytes/s as Gbit/s.
      const seconds = def.unit === "s" && Math.max(...rows.flatMap((r) => [...r.a, ...r.b])) >= 1;
      const scale = def.unit === "s" ? (seconds ? 1 : 1e3) : def.unit === "B/s" ? 8e-9 : 1;
      const unit = def.unit === "s" ? (seconds ? "s" : "ms") : def.unit === "B/s" ? "Gbit/s" : def.unit;
      return dotChart({
        title: `${def.title}: every repetition (${unit}; ${def.better} is better)`,
        rows: rows.flatMap((r) => [
          ...r.a.map((v) => ({ label: r.title.replace(`${def.title} · `, ""), group: `A ${report.a.run}`, value: v * scale })),
          ...r.b.map((v) => ({ label: r.title.replace(`${def.title} · `, ""), group: `B ${report.b.run}`, value: v * scale })),
        ]),
        xLabel: unit,
      });
    })
    .join("\n");
  const overhead = report.rows.filter((r) => r.def.derived);
  const overheadChart =
    overhead.length === 0
      ? ""
      : barChart({
          title: "Pod network overhead against the host network (median per repetition, %; lower is better)",
          bars: overhead.flatMap((r) => [
            ...(r.a.length ? [{ label: `${r.title.replace(`${r.def.title} · `, "")} · A`, value: median(r.a) * 100, group: `A ${report.a.run}` }] : []),
            ...(r.b.length ? [{ label: `${r.title.replace(`${r.def.title} · `, "")} · B`, value: median(r.b) * 100, group: `B ${report.b.run}` }] : []),
          ]),
          xLabel: "%",
        });
  const body = [
    `<h1>Stack comparison: ${escapeHtml(report.a.run)} vs ${escapeHtml(report.b.run)}</h1>`,
    `<p>A: <b>${escapeHtml(runLabel(report.a))}</b><br>B: <b>${escapeHtml(runLabel(report.b))}</b></p>`,
    `<p><span class="better">${c["B better"]} better</span>, <span class="worse">${c["B worse"]} worse</span>, <span class="same">${c["no detectable difference"]} with no detectable difference</span> (B against A, ${CONFIDENCE * 100}% confidence).</p>`,
    `<p class="note">${escapeHtml(METHOD)}</p>`,
    forest,
    "<h2>Results</h2>",
    table,
    overheadChart ? `<h2>Pod network overhead</h2>${overheadChart}` : "",
    "<h2>Repetitions</h2>",
    perMetric,
  ].join("\n");
  return htmlDocument(`Stack comparison: ${report.a.run} vs ${report.b.run}`, body);
}
