/**
 * npm run stack-bench -- --new-plan FILE --a RUN_A --b RUN_B --sessions N
 * npm run stack-bench -- --run NAME --vm-url URL [--plan FILE] [--label KEY=VALUE ...] [--kubeconfig FILE]
 *                        [--namespace NS] [--out DIR]
 * npm run stack-bench -- --raw DIR/raw.json --vm-url URL
 *
 * Runs one session of the stack benchmark suite (docs/stack-benchmarks.md): makes Jobs from the
 * suite's templates with the operator's kubeconfig, shows progress, keeps every log as the tools
 * printed it (DIR/raw.json, default bench-runs/NAME/session-S), turns them into `lab_bench_*`
 * samples (DIR/results.json, with the nodes and versions the session ran on) and imports those into
 * VictoriaMetrics labelled `run=NAME`, `session=S` (the next number of the run), `nodes` and the
 * stack labels. With --plan (written by --new-plan: A and B in A B B A blocks, each block on the next
 * node pair), it runs the plan's next session and refuses when that is the other stack's turn.
 * `--raw` collects and imports a kept raw.json again (after a metrics-store outage, or a parser fix).
 *
 * Exit 0: every measurement collected and imported. Exit 1: invalid arguments, or not this stack's
 * turn in the plan. Exit 2: the cluster, the suite or the metrics store failed, or the store already
 * holds this run and session (nothing imported). Exit 5: some measurements failed or were skipped
 * (listed; the rest is imported).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { collect, type RawRun } from "./bench/collect";
import { KubectlError, realKubectl } from "./bench/kubectl";
import { runSuite, SuiteError } from "./bench/run-suite";
import { environmentChanges, makePlan, nextSession, parsePlan, PlanError, recordSession, type SessionPlan } from "./bench/session-plan";
import { exportRun, importSamples, RUN_NAME, stackLabelProblems, VmError } from "./bench/vm";
import { parseCommandLine, runMain } from "./cli";
import { Progress } from "./progress";

const USAGE = `usage: npm run stack-bench -- --new-plan FILE --a RUN_A --b RUN_B --sessions N
       npm run stack-bench -- --run NAME --vm-url URL [--plan FILE] [--label KEY=VALUE ...] [--kubeconfig FILE] [--namespace NS] [--out DIR]
       npm run stack-bench -- --raw DIR/raw.json --vm-url URL`;

/** The sessions of `run` already in the store, and the next session name (one more than the largest number). */
async function nextSessionName(vmUrl: string, run: string): Promise<string> {
  const stored = await exportRun(vmUrl, run);
  const numbers = stored.samples.map((s) => Number(s.labels.session ?? "1")).filter(Number.isSafeInteger);
  return String(stored.samples.length === 0 ? 1 : Math.max(0, ...numbers) + 1);
}

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
  const parsed = parseCommandLine(["run", "vm-url", "kubeconfig", "namespace", "out", "raw", "plan", "new-plan", "a", "b", "sessions"], USAGE, undefined, 1, ["label"]);
  if ("exit" in parsed) return parsed.exit;
  const { values, lists } = parsed;
  if (values["new-plan"]) {
    const plan = makePlan(values.a ?? "", values.b ?? "", Number(values.sessions));
    if (fs.existsSync(values["new-plan"])) throw new PlanError(`${values["new-plan"]} exists: a plan is never overwritten (its sessions may have run)`);
    fs.mkdirSync(path.dirname(path.resolve(values["new-plan"])), { recursive: true });
    fs.writeFileSync(values["new-plan"], `${JSON.stringify(plan, null, 1)}\n`);
    console.log(`plan of ${plan.sessions.length} sessions: ${plan.sessions.map((x) => (x.run === plan.a ? "A" : "B")).join("")} (A=${plan.a}, B=${plan.b}); run each with npm run stack-bench -- --plan ${values["new-plan"]} --run NAME --vm-url URL`);
    return 0;
  }
  let plan: SessionPlan | undefined;
  let planIndex = -1;
  if (values.plan) {
    plan = parsePlan(fs.readFileSync(values.plan, "utf8"), values.plan);
    planIndex = nextSession(plan, values.run ?? "");
  }
  const { labels, problems: labelProblems } = parseLabels(lists.label);
  const usage: string[] = [...labelProblems];
  if (!values["vm-url"]) usage.push("missing --vm-url");
  if (!values.raw && !values.run) usage.push("missing --run (or --raw)");
  if (values.run && !RUN_NAME.test(values.run)) usage.push(`--run ${JSON.stringify(values.run)}: not a run name (letters, digits, '.', '_', '-'; at most 63; alphanumeric at both ends)`);
  if (values.raw && values.plan) usage.push("--raw imports a kept session again: it takes no --plan");
  if (values.raw && (values.run || lists.label.length > 0 || values.kubeconfig)) usage.push("--raw takes the run and its labels from the file: give only --vm-url with it");
  if (usage.length > 0) {
    console.error(`${usage.join("\n")}\n${USAGE}`);
    return 1;
  }
  const progress = new Progress();
  let raw: RawRun;
  let runProblems: string[] = [];
  let changes: string[] = [];
  let out: string;
  let session: string;
  if (values.raw) {
    raw = JSON.parse(fs.readFileSync(path.resolve(values.raw), "utf8")) as RawRun;
    if (!RUN_NAME.test(raw.run ?? "")) throw new SuiteError(`${values.raw}: run ${JSON.stringify(raw.run)} is not a run name`);
    const fromFile = stackLabelProblems(raw.labels ?? {});
    if (fromFile.length > 0) throw new SuiteError(`${values.raw}: ${fromFile.join("; ")}`);
    out = path.dirname(path.resolve(values.raw));
    session = raw.session ?? "1";
  } else {
    session = await nextSessionName(values["vm-url"]!, values.run!);
    out = path.resolve(values.out ?? path.join("bench-runs", values.run!, `session-${session}`));
    fs.mkdirSync(out, { recursive: true });
    const result = await runSuite({
      pairIndex: plan ? plan.sessions[planIndex].pair : 0,
      kubectl: realKubectl(values.kubeconfig),
      namespace: values.namespace ?? "lab-benchmarks",
      run: values.run!,
      labels,
      step: (name, total) => progress.step(name, total),
    });
    raw = { ...result.raw, session };
    runProblems = result.problems;
    // A and B should differ only in the stack: say what else changed since the plan's earlier sessions.
    if (plan && raw.environment) changes = environmentChanges(plan, raw.environment);
    fs.writeFileSync(path.join(out, "raw.json"), `${JSON.stringify(raw, null, 1)}\n`);
  }
  const collected = collect(raw);
  // A session is stored once: importing it twice would mix two measurements under one name.
  const stored = await exportRun(values["vm-url"]!, raw.run);
  if (stored.samples.some((s) => (s.labels.session ?? "1") === session)) throw new VmError(`run ${raw.run} session ${session} is already in ${values["vm-url"]}: nothing imported (a rerun is a new session)`);
  const samples = collected.samples.map((s) => ({ ...s, labels: { ...s.labels, session } }));
  const problems = [...runProblems, ...collected.problems];
  fs.writeFileSync(path.join(out, "results.json"), `${JSON.stringify({ run: raw.run, session, labels: raw.labels, nodes: raw.nodes, environment: raw.environment, environmentChanges: changes, samples, problems }, null, 1)}\n`);
  const step = progress.step("importing", samples.length);
  await importSamples(values["vm-url"]!, raw.run, raw.labels, samples);
  step.end(`${samples.length} samples`);
  if (plan && values.plan) {
    plan = recordSession(plan, planIndex, { session, startedAt: new Date(raw.startedAt).toISOString(), nodes: raw.nodes?.pair ?? [], environment: raw.environment });
    fs.writeFileSync(values.plan, `${JSON.stringify(plan, null, 1)}\n`);
  }
  for (const p of problems) console.error(`problem: ${p}`);
  for (const c of changes) console.error(`warning: environment differs from an earlier session of the plan: ${c}`);
  const series = new Set(collected.samples.map((s) => s.metric)).size;
  console.log(`run ${raw.run} session ${session}: ${samples.length} samples of ${series} measurements imported; raw output and results in ${out}${problems.length ? `; ${problems.length} problem(s)` : ""}`);
  return problems.length > 0 ? 5 : 0;
}

/** Usage-level refusals (a plan's order, a bad plan) exit 1; the rest as runMain does. */
runMain(async () => {
  try {
    return await main();
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    console.error(error.message);
    return 1;
  }
}, [SuiteError, KubectlError, VmError]);
