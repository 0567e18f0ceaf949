/**
 * npm run plan -- [--stack NAME | --config-file FILE] [--out DIR] [--diff BASE_DIR] [--at RFC3339]
 *
 * --at plans the lab as it is at that instant (its leases applied); default: now.
 *
 * Exit 0: planned. Exit 1: invalid config (every problem as `path: message`). Exit 2: mandatory
 * policy violations (each as `policy: resource: message`).
 */
import * as path from "node:path";
import { formatProblem, type ConfigProblem } from "../config/problems";
import { formatInstant, INSTANT_MESSAGE, parseInstant } from "../config/leases/instant";
import { parseCommandLine, runMain } from "./cli";
import { checkStack } from "./plan/check";

const USAGE = "usage: npm run plan -- [--stack NAME | --config-file FILE] [--out DIR] [--diff BASE_DIR] [--at RFC3339]";

async function main(): Promise<number> {
  const parsed = parseCommandLine(["stack", "config-file", "out", "diff", "at"], USAGE);
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  if (values.stack && values["config-file"]) {
    console.error(`--stack and --config-file are alternatives\n${USAGE}`);
    return 64;
  }
  const at = values.at === undefined ? Date.now() : parseInstant(values.at);
  if (at === undefined) {
    console.error(`--at ${values.at}: ${INSTANT_MESSAGE}\n${USAGE}`);
    return 64;
  }
  const root = path.resolve(__dirname, "..");
  const stack = values.stack ?? (values["config-file"] ? path.basename(values["config-file"]).replace(/^Pulumi\.|\.ya?ml$/g, "") : "lab");
  const configFile = values["config-file"] ? path.resolve(values["config-file"]) : path.join(root, `Pulumi.${stack}.yaml`);
  const outDir = path.resolve(values.out ?? path.join(root, "plan", stack));

  const invalid = (problems: readonly ConfigProblem[]) => {
    console.error(problems.map(formatProblem).join("\n"));
    console.error(`\n${problems.length} config problem(s) in ${configFile}; nothing was planned.`);
    return 1;
  };
  // Validate before loading the Pulumi SDK and the program: bad input fails fast, with paths only.
  const checked = checkStack(configFile, stack, at);
  if (!checked.ok) return invalid(checked.problems);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPlan } = require("./plan/run") as typeof import("./plan/run");
  const result = await runPlan({ stack, configFile, outDir, at, checked, diffBase: values.diff ? path.resolve(values.diff) : undefined });
  if (result.exitCode === 1) return invalid(result.problems);
  for (const v of result.violations) {
    const line = `${v.policy}: ${v.name} (${v.type}): ${v.message}`;
    if (v.enforcementLevel === "mandatory") console.error(line);
    else console.warn(`advisory: ${line}`);
  }
  const types = new Set(result.entries.map((e) => e.type)).size;
  console.log(
    `Plan of stack "${stack}": ${result.entries.length} resources of ${types} types, ` +
      `${result.violations.length} policy violation(s), in ${result.seconds.toFixed(2)} s -> ${path.relative(process.cwd(), outDir) || "."}`,
  );
  console.log(`Evaluated at ${formatInstant(at)}; who has which node when: ${path.relative(process.cwd(), path.join(outDir, "calendar.md"))}`);
  if (result.diffMarkdown) console.log(`\n${result.diffMarkdown}`);
  return result.exitCode;
}

runMain(main);
