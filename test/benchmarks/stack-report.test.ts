/**
 * `npm run stack-report` against a real VictoriaMetrics on loopback loaded with two runs of 12
 * interleaved sessions (A B B A ...) whose differences are known, stored as stack-bench stores them
 * (labels session and nodes): the report finds exactly those (in the right direction), writes
 * Markdown and self-contained HTML, headless Chromium draws the HTML, and a session stored twice
 * (a rerun under the same name) is reduced to its latest measurement, with a note.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measurementSamples } from "../../tools/bench/from-store";
import type { Measurement } from "../../tools/bench/measurements-file";
import { counterbalanced, simulate } from "../../tools/bench/simulate";
import { EXAMPLE_CHANGES } from "../../tools/bench/synthetic";
import { importLines } from "../../tools/bench/vm";
import { screenshot } from "../harness/chromium";
import { runTool } from "../harness/run-process";
import { requireTools } from "../harness/tools";
import { startVictoriaMetrics, type VictoriaMetrics } from "../harness/victoria-metrics";

const haveTools = requireTools("victoria-metrics", "victoria-metrics") && requireTools("chromium", "chromium");

const run = (args: string[], timeoutMs = 120_000) => runTool("stack-report", args, timeoutMs);
const renamed = (ms: Measurement[], names: Record<string, string>) => ms.map((m) => ({ ...m, run: names[m.run] }));

describe.skipIf(!haveTools)("npm run stack-report against VictoriaMetrics", () => {
  let vm: VictoriaMetrics;
  let dir = "";
  let out = "";
  let cli: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-stack-report-"));
    out = path.join(dir, "out");
    vm = await startVictoriaMetrics();
    const ms = renamed(simulate({ seed: 2, order: counterbalanced(12), repetitions: 5, changes: EXAMPLE_CHANGES }), { "stack-a": "ovn-geneve", "stack-b": "ovn-vxlan" });
    const other = renamed(simulate({ seed: 3, order: counterbalanced(8), repetitions: 5, changes: { 'lab_bench_dns_lookup_latency_seconds{quantile="0.5"}': 3 } }), { "stack-a": "other", "stack-b": "other-b" });
    // Session 1 of run "rerun" stored twice: once like A, once (later) 10% slower.
    const first = renamed(simulate({ seed: 4, order: counterbalanced(8), repetitions: 5 }), { "stack-a": "rerun", "stack-b": "rerun-b" });
    const span = Math.max(...first.map((m) => m.timeMs)) - Math.min(...first.map((m) => m.timeMs));
    const again = first.filter((m) => m.run === "rerun" && m.session === "1").map((m) => ({ ...m, value: m.value * 0.9, timeMs: m.timeMs + span + 3_600_000 }));
    const split = (xs: Measurement[], r: string) => measurementSamples(xs.filter((m) => m.run === r));
    await vm.importLines([
      ...importLines("ovn-geneve", { stack: "kube-ovn-1.14", tunnel: "geneve" }, split(ms, "ovn-geneve")),
      ...importLines("ovn-vxlan", { stack: "kube-ovn-1.14", tunnel: "vxlan" }, split(ms, "ovn-vxlan")),
      // Other runs that must not leak into the comparison.
      ...importLines("other", { stack: "x" }, split(other, "other")),
      ...importLines("rerun", {}, [...split(first, "rerun"), ...measurementSamples(again)]),
      ...importLines("rerun-b", {}, split(first, "rerun-b")),
    ]);
    cli = await run(["--vm-url", vm.url, "--a", "ovn-geneve", "--b", "ovn-vxlan", "--out", out]);
  }, 180_000);

  afterAll(async () => {
    await vm?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes report.md and report.html and summarises the verdicts", () => {
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^ovn-geneve vs ovn-vxlan: \d+ better, \d+ worse, \d+ with no detectable difference, 0 not testable, 0 refused .* -> /);
  });

  it("finds the known changes, in the right direction, with their ratios inside the interval, and nothing else", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).toContain("- Session order: ABBAABBAABBA");
    expect(md).toContain("- A: ovn-geneve: (stack=kube-ovn-1.14, tunnel=geneve) 6 session(s) on node-02,node-03 \\| node-04,node-05");
    const row = (title: string) => md.split("\n").find((l) => l.startsWith(`| ${title} |`))!;
    const tcp = row("TCP throughput · pod network, cross-node, 1 stream");
    expect(tcp).toContain("| B better |");
    const [low, high] = /\| (\d\.\d{3}) – (\d\.\d{3}) \(/.exec(tcp)!.slice(1).map(Number);
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
    const verdicts = md.split("\n").filter((l) => / \| (B better|B worse) \| /.test(l));
    expect(verdicts).toHaveLength(3);
  });

  it("reports the pod network overhead per stack with intervals", () => {
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).toContain("## Pod network overhead against the host network");
    const cross = md.split("\n").find((l) => l.startsWith("| tcp 1 stream, cross-node |"))!;
    const [a, aLow, aHigh, b] = [...cross.matchAll(/(-?\d+\.\d) %/g)].map((m) => Number(m[1]));
    expect(aLow).toBeLessThan(20); // 20% by construction
    expect(aHigh).toBeGreaterThan(20);
    expect(a).toBeGreaterThan(15);
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
    for (let y = 0; y < image.height; y += 2) {
      for (let x = 0; x < image.width; x += 2) {
        const [r, g, b] = image.pixel(x, y);
        if (r < 245 || g < 245 || b < 245) ink++;
        if (g > 100 && r < 80 && b < 90 && g - r > 50) green++; // "B better" dots and intervals (#1b7837)
      }
    }
    expect(ink / ((image.width / 2) * (image.height / 2))).toBeGreaterThan(0.03);
    expect(green).toBeGreaterThan(30);
  }, 180_000);

  it("a session stored twice under one name keeps only its latest measurement, and says so", async () => {
    const result = await run(["--vm-url", vm.url, "--a", "rerun", "--b", "rerun-b", "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.problems[0]).toMatch(/^run rerun session 1 was stored twice \(a rerun under the same name\): kept only the latest measurement, 150 of 300 samples/);
    expect(report.headline.sessions).toEqual({ A: 4, B: 4 });
  }, 60_000);

  it("exits 1 on a bad run name and 2 on a run without samples", async () => {
    const bad = await run(["--vm-url", vm.url, "--a", 'x"}', "--b", "ovn-vxlan", "--out", out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--a");
    const none = await run(["--vm-url", vm.url, "--a", "ovn-geneve", "--b", "never-ran", "--out", out]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('run "never-ran" has no measurements');
  }, 60_000);
});
