/**
 * The stack report as JSON (`npm run stack-report -- ... --json`), for scripts and independent
 * checks: `{"metrics": [...], "headline": {...}, "problems": [...], "overhead": [...]}`. Each metric:
 * `metric`, `labels`, `verdict` (exactly one of VERDICTS), `estimate` and `interval` ([low, high],
 * on the scale named by `scale`: "ratio B/A" or "distance to 1, B - A"; null when there is no test),
 * `confidence` (the interval's level), `p` and `adjustedP` (Holm), `sessions`, `repetitions`,
 * `sessionsFor10Percent` (null: more than the bound), `reason` (why not testable or refused).
 */
import { FAMILY_ALPHA, type Analysis } from "./analysis";
import { verdictCounts } from "./report";

export function reportJson(analysis: Analysis): unknown {
  const counts = verdictCounts(analysis);
  return {
    metrics: analysis.series.map((s) => ({
      metric: s.def.metric,
      labels: s.labels,
      verdict: s.verdict,
      estimate: s.estimate ?? null,
      interval: s.interval ? [...s.interval] : null,
      scale: s.scale,
      confidence: s.confidence ?? null,
      p: s.p ?? null,
      adjustedP: s.adjustedP ?? null,
      sessions: s.sessions,
      repetitions: s.repetitions,
      sessionsFor10Percent: s.sessionsFor10Percent === undefined ? null : s.sessionsFor10Percent,
      outlierRepetitions: s.outlierRepetitions,
      reason: s.reason ?? null,
    })),
    headline: {
      a: analysis.a,
      b: analysis.b,
      verdicts: counts,
      series: analysis.series.length,
      tested: counts["B better"] + counts["B worse"] + counts["no detectable difference"],
      correction: "Holm",
      familywiseAlpha: FAMILY_ALPHA,
      order: analysis.design.order,
      sessions: { A: analysis.design.sessions.filter((s) => s.stack === "A").length, B: analysis.design.sessions.filter((s) => s.stack === "B").length },
      recommendedSessionsPerStack: analysis.recommendedSessions ?? null,
      seriesAboveSessionBound: analysis.seriesAboveBound,
    },
    problems: analysis.problems,
    overhead: analysis.overhead,
  };
}
