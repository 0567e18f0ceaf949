/**
 * npm run bench:statistics [-- --reports N --power-reports N]
 *
 * Prints the statistical figures of the stack report (tools/bench/statistics-bench.ts), one per line
 * as `name: value`, from simulated comparisons with fixed seeds. Exit 0; 1 on bad arguments.
 */
import { statisticsFigures } from "./bench/statistics-bench";
import { parseCommandLine, runMain } from "./cli";

const USAGE = "usage: npm run bench:statistics [-- --reports N --power-reports N]";

async function main(): Promise<number> {
  const parsed = parseCommandLine(["reports", "power-reports"], USAGE, undefined, 1);
  if ("exit" in parsed) return parsed.exit;
  const count = (name: string): number | undefined => {
    const raw = parsed.values[name];
    if (raw === undefined) return undefined;
    if (!/^[1-9]\d{0,5}$/.test(raw)) throw new RangeError(`--${name} ${JSON.stringify(raw)}: a whole number from 1`);
    return Number(raw);
  };
  const figures = statisticsFigures({ reports: count("reports"), powerReports: count("power-reports") });
  for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(3)}`);
  return 0;
}

runMain(main, [RangeError]);
