/**
 * npm run stack-report -- --measurements FILE --a RUN --b RUN [--out DIR] [--json]
 * npm run stack-report -- --vm-url URL --a RUN --b RUN [--out DIR] [--json]
 *
 * Compares two runs of the stack benchmark suite, each of several sessions (docs/stack-benchmarks.md):
 * per series a verdict after Holm's correction, the estimate with its interval, and the sessions a
 * 10% change needs (tools/bench/analysis.ts). The measurements come from a measurements file (JSON
 * lines, tools/bench/measurements-file.ts) or from VictoriaMetrics (what `stack-bench` imported).
 * With --out, writes DIR/report.md and a self-contained DIR/report.html and prints a summary; with
 * --json, prints the report as JSON on stdout; with neither, prints the Markdown on stdout.
 *
 * Exit 0: report made (whatever the verdicts). Exit 1: invalid arguments or a bad measurements file
 * (the error names the line and key). Exit 2: the metrics store could not answer, or a run has no
 * measurements.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyse } from "./bench/analysis";
import { storeMeasurements } from "./bench/from-store";
import { MeasurementsFileError, parseMeasurements, type Measurement } from "./bench/measurements-file";
import { headlineText, renderHtml, renderMarkdown } from "./bench/report";
import { reportJson } from "./bench/report-json";
import { exportRun, RUN_NAME, VmError } from "./bench/vm";
import { parseCommandLine, runMain } from "./cli";

const USAGE = `usage: npm run stack-report -- --measurements FILE --a RUN --b RUN [--out DIR] [--json]
       npm run stack-report -- --vm-url URL --a RUN --b RUN [--out DIR] [--json]`;

class NoRunError extends Error {}

async function main(): Promise<number> {
  const parsed = parseCommandLine(["vm-url", "measurements", "a", "b", "out"], USAGE, undefined, 1, [], ["json"]);
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  const usage: string[] = [];
  if (!values["vm-url"] === !values.measurements) usage.push("give exactly one of --measurements FILE and --vm-url URL");
  for (const k of ["a", "b"] as const) {
    if (!values[k]) usage.push(`missing --${k}`);
    else if (!RUN_NAME.test(values[k]!)) usage.push(`--${k} ${JSON.stringify(values[k])}: not a run name (${RUN_NAME.source})`);
  }
  if (values.a && values.a === values.b) usage.push("--a and --b name the same run");
  if (usage.length > 0) {
    console.error(`${usage.join("\n")}\n${USAGE}`);
    return 1;
  }
  const [a, b] = [values.a!, values.b!];
  let measurements: Measurement[];
  const notes: string[] = [];
  const labels: Record<string, Record<string, string>> = {};
  if (values.measurements) {
    try {
      measurements = parseMeasurements(fs.readFileSync(path.resolve(values.measurements), "utf8"));
    } catch (error) {
      if (!(error instanceof MeasurementsFileError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
      console.error(`${values.measurements}: ${(error as Error).message}`);
      return 1;
    }
  } else {
    measurements = [];
    for (const run of [a, b]) {
      const exported = await exportRun(values["vm-url"]!, run);
      labels[run] = exported.stackLabels;
      const converted = storeMeasurements(exported);
      measurements.push(...converted.measurements);
      notes.push(...converted.notes);
    }
  }
  for (const run of [a, b]) if (!measurements.some((m) => m.run === run)) throw new NoRunError(`run "${run}" has no measurements in ${values.measurements ?? values["vm-url"]}`);
  const analysis = analyse(measurements, a, b);
  analysis.problems.unshift(...notes);
  if (values.out) {
    const out = path.resolve(values.out);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "report.md"), renderMarkdown(analysis, labels));
    fs.writeFileSync(path.join(out, "report.html"), renderHtml(analysis, labels));
  }
  if (values.json) console.log(JSON.stringify(reportJson(analysis), null, 1));
  else if (values.out) console.log(`${a} vs ${b}: ${headlineText(analysis)} -> ${path.join(path.resolve(values.out), "report.{md,html}")}`);
  else process.stdout.write(renderMarkdown(analysis, labels));
  for (const p of analysis.problems) console.error(`problem: ${p}`);
  return 0;
}

runMain(main, [VmError, NoRunError]);
