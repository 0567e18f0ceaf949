/** `lab:health`: defaults, derivations (calibration window, schedule, rotation) and cross-checks with their paths. */
import { describe, expect, it } from "vitest";
import {
  calibrationPools,
  calibrationResultMaxAgeSeconds,
  calibrationRunSeconds,
  calibrationSchedule,
  healthWindows,
  iperfPeerIndex,
  windowSeconds,
} from "../../config/health";
import { loadLabModel, validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();

function problemsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);
}

describe("lab:health defaults", () => {
  it("fills every threshold with its documented default", () => {
    const { health } = loadLabModel(example, "lab");
    expect(health.clock).toEqual({ maxOffsetSeconds: 0.001, alertOffsetSeconds: 0.05 });
    expect(health.cpu).toEqual({ governor: "performance", maxFrequencyDeviation: 0.05, maxStealCores: 0 });
    expect(health.foreignLoad.maxCores).toBe(0.25);
    expect(health.nic).toEqual({ devices: "(en|eth|ib|bond).*", maxNewErrors: 0, maxNewDrops: 0 });
    expect(health.pinger).toEqual({ maxLossRatio: 0, maxP99Ratio: 1.5 });
    expect(health.minAvailability).toBe(0.99);
    // gate and completeness derive from the scrape intervals unless set (healthWindows).
    expect(health.windows).toEqual({ baseline: "28d", baselineExclude: "1d", drift: "7d", baselineRefresh: "1h" });
    expect(healthWindows(health, { infra: 30, inventory: 60 })).toEqual({ gate: "10m", completeness: "100m" });
    expect(health.calibration).toMatchObject({
      enabled: true,
      gate: { familyErrorRate: 0.01, persistence: { nights: 7, failing: 3 }, minBaselineNights: 7, minRelativeBand: 0.05 },
      namespace: "lab-calibration", window: { start: "02:00", end: "05:00" } });
    expect(health.calibration.images.network).toBe("nicolaka/netshoot:v0.16");
  });
});

describe("health windows derived from the scrape intervals", () => {
  it("accept any valid interval with every health default (no other key to change)", () => {
    for (const [infra, inventory] of [["45s", "60s"], ["90s", "2m"], ["2m", "2m"], ["10s", "15s"]]) {
      expect(problemsOf((c) => (c["lab:monitoring"].scrapeIntervals = { infra, inventory, experiment: "10s" })), `${infra}/${inventory}`).toEqual([]);
    }
  });

  it("grow with the intervals: 4 infra scrapes per gate window, 100 of the slower tier per completeness window", () => {
    const health = loadLabModel(example, "lab").health;
    expect(healthWindows(health, { infra: 45, inventory: 60 })).toEqual({ gate: "10m", completeness: "100m" });
    expect(healthWindows(health, { infra: 180, inventory: 300 })).toEqual({ gate: "12m", completeness: "500m" });
    expect(healthWindows(health, { infra: 10, inventory: 15 })).toEqual({ gate: "10m", completeness: "1h" });
    expect(healthWindows({ ...health, minAvailability: 0.999 }, { infra: 30, inventory: 60 })).toEqual({ gate: "10m", completeness: "1000m" });
    expect(healthWindows({ ...health, windows: { ...health.windows, gate: "15m", completeness: "3h" } }, { infra: 30, inventory: 60 })).toEqual({ gate: "15m", completeness: "3h" });
  });
});

describe("calibration derivations", () => {
  const cal = loadLabModel(example, "lab").health.calibration;

  it("derive the window length (wrapping midnight) and the CronJob schedule", () => {
    expect(windowSeconds({ start: "02:00", end: "05:00" })).toBe(3 * 3600);
    expect(windowSeconds({ start: "23:30", end: "01:15" })).toBe(105 * 60);
    expect(windowSeconds({ start: "04:00", end: "04:00" })).toBe(0);
    expect(calibrationSchedule({ start: "02:00", end: "05:00" })).toBe("0 2 * * *");
    expect(calibrationSchedule({ start: "23:45", end: "01:00" })).toBe("45 23 * * *");
  });

  it("estimate one run and how long a result stays current", () => {
    // 300 s start-up + (10 + 60) network phase + (2 x 30 + 60) disk + (2 x 20 + 30) compute
    expect(calibrationRunSeconds(cal)).toBe(560);
    expect(calibrationResultMaxAgeSeconds(cal)).toBe(86400 + 3 * 3600);
  });

  it("calibrate the experiment pools unless told otherwise", () => {
    const model = loadLabModel(example, "lab");
    expect(calibrationPools(cal, model.nodes, model.teams)).toEqual(["experiments", "nomos"]);
    expect(calibrationPools({ ...cal, pools: ["monitoring", "nomos"] }, model.nodes, model.teams)).toEqual(["monitoring", "nomos"]);
  });

  it("rotate iperf3 peers: a permutation each day, every ordered pair within count - 1 days", () => {
    for (const count of [2, 3, 4, 7]) {
      const pairs = new Set<string>();
      for (let day = 0; day < count - 1; day++) {
        const peers = Array.from({ length: count }, (_, i) => iperfPeerIndex(i, count, day)!);
        expect(new Set(peers).size, `count ${count} day ${day}`).toBe(count); // each node is server once
        peers.forEach((p, i) => {
          expect(p).not.toBe(i);
          pairs.add(`${i}->${p}`);
        });
      }
      expect(pairs.size).toBe(count * (count - 1));
    }
    expect(iperfPeerIndex(0, 1, 5)).toBeUndefined();
  });
});

describe("lab:health validation", () => {
  it("accepts the example lab", () => {
    expect(problemsOf(() => {})).toEqual([]);
  });

  it("rejects unknown keys, bad times and unpinned images with their paths", () => {
    expect(problemsOf((c) => {
      c["lab:health"] = { clok: {}, calibration: { window: { start: "25:00" }, images: { disk: "ghcr.io/kastenhq/kubestr:latest", compute: "stress-ng" } } };
    })).toEqual([
      'lab:health.calibration.window.start: must be a UTC time "HH:MM"',
      "lab:health.calibration.images.disk: must be pinned: a tag other than latest, or an @sha256 digest",
      "lab:health.calibration.images.compute: must be pinned: a tag other than latest, or an @sha256 digest",
      "lab:health.clok: unknown config key",
    ]);
  });

  it("requires calibrated pools to exist", () => {
    expect(problemsOf((c) => (c["lab:health"] = { calibration: { pools: ["nomos", "nowhere"] } }))).toEqual([
      'lab:health.calibration.pools[1]: pool "nowhere" has no nodes (pools: "control", "experiments", "monitoring", "nomos")',
    ]);
  });

  it("requires the window to hold one calibration run", () => {
    expect(problemsOf((c) => (c["lab:health"] = { calibration: { window: { start: "02:00", end: "02:05" } } }))).toEqual([
      "lab:health.calibration.window: 02:00-02:05 UTC (5m) is shorter than one calibration run (560s with the configured benchmark durations)",
    ]);
    expect(problemsOf((c) => (c["lab:health"] = { calibration: { enabled: false, window: { start: "02:00", end: "02:05" } } }))).toEqual([]);
  });

  it("keeps team namespaces out of the calibration and system namespaces", () => {
    expect(problemsOf((c) => (c["lab:health"] = { calibration: { namespace: "dst" }, foreignLoad: { systemNamespaces: ["kube-system", "nomos"] } }))).toEqual([
      'lab:health.calibration.namespace: "dst" is the namespace of team "dst"; calibration pods would count as that team\'s pods',
      'lab:health.foreignLoad.systemNamespaces[1]: "nomos" is the namespace of team "nomos"; listing it as a system namespace would hide that team\'s load everywhere',
    ]);
  });

  it("refuses calibration gate settings that cannot work, with their paths", () => {
    expect(problemsOf((c) => (c["lab:health"] = { calibration: { gate: { familyErrorRate: 0, persistence: { nights: 5, failing: 6 }, minBaselineNights: 3, minRelativeBand: 1.5 } } }))).toEqual([
      "lab:health.calibration.gate.familyErrorRate: must be at least 1e-6 (smaller rates give bands wider than any result varies, and the quantiles lose precision)",
      "lab:health.calibration.gate.persistence.failing: failing must not exceed nights",
      "lab:health.calibration.gate.minBaselineNights: must be at least 6 (Hoefler & Belli: n > 5)",
      expect.stringMatching(/^lab:health\.calibration\.gate\.minRelativeBand: /),
    ]);
    expect(problemsOf((c) => (c["lab:health"] = { windows: { baseline: "14d" }, calibration: { gate: { minBaselineNights: 20 } } }))).toEqual([
      "lab:health.calibration.gate.minBaselineNights: 20 nights do not fit in the 14d baseline window (at most 14): the calibration gate would stay unknown",
    ]);
  });

  it("requires windows set explicitly to hold enough scrapes of the slowest tier they read", () => {
    expect(problemsOf((c) => (c["lab:health"] = { windows: { gate: "1m", completeness: "30m" } }))).toEqual([
      "lab:health.windows.gate: 1m holds fewer than 4 scrapes at lab:monitoring.scrapeIntervals.infra 30s (rate() needs 4 samples)",
      "lab:health.windows.completeness: 30m holds 30 scrapes at lab:monitoring.scrapeIntervals.inventory 60s; availability 0.99 can only be judged over at least 100 (leave it unset to derive it)",
    ]);
    expect(problemsOf((c) => (c["lab:health"] = { windows: { baseline: "7d", baselineExclude: "7d" } }))).toEqual([
      "lab:health.windows.baselineExclude: 7d leaves nothing of the 7d baseline window",
    ]);
  });
});
