/**
 * The lease rules under the real engines: `promtool check rules`, `vmalert -dryRun`, and `promtool
 * test rules` for LabLeaseStarting / LabLeaseEnding at instants around both boundaries. The lease
 * sits near the Unix epoch because promtool's clock starts at 0 (time() = seconds since 1970).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { LEASE_ALERTS, LEASE_SERIES, leaseAlertRules, leaseRuleGroup } from "../../components/health/lease-rules";
import { loadLabModel } from "../../config/load";
import { renderRulesFile } from "../../tools/plan/artifacts";
import { withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { renderTemplate } from "../health/promtool";
import { lease, smallLab } from "./fixtures";

const haveTools = requireTools("prometheus", "promtool") && requireTools("victoria-metrics", "vmalert");

// a3 (home pool a, team alpha) lent to beta from 48h to 96h after the epoch, told 24h (default) / 6h before.
const model = loadLabModel(
  withChanges(smallLab, (c) => {
    c["lab:teams"][0].quota = { cpu: 8, memoryGiB: 32, pods: 100 }; // alpha keeps a2 alone: lending a1 and a3 fits
    c["lab:leases"] = [
      lease({ from: "1970-01-03T00:00:00Z", until: "1970-01-05T00:00:00Z" }),
      lease({ nodes: ["a1"], team: "beta", from: "1970-01-03T00:00:00Z", until: "1970-01-04T00:00:00Z", notice: "6h" }),
    ];
  }),
  "lab",
);
const group = leaseRuleGroup(model);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-lease-rules-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const a3 = { node: "a3", pool: "lease-beta", home_pool: "a", team: "beta", lender_teams: "alpha", from: "1970-01-03T00:00:00Z", until: "1970-01-05T00:00:00Z" };
const a1 = { ...a3, node: "a1", until: "1970-01-04T00:00:00Z" };

function expectAlerts(evalTime: string, alert: string, firing: Array<Record<string, string>>) {
  const rule = leaseAlertRules().find((r) => r.alert === alert)!;
  return {
    eval_time: evalTime,
    alertname: alert,
    exp_alerts: firing.map((labels) => ({
      exp_labels: { ...rule.labels, ...labels },
      exp_annotations: { summary: renderTemplate(rule.annotations.summary, labels), description: renderTemplate(rule.annotations.description, labels) },
    })),
  };
}

describe.skipIf(!haveTools)("lease rules under promtool and vmalert", () => {
  it("records the calendar from the config: start, end and notice per lease and node", () => {
    const starts = group.rules.filter((r) => "record" in r && r.record === LEASE_SERIES.start);
    expect(starts.map((r) => ("record" in r ? [r.expr, r.labels] : []))).toEqual([
      ["vector(172800)", a3],
      ["vector(172800)", a1],
    ]);
    expect(group.rules.filter((r) => "record" in r && r.record === LEASE_SERIES.notice).map((r) => r.expr)).toEqual(["vector(86400)", "vector(21600)"]);
  });

  it("promtool check rules and vmalert -dryRun accept the group", () => {
    fs.writeFileSync(path.join(dir, "leases.yaml"), renderRulesFile([group]));
    const check = spawnSync("promtool", ["check", "rules", "leases.yaml"], { cwd: dir, encoding: "utf8" });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const vmalert = spawnSync("vmalert", ["-dryRun", `-rule=${path.join(dir, "leases.yaml")}`], { encoding: "utf8" });
    expect(vmalert.status, vmalert.stdout + vmalert.stderr).toBe(0);
  });

  it("tells the teams involved `notice` before each boundary, and is silent otherwise", () => {
    fs.writeFileSync(path.join(dir, "leases.yaml"), renderRulesFile([group]));
    const [starting, ending] = LEASE_ALERTS;
    const test = {
      rule_files: ["leases.yaml"],
      evaluation_interval: "10m",
      tests: [
        {
          interval: "10m",
          input_series: [],
          alert_rule_test: [
            expectAlerts("23h50m", starting, []), // 24h10m before: too early
            expectAlerts("24h10m", starting, [a3]), // a3: inside its 24h notice; a1: 6h notice, not yet
            expectAlerts("42h10m", starting, [a3, a1]),
            expectAlerts("48h", starting, []), // the lease has started
            expectAlerts("48h", ending, []),
            expectAlerts("66h10m", ending, [a1]), // a1 ends at 72h with 6h notice
            expectAlerts("72h10m", ending, [a3]), // a3 ends at 96h: inside 24h
            expectAlerts("96h", ending, []), // over
            expectAlerts("120h", starting, []),
          ],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, "leases.test.yaml"), yaml.dump(test, { lineWidth: -1 }));
    const run = spawnSync("promtool", ["test", "rules", "leases.test.yaml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it("puts no free text (the lease's reason) into alert templates", () => {
    const text = renderRulesFile([group]);
    expect(text).not.toContain("benchmark");
  });
});
