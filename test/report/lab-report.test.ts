/**
 * The weekly report against a real VictoriaMetrics on loopback, loaded with two synthetic weeks: the
 * verdicts name exactly node-03 (clock skew and a bandwidth drop, with the right times) and its pool,
 * and the HTML renders in headless Chromium to a non-blank screenshot.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_STACK } from "../harness/fixtures";
import { screenshot } from "../harness/chromium";
import { runTool } from "../harness/run-process";
import { requireTools } from "../harness/tools";
import { startVictoriaMetrics, type VictoriaMetrics } from "../harness/victoria-metrics";
import { parseIsoWeek } from "../../tools/report/iso-week";
import { faultsIn, syntheticWeeks } from "./synthetic-weeks";

const haveTools = requireTools("victoria-metrics", "victoria-metrics") && requireTools("chromium", "chromium");

const BASELINE = parseIsoWeek("2026-W19");
const WEEK = parseIsoWeek("2026-W20");

/** A small lab shaped like the example: one control node, two experiment nodes, one nomos node. */
function writeStack(dir: string): string {
  const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: any };
  const keep = ["node-01", "node-02", "node-03", "node-06"];
  doc.config["lab:nodes"] = doc.config["lab:nodes"].filter((n: { name: string }) => keep.includes(n.name));
  doc.config["lab:teams"][0].quota = { cpu: 40, memoryGiB: 160 };
  doc.config["lab:teams"][1].quota = { cpu: 30, memoryGiB: 120, pods: 300 };
  delete doc.config["lab:leases"]; // it lends node-04, which this small lab leaves out
  const file = path.join(dir, "Pulumi.report.yaml");
  fs.writeFileSync(file, yaml.dump(doc));
  return file;
}


describe.skipIf(!haveTools)("npm run lab-report against VictoriaMetrics", () => {
  let vm: VictoriaMetrics;
  let dir = "";
  let out = "";
  let cli: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-report-"));
    out = path.join(dir, "out");
    vm = await startVictoriaMetrics();
    await vm.importLines(syntheticWeeks(BASELINE, WEEK));
    cli = await runTool("lab-report", ["--vm-url", vm.url, "--week", WEEK.label, "--out", out, "--config-file", writeStack(dir)], 240_000);
  }, 300_000);

  afterAll(async () => {
    await vm?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes report.md and report.html and says which pool is not comparable", () => {
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain("2026-W20 vs 2026-W19: NOT comparable: experiments; UNKNOWN: nomos");
    expect(fs.existsSync(path.join(out, "report.md"))).toBe(true);
    expect(fs.existsSync(path.join(out, "report.html"))).toBe(true);
  });

  it("gives the right verdict per pool and node, three states (baseline defaults to the week before)", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).toContain("# Lab comparability: 2026-W20 vs baseline 2026-W19");
    expect(md).toContain("| control | comparable | – |");
    expect(md).toContain("| experiments | NOT comparable | node-03 (NOT comparable) |");
    // node-06 skipped its calibration: nothing failed, but the gate could not be evaluated.
    expect(md).toContain("| nomos | UNKNOWN | node-06 (UNKNOWN) |");
    expect(md).toContain("| node-02 | comparable | none | none | clean |");
    expect(md).toContain("| node-03 | NOT comparable | clock, calibration | none | clean |");
    expect(md).toContain("| node-06 | UNKNOWN | none | calibration | clean |");
  });

  it("says when the gates failed: the skew window and the bandwidth drop until the week's end", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    const faults = faultsIn(WEEK);
    expect(new Date(faults.skew.from * 1000).toISOString()).toBe("2026-05-13T10:00:00.000Z");
    // Each evaluation covers the 10 minutes before it: the skew at [10:00, 13:00) fails 09:50-13:00.
    expect(md).toContain("- 2026-W20: **clock**: 2026-05-13 09:50 – 13:00 UTC (3h 10m)");
    expect(md).toContain("- 2026-W20: **calibration**: 2026-05-14 02:00 – 2026-05-18 00:00 UTC (94h)");
    // node-06's Friday 02:10 run was skipped: unknown from that run on (issue 21), not 27 h later as long as old results stay in the textfile.
    expect(md).toContain("- 2026-W20: **calibration** not evaluated: 2026-05-15 02:00 – 2026-05-18 00:00 UTC (70h)");
    expect(md).not.toMatch(/\*\*(?!clock|calibration)\w+\*\*/);
  });

  it("renders the HTML self-contained, and headless Chromium draws it (non-blank, with the red failures)", async () => {
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    // Unknown is its own state: a grey chip, and the gate that was not evaluated on the timeline.
    expect(html).toContain('<span class="chip unknown">UNKNOWN</span>');
    expect(html).toContain("calibration (not evaluated)");
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
    // Charts come from the shared chart module: each is a titled figure; each gate timeline carries a
    // legend of its states and never draws two states over the same time of a row (red over green).
    expect(html).toContain("@media print");
    const { document } = parseHTML(html);
    const timelines = [...document.querySelectorAll("figure")].filter((f) => /gates over/.test(f.querySelector("h3")?.textContent ?? ""));
    expect(timelines.length).toBe(3);
    for (const figure of timelines) {
      for (const state of ["comparable", "failed", "not evaluated", "no data"]) expect(figure.textContent).toContain(state);
      const rects = [...figure.querySelectorAll('g[aria-label="bar"] rect')].map((r) => ({ y: r.getAttribute("y"), x: Number(r.getAttribute("x")), w: Number(r.getAttribute("width")) }));
      expect(rects.length).toBeGreaterThan(0);
      for (const y of new Set(rects.map((r) => r.y))) {
        const row = rects.filter((r) => r.y === y).sort((a, b) => a.x - b.x);
        for (let i = 1; i < row.length; i++) expect(row[i].x).toBeGreaterThanOrEqual(row[i - 1].x + row[i - 1].w - 0.01);
      }
    }
    const png = path.join(dir, "report.png");
    const image = await screenshot(path.join(out, "report.html"), png, 1280, 2000);
    expect([image.width, image.height]).toEqual([1280, 2000]);
    let ink = 0;
    let red = 0;
    let green = 0;
    for (let y = 0; y < image.height; y += 2) {
      for (let x = 0; x < image.width; x += 2) {
        const [r, g, b] = image.pixel(x, y);
        if (r < 245 || g < 245 || b < 245) ink++;
        if (r > 180 && g < 80 && b < 80) red++;
        if (g > 180 && r < 190 && b < 190 && g - r > 20) green++;
      }
    }
    const sampled = (image.width / 2) * (image.height / 2);
    expect(ink / sampled).toBeGreaterThan(0.05);
    expect(red).toBeGreaterThan(50); // node-03's failed gates on the timeline
    expect(green).toBeGreaterThan(500); // comparable nodes
    if (process.env.LAB_REPORT_SCREENSHOT) fs.copyFileSync(png, process.env.LAB_REPORT_SCREENSHOT);
  }, 180_000);
});
