/**
 * `npm run stack-report` against a real VictoriaMetrics on loopback loaded with two synthetic runs
 * whose differences are known: the report finds exactly those (in the right direction), says
 * "no detectable difference" for almost everything else, writes Markdown and self-contained HTML,
 * and headless Chromium draws the HTML.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importLines } from "../../tools/bench/vm";
import { EXAMPLE_CHANGES, syntheticRun } from "../../tools/bench/synthetic";
import { screenshot } from "../harness/chromium";
import { runTool } from "../harness/run-process";
import { requireTools } from "../harness/tools";
import { startVictoriaMetrics, type VictoriaMetrics } from "../harness/victoria-metrics";

const haveTools = requireTools("victoria-metrics", "victoria-metrics") && requireTools("chromium", "chromium");

const START = Date.parse("2026-11-20T10:00:00Z");

const run = (args: string[], timeoutMs = 120_000) => runTool("stack-report", args, timeoutMs);

describe.skipIf(!haveTools)("npm run stack-report against VictoriaMetrics", () => {
  let vm: VictoriaMetrics;
  let dir = "";
  let out = "";
  let cli: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-stack-report-"));
    out = path.join(dir, "out");
    vm = await startVictoriaMetrics();
    await vm.importLines([
      ...importLines("ovn-geneve", { stack: "kube-ovn-1.14", tunnel: "geneve" }, syntheticRun(1, 10, START)),
      ...importLines("ovn-vxlan", { stack: "kube-ovn-1.14", tunnel: "vxlan" }, syntheticRun(2, 10, START + 86_400_000, EXAMPLE_CHANGES)),
      // A third run that must not leak into the comparison.
      ...importLines("other", { stack: "x" }, syntheticRun(3, 5, START, { 'lab_bench_dns_lookup_latency_seconds{quantile="0.5"}': 3 })),
    ]);
    cli = await run(["--vm-url", vm.url, "--a", "ovn-geneve", "--b", "ovn-vxlan", "--out", out]);
  }, 180_000);

  afterAll(async () => {
    await vm?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes report.md and report.html and summarises the verdicts", () => {
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^ovn-geneve vs ovn-vxlan: \d+ better, \d+ worse, \d+ no detectable difference -> /);
    expect(cli.stderr).toContain("reading runs: done in");
  });

  it("finds the known changes, in the right direction, with their ratios inside the interval", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).toContain("- A: ovn-geneve (stack=kube-ovn-1.14, tunnel=geneve)");
    expect(md).toContain("- B: ovn-vxlan (stack=kube-ovn-1.14, tunnel=vxlan)");
    const row = (title: string) => md.split("\n").find((l) => l.startsWith(`| ${title} |`));
    const tcp = row("TCP throughput · pod network, cross-node, 1 stream")!;
    expect(tcp).toContain("| B better |");
    const [low, high] = /\| (\d\.\d{3}) – (\d\.\d{3}) \|/.exec(tcp)!.slice(1).map(Number);
    expect(low).toBeLessThan(1.12);
    expect(high).toBeGreaterThan(1.12);
    expect(low).toBeGreaterThan(1);
    // Lower latency is better; a QoS ratio nearer 1 is better.
    expect(row("Request/response latency · pod network, cross-node, p50")).toContain("| B better |");
    expect(row("QoS accuracy · limit 100 Mbit/s")).toContain("| B better |");
    expect(row("QoS accuracy · limit 100 Mbit/s")).toContain("| closer to 1 |");
    // Units are readable: bytes per second with SI prefixes, latency in µs, pod start in seconds.
    expect(tcp).toMatch(/\| \d\.\d\d G?B\/s \|/);
    expect(row("Request/response latency · pod network, same-node, p50")).toMatch(/µs/);
    expect(row("Pod start latency · vaclab-scheduler, p50")).toMatch(/\| \d\.\d\d s \|/);
  });

  it("says 'no detectable difference' for nearly every unchanged series (false positives at about the 5% rate)", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    const rows = md.split("\n").filter((l) => /^\| (?!Measurement|---)/.test(l) && !l.includes("%"));
    const results = rows.filter((l) => / \| (B better|B worse|no detectable difference) \| /.test(l));
    expect(results.length).toBe(30); // 4 pairs × 5 + mesh 3 + QoS 1 + pod start 4 + DNS 2
    const changed = ["TCP throughput · pod network, cross-node, 1 stream", "Request/response latency · pod network, cross-node, p50", "QoS accuracy · limit 100 Mbit/s"];
    const unchanged = results.filter((l) => !changed.some((c) => l.startsWith(`| ${c} |`)));
    const falsePositives = unchanged.filter((l) => !l.includes("| no detectable difference |"));
    console.log(`unchanged series with a verdict other than "no detectable difference": ${falsePositives.length}/${unchanged.length}`);
    expect(falsePositives.length).toBeLessThanOrEqual(4);
    // The third run's tripled DNS latency did not leak in.
    expect(md.split("\n").find((l) => l.startsWith("| Cluster DNS lookup latency · p50 |"))).not.toContain("B worse");
  });

  it("reports the pod network overhead per run", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).toContain("## Pod network overhead against the host network");
    const cross = md.split("\n").find((l) => l.startsWith("| Pod network overhead · cross-node, tcp 1 stream |"))!;
    const [a, b] = [...cross.matchAll(/(-?\d+\.\d) %/g)].map((m) => Number(m[1]));
    expect(a).toBeGreaterThan(15); // 20% by construction
    expect(a).toBeLessThan(25);
    expect(b).toBeLessThan(a); // B's pod network got faster
  });

  it("writes self-contained HTML that headless Chromium draws with the charts", async () => {
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(8);
    const image = await screenshot(path.join(out, "report.html"), path.join(dir, "report.png"), 1280, 5600);
    if (process.env.STACK_REPORT_SCREENSHOT) fs.copyFileSync(path.join(dir, "report.png"), process.env.STACK_REPORT_SCREENSHOT);
    expect([image.width, image.height]).toEqual([1280, 5600]);
    let ink = 0;
    let green = 0;
    let blue = 0;
    for (let y = 0; y < image.height; y += 2) {
      for (let x = 0; x < image.width; x += 2) {
        const [r, g, b] = image.pixel(x, y);
        if (r < 245 || g < 245 || b < 245) ink++;
        if (g > 100 && r < 80 && b < 90 && g - r > 50) green++; // "B better" dots and intervals (#1b7837)
        if (b > 150 && r < 60 && g > 90 && g < 140) blue++; // run A's dots (#0072B2)
      }
    }
    expect(ink / ((image.width / 2) * (image.height / 2))).toBeGreaterThan(0.03);
    expect(green).toBeGreaterThan(30);
    expect(blue).toBeGreaterThan(30);
  }, 180_000);

  it("exits 1 on a bad run name and 2 on a run without samples", async () => {
    const bad = await run(["--vm-url", vm.url, "--a", 'x"}', "--b", "ovn-vxlan", "--out", out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--a");
    const none = await run(["--vm-url", vm.url, "--a", "ovn-geneve", "--b", "never-ran", "--out", out]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('run "never-ran" has no lab_bench_* samples');
  }, 60_000);
});
