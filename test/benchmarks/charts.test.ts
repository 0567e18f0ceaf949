/**
 * The shared chart module (tools/charts): static, self-contained figures from Observable Plot on
 * linkedom, one mark per datum, deterministic, escaped, no scripts.
 */
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { barChart, dotChart, intervalChart, PALETTE, timeSeriesChart } from "../../tools/charts/charts";
import { escapeHtml, htmlDocument } from "../../tools/charts/html";
import { flattenSpans, timelineChart } from "../../tools/charts/timeline";

function parse(figure: string) {
  return parseHTML(`<!DOCTYPE html><html><body>${figure}</body></html>`).document;
}

describe("charts", () => {
  it("time series: one line per series, dashed references, UTC time axis, deterministic", () => {
    const options = {
      title: "Throughput <b>",
      yLabel: "Gbit/s",
      series: [
        { label: "node-02", points: [[1_700_000_000, 9.1], [1_700_003_600, 9.3], [1_700_007_200, 9.2]] as [number, number][] },
        { label: "node-03", points: [[1_700_000_000, 8.1], [1_700_003_600, Number.NaN], [1_700_007_200, 8.2]] as [number, number][] },
      ],
      references: [{ label: "baseline", value: 9 }],
    };
    const svg = timeSeriesChart(options);
    expect(svg).toBe(timeSeriesChart(options));
    const doc = parse(svg);
    expect(doc.querySelector("h3")!.textContent).toBe("Throughput <b>");
    expect(svg).toContain("Throughput &lt;b&gt;");
    expect(doc.querySelectorAll('svg g[aria-label="line"] path').length).toBe(2);
    expect(doc.querySelectorAll('[stroke-dasharray="6 4"]').length).toBeGreaterThanOrEqual(1);
    expect(svg).not.toMatch(/<script|<link|src=|url\(/i);
  });

  it("time series without data says so", () => {
    expect(parse(timeSeriesChart({ title: "empty", yLabel: "x", series: [] })).body.textContent).toContain("no data");
  });

  it("interval chart: a dot and an interval per row, reference line, fixed colours per group, log scale", () => {
    const svg = intervalChart({
      title: "B/A",
      xLabel: "B / A",
      reference: 1,
      log: true,
      colors: { better: "#1b7837", same: "#777777" },
      rows: [
        { label: "tcp", value: 1.1, low: 1.05, high: 1.15, group: "better" },
        { label: "udp", value: 0.99, low: 0.95, high: 1.03, group: "same" },
        { label: "dns", value: 1.0, low: Number.NaN, high: Number.NaN, group: "same" },
      ],
    });
    const doc = parse(svg);
    expect(doc.querySelectorAll("svg circle").length).toBe(3);
    // Intervals only where both ends are known.
    expect(doc.querySelectorAll('svg g[aria-label="link"] path').length).toBe(2);
    expect(svg).toContain('fill="#1b7837"');
    expect(svg).toContain('fill="#777777"');
    expect(doc.querySelectorAll('svg g[aria-label="rule"] line').length).toBeGreaterThanOrEqual(1);
  });

  it("dot chart: every observation, one line per row and group, coloured by group from the palette", () => {
    const rows = [1, 2, 3].flatMap((v) => [
      { label: "tcp", group: "A", value: v },
      { label: "tcp", group: "B", value: v + 0.5 },
    ]);
    const doc = parse(dotChart({ title: "reps", xLabel: "Gbit/s", rows }));
    expect(doc.querySelectorAll("svg circle").length).toBe(6);
    const fills = new Set([...doc.querySelectorAll("svg circle")].map((c) => c.getAttribute("fill")));
    expect(fills).toEqual(new Set([PALETTE[0], PALETTE[1]]));
    expect(doc.body.textContent).toContain("tcp · A");
  });

  it("bar chart: one bar per row", () => {
    const doc = parse(barChart({ title: "overhead", xLabel: "%", bars: [{ label: "a", value: 20 }, { label: "b", value: 5 }, { label: "c", value: 12 }] }));
    expect(doc.querySelectorAll('svg g[aria-label="bar"] rect').length).toBe(3);
  });

  it("timeline: disjoint bands per row (later spans win), short spans widened, detail rows, day axis, legend of the states", () => {
    const day = 86400;
    const start = 1_778_457_600; // 2026-05-11 00:00 UTC, a Monday
    const end = start + 7 * day;
    const states = { ok: "#66bb6a", failed: "#d32f2f", unknown: "#8d8d8d" };
    const options = {
      title: "gates <week>",
      range: [start, end] as const,
      states,
      rows: [
        { label: "node-03", spans: [{ from: start, to: end, state: "ok" }, { from: start + day, to: start + 2 * day, state: "unknown" }, { from: start + 1.5 * day, to: start + 3 * day, state: "failed" }] },
        { label: "clock", detail: true, spans: [{ from: start, to: end, state: "ok" }, { from: start + 4 * day, to: start + 4 * day + 600, state: "failed" }] },
        { label: "clock", detail: true, spans: [{ from: start - day, to: start + 600, state: "failed" }] },
      ],
    };
    const svg = timelineChart(options);
    expect(svg).toBe(timelineChart(options));
    expect(svg).toContain("gates &lt;week&gt;");
    expect(svg).not.toMatch(/<script|<link|src=|url\(/i);
    const doc = parse(svg);
    const rects = [...doc.querySelectorAll('svg g[aria-label="bar"] rect')].map((r) => ({
      y: r.getAttribute("y"),
      x: Number(r.getAttribute("x")),
      w: Number(r.getAttribute("width")),
      fill: r.getAttribute("fill"),
      opacity: r.getAttribute("fill-opacity"),
    }));
    // Row 1: ok, unknown, failed, ok; row 2: ok, failed (10 min in a week, widened), ok; row 3: failed clipped to the range.
    expect(rects.map((r) => r.fill)).toEqual([states.ok, states.unknown, states.failed, states.ok, states.ok, states.failed, states.ok, states.failed]);
    for (const y of new Set(rects.map((r) => r.y))) {
      const row = rects.filter((r) => r.y === y).sort((a, b) => a.x - b.x);
      for (let i = 1; i < row.length; i++) expect(row[i].x, `row at y=${y}`).toBeGreaterThanOrEqual(row[i - 1].x + row[i - 1].w - 0.01);
    }
    expect(rects[5].w).toBeGreaterThanOrEqual(1.5); // 0.2% of the plot width, not 0.1%
    expect(rects.slice(4).every((r) => r.opacity !== null && Number(r.opacity) < 1)).toBe(true);
    expect(rects.slice(0, 4).every((r) => r.opacity === null || Number(r.opacity) === 1)).toBe(true);
    // Labels: rows bold, detail rows indented under them; identical labels stay separate rows; one tick per day.
    const labels = [...doc.querySelectorAll('svg g[aria-label="text"]')].map((g) => ({
      bold: g.getAttribute("font-weight") === "bold",
      shift: Number(/translate\((-?[\d.]+)/.exec(g.getAttribute("transform") ?? "")?.[1]),
      texts: [...g.querySelectorAll("text")].map((t) => t.textContent),
    }));
    expect(labels.map((l) => [l.bold, l.texts])).toEqual([
      [true, ["node-03"]],
      [false, ["clock", "clock"]],
    ]);
    expect(labels[1].shift - labels[0].shift).toBeGreaterThanOrEqual(12);
    expect(doc.body.textContent).toContain("Mon 05-11");
    expect(doc.body.textContent).toContain("Sun 05-17");
    expect(doc.body.textContent).toMatch(/ok[\s\S]*failed[\s\S]*unknown/);
    expect(() => timelineChart({ ...options, rows: [{ label: "x", spans: [{ from: start, to: end, state: "nope" }] }] })).toThrow(/row "x": unknown state "nope"/);
  });

  it("timeline spans flatten to disjoint, merged pieces where the later span wins", () => {
    const spans = [
      { from: 0, to: 100, state: "ok" },
      { from: 20, to: 40, state: "bad" },
      { from: 30, to: 60, state: "grey" },
      { from: 60, to: 70, state: "ok" },
    ];
    expect(flattenSpans(spans, 10, 90)).toEqual([
      { from: 10, to: 20, state: "ok" },
      { from: 20, to: 30, state: "bad" },
      { from: 30, to: 60, state: "grey" },
      { from: 60, to: 90, state: "ok" },
    ]);
    expect(flattenSpans([{ from: 50, to: 60, state: "x" }], 0, 100)).toEqual([{ from: 50, to: 60, state: "x" }]);
  });

  it("timeline spans keep their label and hover text; touching spans that read differently stay apart", () => {
    const spans = [
      { from: 0, to: 100, state: "home", label: "pool a", title: "home" },
      { from: 40, to: 60, state: "lease", label: "team: reason", title: "lease 1" },
      { from: 60, to: 80, state: "lease", label: "team: reason", title: "lease 2" },
    ];
    expect(flattenSpans(spans, 0, 100)).toEqual([
      { from: 0, to: 40, state: "home", label: "pool a", title: "home" },
      { from: 40, to: 60, state: "lease", label: "team: reason", title: "lease 1" },
      { from: 60, to: 80, state: "lease", label: "team: reason", title: "lease 2" },
      { from: 80, to: 100, state: "home", label: "pool a", title: "home" },
    ]);
  });

  it("timeline with annotated spans: labels inside bars cut to fit, readable text colour, hover titles, row notes, Monday axis past three weeks", () => {
    const day = 86400;
    const start = 1_798_761_600; // 2027-01-01 00:00 UTC, a Friday
    const end = start + 42 * day;
    const states = { home: "#e8ecf1", dark: PALETTE[0], light: PALETTE[6] };
    const long = "a label far longer than one day of a six-week axis could ever hold";
    const svg = timelineChart({
      title: "who has it",
      range: [start, end],
      states,
      rows: [
        { label: "node-1", note: "agent, home a", spans: [{ from: start, to: end, state: "home", label: "a (alpha)", title: "node-1 home" }] },
        {
          label: "node-2",
          note: "agent, home b",
          spans: [
            { from: start, to: start + 5 * day, state: "home", label: long, title: "five days" },
            { from: start + 5 * day, to: start + 8 * day, state: "dark", label: "x".repeat(400), title: "dark <b>" },
            { from: start + 10 * day, to: start + 10 * day + 600, state: "light", label: "too narrow for any text" },
            { from: start + 20 * day, to: end, state: "light", label: "lent to beta: NIC tests" },
          ],
        },
      ],
    });
    const doc = parse(svg);
    const group = (description: string) => [...doc.querySelectorAll(`g[aria-description="${description}"]`)];
    const bars = [...doc.querySelectorAll('g[aria-description="span"] rect')];
    expect(bars.map((r) => r.querySelector("title")?.textContent ?? null)).toEqual(["node-1 home", "five days", "dark <b>", null, null]); // spans without a title get none
    expect(doc.querySelectorAll("b")).toHaveLength(0);
    // White bold text on the dark fill, near-black on the light ones.
    const [onDark, onLight] = group("span label");
    expect([onDark.getAttribute("fill"), onDark.getAttribute("font-weight"), onLight.getAttribute("fill")]).toEqual(["#fff", "bold", "#222"]);
    const darkTexts = [...onDark.querySelectorAll("text")].map((t) => t.textContent ?? "");
    const lightTexts = [...onLight.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(lightTexts).toEqual(["a (alpha)", expect.stringMatching(/…$/), "lent to beta: NIC tests"]); // node-1's whole window, node-2's first five days cut, its last 22 days whole
    expect(lightTexts[1].length).toBeLessThan(20); // five days of 42 on an 850-pixel axis: ~100 px
    expect(long.startsWith(lightTexts[1].slice(0, -1))).toBe(true);
    expect(darkTexts).toHaveLength(1);
    expect(darkTexts[0]).toMatch(/^x+…$/);
    expect(darkTexts[0].length).toBeLessThan(12); // three days of 42 on an 850-pixel axis: ~60 px
    expect(lightTexts.join("")).not.toContain("too narrow");
    expect([...group("row label")[0].querySelectorAll("text")].map((t) => t.textContent)).toEqual(["node-1", "node-2"]);
    expect([...group("row note")[0].querySelectorAll("text")].map((t) => t.textContent)).toEqual(["agent, home a", "agent, home b"]);
    // Six weeks: one tick per Monday (a tick per day would overlap).
    expect([...doc.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(["Mon 01-04", "Mon 01-11", "Mon 01-18", "Mon 01-25", "Mon 02-01", "Mon 02-08"]);
  });

  it("pages: escaped title, inline print CSS, nothing external", () => {
    const page = htmlDocument("<x> & y", "<p>body</p>");
    expect(page).toContain("<title>&lt;x&gt; &amp; y</title>");
    expect(page).toContain("@media print");
    expect(page).not.toMatch(/<script|<link|src=|url\(/i);
    expect(escapeHtml(`"'<>&`)).toBe("&quot;&#39;&lt;&gt;&amp;");
  });
});
