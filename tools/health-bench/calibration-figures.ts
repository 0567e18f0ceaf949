/**
 * The calibration gate's statistical figures, measured by running synthetic node histories through
 * the generated lab-health rules with the real `promtool test rules` (calibration-sim.ts):
 *
 * - `calibration_stationary_not_comparable_share_<v>pct`: share of node-weeks of a stationary node
 *   (all seven gated results with run-to-run variation v%, normal noise) in which the calibration
 *   gate failed at any daily read of the week (bound: ≤ 0.05);
 * - `calibration_stationary_unknown_share`: share of those node-weeks with the gate unknown at some
 *   read (every run current, so 0 is expected);
 * - `calibration_sustained_8pct_loss_detection`: share of nodes whose CPU result (1% variation, the
 *   others 3%) loses 8% from a night on, on which the drift alert for `cpu` fired within the 7 days
 *   from that night (bound: ≥ 0.80).
 *
 * Each node has 35 nights of history first (the 28-day baseline and the 7 nights it leaves out),
 * then `weeks` test weeks; the gate is read daily at 00:00, an hour after that night's run.
 *
 * Fixed seeds: the same options give the same figures. Errors: promtool missing or failing throws.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { healthContext, type HealthContext } from "../../components/health/context";
import { ruleGroups } from "../../components/health/rules";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { renderRulesFile } from "../plan/artifacts";
import { readStackFile } from "../plan/stack-file";
import { simulateCalibration, type NodeGroup } from "./calibration-sim";

/** Run-to-run variations of the stationary figures, in percent. */
export const STATIONARY_VARIATIONS = [2, 3, 4, 5, 7] as const;

export interface CalibrationFigureOptions {
  /** Stationary nodes per variation level (node-weeks = nodes × weeks). Default 96. */
  readonly nodes?: number;
  /** Test weeks per node after the 35-night history. Default 2. */
  readonly weeks?: number;
  /** Nodes with the 8% loss. Default 48. */
  readonly lossNodes?: number;
  /** Seed of the noise. Default 21. */
  readonly seed?: number;
  /** A rules file to run instead of the one generated from the example stack (e.g. the old rules, for before/after). */
  readonly rulesFile?: string;
  /** promtool processes at once. Default 2. */
  readonly parallel?: number;
}

/**
 * The cheap fixed-seed version (CI's test/health/calibration-figures.test.ts, and the lines other
 * benchmark commands such as `npm run bench:statistics` print): 12 stationary nodes × 2 weeks per
 * level (24 node-weeks), 16 loss nodes, seed 21; about 10 s on two busy cores.
 */
export const CHEAP_CALIBRATION_FIGURES: CalibrationFigureOptions = { nodes: 12, weeks: 2, lossNodes: 16, seed: 21 };

/** Nights before the first test week: the rules' 28-day baseline plus the 7 nights it leaves out (steady state). */
const HISTORY_NIGHTS = 35;
const ROOT = path.resolve(__dirname, "../..");

/** The example lab's health context (Pulumi.lab.yaml at the home assignment), whose calibrated pool the simulated nodes join. */
export function exampleHealthContext(): HealthContext {
  const file = path.join(ROOT, "Pulumi.lab.yaml");
  const validation = validateConfig(readStackFile(file).raw, "lab", { at: Date.parse("2026-12-01T00:00:00Z") });
  if (!validation.model) throw new Error(`${validation.problems.map(formatProblem).join("\n")}\nconfig problems in ${file}`);
  return healthContext(validation.model);
}

/** Runs the benchmark; returns `[name, value]` pairs in a fixed order. */
export async function calibrationFigures(options: CalibrationFigureOptions = {}): Promise<Array<[string, number]>> {
  const nodes = roundUp4(options.nodes ?? 96);
  const lossNodes = roundUp4(options.lossNodes ?? 48);
  const weeks = options.weeks ?? 2;
  const ctx = exampleHealthContext();
  const pool = ctx.pools.find((p) => p.calibrated)?.name;
  if (!pool) throw new Error("the example stack has no calibrated pool");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "calibration-rules-"));
  try {
    const rulesFile = options.rulesFile ? path.resolve(options.rulesFile) : path.join(dir, "rules.yaml");
    if (!options.rulesFile) fs.writeFileSync(rulesFile, renderRulesFile(ruleGroups(ctx)));
    const stationary: NodeGroup[] = STATIONARY_VARIATIONS.map((v) => ({ name: `v${v}`, nodes, cv: { default: v / 100 } }));
    const loss: NodeGroup = { name: "loss", nodes: lossNodes, cv: { default: 0.03, cpu: 0.01 }, loss: { benchmark: "cpu", ratio: 0.08, fromNight: HISTORY_NIGHTS } };
    const nights = HISTORY_NIGHTS + 7 * weeks;
    const readings = await simulateCalibration({
      groups: [...stationary, loss],
      nights,
      firstTestNight: HISTORY_NIGHTS,
      seed: options.seed ?? 21,
      rulesFile,
      ksmPoolLabel: ctx.ksmPoolLabel,
      pool,
      parallel: options.parallel,
    });
    const weekOf = (day: number) => Math.floor((day - HISTORY_NIGHTS) / 7);
    const share = (group: NodeGroup, map: Map<string, Set<number>>) => {
      let hit = 0;
      for (let i = 0; i < group.nodes; i++) {
        const days = map.get(`${group.name}-${i}`) ?? new Set<number>();
        for (let w = 0; w < weeks; w++) if ([...days].some((d) => d >= HISTORY_NIGHTS && weekOf(d) === w)) hit++;
      }
      return hit / (group.nodes * weeks);
    };
    const detected = Array.from({ length: lossNodes }, (_, i) => [...(readings.lossAlert.get(`loss-${i}`) ?? [])].some((d) => d >= HISTORY_NIGHTS && d < HISTORY_NIGHTS + 7)).filter(Boolean).length;
    const figures: Array<[string, number]> = stationary.map((g, i) => [`calibration_stationary_not_comparable_share_${STATIONARY_VARIATIONS[i]}pct`, share(g, readings.failed)]);
    const unknown = stationary.reduce((sum, g) => sum + share(g, readings.unknown), 0) / stationary.length;
    figures.push(["calibration_stationary_unknown_share", unknown], ["calibration_sustained_8pct_loss_detection", detected / lossNodes]);
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function roundUp4(n: number): number {
  return Math.max(4, Math.ceil(n / 4) * 4);
}

/** `name: value` lines, as `npm run bench:statistics` prints them. */
export function formatFigures(figures: ReadonlyArray<readonly [string, number]>): string {
  return figures.map(([name, value]) => `${name}: ${Number(value.toFixed(4))}`).join("\n");
}
