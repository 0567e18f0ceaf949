/**
 * The stack report rendered from its analysis (tools/bench/analysis.ts): Markdown for the pull
 * request and self-contained HTML with charts (tools/charts). Every text that came from the data
 * (run names, labels) is escaped: a measurements file is input, not markup.
 */
import { dotChart, intervalChart } from "../charts/charts";
import { escapeHtml, htmlDocument } from "../charts/html";
import { FAMILY_ALPHA, MAX_SESSIONS, MIN_SESSIONS, TARGET_CHANGE, VERDICTS, type Analysis, type SeriesResult, type Verdict } from "./analysis";
import { formatValue } from "./format";
import { MEASUREMENTS, seriesKey } from "./measurements";
import type { MeanInterval } from "./overhead";

/** Verdict counts of the report. */
export function verdictCounts(analysis: Analysis): Record<Verdict, number> {
  const out = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const s of analysis.series) out[s.verdict]++;
  return out;
}

const mdCell = (text: string) => text.replace(/[|\\<>*_`[\]]/g, (c) => `\\${c}`).replace(/\n/g, " ");
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function estimateText(s: SeriesResult): string {
  if (s.estimate === undefined) return "–";
  return s.scale === "ratio B/A" ? num(s.estimate) : `${s.estimate >= 0 ? "+" : ""}${num(s.estimate)}`;
}

export function intervalText(s: SeriesResult): string {
  if (!s.interval) return "–";
  return `${num(s.interval[0])} – ${num(s.interval[1])} (${(100 * s.confidence!).toFixed(2)}%)`;
}

const sizeText = (s: SeriesResult) => (s.sessionsFor10Percent === undefined ? "–" : s.sessionsFor10Percent === null ? `> ${MAX_SESSIONS}` : String(s.sessionsFor10Percent));
const meanText = (m?: MeanInterval) => (m ? `${pct(m.mean)}${m.interval ? ` (${pct(m.interval[0])} – ${pct(m.interval[1])})` : ""}` : "–");

export function headlineText(analysis: Analysis): string {
  const c = verdictCounts(analysis);
  const tested = c["B better"] + c["B worse"] + c["no detectable difference"];
  return `${c["B better"]} better, ${c["B worse"]} worse, ${c["no detectable difference"]} with no detectable difference, ${c["not testable"]} not testable, ${c.refused} refused (B against A; Holm's correction across the ${tested} tested series: the chance of any false verdict in this report is at most ${FAMILY_ALPHA * 100}%)`;
}

export const METHOD = `Sessions, not repetitions, are the units: each session (one uninterrupted run of the suite on one stack) gives one value per series, the median of its repetitions. Per series, a linear model over the sessions estimates the stack's effect with a linear drift over time removed; the estimate is the ratio B/A of typical (median) session values, a location shift of the log values, not a ratio of two medians of repetitions (for QoS accuracy, "closer to 1": the difference of the distances to 1, B − A, negative when B is closer). A verdict needs its interval to exclude 1 (QoS: 0) after Holm's correction across every tested series; each interval's level is the one its Holm step used (at least 95%). "Not testable" (fewer than ${MIN_SESSIONS} sessions per stack, no variation) and "refused" (design or data unsafe) are not "no detectable difference". "Sessions for 10%": sessions per stack that detect a ${TARGET_CHANGE * 100}% change with power 0.8 after the correction, from this report's spread taken as a pilot (its 80% upper confidence limit).`;

/** Stack labels per run (`--label k=v` of stack-bench), shown beside the run names. */
export type RunLabels = Readonly<Record<string, Readonly<Record<string, string>>>>;

function sessionsLine(analysis: Analysis, stack: "A" | "B", labels: RunLabels): string {
  const sessions = analysis.design.sessions.filter((s) => s.stack === stack);
  const nodes = [...new Set(sessions.flatMap((s) => s.nodeSets))].filter(Boolean);
  const own = Object.entries(labels[stack === "A" ? analysis.a : analysis.b] ?? {}).map(([k, v]) => `${k}=${v}`);
  return `${own.length ? `(${own.join(", ")}) ` : ""}${sessions.length} session(s) on ${nodes.join(" | ") || "unrecorded nodes"}`;
}

/** The report as Markdown. */
export function renderMarkdown(analysis: Analysis, labels: RunLabels = {}): string {
  const lines = [
    `# Stack comparison: ${mdCell(analysis.a)} vs ${mdCell(analysis.b)}`,
    "",
    `- A: ${mdCell(analysis.a)}: ${mdCell(sessionsLine(analysis, "A", labels))}`,
    `- B: ${mdCell(analysis.b)}: ${mdCell(sessionsLine(analysis, "B", labels))}`,
    `- Session order: ${analysis.design.order}`,
    `- Design for a ${TARGET_CHANGE * 100}% change: ${analysis.recommendedSessions ? `${analysis.recommendedSessions} sessions per stack` : "no series could be sized"} (largest size over the series that fit ${MAX_SESSIONS}; see the last column)${analysis.seriesAboveBound > 0 ? `; ${analysis.seriesAboveBound} series need more than ${MAX_SESSIONS}` : ""}`,
    "",
    `**${headlineText(analysis)}.**`,
    "",
    METHOD,
    "",
  ];
  if (analysis.problems.length > 0) lines.push("## Problems", "", ...analysis.problems.map((p) => `- ${mdCell(p)}`), "");
  lines.push("## Results", "", "| Measurement | Better | Median A | Median B | Estimate | Interval (level) | Verdict | Sessions A/B | Sessions for 10% |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const s of analysis.series) {
    const ma = s.medianA === undefined ? "–" : formatValue(s.def, s.medianA);
    const mb = s.medianB === undefined ? "–" : formatValue(s.def, s.medianB);
    const verdict = s.reason ? `${s.verdict}: ${mdCell(s.reason)}` : s.verdict;
    lines.push(`| ${mdCell(s.title)} | ${s.def.better} | ${ma} | ${mb} | ${estimateText(s)} | ${intervalText(s)} | ${verdict} | ${s.sessions.A}/${s.sessions.B} | ${sizeText(s)} |`);
  }
  if (analysis.overhead.length > 0) {
    lines.push("", "## Pod network overhead against the host network", "", "Per session, 1 − pod/host (rates) or pod/host − 1 (latency) from the medians of the pod and host series of that session; mean over sessions with its 95% interval; lower is better.", "", "| Measurement | A (95%) | B (95%) | B − A (95%) |", "| --- | --- | --- | --- |");
    for (const o of analysis.overhead) {
      const diff = o.difference ? `${pct(o.difference.estimate)} (${pct(o.difference.interval[0])} – ${pct(o.difference.interval[1])})` : "–";
      lines.push(`| ${mdCell(`${o.measurement.replace(/_/g, " ")}, ${o.placement.replace("_", "-")}`)} | ${meanText(o.a)} | ${meanText(o.b)} | ${diff} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const VERDICT_COLORS: Record<Verdict, string> = { "B better": "#1b7837", "B worse": "#c51b7d", "no detectable difference": "#777777", "not testable": "#bbbbbb", refused: "#e08214" };
const VERDICT_CLASS: Record<Verdict, string> = { "B better": "better", "B worse": "worse", "no detectable difference": "same", "not testable": "same", refused: "worse" };

/** The report as one self-contained HTML page with charts. */
export function renderHtml(analysis: Analysis, labels: RunLabels = {}): string {
  const table = [
    "<table><thead><tr><th>Measurement</th><th>Better</th><th>Median A</th><th>Median B</th><th>Estimate</th><th>Interval (level)</th><th>Verdict</th><th>Sessions A/B</th><th>Sessions for 10%</th></tr></thead><tbody>",
    ...analysis.series.map((s) => {
      const cells = [
        escapeHtml(s.title),
        s.def.better,
        s.medianA === undefined ? "–" : formatValue(s.def, s.medianA),
        s.medianB === undefined ? "–" : formatValue(s.def, s.medianB),
        estimateText(s),
        intervalText(s),
        `<span class="${VERDICT_CLASS[s.verdict]}">${s.verdict}</span>${s.reason ? `: ${escapeHtml(s.reason)}` : ""}`,
        `${s.sessions.A}/${s.sessions.B}`,
        escapeHtml(sizeText(s)),
      ];
      return `<tr>${cells.map((c, i) => `<td${[2, 3, 4, 5, 7, 8].includes(i) ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`;
    }),
    "</tbody></table>",
  ].join("\n");
  const ratios = analysis.series.filter((s) => s.interval && s.scale === "ratio B/A");
  const forest = ratios.length
    ? intervalChart({
        title: "B/A per series with its interval (log scale; right of 1 means B is higher)",
        rows: ratios.map((s) => ({ label: s.title, value: s.estimate!, low: s.interval![0], high: s.interval![1], group: s.verdict })),
        xLabel: "B / A",
        reference: 1,
        log: true,
        colors: VERDICT_COLORS,
      })
    : "";
  const perMetric = MEASUREMENTS.filter((m) => !m.derived)
    .map((def) => {
      const rows = analysis.series.filter((s) => s.def === def);
      if (rows.length === 0) return "";
      const values = analysis.design.sessions.flatMap((session) => session.measurements.filter((m) => m.metric === def.metric).map((m) => ({ session, m })));
      // Seconds as ms below a second (network, DNS), as seconds above (pod start); bytes/s as Gbit/s.
      const seconds = def.unit === "s" && values.some((v) => v.m.value >= 1);
      const scale = def.unit === "s" ? (seconds ? 1 : 1e3) : def.unit === "B/s" ? 8e-9 : 1;
      const unit = def.unit === "s" ? (seconds ? "s" : "ms") : def.unit === "B/s" ? "Gbit/s" : def.unit;
      const byKey = new Map(rows.map((r) => [r.key, r.title.replace(`${def.title} · `, "")]));
      return dotChart({
        title: `${def.title}: every repetition (${unit}; ${def.better} is better)`,
        rows: values.flatMap(({ session, m }) => {
          const label = byKey.get(seriesKey(m.metric, m.labels));
          return label === undefined ? [] : [{ label, group: `${session.stack} ${session.run}`, value: m.value * scale }];
        }),
        xLabel: unit,
      });
    })
    .join("\n");
  const overhead = analysis.overhead.length
    ? [
        "<table><thead><tr><th>Measurement</th><th>A (95%)</th><th>B (95%)</th><th>B − A (95%)</th></tr></thead><tbody>",
        ...analysis.overhead.map((o) => `<tr><td>${escapeHtml(`${o.measurement.replace(/_/g, " ")}, ${o.placement.replace("_", "-")}`)}</td><td class="num">${meanText(o.a)}</td><td class="num">${meanText(o.b)}</td><td class="num">${o.difference ? `${pct(o.difference.estimate)} (${pct(o.difference.interval[0])} – ${pct(o.difference.interval[1])})` : "–"}</td></tr>`),
        "</tbody></table>",
      ].join("\n")
    : "";
  const body = [
    `<h1>Stack comparison: ${escapeHtml(analysis.a)} vs ${escapeHtml(analysis.b)}</h1>`,
    `<p>A: <b>${escapeHtml(analysis.a)}</b>: ${escapeHtml(sessionsLine(analysis, "A", labels))}<br>B: <b>${escapeHtml(analysis.b)}</b>: ${escapeHtml(sessionsLine(analysis, "B", labels))}<br>Session order: ${escapeHtml(analysis.design.order)}</p>`,
    `<p><b>${escapeHtml(headlineText(analysis))}.</b></p>`,
    `<p class="note">${escapeHtml(METHOD)}</p>`,
    analysis.problems.length ? `<h2>Problems</h2><ul>${analysis.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>` : "",
    forest,
    "<h2>Results</h2>",
    table,
    overhead ? `<h2>Pod network overhead</h2>${overhead}` : "",
    "<h2>Repetitions</h2>",
    perMetric,
  ].join("\n");
  return htmlDocument(`Stack comparison: ${analysis.a} vs ${analysis.b}`, body);
}
