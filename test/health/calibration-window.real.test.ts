/**
 * Issue 20 item 8, the legitimate neighbour of the foreign-load check on the calibration iperf3
 * server: its cpu counts as foreign load only outside the nightly window (plus the gate window), so
 * the lab's own calibration never fails a node, while load at any other hour does. Evaluated by a
 * real VictoriaMetrics at chosen instants (hour()/minute() of the evaluation time, UTC).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthContext } from "../../components/health/context";
import { outsideCalibrationWindow } from "../../components/health/gates";
import { loadLabModel } from "../../config/load";
import { query, startVictoriaMetrics, stopAll, type Engine } from "../../tools/monitoring/engines";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "victoria-metrics");
const at = (hhmm: string) => Date.parse(`2026-12-07T${hhmm}:00Z`) / 1000;

describe.skipIf(!haveTools)("the calibration window seen by the foreign-load gate", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-cal-window-"));
  let vm: Engine;
  beforeAll(async () => {
    vm = await startVictoriaMetrics({ dataDir: path.join(tmp, "vm"), logDir: tmp });
  }, 30_000);
  afterAll(async () => {
    await stopAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const outside = async (window: { start: string; end: string }, w: string, hhmm: string) => {
    const model = loadLabModel(withChanges(loadStackConfig(), (c) => ((c["lab:health"] ??= {}).calibration = { ...(c["lab:health"]?.calibration ?? {}), window })), "lab");
    return (await query(vm, outsideCalibrationWindow(healthContext(model), w), at(hhmm))).length === 1;
  };

  it("is inside from the window's start to its end plus the gate window, outside otherwise", async () => {
    const night = { start: "02:00", end: "05:00" };
    expect(await outside(night, "15m", "01:59")).toBe(true);
    expect(await outside(night, "15m", "02:00")).toBe(false);
    expect(await outside(night, "15m", "04:59")).toBe(false);
    expect(await outside(night, "15m", "05:14")).toBe(false);
    expect(await outside(night, "15m", "05:15")).toBe(true);
    expect(await outside(night, "15m", "13:00")).toBe(true);
  });

  it("handles a window that wraps midnight", async () => {
    const late = { start: "23:00", end: "01:00" };
    expect(await outside(late, "30m", "22:59")).toBe(true);
    expect(await outside(late, "30m", "23:30")).toBe(false);
    expect(await outside(late, "30m", "00:10")).toBe(false);
    expect(await outside(late, "30m", "01:29")).toBe(false);
    expect(await outside(late, "30m", "01:30")).toBe(true);
  });
});
