/**
 * npm run bench:calibration -- [--nodes N] [--weeks W] [--loss-nodes N] [--seed S] [--rules FILE]
 *
 * Prints the calibration gate's statistical figures as `name: value` lines
 * (tools/health-bench/calibration-figures.ts): synthetic node histories with fixed seeds, run
 * through the generated lab-health rules by the real `promtool test rules`. `--rules FILE` runs
 * another rules file through the same harness (e.g. an older commit's, for before/after figures).
 *
 * Exit 0: figures printed. Exit 1: bad arguments. Exit 2: promtool missing or failing.
 */
import { parseCommandLine, runMain } from "./cli";
import { calibrationFigures, formatFigures } from "./health-bench/calibration-figures";

const USAGE = "usage: npm run bench:calibration -- [--nodes N] [--weeks W] [--loss-nodes N] [--seed S] [--rules FILE]";

async function main(): Promise<number> {
  const parsed = parseCommandLine(["nodes", "weeks", "loss-nodes", "seed", "rules"], USAGE, undefined, 1);
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  const count = (key: "nodes" | "weeks" | "loss-nodes" | "seed"): number | undefined => {
    const text = values[key];
    if (text === undefined) return undefined;
    if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new UsageError(`--${key} must be a whole number from 1, got "${text}"\n${USAGE}`);
    return Number(text);
  };
  let options;
  try {
    options = { nodes: count("nodes"), weeks: count("weeks"), lossNodes: count("loss-nodes"), seed: count("seed"), rulesFile: values.rules };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 1;
  }
  try {
    console.log(formatFigures(await calibrationFigures(options)));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  return 0;
}

class UsageError extends Error {}

runMain(main, []);
