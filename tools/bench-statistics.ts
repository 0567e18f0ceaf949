/**
 * npm run bench:statistics [-- --reports N --power-reports N]
 *
 * Prints the statistical figures of the stack report (tools/bench/statistics-bench.ts), one per line
 * as `name: value` (shares with three decimals), from simulated comparisons with fixed seeds; the
 * defaults take a few minutes. Exit 0; 1 on bad arguments.
 */
import { statisticsFigures } from "./bench/statistics-bench";
import { parseCommandLine, runMain } from "./cli";

const USAGE = "usage: npm run bench:statistics [-- --reports N --power-reports N]";

async function main(): Promise<number> {
  const parsed = parseCommandLine(["reports", "power-reports"], USAGE, undefined, 1);
  if ("exit" in parsed) return parsed.exit;
  const bad = ["reports", "power-reports"].filter((n) => parsed.values[n] !== undefined && !/^[1-9]\d{0,5}$/.test(parsed.values[n]!));
  if (bad.length > 0) {
    console.error(`${bad.map((n) => `--${n} ${JSON.stringify(parsed.values[n])}: a whole number from 1`).join("\n")}\n${USAGE}`);
    return 1;
  }
  const count = (name: string) => (parsed.values[name] === undefined ? undefined : Number(parsed.values[name]));
  const figures = statisticsFigures({ reports: count("reports"), powerReports: count("power-reports") });
  // Shares with three decimals; counts (sessions) as they are.
  for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${name.endsWith("_per_stack") ? value : value.toFixed(3)}`);
  return 0;
}

runMain(main);
