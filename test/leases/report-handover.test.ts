/**
 * The weekly report with a handover in the middle of the week, against a real VictoriaMetrics:
 * node-02 leaves pool experiments for nomos's lease pool on Wednesday 12:00 UTC. The `assignment`
 * gate marks it not comparable across the handover, with the time, in the Markdown and on the
 * HTML timeline; node-02 had no other fault, and node-06 (another pool) gets no assignment failure.
 */
import * as fs from "node:fs";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthContext } from "../../components/health/context";
import { loadLabModel } from "../../config/load";
import { buildWeekReport, type WeekReport } from "../../tools/report/evaluate";
import { parseIsoWeek } from "../../tools/report/iso-week";
import { renderHtml, renderMarkdown } from "../../tools/report/render";
import { vmClient } from "../../tools/report/vm-client";
import { EXAMPLE_STACK } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { startVictoriaMetrics, type VictoriaMetrics } from "../harness/victoria-metrics";
import { STEP, syntheticWeeks } from "../report/synthetic-weeks";

const haveTools = requireTools("victoria-metrics", "victoria-metrics");
const BASELINE = parseIsoWeek("2026-W19");
const WEEK = parseIsoWeek("2026-W20");
/** Wednesday 12:00 UTC of the week. */
const HANDOVER = WEEK.start + 2 * 86400 + 12 * 3600;

/** The synthetic weeks with node-02's pool label changing at HANDOVER (the old series' last sample 6 minutes before: imported data carries no staleness marker). */
function withHandover(lines: string[]): string[] {
  return lines.flatMap((text) => {
    const l = JSON.parse(text);
    if (l.metric.__name__ !== "kube_node_labels" || l.metric.node !== "node-02") return [text];
    const keep = (pred: (t: number) => boolean) => {
      const idx = l.timestamps.map((t: number, i: number) => (pred(t / 1000) ? i : -1)).filter((i: number) => i >= 0);
      return { timestamps: idx.map((i: number) => l.timestamps[i]), values: idx.map((i: number) => l.values[i]) };
    };
    return [
      JSON.stringify({ metric: l.metric, ...keep((t) => t <= HANDOVER - 3 * STEP) }),
      JSON.stringify({ metric: { ...l.metric, label_lab_vac_dev_pool: "lease-nomos", label_lab_vac_dev_lease_team: "nomos" }, ...keep((t) => t >= HANDOVER) }),
    ];
  });
}

describe.skipIf(!haveTools)("weekly report with a mid-week handover (VictoriaMetrics)", () => {
  let vm: VictoriaMetrics;
  let report: WeekReport;

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    await vm.importLines(withHandover(syntheticWeeks(BASELINE, WEEK)));
    const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: any };
    const raw = Object.fromEntries(Object.entries(doc.config)) as Record<string, any>;
    raw["lab:nodes"] = raw["lab:nodes"].filter((n: { name: string }) => ["node-01", "node-02", "node-03", "node-06"].includes(n.name));
    raw["lab:teams"][0].quota = { cpu: 40, memoryGiB: 160 };
    raw["lab:teams"][1].quota = { cpu: 30, memoryGiB: 120, pods: 300 };
    raw["lab:leases"] = [{ team: "nomos", nodes: ["node-02"], from: "2026-05-13T12:00:00Z", until: "2026-05-27T00:00:00Z", reason: "benchmark" }];
    const model = loadLabModel(raw, "report");
    report = await buildWeekReport(vmClient(vm.url), healthContext(model), model, WEEK, BASELINE, vm.url);
  }, 200_000);

  afterAll(async () => {
    await vm?.stop();
  });

  it("marks the handed-over node not comparable for the assignment gate, at the handover", () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/\| node-02 \| NOT comparable \| assignment \| none \| clean \|/);
    // Evaluations every 10 minutes, each over the 10 minutes before it: the one at 12:00 sees both pools.
    expect(md).toContain("- 2026-W20: **assignment**: 2026-05-13 11:50 – 12:00 UTC (10m)");
    // node-06 is unaffected by the handover; it skips calibration in the synthetic weeks (unknown, not failed).
    expect(md).toContain("| node-06 | UNKNOWN | none | calibration | clean |");
  });

  it("shows the handover on the pool's timeline in the HTML", () => {
    const html = renderHtml(report);
    expect(html).toMatch(/<text [^>]*>handover \(assignment\)<\/text>/);
  });
});
