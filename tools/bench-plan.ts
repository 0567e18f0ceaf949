/**
 * npm run bench:plan -- [--sizes 63,1000] [--teams 50] [--runs 1] [--before DIR]
 *
 * Plans the example lab and generated labs (tools/generate-lab.ts; `min(teams, nodes / 4)` teams)
 * each in a fresh process, as operators run it, and prints a Markdown table: resources, wall time and
 * CPU time (user + system; seconds, each the minimum of `--runs` runs, since other load only adds
 * time) and peak resident memory (GiB; the maximum over the runs).
 *
 * `--before DIR` names another checkout of this repository (e.g. `git worktree add /tmp/main main`,
 * with node_modules linked): every lab is planned there too, the table gets its figures as "before",
 * and the bundles (resources.json, summary.md, rules/, dashboards/) must be byte-identical; the
 * command exits 1 when any file differs, naming it.
 *
 * Progress (which lab, which run, elapsed) goes to stderr: redrawn on a terminal, one line per step in CI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { parseCommandLine } from "./cli";
import { generateLab } from "./generate-lab";
import { compareBundles } from "./plan/compare";
import { measurePlan, type PlanMeasure } from "./plan/measure";
import { Progress } from "./progress";

const USAGE = "usage: npm run bench:plan -- [--sizes 63,1000] [--teams 50] [--runs 1] [--before DIR]";
const ROOT = path.resolve(__dirname, "..");

/** Minimum times and maximum peak memory over `runs` plans. */
function measure(progress: Progress, label: string, runs: number, plan: () => PlanMeasure): PlanMeasure {
  const step = progress.step(label, runs);
  const all: PlanMeasure[] = [];
  for (let i = 0; i < runs; i++) {
    all.push(plan());
    step.update(i + 1);
  }
  const best = {
    seconds: Math.min(...all.map((m) => m.seconds)),
    cpuSeconds: Math.min(...all.map((m) => m.cpuSeconds)),
    peakBytes: Math.max(...all.map((m) => m.peakBytes)),
    resources: all[0].resources,
  };
  step.end(`${best.resources} resources, ${best.seconds.toFixed(2)} s, ${best.cpuSeconds.toFixed(2)} s CPU, ${gib(best.peakBytes)} GiB`);
  return best;
}

function gib(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(2);
}

function main(): number {
  const parsed = parseCommandLine(["sizes", "teams", "runs", "before"], USAGE);
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  const sizes = (values.sizes ?? "63,1000").split(",").map(Number);
  const teams = Number(values.teams ?? 50);
  const runs = Number(values.runs ?? 1);
  if (sizes.some((n) => !Number.isInteger(n) || n < 8) || !Number.isInteger(teams) || teams < 1 || !Number.isInteger(runs) || runs < 1) {
    console.error(`--sizes takes whole numbers of nodes (at least 8), --teams and --runs whole numbers from 1\n${USAGE}`);
    return 64;
  }
  const before = values.before ? path.resolve(values.before) : undefined;
  if (before && !fs.existsSync(path.join(before, "tools/plan.ts"))) {
    console.error(`--before ${before}: not a checkout of this repository (no tools/plan.ts)`);
    return 64;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lab-bench-"));
  const labs = [{ label: "example lab (`Pulumi.lab.yaml`)", args: ["--config-file", path.join(ROOT, "Pulumi.lab.yaml")] }];
  for (const n of sizes) {
    const t = Math.max(1, Math.min(teams, Math.floor(n / 4)));
    const file = path.join(scratch, `Pulumi.gen${n}.yaml`);
    fs.writeFileSync(file, yaml.dump(generateLab(n, t), { lineWidth: 200 }));
    labs.push({ label: `generated: ${n} nodes, ${t} teams`, args: ["--config-file", file] });
  }

  const progress = new Progress();
  const rows: string[] = [];
  const differing: string[] = [];
  try {
    for (const [i, lab] of labs.entries()) {
      const out = path.join(scratch, `after-${i}`);
      const after = measure(progress, `${lab.label}: plan`, runs, () => measurePlan(ROOT, lab.args, out, scratch));
      if (!before) {
        rows.push(`| ${lab.label} | ${after.resources} | ${after.seconds.toFixed(2)} | ${after.cpuSeconds.toFixed(2)} | ${gib(after.peakBytes)} |`);
        continue;
      }
      const baseOut = path.join(scratch, `before-${i}`);
      const base = measure(progress, `${lab.label}: plan before`, runs, () => measurePlan(before, lab.args, baseOut, scratch));
      const diff = compareBundles(baseOut, out);
      differing.push(...diff.map((f) => `${lab.label}: ${f}`));
      rows.push(
        `| ${lab.label} | ${after.resources} | ${base.seconds.toFixed(2)} / ${base.cpuSeconds.toFixed(2)} | ` +
          `${after.seconds.toFixed(2)} / ${after.cpuSeconds.toFixed(2)} | ${gib(base.peakBytes)} | ${gib(after.peakBytes)} | ` +
          `${diff.length === 0 ? "yes" : `no (${diff.length} files)`} |`,
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const header = before
    ? ["| Lab | Resources | Before: wall / CPU (s) | After: wall / CPU (s) | Peak before (GiB) | Peak after (GiB) | Bundle identical |",
       "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    : ["| Lab | Resources | Wall time (s) | CPU time (s) | Peak memory (GiB) |", "| --- | ---: | ---: | ---: | ---: |"];
  console.log([`${runs === 1 ? "One run" : `Minimum time of ${runs} runs`}, on ${os.cpus().length} CPU(s), load ${os.loadavg()[0].toFixed(1)} at the end.`, "", ...header, ...rows].join("\n"));
  for (const d of differing) console.error(`bundle differs: ${d}`);
  return differing.length === 0 ? 0 : 1;
}

process.exit(main());
