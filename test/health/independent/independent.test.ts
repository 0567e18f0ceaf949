/**
 * Independent promtool cases (issue 10), written from the issue and docs/lab-health.md +
 * docs/monitoring.md without reading the rules, run with the real promtool against the rule files
 * the plan tool generates for the example stack (`tools/plan.ts --out DIR`, DIR/rules/*.yaml): the
 * same files a held-out suite would read. Each item has a case that must fail/fire and a near miss
 * that must stay silent (see cases.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTools } from "../../harness/tools";
import { cases } from "./cases";
import { runCases, type CaseResult } from "./run";

const haveTools = requireTools("prometheus", "promtool");
const ALL = cases();

describe.runIf(haveTools)("independent promtool cases against the generated rule files", () => {
  let dir = "";
  let results: CaseResult[] = [];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-independent-"));
    const plan = spawnSync("npx", ["tsx", "tools/plan.ts", "--out", path.join(dir, "plan")], { encoding: "utf8" });
    if (plan.status !== 0) throw new Error(`plan failed: ${plan.stderr}`);
    const rulesDir = path.join(dir, "plan", "rules");
    const ruleFiles = fs.readdirSync(rulesDir).map((f) => path.join(rulesDir, f));
    results = await runCases(ALL, ruleFiles, dir);
  }, 90_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("generates a lab-health rule file", () => {
    expect(fs.readdirSync(path.join(dir, "plan", "rules"))).toContain("monitoring-lab-health-gates.yaml");
  });
  ALL.forEach((c, i) =>
    it(c.name, () => {
      expect(results[i].ok, results[i].output).toBe(true);
    }),
  );
});
