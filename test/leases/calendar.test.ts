/**
 * The lease calendar the plan writes: Markdown and a self-contained HTML page, every config text
 * escaped; the page's grid drawn by the shared chart module (tools/charts) and read back from its SVG;
 * the page rendered in headless Chromium and its pixels read (the lease bars are there, at their dates).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, describe, expect, it } from "vitest";
import { leaseCalendar } from "../../config/leases/calendar";
import { parseInstant } from "../../config/leases/instant";
import type { LabConfig } from "../../config/schema";
import { PALETTE } from "../../tools/charts/charts";
import { renderCalendarHtml, renderCalendarMarkdown } from "../../tools/plan/calendar";
import { validateConfig } from "../../config/load";
import { withChanges } from "../harness/fixtures";
import { decodePng } from "../harness/png";
import { requireTools } from "../harness/tools";
import { lease, smallLab } from "./fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-calendar-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const validated = validateConfig(
  withChanges(smallLab, (c) => {
    c["lab:teams"][0].quota = { cpu: 8, memoryGiB: 32, pods: 100 };
    c["lab:nodes"].push({ name: "b2", address: "192.0.2.6", role: "agent", pool: "b", cpu: 10, memoryGiB: 40 }); // beta keeps b2
    c["lab:leases"] = [
      lease({ nodes: ["a3"], reason: "<script>alert('x')</script> | *bold* benchmark" }),
      lease({ team: "alpha", nodes: ["b1"], from: "2027-01-04T00:00:00Z", until: "2027-01-18T12:00:00Z", reason: "alpha needs b1's NIC" }),
      lease({ nodes: ["a1"], from: "2026-12-01T00:00:00Z", until: "2026-12-20T00:00:00Z", reason: "ended before the window" }),
    ];
  }),
  "lab",
);
const config = validated.config as LabConfig;
const at = parseInstant("2027-01-01T09:30:00Z")!;
const cal = leaseCalendar(config, at);

describe("lease calendar", () => {
  it("uses a valid config", () => expect(validated.problems).toEqual([]));

  it("cuts each node's row at its lease boundaries, over at least six weeks from the day of `at`", () => {
    expect(cal.start).toBe(parseInstant("2027-01-01T00:00:00Z"));
    expect(cal.end).toBe(parseInstant("2027-02-12T00:00:00Z"));
    const row = (node: string) => cal.rows.find((r) => r.node === node)!.segments.map((s) => [new Date(s.from).toISOString(), s.pool, s.teams.join(",")]);
    expect(row("a3")).toEqual([
      ["2027-01-01T00:00:00.000Z", "a", "alpha"],
      ["2027-01-11T00:00:00.000Z", "lease-beta", "beta"],
      ["2027-01-25T00:00:00.000Z", "a", "alpha"],
    ]);
    expect(row("b1")[1]).toEqual(["2027-01-04T00:00:00.000Z", "lease-alpha", "alpha"]);
    expect(row("s1")).toEqual([["2027-01-01T00:00:00.000Z", "control", ""]]);
    expect(cal.leases.map((l) => l.state)).toEqual(["upcoming", "upcoming", "ended"]);
  });

  it("writes Markdown with reasons escaped (no table break, no markup, no HTML)", () => {
    const md = renderCalendarMarkdown("lab", cal);
    expect(md).toContain("| lab:leases[1] | upcoming | alpha | b1 | 2027-01-04 | 2027-01-18 12:00:00 UTC | alpha needs b1's NIC |");
    expect(md).not.toContain("<script>");
    expect(md).toContain("&#60;script&#62;alert('x')&#60;/script&#62; &#124; &#42;bold&#42; benchmark");
  });

  it("writes a self-contained HTML page with every text escaped", () => {
    const html = renderCalendarHtml("lab", cal);
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"); // the Leases table
    expect(html).toContain("&lt;script&gt;alert('x')&lt;/script&gt;"); // the grid's text and hover titles
    const { document } = parseHTML(html);
    expect(document.querySelectorAll("script, link, img, iframe, object, embed")).toHaveLength(0);
    const grid = gridOf(html);
    // One labelled row per node, in order, with its role and home pool.
    expect(grid.labels).toEqual(cal.rows.map((r) => r.node));
    expect(grid.notes).toEqual(cal.rows.map((r) => `${r.role}, home ${r.homePool}`));
    expect(grid.rows.map((r) => r.node)).toEqual(cal.rows.map((r) => r.node));
    // Every row spans exactly the window's 42 days without gap or overlap, also where a lease ends at noon.
    const left = Math.min(...grid.rows.map((r) => r.bars[0].x));
    const right = Math.max(...grid.rows.map((r) => r.bars.at(-1)!.x + r.bars.at(-1)!.width));
    for (const row of grid.rows) {
      expect(row.bars[0].x, row.node).toBeCloseTo(left, 6);
      for (let i = 1; i < row.bars.length; i++) expect(row.bars[i].x, row.node).toBeCloseTo(row.bars[i - 1].x + row.bars[i - 1].width, 6);
      expect(row.bars.at(-1)!.x + row.bars.at(-1)!.width, row.node).toBeCloseTo(right, 6);
      expect(row.bars.map((b) => b.title), row.node).toHaveLength(cal.rows.find((r) => r.node === row.node)!.segments.length);
    }
    // b1: home until 2027-01-04, lent to alpha until 2027-01-18 12:00 (day 17.5 of 42), then home again.
    const b1 = grid.rows.find((r) => r.node === "b1")!.bars;
    expect(b1.map((b) => (b.x - left) / (right - left))).toEqual([0, 3 / 42, 17.5 / 42].map((f) => expect.closeTo(f, 9)));
  });

  it("draws the grid with the shared chart module: team colours, legend, Monday axis, hover text with dates and reason", () => {
    const html = renderCalendarHtml("lab", cal);
    const grid = gridOf(html);
    const bar = (node: string, i: number) => grid.rows.find((r) => r.node === node)!.bars[i];
    // Teams get the shared palette in name order (alpha, then beta); home pools and platform pools are grey.
    expect(bar("b1", 1)).toMatchObject({ fill: PALETTE[0], title: "b1: 2027-01-04 to 2027-01-18 12:00:00 UTC, leased to alpha (pool lease-alpha): alpha needs b1's NIC" });
    expect(bar("a3", 1)).toMatchObject({ fill: PALETTE[1], title: "a3: 2027-01-11 to 2027-01-25, leased to beta (pool lease-beta): <script>alert('x')</script> | *bold* benchmark" });
    expect(bar("a3", 0)).toMatchObject({ fill: "#e8ecf1", title: "a3: 2027-01-01 to 2027-01-11, alpha (pool a)" });
    expect(bar("s1", 0)).toMatchObject({ fill: "#f6f6f6", title: "s1: 2027-01-01 to 2027-02-12, platform (pool control)" });
    // The lease's team and reason are written inside its bar (cut to fit), the home pool inside the others.
    expect(grid.spanLabels).toContain("alpha: alpha needs b1's NIC");
    expect(grid.spanLabels.find((t) => t.startsWith("beta: <script>alert('x')</script>"))).toBeDefined();
    expect(grid.spanLabels).toContain("control (platform)");
    expect(grid.legend).toEqual(["home pool (its teams)", "platform pool (no team)", "leased to alpha", "leased to beta"]);
    // The UTC day axis is ticked on Mondays over the window (2027-01-04 is a Monday).
    expect(grid.ticks).toEqual(["Mon 01-04", "Mon 01-11", "Mon 01-18", "Mon 01-25", "Mon 02-01", "Mon 02-08"]);
    // The same input gives the same bytes.
    expect(renderCalendarHtml("lab", leaseCalendar(config, at))).toBe(html);
  });

  it("shows config text that looks like markup literally: it never closes the figure or adds elements", () => {
    const reason = "</title></text></svg></figure><b>bold</b> & <script>alert(1)</script> ]]> <!-- x";
    const hostile = validateConfig(withChanges(smallLab, (c) => { c["lab:leases"] = [lease({ nodes: ["a3"], reason })]; }), "lab");
    expect(hostile.problems).toEqual([]);
    const html = renderCalendarHtml("lab", leaseCalendar(hostile.config as LabConfig, at));
    const { document } = parseHTML(html);
    expect(document.querySelectorAll("script, b")).toHaveLength(0);
    expect(document.querySelectorAll("figure")).toHaveLength(2); // our figure and Plot's figure inside it (legend and chart)
    const grid = gridOf(html);
    expect(grid.rows.find((r) => r.node === "a3")!.bars[1].title).toBe(`a3: 2027-01-11 to 2027-01-25, leased to beta (pool lease-beta): ${reason}`);
    expect(grid.spanLabels.some((t) => t.startsWith("beta: </title></text></svg>"))).toBe(true);
    expect([...document.querySelectorAll("table.list td")].map((td) => td.textContent)).toContain(reason);
  });

  it.skipIf(!requireTools("chromium", "chromium"))("renders in headless Chromium: lease bars in the teams' colours over the grey home pools, at their dates", () => {
    const file = path.join(dir, "calendar.html");
    fs.writeFileSync(file, renderCalendarHtml("lab", cal));
    const png = path.join(dir, "calendar.png");
    const shot = chromium(`--screenshot=${png}`, "--window-size=1400,900", `file://${file}`);
    expect(fs.existsSync(png), shot.stderr).toBe(true);
    const image = decodePng(fs.readFileSync(png));
    const near = (x: number, y: number, hex: string, tolerance: number) => {
      const [r, g, b] = image.pixel(x, y);
      return [r, g, b].every((c, i) => Math.abs(c - parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16)) < tolerance);
    };
    const alpha = PALETTE[0]; // the first borrower in name order
    const beta = PALETTE[1]; // the second
    const grey = "#e8ecf1"; // home pools
    let [blue, orange, greys] = [0, 0, 0];
    for (let y = 0; y < image.height; y += 2) {
      for (let x = 0; x < image.width; x += 2) {
        if (near(x, y, alpha, 12)) blue++;
        if (near(x, y, beta, 12)) orange++;
        if (near(x, y, grey, 4)) greys++;
      }
    }
    expect(blue).toBeGreaterThan(500);
    expect(orange).toBeGreaterThan(500);
    expect(greys).toBeGreaterThan(5000);
    // Each lease bar lies in its node's row at its dates: on the pixel rows where the bar is widest, the
    // grey home pool runs from the window's start to the bar and from the bar to the window's end.
    const barAt = (hex: string) => {
      let best = { y: -1, x0: 0, x1: -1 };
      for (let y = 0; y < image.height; y++) {
        let x0 = -1;
        for (let x = 0; x <= image.width; x++) {
          const inside = x < image.width && near(x, y, hex, 12);
          if (inside && x0 < 0) x0 = x;
          if (!inside && x0 >= 0) {
            if (x - 1 - x0 > best.x1 - best.x0) best = { y, x0, x1: x - 1 };
            x0 = -1;
          }
        }
      }
      const greyRun = (from: number, step: number) => {
        let x = from;
        while (x + step >= 0 && x + step < image.width && !near(x + step, best.y, grey, 4) && Math.abs(x - from) < 4) x += step; // the white outline between bars
        while (x + step >= 0 && x + step < image.width && near(x + step, best.y, grey, 4)) x += step;
        return x;
      };
      return { ...best, start: greyRun(best.x0, -1), end: greyRun(best.x1, 1) };
    };
    const a3 = barAt(beta); // 2027-01-11 to 2027-01-25 of 2027-01-01 to 2027-02-12
    const b1 = barAt(alpha); // 2027-01-04 to 2027-01-18 12:00
    for (const [bar, from, until] of [[a3, 10, 24], [b1, 3, 17.5]] as const) {
      const width = bar.end - bar.start;
      expect(width).toBeGreaterThan(600);
      expect((bar.x0 - bar.start) / width).toBeCloseTo(from / 42, 2);
      expect((bar.x1 + 1 - bar.start) / width).toBeCloseTo(until / 42, 2);
    }
    expect(b1.start).toBe(a3.start); // one time axis for every row
    expect(Math.sign(b1.y - a3.y)).toBe(Math.sign(cal.rows.findIndex((r) => r.node === "b1") - cal.rows.findIndex((r) => r.node === "a3")));
    if (process.env.LAB_CALENDAR_SCREENSHOT) fs.copyFileSync(png, process.env.LAB_CALENDAR_SCREENSHOT);
  }, 150_000);

  it.skipIf(!requireTools("chromium", "chromium") || !requireTools("poppler-utils", "pdftotext"))("prints a large lab without splitting a figure: each figure's heading and all its nodes on one page, no blank page", () => {
    const large = validateConfig(
      withChanges(smallLab, (c) => {
        for (let i = 0; i < 25; i++) c["lab:nodes"].push({ name: `x${String(i).padStart(2, "0")}`, address: `192.0.2.${20 + i}`, role: "agent", pool: i % 2 ? "a" : "b", cpu: 8, memoryGiB: 32 });
        c["lab:leases"] = [lease({ nodes: ["x03"], reason: "printed" })];
      }),
      "lab",
    );
    expect(large.problems).toEqual([]);
    const largeCal = leaseCalendar(large.config as LabConfig, at);
    expect(largeCal.rows).toHaveLength(30);
    const file = path.join(dir, "large.html");
    fs.writeFileSync(file, renderCalendarHtml("lab", largeCal));
    const pdf = path.join(dir, "large.pdf");
    const print = chromium("--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${file}`);
    expect(fs.existsSync(pdf), print.stderr).toBe(true);
    const pageCount = fs.readFileSync(pdf).toString("latin1").match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
    const pages = Array.from({ length: pageCount }, (_, p) =>
      spawnSync("pdftotext", ["-layout", "-f", String(p + 1), "-l", String(p + 1), pdf, "-"], { encoding: "utf8", timeout: 30_000 }).stdout,
    );
    const onPages = (text: string | RegExp) => pages.flatMap((page, p) => (typeof text === "string" ? page.includes(text) : text.test(page)) ? [p] : []);
    for (const [p, page] of pages.entries()) expect(page.trim(), `page ${p + 1} is blank`).not.toBe("");
    const headings = [...pages.join("\n").matchAll(/Who has each node when: nodes (\d+) to (\d+) of 30/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(headings.length).toBeGreaterThan(1);
    expect(headings[0][0]).toBe(1);
    expect(headings.at(-1)![1]).toBe(30);
    for (const [first, last] of headings) {
      const page = onPages(`nodes ${first} to ${last} of 30`);
      expect(page).toHaveLength(1);
      for (const row of largeCal.rows.slice(first - 1, last)) expect(onPages(new RegExp(`^\\s*${row.node}\\s*$`, "m")), `${row.node} with its figure's heading`).toEqual(page);
    }
    expect(pageCount).toBeLessThanOrEqual(headings.length + 1); // figures and the Leases table, no page of leftovers
  }, 150_000);
});

/** Headless Chromium, offline, with its own profile in the test's directory. */
function chromium(...args: string[]) {
  return spawnSync(
    "chromium",
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${path.join(dir, "profile")}`, ...args,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
}

interface GridBar {
  readonly x: number;
  readonly width: number;
  readonly fill: string;
  readonly title: string;
}

/** The calendar's chart read back from its HTML: row labels and notes, bars per row (by y, left to right), span labels, legend, axis ticks. */
function gridOf(html: string) {
  const { document } = parseHTML(html);
  const texts = (description: string) => [...document.querySelectorAll(`g[aria-description="${description}"] text`)].map((t) => t.textContent ?? "");
  const byY = new Map<string, GridBar[]>();
  for (const rect of document.querySelectorAll('g[aria-description="span"] rect')) {
    const y = rect.getAttribute("y")!;
    byY.set(y, [...(byY.get(y) ?? []), { x: Number(rect.getAttribute("x")), width: Number(rect.getAttribute("width")), fill: rect.getAttribute("fill")!, title: rect.querySelector("title")?.textContent ?? "" }]);
  }
  const rows = [...byY.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, bars]) => ({ node: bars[0].title.slice(0, bars[0].title.indexOf(":")), bars: bars.sort((a, b) => a.x - b.x) }));
  return {
    labels: texts("row label"),
    notes: texts("row note"),
    rows,
    spanLabels: texts("span label"),
    legend: [...document.querySelectorAll("figure figure div span")].map((s) => s.textContent ?? ""),
    ticks: [...document.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent ?? ""),
  };
}
