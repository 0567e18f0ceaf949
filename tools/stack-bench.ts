/**
 * npm run stack-bench -- --run NAME --vm-url URL [--label KEY=VALUE ...] [--kubeconfig FILE]
 *                        [--namespace NS] [--out DIR]
 * npm run stack-bench -- --raw DIR/raw.json --vm-url URL
 *
 * Runs the stack benchmark suite once (docs/stack-benchmarks.md): makes Jobs from the suite's
 * templates with the operator's kubeconfig, shows progress, keeps every log as the tools printed it
 * (DIR/raw.json, default bench-runs/NAME), turns them into `lab_bench_*` samples (DIR/results.json)
 * and imports those into VictoriaMetrics labelled `run=NAME` and with the stack labels. `--raw`
 * collects and imports a kept raw.json again (after a metrics-store outage, or a parser fix).
 *
 * Exit 0: every measurement collected and imported. Exit 1: invalid arguments. Exit 2: the cluster,
 * the suite or the metrics store failed (nothing imported). Exit 5: some measurements failed or were
 * skipped (listed; the rest is imported).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { collect, type RawRun } from "./bench/collect";
import { KubectlError, realKubectl } from "./bench/kubectl";
import { runSuite, SuiteError } from "./bench/run-suite";
import { importSamples, RUN_NAME, stackLabelProblems, VmError } from "./bench/vm";
import { parseCommandLine, runMain } from "./cli";
import { Progress } from "./progress";

const USAGE = `usage: npm run stack-bench -- --run NAME --vm-url URL [--label KEY=VALUE ...] [--kubeconfig FILE] [--namespace NS] [--out DIR]
       npm run stack-bench -- --raw DIR/raw.json --vm-url URL`;

function parseLabels(pairs: readonly string[]): { labels: Record<string, string>; problems: string[] } {
  const labels: Record<string, string> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) problems.push(`--label ${pair}: expected KEY=VALUE`);
    else if (pair.slice(0, eq) in labels) problems.push(`--label ${pair.slice(0, eq)}: given twice`);
    else labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { labels, problems: [...problems, ...stackLabelProblems(labels)] };
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(["run", "vm-url", "kubeconfig", "namespace", "out", "raw"], USAGE, undefined, 1, ["label"]);
  if ("exit" in parsed) return parsed.exit;
  const { values, lists } = parsed;
  const { labels, problems: labelProblems } = parseLabels(lists.label);
  const usage: string[] = [...labelProblems];
  if (!values["vm-url"]) usage.push("missing --vm-url");
  if (!values.raw && !values.run) usage.push("missing --run (or --raw)");
  if (values.run && !RUN_NAME.test(values.run)) usage.push(`--run ${JSON.stringify(values.run)}: not a run name (letters, digits, '.', '_', '-'; at most 63; alphanumeric at both ends)`);
  if (values.raw && (values.run || lists.label.length > 0 || values.kubeconfig)) usage.push("--raw takes the run and its labels from the file: give only --vm-url with it");
  if (usage.length > 0) {
    console.error(`${usage.join("\n")}\n${USAGE}`);
    return 1;
  }
  const progress = new Progress();
  let raw: RawRun;
  let runProblems: string[] = [];
  let out: string;
  if (values.raw) {
    raw = JSON.parse(fs.readFileSync(path.resolve(values.raw), "utf8")) as RawRun;
    if (!RUN_NAME.test(raw.run ?? "")) throw new SuiteError(`${values.raw}: run ${JSON.stringify(raw.run)} is not a run name`);
    const fromFile = stackLabelProblems(raw.labels ?? {});
    if (fromFile.length > 0) throw new SuiteError(`${values.raw}: ${fromFile.join("; ")}`);
    out = path.dirname(path.resolve(values.raw));
  } else {
    out = path.resolve(values.out ?? path.join("bench-runs", values.run!));
    fs.mkdirSync(out, { recursive: true });
    const result = await runSuite({
      kubectl: realKubectl(values.kubeconfig),
      namespace: values.namespace ?? "lab-benchmarks",
      run: values.run!,
      labels,
      step: (name, total) => progress.step(name, total),
    });
    raw = result.raw;
    runProblems = result.problems;
    fs.writeFileSync(path.join(out, "raw.json"), `${JSON.stringify(raw, null, 1)}\n`);
  }
  const collected = collect(raw);
  const problems = [...runProblems, ...collected.problems];
  fs.writeFileSync(path.join(out, "results.json"), `${JSON.stringify({ run: raw.run, labels: raw.labels, samples: collected.samples, problems }, null, 1)}\n`);
  const step = progress.step("importing", collected.samples.length);
  await importSamples(values["vm-url"]!, raw.run, raw.labels, collected.samples);
  step.end(`${collected.samples.length} samples`);
  for (const p of problems) console.error(`problem: ${p}`);
  const series = new Set(collected.samples.map((s) => s.metric)).size;
  console.log(`run ${raw.run}: ${collected.samples.length} samples of ${series} measurements imported; raw output and results in ${out}${problems.length ? `; ${problems.length} problem(s)` : ""}`);
  return problems.length > 0 ? 5 : 0;
}

runMain(main, [SuiteError, KubectlError, VmError]);
