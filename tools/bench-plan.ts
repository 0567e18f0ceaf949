/**
 * npm run bench:plan -- [--sizes 100,250,500,1000] [--teams 50]
 *
 * Plans generated labs of growing size (each in a fresh process, as operators run it) and prints
 * wall time, resources and time per resource, to show plan time stays linear in lab size.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as yaml from "js-yaml";
import { generateLab } from "./generate-lab";

const { values } = parseArgs({ options: { sizes: { type: "string" }, teams: { type: "string" } } });
const sizes = (values.sizes ?? "100,250,500,1000").split(",").map(Number);
const teams = Number(values.teams ?? 50);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-bench-"));
const root = path.resolve(__dirname, "..");

const runs = [{ label: "example lab (Pulumi.lab.yaml)", args: ["--stack", "lab"] }];
for (const n of sizes) {
  const file = path.join(tmp, `Pulumi.gen${n}.yaml`);
  fs.writeFileSync(file, yaml.dump(generateLab(n, Math.min(teams, Math.floor(n / 4))), { lineWidth: 200 }));
  runs.push({ label: `generated: ${n} nodes, ${Math.min(teams, Math.floor(n / 4))} teams`, args: ["--config-file", file] });
}

console.log("| Lab | Resources | Wall time (s) | ms / resource |");
console.log("| --- | ---: | ---: | ---: |");
for (const run of runs) {
  const out = path.join(tmp, `out-${runs.indexOf(run)}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tools/plan.ts"), ...run.args, "--out", out], {
    cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  const resources = (JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as unknown[]).length;
  fs.rmSync(out, { recursive: true, force: true });
  console.log(`| ${run.label} | ${resources} | ${seconds.toFixed(2)} | ${((seconds * 1000) / resources).toFixed(2)} |`);
}
fs.rmSync(tmp, { recursive: true, force: true });
