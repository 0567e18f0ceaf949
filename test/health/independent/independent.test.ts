/**
 * Independent promtool cases (issue 10), written from the issue and docs/lab-health.md +
 * docs/monitoring.md without reading the rules, run with the real promtool against the rule files
 * the plan tool generates (`tools/plan.ts --out DIR`, DIR/rules/*.yaml): the same files a held-out
 * suite reads. The example stack, and for cases that name other scrape intervals the example with
 * those intervals. Each item has a case that must fail/fire and a near miss that must stay silent.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { requireTools } from "../../harness/tools";
import { cases, type Case } from "./cases";
import { runCases, type CaseResult } from "./run";

const haveTools = requireTools("prometheus", "promtool");
const ALL = cases();
const keyOf = (c: Case) => (c.intervals ? `${c.intervals.infra}-${c.intervals.inventory}` : "example");

/** Plans the example stack (with other scrape intervals if given) into `out`; returns its rule files. */
function planRules(dir: string, key: string, intervals?: Case["intervals"]): string[] {
  const out = path.join(dir, `plan-${key}`);
  const args = ["tsx", "tools/plan.ts", "--out", out];
  if (intervals) {
    const doc = parseDocument(fs.readFileSync("Pulumi.lab.yaml", "utf8"));
    doc.setIn(["config", "lab:monitoring", "scrapeIntervals", "infra"], intervals.infra);
    doc.setIn(["config", "lab:monitoring", "scrapeIntervals", "inventory"], intervals.inventory);
    const file = path.join(dir, `stack-${key}.yaml`);
    fs.writeFileSync(file, doc.toString());
    args.push("--config-file", file);
  }
  const plan = spawnSync("npx", args, { encoding: "utf8" });
  if (plan.status !== 0) throw new Error(`plan ${key} failed: ${plan.stdout}${plan.stderr}`);
  const rulesDir = path.join(out, "rules");
  return fs.readdirSync(rulesDir).map((f) => path.join(rulesDir, f));
}

describe.runIf(haveTools)("independent promtool cases against the generated rule files", () => {
  let dir = "";
  const results = new Map<Case, CaseResult>();
  const ruleFiles = new Map<string, string[]>();
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-independent-"));
    for (const c of ALL) if (!ruleFiles.has(keyOf(c))) ruleFiles.set(keyOf(c), planRules(dir, keyOf(c), c.intervals));
    const done = await runCases(ALL, (c) => ruleFiles.get(keyOf(c))!, dir);
    ALL.forEach((c, i) => results.set(c, done[i]));
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("generates lab-health rule files for every interval set the cases name", () => {
    for (const files of ruleFiles.values()) expect(files.map((f) => path.basename(f))).toContain("monitoring-lab-health-gates.yaml");
  });
  ALL.forEach((c) =>
    it(c.name, () => {
      const r = results.get(c)!;
      expect(r.ok, r.output).toBe(true);
    }),
  );
});
