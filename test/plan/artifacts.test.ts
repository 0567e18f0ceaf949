/**
 * The plan bundle's review artifacts: rules/ (plain Prometheus rules files from the VMRules) and
 * dashboards/ (the Grafana JSON of the dashboard ConfigMaps), deterministic and checkable by promtool.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { healthContext } from "../../components/health/context";
import { labDashboards } from "../../components/health/dashboards";
import { leaseRuleGroup } from "../../components/health/lease-rules";
import { ruleGroups } from "../../components/health/rules";
import { loadLabModel } from "../../config/load";
import { CONFIGMAP_TYPE, planArtifacts, VMRULE_TYPE, writeArtifacts } from "../../tools/plan/artifacts";
import type { PlanEntry } from "../../tools/plan/bundle";
import { loadStackConfig } from "../harness/fixtures";
import { runPlanCli } from "../harness/plan-cli";
import { requireTools } from "../harness/tools";
import { promtool } from "../health/promtool";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-artifacts-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function entry(type: string, name: string, inputs: unknown): PlanEntry {
  return { urn: `urn:pulumi:lab::lab::${type}::${name}`, type, name, parent: "", provider: "", dependsOn: [], inputs };
}

function listFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe("planArtifacts", () => {
  it("turns VMRules into rules files and labelled ConfigMaps into dashboard JSON, nothing else", () => {
    const group = { name: "g", rules: [{ record: "a:b", expr: "up" }] };
    const artifacts = planArtifacts([
      entry(CONFIGMAP_TYPE, "plain", { metadata: { name: "plain", namespace: "x" }, data: { "a.json": "{}" } }),
      entry(CONFIGMAP_TYPE, "d2", { metadata: { name: "d2", namespace: "monitoring", labels: { grafana_dashboard: "1" } }, data: { "b.json": '{"uid":"b"}', "README": "x" } }),
      entry(CONFIGMAP_TYPE, "d1", { metadata: { name: "d1", namespace: "monitoring", labels: { grafana_dashboard: "1" } }, data: { "b.json": '{"uid":"b1"}' } }),
      entry(VMRULE_TYPE, "r", { metadata: { name: "r", namespace: "monitoring" }, spec: { groups: [group] } }),
    ]);
    expect(artifacts.map((a) => a.path)).toEqual(["dashboards/monitoring-b.json", "dashboards/monitoring-d1-b.json", "rules/monitoring-r.yaml"]);
    expect(yaml.load(artifacts[2].content)).toEqual({ groups: [group] });
  });

  it("replaces what an earlier plan left in rules/ and dashboards/", () => {
    const out = path.join(tmp, "stale");
    fs.mkdirSync(path.join(out, "rules"), { recursive: true });
    fs.writeFileSync(path.join(out, "rules", "old.yaml"), "groups: []\n");
    fs.writeFileSync(path.join(out, "keep.md"), "x");
    writeArtifacts(out, [{ path: "rules/new.yaml", content: "groups: []\n" }]);
    expect(listFiles(path.join(out, "rules"))).toEqual(["new.yaml"]);
    expect(fs.existsSync(path.join(out, "keep.md"))).toBe(true);
  });
});

describe("npm run plan writes the lab-health rules and dashboards", () => {
  // One fixed instant for the plans and the model: the example lab's lease must not make this test depend on the date.
  const AT = "2026-06-01T00:00:00Z";
  const model = loadLabModel(loadStackConfig(), "lab", { at: Date.parse(AT) });
  const ctx = healthContext(model);
  const a = path.join(tmp, "a");
  const b = path.join(tmp, "b");

  it("as plain files equal to what the layer generates, byte-identical across runs", () => {
    expect(runPlanCli(["--out", a, "--at", AT]).status).toBe(0);
    expect(runPlanCli(["--out", b, "--at", AT]).status).toBe(0);
    const groups = [...ruleGroups(ctx), leaseRuleGroup(model)];
    expect(listFiles(path.join(a, "rules"))).toEqual(groups.map((g) => `monitoring-${g.name}.yaml`).sort());
    for (const g of groups) {
      expect(yaml.load(fs.readFileSync(path.join(a, "rules", `monitoring-${g.name}.yaml`), "utf8"))).toEqual({ groups: [JSON.parse(JSON.stringify(g))] });
    }
    const dashboards = labDashboards(ctx);
    expect(listFiles(path.join(a, "dashboards"))).toEqual(dashboards.map((d) => `monitoring-${d.uid}.json`).sort());
    for (const d of dashboards) {
      expect(JSON.parse(fs.readFileSync(path.join(a, "dashboards", `monitoring-${d.uid}.json`), "utf8"))).toEqual(JSON.parse(JSON.stringify(d)));
    }
    for (const dir of ["rules", "dashboards"]) {
      for (const file of listFiles(path.join(a, dir))) {
        expect(fs.readFileSync(path.join(b, dir, file)).equals(fs.readFileSync(path.join(a, dir, file))), `${dir}/${file}`).toBe(true);
      }
    }
  });

  it.skipIf(!requireTools("prometheus", "promtool"))("which promtool check rules accepts", () => {
    const files = listFiles(path.join(a, "rules"));
    const result = promtool(["check", "rules", ...files], path.join(a, "rules"));
    expect(result.output.match(/SUCCESS/g)?.length).toBe(files.length);
    expect(result.status).toBe(0);
  });
});
