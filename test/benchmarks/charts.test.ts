/**
 * The shared chart module (tools/charts): static, self-contained figures from Observable Plot on
 * linkedom, one mark per datum, deterministic, escaped, no scripts.
 */
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { barChart, dotChart, intervalChart, PALETTE, timeSeriesChart } from "../../tools/charts/charts";
import { escapeHtml, htmlDocument } from "../../tools/charts/html";

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

  it("pages: escaped title, inline print CSS, nothing external", () => {
    const page = htmlDocument("<x> & y", "<p>body</p>");
    expect(page).toContain("<title>&lt;x&gt; &amp; y</title>");
    expect(page).toContain("@media print");
    expect(page).not.toMatch(/<script|<link|src=|url\(/i);
    expect(escapeHtml(`"'<>&`)).toBe("&quot;&#39;&lt;&gt;&amp;");
  });
});
