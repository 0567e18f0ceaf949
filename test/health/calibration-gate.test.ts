/**
 * Issue 21, faults 1 and 2, through the generated rules and the real `promtool test rules`: a node
 * with five weeks of nightly calibration history (hourly samples, a run every night at 05:00 UTC),
 * and what the calibration gate says about it.
 *
 * Fault 2 (staleness): a skipped run with ~31 h old results, results left in the textfile at 55 h,
 * and results removed 6 h ago are unknown, never ok. A node alone in its pool (no iperf3 peer) is
 * gated on the rest. A node moved into its lease pool at the boundary stays gated by rules planned
 * before the lease. Fault 1 (tolerance): a noisy but stationary node (±5% night to night) is not
 * failed by one night 15% off; a steady node (±1%) that loses 8% for three nights fails.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALIBRATION_RESULTS } from "../../components/health/calibration/results";
import { healthContext } from "../../components/health/context";
import { ruleGroups } from "../../components/health/rules";
import { loadLabModel } from "../../config/load";
import { renderRulesFile } from "../../tools/plan/artifacts";
import { calibrationGatePools } from "../../components/health/gates";
import { HOME_ASSIGNMENT, loadStackConfig, withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { promtoolTestParallel } from "./promtool";
import { CALIBRATION_VALUES } from "./rule-scenarios";
import { encode, labelText, type Samples } from "./series";

const ctx = healthContext(loadLabModel(loadStackConfig(), "lab", HOME_ASSIGNMENT));
const haveTools = requireTools("prometheus", "promtool");

const DAYS = 35;
const HOURS = DAYS * 24 + 1;
const RUN_HOUR = 5;
/** Evaluation time of every case: day 34, 12:00 UTC. */
const EVAL_HOUR = 34 * 24 + 12;

interface NodeHistory {
  readonly node: string;
  readonly pool: string;
  /** Relative value of night d's results (1 = the fixture value); undefined: no run that night. */
  readonly night: (d: number) => number | undefined;
  /** The run of night d was skipped (reason team_pods): status written, no results. */
  readonly skipped?: (d: number) => boolean;
  /** Hour from which the node's textfile results are gone (file removed); default never. */
  readonly removedFromHour?: number;
  /** No iperf3 peer: the network step is skipped with reason no_peer every night. */
  readonly alone?: boolean;
}

/** Hour h shows the latest run at or before h (run of night d at 24d + RUN_HOUR); -1 before the first. */
function runOf(h: number): number {
  return h < RUN_HOUR ? -1 : Math.floor((h - RUN_HOUR) / 24);
}

function historySeries(spec: NodeHistory) {
  const exporter = { job: "node-exporter", tier: "inventory", namespace: "monitoring", node: spec.node };
  const hours = Array.from({ length: HOURS }, (_, h) => h);
  // The newest run that happened (a stopped job leaves its last file behind, still scraped).
  const latestRun = (h: number) => {
    for (let d = runOf(h); d >= 0; d--) if (spec.night(d) !== undefined || spec.skipped?.(d)) return d;
    return -1;
  };
  const gone = (h: number) => spec.removedFromHour !== undefined && h >= spec.removedFromHour;
  const out: Array<{ series: string; values: string }> = [];
  const add = (metric: string, labels: Record<string, string>, samples: Samples) => out.push({ series: labelText(metric, labels), values: encode(samples) });
  add("kube_node_labels", { job: "kube-state-metrics", node: spec.node, label_lab_vac_dev_pool: spec.pool }, hours.map(() => 1));
  for (const step of ["network", "disk", "compute"] as const) {
    const noPeer = step === "network" && spec.alone;
    add("lab_calibration_last_run_timestamp_seconds", { ...exporter, step }, hours.map((h) => (latestRun(h) < 0 || gone(h) ? undefined : (latestRun(h) * 24 + RUN_HOUR) * 3600)));
    add("lab_calibration_skipped", { ...exporter, step, reason: noPeer ? "no_peer" : "team_pods" }, hours.map((h) => {
      const d = latestRun(h);
      if (d < 0 || gone(h)) return undefined;
      return noPeer || spec.skipped?.(d) ? 1 : undefined;
    }));
  }
  for (const r of CALIBRATION_RESULTS) {
    if (r.step === "network" && spec.alone) continue;
    const value = (h: number) => {
      const d = latestRun(h);
      const v = d < 0 || gone(h) || spec.skipped?.(d) ? undefined : spec.night(d);
      return v === undefined ? undefined : CALIBRATION_VALUES[r.benchmark] * v;
    };
    const labels = r.step === "network" ? { ...exporter, peer: "node-03" } : exporter;
    add(r.metric, labels, hours.map(value));
  }
  return out;
}

/** The calibration gate's expected state on each node: 1 ok, 0 failed, -1 unknown. */
function caseFile(name: string, nodes: readonly NodeHistory[], expected: Readonly<Record<string, 0 | 1 | -1>>): string {
  const t = `${EVAL_HOUR}h`;
  const gate = (metric: string, node: NodeHistory) => labelText(metric, { gate: "calibration", node: node.node, pool: node.pool, scope: "node" });
  const with_ = (v: number) => nodes.filter((n) => expected[n.node] === v);
  return stringify(
    {
      rule_files: ["rules.yaml"],
      evaluation_interval: "12h",
      // promtool evaluates the groups in a random order unless told; the file's order is the data's.
      group_eval_order: ruleGroups(ctx).map((g) => g.name),
      tests: [
        {
          name,
          interval: "1h",
          input_series: nodes.flatMap(historySeries),
          promql_expr_test: [
            { expr: `lab:comparability_gate:ok{gate="calibration",scope="node"}`, eval_time: t, exp_samples: [...with_(1), ...with_(0)].map((n) => ({ labels: gate("lab:comparability_gate:ok", n), value: expected[n.node] })) },
            { expr: `lab:comparability_gate:unknown{gate="calibration"}`, eval_time: t, exp_samples: with_(-1).map((n) => ({ labels: gate("lab:comparability_gate:unknown", n), value: 1 })) },
          ],
        },
      ],
    },
    { lineWidth: 0 },
  );
}

const steady = (d: number) => 1 + (d % 2 === 0 ? 0.01 : -0.01);
const noisy = (d: number) => 1 + (d % 2 === 0 ? 0.05 : -0.05);
const node = (name: string, spec: Omit<NodeHistory, "node" | "pool">, pool = "experiments"): NodeHistory => ({ node: name, pool, ...spec });

const CASES: ReadonlyArray<{ name: string; nodes: NodeHistory[]; expected: Record<string, 0 | 1 | -1> }> = [
  {
    name: "a healthy node with every night's run is ok (the harness sees a passing gate)",
    nodes: [node("node-02", { night: steady })],
    expected: { "node-02": 1 },
  },
  {
    name: "run of night 34 skipped (team pod overran the window): newest results ~31 h old, gate unknown at once",
    nodes: [node("node-02", { night: steady, skipped: (d) => d === 34 })],
    expected: { "node-02": -1 },
  },
  {
    name: "the job stopped after night 32: its results stay in the textfile, 55 h old at the evaluation, gate unknown",
    nodes: [node("node-02", { night: (d) => (d <= 32 ? steady(d) : undefined) })],
    expected: { "node-02": -1 },
  },
  {
    name: "the results were removed 6 h ago: unknown now, not ~51 h after the run",
    nodes: [node("node-02", { night: steady, removedFromHour: EVAL_HOUR - 6 })],
    expected: { "node-02": -1 },
  },
  {
    name: "a node alone in its pool (network skipped no_peer every night) is gated on disk, CPU and memory",
    nodes: [node("node-06", { night: steady, alone: true }, "nomos")],
    expected: { "node-06": 1 },
  },
  {
    name: "a node alone in its pool whose disk and CPU runs were skipped tonight is unknown",
    nodes: [node("node-06", { night: steady, alone: true, skipped: (d) => d === 34 }, "nomos")],
    expected: { "node-06": -1 },
  },
  {
    // Rules planned at the home assignment (before the example's lease of node-04 to nomos): the node patch at the boundary moves node-04 into lease-nomos before the next apply replans them.
    name: "node-04 relabelled into lease-nomos at the lease boundary, rules planned before the lease: still gated",
    nodes: [node("node-04", { night: steady }, "lease-nomos")],
    expected: { "node-04": 1 },
  },
  {
    name: "a leased node whose run was skipped tonight is unknown under rules planned before the lease",
    nodes: [node("node-04", { night: steady, skipped: (d) => d === 34 }, "lease-nomos")],
    expected: { "node-04": -1 },
  },
  {
    name: "stationary but noisy (±5% night to night): one night 15% low is no change of the machine",
    nodes: [node("node-02", { night: (d) => (d === 34 ? 0.85 : noisy(d)) })],
    expected: { "node-02": 1 },
  },
  {
    // Scale of the ±1% history: IQR / 1.349 = 1.48%; a full baseline's night band 4.63 x 1.48% = 6.9%.
    name: "a steady node with a full baseline fails on one night 8% high (beyond the 28-night band)",
    nodes: [node("node-02", { night: (d) => (d === 34 ? 1.08 : steady(d)) })],
    expected: { "node-02": 0 },
  },
  {
    // First run on night 17: the baseline (35 to 7 days back) holds 11 nights, whose band multiple is
    // the 7-night one, 9.67 (14%): a young baseline's median and scale are less certain.
    name: "a node with an 11-night baseline is judged with its own wider band: one night 8% high passes",
    nodes: [node("node-02", { night: (d) => (d < 17 ? undefined : d === 34 ? 1.08 : steady(d)) })],
    expected: { "node-02": 1 },
  },
  {
    name: "a node with an 11-night baseline still fails on a night 20% high",
    nodes: [node("node-02", { night: (d) => (d < 17 ? undefined : d === 34 ? 1.2 : steady(d)) })],
    expected: { "node-02": 0 },
  },
  {
    // Nights 31-34: at 12:00 the last 7 days hold 3.3 nights of the loss (persistence counts time: > 2.5 of 7 nights' worth).
    name: "steady (±1%) node losing 8% from night 31 on fails",
    nodes: [node("node-02", { night: (d) => (d >= 31 ? 0.92 * steady(d) : steady(d)) })],
    expected: { "node-02": 0 },
  },
];

let dir = "";
const results = new Map<string, string>();

describe.skipIf(!haveTools)("calibration gate under promtool (issue 21)", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "calibration-gate-"));
    fs.writeFileSync(path.join(dir, "rules.yaml"), renderRulesFile(ruleGroups(ctx)));
    const files = CASES.map((c, i) => {
      const file = `case-${i}.yaml`;
      fs.writeFileSync(path.join(dir, file), caseFile(c.name, c.nodes, c.expected));
      return file;
    });
    const run = await promtoolTestParallel(files, dir);
    CASES.forEach((c, i) => results.set(c.name, run.perFile.get(files[i]) ?? `no result for ${files[i]}:\n${run.output.slice(0, 2000)}`));
  }, 300_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(c.name, () => {
      expect(results.get(c.name)).toBe("SUCCESS");
    });
  }
});

describe("calibration gate pools before a lease starts", () => {
  it("the example's lease pool is gated by default (the borrower's pools are calibrated while the lease is active)", () => {
    expect(calibrationGatePools(ctx)).toEqual(["experiments", "lease-nomos", "nomos"]);
  });

  it("with an explicit calibration.pools the lease pool is not gated: no calibration job runs there during the lease", () => {
    const raw = withChanges(loadStackConfig(), (c) => (c["lab:health"] = { ...(c["lab:health"] ?? {}), calibration: { ...(c["lab:health"]?.calibration ?? {}), pools: ["experiments"] } }));
    expect(calibrationGatePools(healthContext(loadLabModel(raw, "lab", HOME_ASSIGNMENT)))).toEqual(["experiments"]);
  });
});

describe("gated calibration results", () => {
  it("gates the seven levels of the machine, not the retransmit count (no relative band for a count that is 0 most nights)", () => {
    expect(CALIBRATION_RESULTS.map((r) => r.benchmark)).toEqual([
      "network_throughput", "disk_read_latency", "disk_read_iops", "disk_write_throughput", "cpu", "memory_read_throughput", "memory_write_throughput",
    ]);
    const rules = renderRulesFile(ruleGroups(ctx));
    expect(rules).toContain("lab_calibration_network_throughput_bytes_per_second");
    expect(rules).not.toContain("lab_calibration_network_retransmits");
  });
});
