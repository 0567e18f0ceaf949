/**
 * npm run bench:statistics [-- --reports N --power-reports N --calibration-nodes N --calibration-weeks W]
 *
 * Prints the statistical figures of the lab's two statistical verdicts, one per line as
 * `name: value` (shares with three decimals, counts as they are), from fixed seeds:
 *
 * - `stack_*`: the stack report on simulated comparisons (tools/bench/statistics-bench.ts;
 *   docs/stack-benchmarks.md, "Figures"), about 15 s;
 * - `calibration_*`: the calibration gate, synthetic node histories run through the generated rules
 *   by the real `promtool test rules` (tools/health-bench/calibration-figures.ts; docs/lab-health.md,
 *   "Calibration gate"), about 45 s at the defaults (96 stationary nodes x 2 weeks per variation
 *   level, 48 nodes with a sustained 8% loss). `npm run bench:calibration` runs that part alone,
 *   with more options.
 *
 * Exit 0: figures printed. 1: bad arguments. 2: promtool missing or failing.
 */
import { statisticsFigures } from "./bench/statistics-bench";
import { parseCommandLine, runMain } from "./cli";
import { calibrationFigures } from "./health-bench/calibration-figures";

const OPTIONS = ["reports", "power-reports", "calibration-nodes", "calibration-weeks"] as const;
const USAGE = "usage: npm run bench:statistics [-- --reports N --power-reports N --calibration-nodes N --calibration-weeks W]";

/** Shares with three decimals; counts (sessions) as they are. */
function line(name: string, value: number): string {
  return `${name}: ${name.endsWith("_per_stack") ? value : value.toFixed(3)}`;
}

async function main(): Promise<number> {
  const parsed = parseCommandLine([...OPTIONS], USAGE, undefined, 1);
  if ("exit" in parsed) return parsed.exit;
  const bad = OPTIONS.filter((n) => parsed.values[n] !== undefined && !/^[1-9]\d{0,5}$/.test(parsed.values[n]!));
  if (bad.length > 0) {
    console.error(`${bad.map((n) => `--${n} ${JSON.stringify(parsed.values[n])}: a whole number from 1`).join("\n")}\n${USAGE}`);
    return 1;
  }
  const count = (name: (typeof OPTIONS)[number]) => (parsed.values[name] === undefined ? undefined : Number(parsed.values[name]));
  const figures = statisticsFigures({ reports: count("reports"), powerReports: count("power-reports") });
  for (const [name, value] of Object.entries(figures)) console.log(line(name, value));
  try {
    const nodes = count("calibration-nodes");
    const calibration = await calibrationFigures({ nodes, lossNodes: nodes, weeks: count("calibration-weeks") });
    for (const [name, value] of calibration) console.log(line(name, value));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  return 0;
}

runMain(main);
