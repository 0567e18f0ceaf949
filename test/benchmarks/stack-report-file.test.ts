/**
 * `npm run stack-report -- --measurements FILE --a RUN --b RUN [--json]` as an operator runs it: the
 * documented file format in, the report (Markdown or JSON) out, a bad line refused naming its line
 * and key, a missing run refused.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measurementLine } from "../../tools/bench/measurements-file";
import { seriesKey } from "../../tools/bench/measurements";
import { counterbalanced, simulate } from "../../tools/bench/simulate";
import { runTool } from "../harness/run-process";

const TCP = seriesKey("lab_bench_tcp_throughput_bytes_per_second", { network: "pod", placement: "cross_node", streams: "1" });
const run = (args: string[]) => runTool("stack-report", args, 60_000);

describe("npm run stack-report --measurements", () => {
  let dir = "";
  let file = "";
  let runs: Record<"json" | "md" | "bad" | "none" | "missing", ReturnType<typeof run>>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-stack-report-file-"));
    file = path.join(dir, "measurements.jsonl");
    const lines = simulate({ seed: 21, order: counterbalanced(12), repetitions: 5, changes: { [TCP]: 1.15 } }).map(measurementLine);
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    const bad = lines.slice();
    bad[41] = bad[41].replace(/"value":[^,]+/, '"value":1e999');
    fs.writeFileSync(path.join(dir, "bad.jsonl"), bad.join("\n"));
    // The runs are independent: start them at once (each starts tsx, seconds on a busy machine).
    const ab = ["--a", "stack-a", "--b", "stack-b"];
    runs = {
      json: run(["--measurements", file, ...ab, "--json", "--out", path.join(dir, "out")]),
      md: run(["--measurements", file, ...ab]),
      bad: run(["--measurements", path.join(dir, "bad.jsonl"), ...ab, "--json"]),
      none: run(["--measurements", file, "--a", "stack-a", "--b", "never-ran", "--json"]),
      missing: run(["--measurements", path.join(dir, "nope.jsonl"), ...ab]),
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--json: every series with a verdict of the five, estimate and interval; the known change found; a headline and problems", async () => {
    const result = await runs.json;
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report).sort()).toEqual(["headline", "metrics", "overhead", "problems"]);
    expect(report.metrics).toHaveLength(30);
    for (const m of report.metrics) {
      expect(["B better", "B worse", "no detectable difference", "not testable", "refused"]).toContain(m.verdict);
      expect(Object.keys(m)).toEqual(expect.arrayContaining(["metric", "labels", "verdict", "estimate", "interval"]));
    }
    const tcp = report.metrics.find((m: any) => m.metric === "lab_bench_tcp_throughput_bytes_per_second" && m.labels.network === "pod" && m.labels.placement === "cross_node" && m.labels.streams === "1");
    expect(tcp.verdict).toBe("B better");
    expect(tcp.interval[0]).toBeLessThan(1.15);
    expect(tcp.interval[1]).toBeGreaterThan(1.15);
    expect(report.headline).toMatchObject({ a: "stack-a", b: "stack-b", correction: "Holm", familywiseAlpha: 0.05, order: "ABBAABBAABBA", sessions: { A: 6, B: 6 } });
    expect(report.headline.verdicts["B better"]).toBeGreaterThanOrEqual(1);
    expect(Array.isArray(report.problems)).toBe(true);
  });

  it("without --json or --out: the Markdown report on stdout; with --out: the same in report.md, and report.html", async () => {
    const md = await runs.md;
    await runs.json;
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Stack comparison: stack-a vs stack-b\n/);
    expect(md.stdout).toMatch(/\| TCP throughput · pod network, cross-node, 1 stream \| higher \| .* \| 1\.1\d\d \| 1\.\d{3} – 1\.\d{3} \(\d\d\.\d\d%\) \| B better \| 6\/6 \|/);
    expect(md.stdout).toContain("**1 better, 0 worse, 29 with no detectable difference, 0 not testable, 0 refused");
    // Written by the --json --out run above.
    expect(fs.readFileSync(path.join(dir, "out", "report.md"), "utf8")).toBe(md.stdout);
    expect(fs.readFileSync(path.join(dir, "out", "report.html"), "utf8")).not.toMatch(/<script/i);
  });

  it("a bad line: exit 1 naming the file, the line and the key; nothing written", async () => {
    const result = await runs.bad;
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`${path.join(dir, "bad.jsonl")}: line 42: key "value": Infinity is not finite`);
  });

  it("a run not in the file: exit 2; bad arguments: exit 1", async () => {
    const none = await runs.none;
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('run "never-ran" has no measurements');
    const missing = await runs.missing;
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("nope.jsonl: ENOENT");
  });
});
