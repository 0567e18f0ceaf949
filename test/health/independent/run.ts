/** Writes each independent case as a `promtool test rules` file beside the given rule files and runs promtool. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { Case } from "./cases";

/** Result of one case: whether promtool passed it, and its output. */
export interface CaseResult {
  name: string;
  ok: boolean;
  output: string;
}

/** Groups whose records others read at the same instant, in the order the data flows (the lab evaluates them a moment apart). */
const DATA_FLOW = ["lab-health-inventory", "lab-health-calibration-history", "lab-health-baselines", "lab-health-gates", "lab-health-alerts"];

/**
 * Every group of the rule files, those of DATA_FLOW first in its order: without group_eval_order,
 * promtool evaluates the groups in a random order at each evaluation time, so an alert reading a
 * series recorded by another group at the same instant would see it or not at random.
 */
function groupOrder(ruleFiles: readonly string[]): string[] {
  const names = ruleFiles.flatMap((f) => ((parse(fs.readFileSync(f, "utf8")) as { groups?: Array<{ name: string }> }).groups ?? []).map((g) => g.name));
  const rank = (n: string) => (DATA_FLOW.includes(n) ? DATA_FLOW.indexOf(n) : DATA_FLOW.length);
  return [...names].sort((a, b) => rank(a) - rank(b));
}

/** Runs `promtool test rules` for one case against `ruleFiles` (absolute paths); its file goes to `dir`. */
export function runCase(c: Case, index: number, ruleFiles: readonly string[], dir: string): Promise<CaseResult> {
  const file = path.join(dir, `case-${String(index).padStart(2, "0")}.yaml`);
  // Coarse evaluation steps keep the suite fast; every eval_time in the cases is a multiple of them.
  const evaluation = c.interval === "1h" ? "6h" : "2m";
  const { intervals: _, ...group } = c; // not a promtool field: chooses the rule files
  fs.writeFileSync(file, stringify({ rule_files: ruleFiles, evaluation_interval: evaluation, group_eval_order: groupOrder(ruleFiles), tests: [group] }, { lineWidth: 0 }));
  return new Promise((resolve, reject) => {
    const child = spawn("promtool", ["test", "rules", file], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ name: c.name, ok: code === 0, output }));
  });
}

/** Runs every case against its rule files, at most `parallel` promtool processes at a time, results in case order. */
export async function runCases(all: readonly Case[], ruleFiles: (c: Case) => readonly string[], dir: string, parallel = 2): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      results[i] = await runCase(all[i], i, ruleFiles(all[i]), dir);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}
