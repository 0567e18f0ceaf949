/**
 * Synthetic calibration history for simulated nodes, run through a lab-health rules file by the real
 * `promtool test rules`, read back as the calibration gate's state per node and night.
 *
 * Each node writes what the nightly jobs write (components/health/calibration/scripts.ts): every
 * night at 23:00 (hour 24d + 23) a run of the network, disk and compute steps sets
 * `lab_calibration_last_run_timestamp_seconds{step}` to the run's time, `lab_calibration_skipped
 * {step,reason="none"}` to 0 and the seven results, the network one to a peer that rotates over the
 * three peers (iperfPeerIndex in a pool of four). Series are sampled hourly, as a
 * textfile scraped every 60 s looks to the rules' hourly subqueries. Nights' values are
 * base × (1 + cv × N(0, 1)) from a seeded generator (mulberry32 + Box–Muller), shifted by a `loss`
 * from a night on when asked. The gate is read once a day at 00:00, one hour after that night's run,
 * when the night's result is the current one.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CALIBRATION_RESULTS, CALIBRATION_STATUS, type CalibrationResult } from "../../components/health/calibration/results";
import { parse, stringify } from "yaml";
import { durationSeconds } from "../../config/duration";
import { random } from "../monitoring/synthetic";
import { encode, type Samples } from "./promtool-series";

/** Typical magnitudes of each result, base units (only their ratio to the noise matters). */
const BASE: Readonly<Record<string, number>> = {
  network_throughput: 1.17e9,
  disk_read_latency: 9.5e-5,
  disk_read_iops: 10400,
  disk_write_throughput: 5.2e8,
  cpu: 2400,
  memory_read_throughput: 1.1e10,
  memory_write_throughput: 7.5e9,
};

/** One group of simulated nodes with the same noise. */
export interface NodeGroup {
  /** Name prefix of the group's nodes (node names `<prefix>-<i>`). */
  readonly name: string;
  readonly nodes: number;
  /** Run-to-run coefficient of variation of each benchmark (sd / mean), by `benchmark` label; `default` for the rest. */
  readonly cv: Readonly<Record<string, number>> & { readonly default: number };
  /** A sustained relative change of one benchmark from a night on (−0.08: 8% worse; for latency the sign flips so it is worse too). */
  readonly loss?: { readonly benchmark: string; readonly ratio: number; readonly fromNight: number };
}

export interface SimulationOptions {
  readonly groups: readonly NodeGroup[];
  /** Nights simulated; the gate is read on the days after `firstTestNight`. */
  readonly nights: number;
  /** First night whose verdict counts (a baseline before it). */
  readonly firstTestNight: number;
  readonly seed: number;
  /** Absolute path of the rules file to run. */
  readonly rulesFile: string;
  /** Label kube-state-metrics gives the pool on kube_node_labels, and the (calibrated) pool of the simulated nodes. */
  readonly ksmPoolLabel: string;
  readonly pool: string;
  /** promtool processes at once. Default 2. */
  readonly parallel?: number;
}

/** The gate read back: per node, the days (index of the night before the 00:00 read) it failed or was unknown, and the days the cpu drift alert fired. */
export interface GateReadings {
  readonly failed: Map<string, Set<number>>;
  readonly unknown: Map<string, Set<number>>;
  /** Nights whose read found LabBaselineDrift firing for the group's loss benchmark. */
  readonly lossAlert: Map<string, Set<number>>;
}

const HOURS = 24;

/** Standard normal draws from a uniform generator (Box–Muller). */
function normal(next: () => number): () => number {
  return () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

/** Hourly samples of a night-wise value: night d's value from hour 24d + 23 to 24d + 46, `undefined` nights absent. */
function nightly(values: ReadonlyArray<number | undefined>, nights: number): Samples {
  const out: Array<number | undefined> = new Array(nights * HOURS + 1).fill(undefined);
  for (let d = 0; d < nights; d++) {
    const v = values[d];
    if (v === undefined) continue;
    for (let h = d * HOURS + 23; h < Math.min((d + 1) * HOURS + 23, out.length); h++) out[h] = v;
  }
  return out;
}

function labelText(metric: string, labels: Readonly<Record<string, string>>): string {
  return `${metric}{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(",")}}`;
}

/** The input series of one node (its group of four gives the iperf3 peers). */
function nodeSeries(opts: SimulationOptions, group: NodeGroup, index: number, draw: () => number): Array<{ series: string; values: string }> {
  const node = `${group.name}-${index}`;
  const exporter = { job: "node-exporter", tier: "inventory", namespace: "monitoring", node };
  const out: Array<{ series: string; values: string }> = [];
  const add = (metric: string, labels: Record<string, string>, samples: Samples) => out.push({ series: labelText(metric, labels), values: encode(samples) });
  const n = opts.nights;
  add("kube_node_labels", { job: "kube-state-metrics", tier: "infra", node, [opts.ksmPoolLabel]: opts.pool }, new Array(n * HOURS + 1).fill(1));
  for (const step of ["network", "disk", "compute"] as const) {
    add(CALIBRATION_STATUS.lastRun, { ...exporter, step }, nightly(Array.from({ length: n }, (_, d) => d * 86400 + 23 * 3600), n));
    add(CALIBRATION_STATUS.skipped, { ...exporter, step, reason: "none" }, nightly(new Array(n).fill(0), n));
  }
  for (const r of CALIBRATION_RESULTS) {
    const values = nightValues(group, r, n, draw);
    if (r.step !== "network") {
      add(r.metric, exporter, nightly(values, n));
      continue;
    }
    // The peer rotates nightly over three others (iperfPeerIndex in a pool of four).
    for (let p = 0; p < 3; p++) {
      const mine = values.map((v, d) => (d % 3 === p ? v : undefined));
      add(r.metric, { ...exporter, peer: `${node}-peer-${p}` }, nightly(mine, n));
    }
  }
  return out;
}

function nightValues(group: NodeGroup, r: CalibrationResult, nights: number, draw: () => number): number[] {
  const cv = group.cv[r.benchmark] ?? group.cv.default;
  const worse = r.benchmark === "disk_read_latency" ? -1 : 1;
  return Array.from({ length: nights }, (_, d) => {
    const shift = group.loss && group.loss.benchmark === r.benchmark && d >= group.loss.fromNight ? 1 + worse * group.loss.ratio : 1;
    return BASE[r.benchmark] * shift * (1 + cv * draw());
  });
}

interface NodeRef {
  readonly group: NodeGroup;
  readonly index: number;
}

/** Nodes per promtool test group: each group has its own storage, and promtool's engine stops a query above 10000 samples (28 days of hourly points is 672 per node). */
const NODES_PER_GROUP = 8;

/**
 * Evaluated once a day, at 00:00, one hour after each run: the rules record the history hourly in the
 * lab, and a result holds for a day, so a daily point per night gives the same quantiles (and an hourly
 * evaluation costs promtool 24 times as much).
 */
function testFile(opts: SimulationOptions, nodes: readonly NodeRef[], draw: () => number, rulesFile: string, groupOrder: readonly string[]): string {
  const groups = Array.from({ length: Math.ceil(nodes.length / NODES_PER_GROUP) }, (_, i) => nodes.slice(i * NODES_PER_GROUP, (i + 1) * NODES_PER_GROUP));
  // promtool evaluates all groups at each evaluation time, in a random order unless told: the file's
  // order (history, baselines, gates, alerts) is the order the data flows in, as it is in the lab a
  // moment apart.
  return JSON.stringify({ rule_files: [rulesFile], evaluation_interval: "1d", group_eval_order: groupOrder, tests: groups.map((g) => testGroup(opts, g, draw)) });
}

function testGroup(opts: SimulationOptions, nodes: readonly NodeRef[], draw: () => number) {
  const series = nodes.flatMap((n) => nodeSeries(opts, n.group, n.index, draw));
  const reads = Array.from({ length: opts.nights - opts.firstTestNight }, (_, i) => `${opts.firstTestNight + i + 1}d`);
  const lossBenchmarks = [...new Set(nodes.map((n) => n.group.loss?.benchmark).filter((b): b is string => !!b))];
  const exprTests = reads.flatMap((t) => [
    { expr: `lab:comparability_gate:ok{gate="calibration",scope="node"} == 0`, eval_time: t, exp_samples: [] },
    { expr: `lab:comparability_gate:unknown{gate="calibration"}`, eval_time: t, exp_samples: [] },
    ...lossBenchmarks.map((b) => ({ expr: `count by (node) (ALERTS{alertname="LabBaselineDrift",alertstate="firing",benchmark="${b}"})`, eval_time: t, exp_samples: [] })),
  ]);
  const debug = process.env.CALIBRATION_BENCH_DEBUG
    ? reads.flatMap((t) => [
        { expr: `ALERTS{alertname="LabBaselineDrift"}`, eval_time: t, exp_samples: [] },
        { expr: `lab:calibration_baseline:robust_scale / lab:calibration_baseline:median`, eval_time: t, exp_samples: [] },
        { expr: `lab:calibration_baseline:nights`, eval_time: t, exp_samples: [] },
      ])
    : [];
  return { interval: "1h", input_series: series, promql_expr_test: [...exprTests, ...debug] };
}

function runPromtool(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("promtool", ["test", "rules", file], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (e) => reject(new Error(`promtool could not run (install the Debian package "prometheus"): ${e.message}`)));
    child.on("close", () => resolve(output));
  });
}

/** Parses promtool's "expr: ..., time: Nd, ... got: {...node="x"...} v, ..." failure text into readings. */
export function parseReadings(output: string, readings: GateReadings): void {
  let target: Map<string, Set<number>> | undefined;
  let day = 0;
  for (const line of output.split("\n")) {
    const header = /^\s*expr: "(.*)", time: ([0-9a-z]+),?\s*$/.exec(line);
    if (header) {
      const expr = header[1];
      day = Math.round(durationSeconds(header[2]) / 86400) - 1;
      target = expr.includes("gate_ok") || expr.includes(":ok{") ? readings.failed : expr.includes(":unknown{") ? readings.unknown : expr.includes("ALERTS") ? readings.lossAlert : undefined;
      continue;
    }
    const got = /^\s*got: (.*)$/.exec(line);
    if (got && target) {
      for (const m of got[1].matchAll(/node="([^"]+)"/g)) {
        const set = target.get(m[1]) ?? new Set<number>();
        set.add(day);
        target.set(m[1], set);
      }
    }
  }
  if (/error|could not|invalid/i.test(output) && !/FAILED/.test(output)) throw new Error(`promtool failed:\n${output.slice(0, 2000)}`);
}

/**
 * The rules of a lab-health rules file that the calibration gate's state and alert depend on, as they
 * are (not rewritten): every `lab:calibration_*` record, the gate records labelled
 * gate="calibration", and LabBaselineDrift. The other gates' rules change nothing here and would
 * only cost promtool time at each of the ~1000 hourly evaluations.
 */
export function calibrationRulesOnly(text: string): string {
  const file = parse(text) as { groups: Array<{ name: string; interval?: string; rules: Array<Record<string, any>> }> };
  const keep = (rule: Record<string, any>) =>
    (typeof rule.record === "string" && rule.record.startsWith("lab:calibration")) || rule.labels?.gate === "calibration" || rule.alert === "LabBaselineDrift";
  const groups = file.groups.map((g) => ({ ...g, rules: g.rules.filter(keep) })).filter((g) => g.rules.length > 0);
  if (!groups.some((g) => g.rules.some((r) => r.labels?.gate === "calibration"))) throw new Error("the rules file has no calibration gate rules");
  return stringify({ groups }, { lineWidth: 0 });
}

/**
 * Runs the simulation and returns the gate's readings. Node names are `<group>-<i>`; one random
 * stream per file (seeded from `seed` and the file's index), so the result depends only on the options.
 */
export async function simulateCalibration(opts: SimulationOptions): Promise<GateReadings> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "calibration-bench-"));
  const readings: GateReadings = { failed: new Map(), unknown: new Map(), lossAlert: new Map() };
  try {
    const rules = path.join(dir, "rules.yaml");
    const rulesText = calibrationRulesOnly(fs.readFileSync(opts.rulesFile, "utf8"));
    fs.writeFileSync(rules, rulesText);
    const groupOrder = (parse(rulesText) as { groups: Array<{ name: string }> }).groups.map((g) => g.name);
    const nodes: NodeRef[] = opts.groups.flatMap((group) => Array.from({ length: group.nodes }, (_, index) => ({ group, index })));
    // JSON is YAML: promtool reads these files as they are. One file per promtool process.
    const per = Math.ceil(nodes.length / (opts.parallel ?? 2));
    const files: string[] = [];
    for (let i = 0; i * per < nodes.length; i++) {
      const file = path.join(dir, `sim-${i}.json`);
      fs.writeFileSync(file, testFile(opts, nodes.slice(i * per, (i + 1) * per), normal(random(opts.seed * 7919 + i)), "rules.yaml", groupOrder));
      files.push(file);
    }
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const index = next++;
        const output = await runPromtool(files[index]);
        if (process.env.CALIBRATION_BENCH_DEBUG) fs.writeFileSync(`${process.env.CALIBRATION_BENCH_DEBUG}-${index}.log`, output);
        parseReadings(output, readings);
      }
    };
    await Promise.all(Array.from({ length: opts.parallel ?? 2 }, worker));
    return readings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
