/** Pieces of the weekly report: ISO weeks, failing intervals, and the CLI's argument and error handling. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { healthContext } from "../../components/health/context";
import { gateApplies, gateStateExpr, gates } from "../../components/health/gates";
import { loadLabModel } from "../../config/load";
import { MAX_QUERY_BYTES, failingIntervals, gateStates, weekBaselines } from "../../tools/report/evaluate";
import type { RangeSeries } from "../../tools/report/vm-client";
import { formatUtc, isoWeekOf, parseIsoWeek, previousWeek } from "../../tools/report/iso-week";
import { formatInterval } from "../../tools/report/render";
import { HOME_ASSIGNMENT, REPO_ROOT, loadStackConfig } from "../harness/fixtures";

describe("ISO weeks", () => {
  it("start on Monday 00:00 UTC and last seven days", () => {
    const w = parseIsoWeek("2026-W20");
    expect(formatUtc(w.start)).toBe("2026-05-11 00:00");
    expect(formatUtc(w.end)).toBe("2026-05-18 00:00");
    expect(formatUtc(parseIsoWeek("2026-W01").start)).toBe("2025-12-29 00:00"); // week 1 holds 4 January
    expect(formatUtc(parseIsoWeek("2020-W53").start)).toBe("2020-12-28 00:00");
  });

  it("step back across a year boundary and round-trip", () => {
    expect(previousWeek(parseIsoWeek("2026-W01")).label).toBe("2025-W52");
    expect(previousWeek(parseIsoWeek("2021-W01")).label).toBe("2020-W53");
    expect(isoWeekOf(parseIsoWeek("2026-W47").start + 3 * 86400).label).toBe("2026-W47");
  });

  it("reject what is not a week", () => {
    expect(() => parseIsoWeek("2026-47")).toThrow('"2026-47" is not an ISO week such as 2026-W47');
    expect(() => parseIsoWeek("2025-W53")).toThrow('"2025-W53": 2025 has weeks 01 to 52');
    expect(parseIsoWeek("2026-W53").label).toBe("2026-W53"); // 2026 starts on a Thursday: 53 weeks
  });
});

describe("failing intervals", () => {
  it("merge consecutive failing evaluations; each covers the step before it", () => {
    const values: Array<[number, number]> = [[600, 1], [1200, 0], [1800, 0], [2400, 1], [3000, 0]];
    expect(failingIntervals(values, 600)).toEqual([{ from: 600, to: 1800 }, { from: 2400, to: 3000 }]);
    expect(failingIntervals([[600, 1]], 600)).toEqual([]);
  });

  it("print with the day once when they stay within it", () => {
    const start = parseIsoWeek("2026-W20").start;
    expect(formatInterval({ from: start + 3600, to: start + 5 * 3600 + 600 })).toBe("2026-05-11 01:00 – 05:10 UTC (4h 10m)");
    expect(formatInterval({ from: start + 3600, to: start + 86400 })).toBe("2026-05-11 01:00 – 2026-05-12 00:00 UTC (23h)");
  });
});

describe("lab-report CLI", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools/lab-report.ts"), ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });

  it("exits 1 with the usage on missing or bad arguments", () => {
    const missing = cli(["--week", "2026-W20"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("missing --vm-url, --out");
    const bad = cli(["--vm-url", "http://127.0.0.1:1", "--week", "W20", "--out", "/tmp/x"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('"W20" is not an ISO week such as 2026-W47');
  });

  it("exits 2 when the metrics store cannot answer", () => {
    const result = cli(["--vm-url", "http://127.0.0.1:1", "--week", "2026-W20", "--out", path.join(REPO_ROOT, "test/.artifacts/unreachable")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("cannot reach http://127.0.0.1:1");
  });
});

describe("gate states in parts", () => {
  const ctx = healthContext(loadLabModel(loadStackConfig(), "lab", HOME_ASSIGNMENT));
  const calibration = gates(ctx, weekBaselines(ctx, parseIsoWeek("2026-W19"))).find((g) => g.name === "calibration")!;

  it("the calibration gate over raw series is longer than VictoriaMetrics accepts, so it goes in parts that each fit", async () => {
    expect(Buffer.byteLength(gateStateExpr(ctx, calibration))).toBeGreaterThan(MAX_QUERY_BYTES);
    const asked: string[] = [];
    const client = { queryRange: async (expr: string) => (asked.push(expr), [] as RangeSeries[]) };
    await gateStates(client, ctx, calibration, 0, 600, 600);
    expect(asked).toHaveLength(1 + calibration.failing.length + calibration.evaluable.length);
    for (const q of asked) expect(Buffer.byteLength(q)).toBeLessThanOrEqual(MAX_QUERY_BYTES);
  });

  it("combine as the whole expression would: failing wins, else every input present passes, else unknown", async () => {
    const at = (node: string, times: number[]): RangeSeries => ({ metric: { node }, values: times.map((t) => [t, 1] as const) });
    const applies = gateApplies(ctx, calibration);
    const client = {
      queryRange: async (expr: string): Promise<RangeSeries[]> => {
        if (expr === applies) return [{ metric: { node: "node-02", pool: "experiments" }, values: [[600, 1], [1200, 1], [1800, 1]] }];
        if (expr === `max by (node) (${calibration.failing[0].expr})`) return [at("node-02", [600])];
        if (calibration.evaluable.includes(expr)) return [at("node-02", expr === calibration.evaluable[0] ? [600, 1200] : [600, 1200, 1800])];
        return [];
      },
    };
    const [state] = await gateStates(client, ctx, calibration, 600, 1800, 600);
    expect(state.metric).toEqual({ node: "node-02", pool: "experiments", gate: "calibration" });
    expect(state.values).toEqual([[600, 0], [1200, 1], [1800, -1]]);
  });
});
