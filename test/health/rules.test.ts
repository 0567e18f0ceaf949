/**
 * The lab-health rules of the example lab, checked by the real engines: `promtool check rules`,
 * `vmalert -dryRun`, and `promtool test rules` for every gate and alert: each fault scenario makes
 * exactly the expected gates fail and alerts fire, and the healthy lab keeps everything ok and silent.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertRules } from "../../components/health/alerts";
import { healthContext } from "../../components/health/context";
import { GATE_NAMES } from "../../components/health/gates";
import { ruleGroups } from "../../components/health/rules";
import { loadLabModel } from "../../config/load";
import { renderRulesFile } from "../../tools/plan/artifacts";
import { HOME_ASSIGNMENT, loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { promtool, promtoolTestParallel, scenarioTestFile, slug, writeFile, type PromtoolResult } from "./promtool";
import { LONG_SCENARIOS, OUTAGE_SCENARIO, SHORT_SCENARIOS, type Scenario } from "./rule-scenarios";

const ctx = healthContext(loadLabModel(loadStackConfig(), "lab", HOME_ASSIGNMENT));
const haveTools = requireTools("prometheus", "promtool") && requireTools("victoria-metrics", "vmalert");

const files = new Map<Scenario, string>();
let dir = "";
let run: PromtoolResult;

describe.skipIf(!haveTools)("lab-health rules under promtool and vmalert", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-rules-"));
    writeFile(dir, "rules.yaml", renderRulesFile(ruleGroups(ctx)));
    const kinds = [["short", [...SHORT_SCENARIOS, OUTAGE_SCENARIO], "2m"], ["long", LONG_SCENARIOS, "12h"]] as const;
    for (const [kind, scenarios, evaluation] of kinds) {
      scenarios.forEach((s, i) => {
        const name = `${kind}-${String(i).padStart(2, "0")}-${slug(s.name)}.test.yaml`;
        writeFile(dir, name, scenarioTestFile(ctx, s, "rules.yaml", evaluation));
        files.set(s, name);
      });
    }
    run = await promtoolTestParallel([...files.values()], dir);
  }, 600_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("promtool check rules accepts every group (lint included)", () => {
    const result = promtool(["check", "rules", "rules.yaml"], dir);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
  });

  it("vmalert -dryRun accepts the same file", () => {
    const result = spawnSync("vmalert", ["-dryRun", `-rule=${path.join(dir, "rules.yaml")}`], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
  });

  it("covers every gate and every alert with a failing scenario", () => {
    const all = [...SHORT_SCENARIOS, OUTAGE_SCENARIO, ...LONG_SCENARIOS];
    const gatesFailed = new Set(all.flatMap((s) => Object.entries(s.failing ?? {}).filter(([, n]) => n.length > 0).map(([g]) => g)));
    expect([...gatesFailed].sort()).toEqual([...GATE_NAMES].sort());
    const fired = new Set(all.flatMap((s) => s.alerts.map((a) => a.alert)));
    expect([...fired].sort()).toEqual(alertRules(ctx).map((r) => r.alert).sort());
  });

  for (const scenario of [...SHORT_SCENARIOS, OUTAGE_SCENARIO, ...LONG_SCENARIOS]) {
    it(`scenario: ${scenario.name}`, () => {
      expect(run.perFile.get(files.get(scenario)!), run.output.slice(0, 4000)).toBe("SUCCESS");
    });
  }

  it("fails when an expectation is wrong (the harness can fail)", () => {
    const clock = SHORT_SCENARIOS.find((s) => s.name.startsWith("clock skew"))!;
    const wrong: Scenario = { ...clock, failing: {}, alerts: [] };
    writeFile(dir, "wrong.test.yaml", scenarioTestFile(ctx, wrong, "rules.yaml", "2m"));
    const result = promtool(["test", "rules", "wrong.test.yaml"], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("FAILED");
    expect(result.output).toContain('gate="clock"');
    expect(result.output).toContain("LabClockSkew");
  });
});

describe("lab-health rules for VictoriaMetrics", () => {
  // vmalert sends each rule's expression to VictoriaMetrics, which refuses queries longer than
  // -search.maxQueryLen (default 16384 bytes; the lab's monitoring stack keeps the default).
  it("every rule's expression fits VictoriaMetrics' default query length", () => {
    const rules = ruleGroups(ctx).flatMap((g) => g.rules);
    const tooLong = rules.filter((r) => Buffer.byteLength(r.expr) > 16384).map((r) => ("record" in r ? r.record : r.alert));
    expect(tooLong).toEqual([]);
  });
});
