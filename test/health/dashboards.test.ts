/**
 * Dashboards as code: the JSON is well formed, every panel and variable query parses (as recording
 * rules through `promtool check rules` and `vmalert -dryRun`), and every metric that a dashboard or
 * rule reads is either scraped (the monitoring allow-list adapter) or recorded by the layer.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthContext } from "../../components/health/context";
import { labDashboards } from "../../components/health/dashboards";
import { defaultDashboard, defaultPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { PROMETHEUS_DATASOURCE } from "../../components/health/dashboards/build";
import { dashboardQueries, dataPanels, panelQueries, substituteMacros } from "../../components/health/dashboards/queries";
import { layerQueries, recordedMetrics, scrapedMetricsUsed } from "../../components/health/metric-usage";
import { extractMetricNames } from "../../components/shared/promql-metric-names";
import { REQUIRED_SCRAPED_METRICS } from "../../components/health/required-metrics";
import { isScraped } from "../../components/health/scraped";
import { loadLabModel } from "../../config/load";
import { renderRulesFile } from "../../tools/plan/artifacts";
import { HOME_ASSIGNMENT, loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { promtool } from "./promtool";

const ctx = healthContext(loadLabModel(loadStackConfig(), "lab", HOME_ASSIGNMENT));
const dashboards = labDashboards(ctx);

/** Metrics an expression reads that are neither scraped nor recorded. */
function unknownMetrics(expr: string, recorded: Set<string>): string[] {
  const { names, patterns } = extractMetricNames(expr);
  return [...names.filter((n) => !isScraped(n) && !recorded.has(n)), ...patterns.map((p) => `pattern ${p}`)];
}

/** One recording rule per query, so promtool parses each on its own. */
function queriesAsRules(queries: ReadonlyArray<{ where: string; expr: string }>): string {
  return renderRulesFile([
    { name: "dashboard-queries", rules: queries.map((q, i) => ({ record: "lab_dashboard:query", expr: q.expr, labels: { query: String(i), where: q.where } })) },
  ]);
}

describe("lab-health dashboards", () => {
  it("are Grafana's own model from the SDK pinned exactly to the Grafana 12 line the chart deploys", () => {
    // victoria-metrics-k8s-stack 0.67.0 -> grafana chart 10.1.5 -> Grafana 12.3.0; the SDK's 0.0.x line follows Grafana 12.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
    expect(pkg.dependencies["@grafana/grafana-foundation-sdk"]).toBe("0.0.21");
    const defaults = defaultDashboard();
    expect(defaults.schemaVersion).toBe(42);
    for (const d of dashboards) {
      expect(d).toMatchObject({ schemaVersion: defaults.schemaVersion, editable: false, timezone: "utc", graphTooltip: defaults.graphTooltip });
      for (const p of dataPanels(d)) expect(p, `${d.uid} / ${p.title}`).toMatchObject({ ...defaultPanel(), type: p.type });
    }
  });

  it("are the six dashboards the lab needs, with unique uids and panel ids", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(["lab-overview", "lab-node-hardware", "lab-network", "lab-calibration", "lab-monitoring-health", "lab-team-usage"]);
    for (const d of dashboards) {
      const ids = d.panels!.map((p) => p.id);
      expect(new Set(ids).size, d.uid).toBe(ids.length);
      expect(d.templating.list![0]).toMatchObject({ name: "datasource", type: "datasource", query: "prometheus" });
      for (const p of dataPanels(d)) {
        expect(panelQueries(p).length, `${d.uid} / ${p.title}`).toBeGreaterThan(0);
        for (const t of panelQueries(p)) expect(t.datasource).toEqual(PROMETHEUS_DATASOURCE);
        expect(p.gridPos!.x + p.gridPos!.w, `${d.uid} / ${p.title}`).toBeLessThanOrEqual(24);
      }
    }
  });

  it("share no objects: changing one dashboard's variable leaves the others as built", () => {
    const [a, b] = labDashboards(ctx);
    a.templating.list![0].label = "changed";
    (a.templating.list![1].current as { text: string[] }).text.push("changed");
    expect(b.templating.list![0].label).toBe("Data source");
    expect(b.templating.list![1].current).toEqual({ selected: true, text: ["All"], value: ["$__all"] });
  });

  it("show comparability per pool and node with the failed gates as reasons", () => {
    const overview = dashboards.find((d) => d.uid === "lab-overview")!;
    const exprs = dataPanels(overview).flatMap((p) => panelQueries(p).map((t) => t.expr));
    expect(exprs).toContain('lab:comparable{scope="pool",pool=~"$pool"}');
    expect(exprs).toContain('lab:comparable{scope="node",pool=~"$pool",node=~"$node"}');
    expect(exprs).toContain('lab:comparability_gate:failed{pool=~"$pool",node=~"$node"}');
  });

  it("show unknown as its own state, with the gates that were not evaluated", () => {
    const overview = dashboards.find((d) => d.uid === "lab-overview")!;
    const unknownTable = dataPanels(overview).find((p) => panelQueries(p).some((t) => t.expr === 'lab:comparability_gate:unknown{pool=~"$pool",node=~"$node"}'));
    expect(unknownTable?.type).toBe("table");
    const verdict = dataPanels(overview).find((p) => panelQueries(p).some((t) => t.expr === 'lab:comparable{scope="node",pool=~"$pool",node=~"$node"}'))!;
    const mappings = JSON.stringify(verdict.fieldConfig);
    expect(mappings).toContain('"-1":{"text":"UNKNOWN (a gate not evaluated)","color":"grey"');
    expect(mappings).toContain('"0":{"text":"NOT comparable","color":"red"');
  });

  it("offer the model's teams on the team usage dashboard", () => {
    const teams = dashboards.find((d) => d.uid === "lab-team-usage")!.templating.list!.find((v) => v.name === "team")!;
    expect(teams.query).toBe("dst,nomos");
    expect(teams.allValue).toBe("dst|nomos");
  });

  it("substitute Grafana macros and variables into plain PromQL", () => {
    expect(substituteMacros('rate(x{node=~"$node",pool=~"${pool}"}[$__rate_interval]) / y[$__range]')).toBe('rate(x{node=~".*",pool=~".*"}[5m]) / y[1h]');
  });
});

describe("metrics used by rules and dashboards", () => {
  const recorded = recordedMetrics(ctx);

  it("are all scraped or recorded", () => {
    const problems = layerQueries(ctx).flatMap((q) => unknownMetrics(q.expr, recorded).map((m) => `${q.where}: ${m}`));
    expect(problems).toEqual([]);
  });

  it("the check catches a metric nobody scrapes or records", () => {
    expect(unknownMetrics("rate(node_cpu_seconds_total[5m]) / lab:not_recorded + frobnicator_total", recorded)).toEqual(["frobnicator_total", "lab:not_recorded"]);
  });

  it("required-metrics.ts lists exactly the scraped metrics the layer reads", () => {
    expect([...REQUIRED_SCRAPED_METRICS]).toEqual(scrapedMetricsUsed(ctx));
    expect(REQUIRED_SCRAPED_METRICS.filter((m) => !isScraped(m))).toEqual([]);
  });
});

const haveTools = requireTools("prometheus", "promtool") && requireTools("victoria-metrics", "vmalert");

describe.skipIf(!haveTools)("every dashboard query parses", () => {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-dash-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const queries = dashboards.flatMap((d) => dashboardQueries(d).map((q) => ({ where: q.where, expr: substituteMacros(q.expr) })));

  it("under promtool check rules", () => {
    expect(queries.length).toBeGreaterThan(60);
    fs.writeFileSync(path.join(dir, "queries.yaml"), queriesAsRules(queries));
    const result = promtool(["check", "rules", "queries.yaml"], dir);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.status).toBe(0);
  });

  it("under vmalert -dryRun", () => {
    fs.writeFileSync(path.join(dir, "queries.yaml"), queriesAsRules(queries));
    const result = spawnSync("vmalert", ["-dryRun", `-rule=${path.join(dir, "queries.yaml")}`], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
  });

  it("and a broken query makes the check fail", () => {
    fs.writeFileSync(path.join(dir, "broken.yaml"), queriesAsRules([...queries.slice(0, 2), { where: "broken", expr: "sum by (node (up)" }]));
    const result = promtool(["check", "rules", "broken.yaml"], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/parse error|unexpected/);
  });
});
