/** The weekly report as Markdown (for pull requests and chat) and as one self-contained HTML page. */
import { timeSeriesChart } from "../charts/charts";
import { escapeHtml, htmlDocument } from "../charts/html";
import { timelineChart, type TimelineRow, type TimelineSpan } from "../charts/timeline";
import type { GateFailure, Interval, NodeVerdict, PoolVerdict, Verdict, WeekReport } from "./evaluate";
import { formatUtc } from "./iso-week";

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h}h${m > 0 ? ` ${m}m` : ""}` : `${m}m`;
}

export function formatInterval(i: Interval): string {
  const from = formatUtc(i.from);
  const to = formatUtc(i.to);
  return `${from} – ${from.slice(0, 10) === to.slice(0, 10) ? to.slice(11) : to} UTC (${duration(i.to - i.from)})`;
}

function failureLines(failures: readonly GateFailure[], limit = 8): string[] {
  return failures.flatMap((f) => {
    const shown = f.intervals.slice(0, limit).map(formatInterval);
    const more = f.intervals.length > limit ? [`… and ${f.intervals.length - limit} more`] : [];
    return [`**${f.gate}**: ${[...shown, ...more].join("; ")}`];
  });
}

const VERDICT_WORD: Record<Verdict, string> = { comparable: "comparable", "not comparable": "NOT comparable", unknown: "UNKNOWN" };

function verdictWord(verdict: Verdict): string {
  return VERDICT_WORD[verdict];
}

/** Pools (or nodes) whose verdict is not comparable, and those unknown, in words. */
function headline(pools: readonly PoolVerdict[]): string {
  const of = (v: Verdict) => pools.filter((p) => p.verdict === v).map((p) => p.pool);
  const parts = [
    ...(of("not comparable").length > 0 ? [`NOT comparable: ${of("not comparable").join(", ")}`] : []),
    ...(of("unknown").length > 0 ? [`UNKNOWN (a gate could not be evaluated): ${of("unknown").join(", ")}`] : []),
  ];
  return parts.length === 0 ? "every pool is comparable" : parts.join("; ");
}

/** Nodes of a pool that are not comparable or unknown, with their verdict. */
function notComparableNodes(pool: PoolVerdict): string {
  return pool.nodes.filter((n) => n.verdict !== "comparable").map((n) => `${n.node} (${verdictWord(n.verdict)})`).join(", ") || "–";
}

/** Gates that could not be evaluated, with their times. */
function unknownLines(unknown: NodeVerdict["week"]["unknown"]): string[] {
  return failureLines(unknown).map((l) => l.replace(/^\*\*(.+?)\*\*:/, "**$1** not evaluated:"));
}

export function renderMarkdown(report: WeekReport): string {
  const { week, baseline } = report;
  const lines = [
    `# Lab comparability: ${week.label} vs baseline ${baseline.label}`,
    "",
    `**Verdict: ${headline(report.pools)}.**`,
    "",
    "Verdicts: comparable (every gate that applies evaluated and passed in both weeks), NOT comparable (a gate failed), UNKNOWN (nothing failed, but a gate could not be evaluated: its inputs were missing).",
    "",
    `Week ${week.label}: ${formatUtc(week.start)} – ${formatUtc(week.end)} UTC. Baseline ${baseline.label}: ${formatUtc(baseline.start)} – ${formatUtc(baseline.end)} UTC.`,
    `Gates evaluated every ${duration(report.step)} from raw series (${report.source}) with the lab-health rules' PromQL; calibration and pinger latency are compared with the baseline week, versions with the drift window (lab:health.windows.drift) before each evaluation.`,
    "",
    "## Pools",
    "",
    "| Pool | Verdict | Nodes not comparable or unknown |",
    "| --- | --- | --- |",
    ...report.pools.map((p) => `| ${p.pool} | ${verdictWord(p.verdict)} | ${notComparableNodes(p)} |`),
    "",
  ];
  for (const pool of report.pools) {
    lines.push(
      `## Pool ${pool.pool}: ${verdictWord(pool.verdict)}`,
      "",
      "| Node | Verdict | Failed gates this week | Gates not evaluated this week | Baseline week |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const n of pool.nodes) {
      const thisWeek = !n.week.hasData ? "no data" : n.week.failures.map((f) => f.gate).join(", ") || "none";
      const missing = n.week.unknown.map((f) => f.gate).join(", ") || "none";
      const baseIssues = [...n.baseline.failures.map((f) => `failed: ${f.gate}`), ...n.baseline.unknown.map((f) => `not evaluated: ${f.gate}`)];
      const base = !n.baseline.hasData ? "no data" : baseIssues.join(", ") || "clean";
      lines.push(`| ${n.node} | ${verdictWord(n.verdict)} | ${thisWeek} | ${missing} | ${base} |`);
    }
    lines.push("");
    for (const n of pool.nodes.filter((n) => n.verdict !== "comparable")) {
      lines.push(`### ${n.node}`, "");
      if (!n.week.hasData) lines.push(`- no monitoring data for ${n.node} in ${week.label}`);
      if (!n.baseline.hasData) lines.push(`- no monitoring data for ${n.node} in the baseline week ${baseline.label}`);
      lines.push(...failureLines(n.week.failures).map((l) => `- ${week.label}: ${l}`));
      lines.push(...failureLines(n.baseline.failures).map((l) => `- baseline ${baseline.label}: ${l}`));
      lines.push(...unknownLines(n.week.unknown).map((l) => `- ${week.label}: ${l}`));
      lines.push(...unknownLines(n.baseline.unknown).map((l) => `- baseline ${baseline.label}: ${l}`));
      lines.push("");
    }
  }
  lines.push("## Gates and thresholds", "", "| Gate | Passes when | Source |", "| --- | --- | --- |");
  for (const g of report.gates) lines.push(`| ${g.name} | ${g.threshold.replace(/\|/g, "\\|")} | ${g.source.replace(/\|/g, "\\|")} |`);
  lines.push("");
  return lines.join("\n");
}

/** Timeline states and colours: comparable green, failed red, not evaluated grey, no data pale grey. */
const TIMELINE_STATES = { comparable: "#66bb6a", failed: "#d32f2f", "not evaluated": "#8d8d8d", "no data": "#e0e0e0" };

const spans = (intervals: readonly Interval[], state: keyof typeof TIMELINE_STATES): TimelineSpan[] => intervals.map((i) => ({ from: i.from, to: i.to, state }));

/** Per node: its verdict over the range, then one detail row per failed gate and per gate not evaluated. */
function timelineRows(pool: PoolVerdict, range: Interval, which: "week" | "baseline"): TimelineRow[] {
  return pool.nodes.flatMap((n: NodeVerdict) => {
    const w = n[which];
    const whole = spans([range], w.hasData ? "comparable" : "no data");
    const unknown = spans(w.unknown.flatMap((f) => f.intervals), "not evaluated");
    const failing = spans(w.failures.flatMap((f) => f.intervals), "failed");
    return [
      { label: `${n.node}${w.hasData ? "" : " (no data)"}`, spans: [...whole, ...unknown, ...failing] },
      // A failed assignment gate is a handover (a lease boundary): say so on the timeline.
      ...w.failures.map((f) => ({ label: f.gate === "assignment" ? "handover (assignment)" : f.gate, spans: [...spans([range], "comparable"), ...spans(f.intervals, "failed")], detail: true })),
      ...w.unknown.map((f) => ({ label: `${f.gate} (not evaluated)`, spans: [...spans([range], "comparable"), ...spans(f.intervals, "not evaluated")], detail: true })),
    ];
  });
}

function gateTimeline(title: string, pool: PoolVerdict, range: Interval, which: "week" | "baseline"): string {
  return timelineChart({ title, rows: timelineRows(pool, range, which), range: [range.from, range.to], states: TIMELINE_STATES });
}

const STYLE = `
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #111; max-width: 1140px; }
h1 { font-size: 24px; margin: 0 0 8px; } h2 { font-size: 19px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 16px 0 6px; }
.banner { padding: 14px 18px; border-radius: 6px; font-size: 18px; font-weight: bold; margin: 12px 0 16px; }
.ok { background: #c8e6c9; color: #1b5e20; } .bad { background: #ffcdd2; color: #b71c1c; } .unknown { background: #e0e0e0; color: #424242; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 5px 9px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.chip { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; }
.meta { color: #555; font-size: 13px; }
ul { margin: 4px 0 10px; font-size: 13px; }
`;

const VERDICT_CLASS: Record<Verdict, string> = { comparable: "ok", "not comparable": "bad", unknown: "unknown" };

function chip(verdict: Verdict): string {
  return `<span class="chip ${VERDICT_CLASS[verdict]}">${verdictWord(verdict)}</span>`;
}

export function renderHtml(report: WeekReport): string {
  const { week, baseline } = report;
  const e = escapeHtml;
  const body: string[] = [
    `<h1>Lab comparability: ${e(week.label)} vs baseline ${e(baseline.label)}</h1>`,
    `<div class="meta">Week ${e(formatUtc(week.start))} – ${e(formatUtc(week.end))} UTC · baseline ${e(formatUtc(baseline.start))} – ${e(formatUtc(baseline.end))} UTC · gates every ${duration(report.step)} from ${e(report.source)}</div>`,
    `<div class="banner ${VERDICT_CLASS[report.verdict]}">${report.verdict === "comparable" ? "Every pool is comparable with the baseline week" : e(headline(report.pools))}</div>`,
    `<table><tr><th>Pool</th><th>Verdict</th><th>Nodes not comparable or unknown</th></tr>${report.pools
      .map((p) => `<tr><td>${e(p.pool)}</td><td>${chip(p.verdict)}</td><td>${e(notComparableNodes(p))}</td></tr>`)
      .join("")}</table>`,
  ];
  for (const pool of report.pools) {
    body.push(`<h2>Pool ${e(pool.pool)} ${chip(pool.verdict)}</h2>`);
    body.push(gateTimeline(`${pool.pool}: gates over ${week.label}`, pool, { from: week.start, to: week.end }, "week"));
    const bad = pool.nodes.filter((n) => n.verdict !== "comparable");
    for (const n of bad) {
      const noData = [
        ...(n.week.hasData ? [] : [`no monitoring data in ${week.label}`]),
        ...(n.baseline.hasData ? [] : [`no monitoring data in the baseline week ${baseline.label}`]),
      ];
      body.push(`<h3>${e(n.node)}</h3><ul>${noData.map((r) => `<li>${e(r)}</li>`).join("")}${[
        ...failureLines(n.week.failures).map((l) => `${week.label}: ${l}`),
        ...failureLines(n.baseline.failures).map((l) => `baseline ${baseline.label}: ${l}`),
        ...unknownLines(n.week.unknown).map((l) => `${week.label}: ${l}`),
        ...unknownLines(n.baseline.unknown).map((l) => `baseline ${baseline.label}: ${l}`),
      ]
        .map((l) => `<li>${e(l).replace(/\*\*(.+?)\*\*/g, "<b>$1</b>")}</li>`)
        .join("")}</ul>`);
    }
    if (pool.nodes.some((n) => n.baseline.failures.length > 0 || n.baseline.unknown.length > 0 || !n.baseline.hasData)) {
      body.push(gateTimeline(`${pool.pool}: gates over the baseline week ${baseline.label}`, pool, { from: baseline.start, to: baseline.end }, "baseline"));
    }
  }
  body.push(`<h2>Signals</h2>`);
  const toMs = (points: ReadonlyArray<readonly [number, number]>) => points.map(([t, v]) => [t, v * 1000] as const);
  const toGbits = (v: number) => v / 1.25e8;
  body.push(
    timeSeriesChart({
      title: `Clock offset |node_timex_offset_seconds| per node, ${week.label}`,
      yLabel: "ms",
      range: [week.start, week.end],
      series: report.charts.clockOffset.map((s) => ({ label: s.label, points: toMs(s.points) })),
      references: [{ label: `gate threshold ${report.charts.clockThresholdSeconds * 1000} ms`, value: report.charts.clockThresholdSeconds * 1000 }],
    }),
  );
  body.push(
    timeSeriesChart({
      title: `iperf3 calibration throughput per node -> peer, ${week.label} (dashed: baseline-week median)`,
      yLabel: "Gbit/s",
      range: [week.start, week.end],
      series: report.charts.throughput.map((s) => ({ label: s.label, points: s.points.map(([t, v]) => [t, toGbits(v)] as const) })),
      references: report.charts.throughputBaseline.map((b) => ({ label: `${b.label} median ${baseline.label}`, value: toGbits(b.value) })),
    }),
  );
  body.push(
    `<h2>Gates and thresholds</h2><table><tr><th>Gate</th><th>Passes when</th><th>Source</th></tr>${report.gates
      .map((g) => `<tr><td>${e(g.name)}</td><td>${e(g.threshold)}</td><td>${e(g.source)}</td></tr>`)
      .join("")}</table>`,
  );
  return htmlDocument(`Lab comparability ${week.label}`, body.join("\n"), STYLE);
}
