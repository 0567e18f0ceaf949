/**
 * npm run lab-report -- --vm-url URL --week YYYY-Www [--baseline YYYY-Www] --out DIR
 *                       [--stack NAME | --config-file FILE] [--monitoring-namespace NS]
 *
 * Was week W comparable with the baseline week (default: the week before)? Evaluates every
 * comparability gate per node from raw series in VictoriaMetrics with the rules' PromQL and writes
 * DIR/report.md and a self-contained DIR/report.html.
 *
 * Progress (step, elapsed) goes to stderr: redrawn on a terminal, one line per step in CI.
 *
 * Exit 0: report written (whatever the verdict). Exit 1: invalid arguments or config.
 * Exit 2: the metrics store could not answer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { healthContext } from "../components/health/context";
import { validateConfig } from "../config/load";
import { formatProblem } from "../config/problems";
import { parseCommandLine, runMain } from "./cli";
import { Progress } from "./progress";
import { readStackFile } from "./plan/stack-file";
import { buildWeekReport, type Verdict } from "./report/evaluate";
import { parseIsoWeek, previousWeek } from "./report/iso-week";
import { renderHtml, renderMarkdown } from "./report/render";
import { QueryError, vmClient } from "./report/vm-client";

const USAGE =
  "usage: npm run lab-report -- --vm-url URL --week YYYY-Www [--baseline YYYY-Www] --out DIR [--stack NAME | --config-file FILE] [--monitoring-namespace NS]";

async function main(): Promise<number> {
  const parsed = parseCommandLine(["vm-url", "week", "baseline", "out", "stack", "config-file", "monitoring-namespace"], USAGE, undefined, 1);
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  const missing = (["vm-url", "week", "out"] as const).filter((k) => !values[k]);
  if (missing.length > 0) {
    console.error(`missing ${missing.map((k) => `--${k}`).join(", ")}\n${USAGE}`);
    return 1;
  }
  let week, baseline;
  try {
    week = parseIsoWeek(values.week!);
    baseline = values.baseline ? parseIsoWeek(values.baseline) : previousWeek(week);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const root = path.resolve(__dirname, "..");
  const stack = values.stack ?? "lab";
  const configFile = values["config-file"] ? path.resolve(values["config-file"]) : path.join(root, `Pulumi.${stack}.yaml`);
  const validation = validateConfig(readStackFile(configFile).raw, stack);
  if (!validation.model) {
    console.error(`${validation.problems.map(formatProblem).join("\n")}\n${validation.problems.length} config problem(s) in ${configFile}`);
    return 1;
  }
  const ctx = healthContext(validation.model, values["monitoring-namespace"] ?? validation.model.monitoring.namespace);
  const progress = new Progress();
  const evaluate = progress.step(`evaluate the gates of ${week.label} and ${baseline.label} in ${values["vm-url"]}`);
  const report = await buildWeekReport(vmClient(values["vm-url"]!), ctx, validation.model, week, baseline, values["vm-url"]!);
  evaluate.end(`${report.pools.length} pools, ${report.pools.reduce((n, p) => n + p.nodes.length, 0)} nodes`);
  const out = path.resolve(values.out!);
  const render = progress.step("write report.md and report.html");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "report.md"), renderMarkdown(report));
  fs.writeFileSync(path.join(out, "report.html"), renderHtml(report));
  render.end();
  const pools = (v: Verdict) => report.pools.filter((p) => p.verdict === v).map((p) => p.pool);
  const summary = [
    ...(pools("not comparable").length > 0 ? [`NOT comparable: ${pools("not comparable").join(", ")}`] : []),
    ...(pools("unknown").length > 0 ? [`UNKNOWN: ${pools("unknown").join(", ")}`] : []),
  ];
  console.log(`${week.label} vs ${baseline.label}: ${summary.join("; ") || "every pool comparable"} -> ${path.join(out, "report.{md,html}")}`);
  return 0;
}

runMain(main, [QueryError]);
