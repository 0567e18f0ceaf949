/**
 * The lease calendar the plan writes: Markdown and a self-contained HTML page, every config text
 * escaped; the page rendered in headless Chromium and its pixels counted (the lease bars are there).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { leaseCalendar } from "../../config/leases/calendar";
import { parseInstant } from "../../config/leases/instant";
import type { LabConfig } from "../../config/schema";
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
    expect(html).toContain("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;");
    expect(html.match(/<tr><th class="node">/g)).toHaveLength(7); // header + six nodes
    // Every row spans exactly the window's 42 days, also where a lease ends at noon.
    const rows = html.split("\n").filter((l) => l.startsWith("<tr><th class=\"node\">") && l.includes("<td"));
    for (const row of rows) expect([...row.matchAll(/colspan="(\d+)"/g)].reduce((sum, m) => sum + Number(m[1]), 0), row).toBe(42);
  });

  it.skipIf(!requireTools("chromium", "chromium"))("renders in headless Chromium: lease bars in the teams' colours over the grey home pools", () => {
    const file = path.join(dir, "calendar.html");
    fs.writeFileSync(file, renderCalendarHtml("lab", cal));
    const png = path.join(dir, "calendar.png");
    const shot = spawnSync(
      "chromium",
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", `--user-data-dir=${path.join(dir, "profile")}`,
        `--screenshot=${png}`, "--window-size=1400,700", `file://${file}`,
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(fs.existsSync(png), shot.stderr).toBe(true);
    const image = decodePng(fs.readFileSync(png));
    let blue = 0; // alpha, the first borrower in name order (#1f77b4)
    let red = 0; // beta, the second (#d62728)
    let grey = 0; // home pools (#e8ecf1)
    for (let y = 0; y < image.height; y += 2) {
      for (let x = 0; x < image.width; x += 2) {
        const [r, g, b] = image.pixel(x, y);
        if (Math.abs(r - 0x1f) < 12 && Math.abs(g - 0x77) < 12 && Math.abs(b - 0xb4) < 12) blue++;
        if (Math.abs(r - 0xd6) < 12 && Math.abs(g - 0x27) < 12 && Math.abs(b - 0x28) < 12) red++;
        if (Math.abs(r - 0xe8) < 4 && Math.abs(g - 0xec) < 4 && Math.abs(b - 0xf1) < 4) grey++;
      }
    }
    expect(blue).toBeGreaterThan(500);
    expect(red).toBeGreaterThan(500);
    expect(grey).toBeGreaterThan(5000);
    if (process.env.LAB_CALENDAR_SCREENSHOT) fs.copyFileSync(png, process.env.LAB_CALENDAR_SCREENSHOT);
  }, 150_000);
});
