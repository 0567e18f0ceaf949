/**
 * npm run stack-report -- --vm-url URL --a RUN --b RUN --out DIR
 *
 * Compares two runs of the stack benchmark suite (npm run stack-bench) stored in VictoriaMetrics:
 * per measurement the medians, the ratio B/A with its 95% confidence interval, a verdict, and the
 * repetitions a 5% change needs. Writes DIR/report.md and a self-contained DIR/report.html.
 *
 * Exit 0: report written (whatever the verdicts). Exit 1: invalid arguments. Exit 2: the metrics
 * store could not answer, or a run has no samples.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildStackReport, renderHtml, renderMarkdown } from "./bench/report";
import { exportRun, RUN_NAME, VmError } from "./bench/vm";
import { parseCommandLine, runMain } from "./cli";
import { Progress } from "./progress";

const USAGE = "usage: npm run stack-report -- --vm-url URL --a RUN --b RUN --out DIR";

async function main(): Promise<number> {
  const parsed = parseCommandLine(["vm-url", "a", "b", "out"], USAGE, undefined, 1);
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  const missing = (["vm-url", "a", "b", "out"] as const).filter((k) => !values[k]);
  if (missing.length > 0) {
    console.error(`missing ${missing.map((k) => `--${k}`).join(", ")}\n${USAGE}`);
    return 1;
  }
  for (const k of ["a", "b"] as const) {
    if (!RUN_NAME.test(values[k]!)) {
      console.error(`--${k} ${JSON.stringify(values[k])}: not a run name (${RUN_NAME.source})`);
      return 1;
    }
  }
  const progress = new Progress();
  const step = progress.step("reading runs", 2);
  const a = await exportRun(values["vm-url"]!, values.a!);
  step.update(1);
  const b = await exportRun(values["vm-url"]!, values.b!);
  step.end(`${a.samples.length} + ${b.samples.length} samples`);
  for (const run of [a, b]) {
    if (run.samples.length === 0) {
      console.error(`run "${run.run}" has no lab_bench_* samples in ${values["vm-url"]}`);
      return 2;
    }
  }
  const report = buildStackReport(a, b);
  const out = path.resolve(values.out!);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "report.md"), renderMarkdown(report));
  fs.writeFileSync(path.join(out, "report.html"), renderHtml(report));
  const verdicts = report.rows.flatMap((r) => (r.comparison ? [r.comparison.verdict] : []));
  const count = (v: string) => verdicts.filter((x) => x === v).length;
  console.log(
    `${a.run} vs ${b.run}: ${count("B better")} better, ${count("B worse")} worse, ${count("no detectable difference")} no detectable difference -> ${path.join(out, "report.{md,html}")}`,
  );
  return 0;
}

runMain(main, [VmError]);
