/**
 * `lab:monitoring`: storage tiers, backups and alert routing are validated with exact config paths,
 * all problems at once; the model derives seconds, days and the experiment scrape scope.
 */
import { describe, expect, it } from "vitest";
import { loadLabModel, validateConfig } from "../../config/load";
import { retentionDays, storageBytes } from "../../config/monitoring";
import { formatProblem } from "../../config/problems";
import { generateLab } from "../../tools/generate-lab";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();

function problemsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);
}

describe("monitoring config", () => {
  it("derives tiers, retentions and the experiment scope from the example lab", () => {
    const { monitoring } = loadLabModel(example, "lab");
    expect(monitoring.namespace).toBe("monitoring");
    expect(monitoring.scrapeSeconds).toEqual({ infra: 30, inventory: 60, experiment: 10 });
    expect(monitoring.coldResolutionSeconds).toBe(300);
    expect(monitoring.retentionDays).toEqual({ hot: 42, cold: 730 });
    expect(monitoring.experimentNamespaces).toEqual(["dst", "nomos"]);
    expect(monitoring.experimentLabel).toBe("lab.vac.dev/experiment");
    expect(monitoring.seriesBudgets.nodeExporter).toBe(3000);
    expect(monitoring.backup).toMatchObject({ minute: 17, dailyHourUtc: 2, keepDaily: 14 });
  });

  it("converts retentions and sizes", () => {
    expect(retentionDays("6w")).toBe(42);
    expect(retentionDays("400d")).toBe(400);
    expect(retentionDays("2y")).toBe(730);
    expect(() => retentionDays("6")).toThrow(/invalid retention/);
    expect(storageBytes("500Gi")).toBe(500 * 2 ** 30);
    expect(storageBytes("2Ti")).toBe(2 * 2 ** 40);
  });

  it("requires alert receivers: there is no blackhole default", () => {
    expect(problemsOf((c) => delete c["lab:monitoring"].alerting)).toEqual([
      "lab:monitoring.alerting: is required: alerts need receivers, one for comparability alerts and one for lab health (see README, Alert routing)",
    ]);
    expect(problemsOf((c) => delete c["lab:monitoring"])).toEqual(["lab:monitoring: required config key is missing"]);
  });

  it("rejects receivers without exactly one kind, credentials in URLs, and routes to unknown or shared receivers", () => {
    expect(
      problemsOf((c) => {
        const alerting = c["lab:monitoring"].alerting;
        alerting.receivers.push({ name: "both", webhook: { url: "https://x.example/" }, slack: { apiUrlSecret: { name: "s", key: "k" }, channel: "#x" } });
        alerting.receivers.push({ name: "leaky", webhook: { url: "https://user:pass@hooks.example/" } });
      }),
    ).toEqual([
      "lab:monitoring.alerting.receivers[2]: must set exactly one of webhook, slack, email (has webhook, slack)",
      "lab:monitoring.alerting.receivers[3].webhook.url: must not carry credentials; use bearerTokenSecret",
    ]);
    expect(
      problemsOf((c) => {
        const alerting = c["lab:monitoring"].alerting;
        alerting.receivers.push({ ...alerting.receivers[0] });
        alerting.routes = { comparability: "operators", labHealth: "operators" };
      }),
    ).toEqual([
      'lab:monitoring.alerting.receivers[2].name: duplicate receiver name "experiments" (also lab:monitoring.alerting.receivers[0])',
      'lab:monitoring.alerting.routes.comparability: must differ from routes.labHealth ("operators"): comparability alerts go to the experimenters, lab-health alerts to the operators',
    ]);
    expect(problemsOf((c) => (c["lab:monitoring"].alerting.receivers[1].name = "null"))).toContainEqual(
      'lab:monitoring.alerting.receivers[1].name: "null" is reserved for the Watchdog meta-alerts; choose another name',
    );
    expect(problemsOf((c) => (c["lab:monitoring"].alerting.routes.labHealth = "pager"))).toEqual([
      'lab:monitoring.alerting.routes.labHealth: receiver "pager" is not defined (receivers: "experiments", "operators")',
    ]);
  });

  it("checks the storage tiers against each other and the scrape interval", () => {
    expect(
      problemsOf((c) => {
        const m = c["lab:monitoring"];
        m.cold.resolution = "15s";
        m.hot.retention = "10d";
        m.cold.retention = "6w";
        m.hot.replicationFactor = 4;
      }),
    ).toEqual([
      "lab:monitoring.cold.resolution: 15s is finer than the infra scrape interval 30s; the cold tier would keep every sample",
      "lab:monitoring.hot.retention: 10d is shorter than 2w; week-over-week comparison needs the previous full week raw",
      "lab:monitoring.hot.replicationFactor: 4 copies need at least 4 storage nodes (hot.storageNodes is 3)",
    ]);
    expect(problemsOf((c) => (c["lab:monitoring"].cold.retention = "6w"))).toEqual([
      "lab:monitoring.cold.retention: 6w does not outlive the hot tier (6w); the cold tier would add nothing",
    ]);
    expect(problemsOf((c) => (c["lab:monitoring"].cold.resolution = "1h"))).toEqual([
      "lab:monitoring.cold.resolution: 1h exceeds 10m; rate() over the cold tier needs at least 4 samples per hour window",
    ]);
    expect(problemsOf((c) => (c["lab:monitoring"].hot.retention = "6"))).toEqual([
      'lab:monitoring.hot.retention: must be a whole number of days, weeks or years such as "6w", "400d" or "2y"',
    ]);
  });

  it("requires the settings each backup target needs, and only those", () => {
    expect(problemsOf((c) => (c["lab:monitoring"].backup.target = "fs:///mnt/vm-backups"))).toEqual([
      "lab:monitoring.backup.nfs: is required for an fs:// target: the NFS export mounted at that path",
      "lab:monitoring.backup.s3: applies only to s3:// targets",
    ]);
    expect(problemsOf((c) => delete c["lab:monitoring"].backup.s3)).toEqual([
      "lab:monitoring.backup.s3: is required for an s3:// target (credentialsSecret at least)",
    ]);
    expect(problemsOf((c) => (c["lab:monitoring"].backup.target = "ftp://x"))).toEqual([
      "lab:monitoring.backup.target: must be s3://bucket[/prefix] or fs:///absolute/path",
    ]);
    expect(
      problemsOf((c) => {
        c["lab:monitoring"].backup = { target: "fs:///mnt/vm-backups", nfs: { server: "192.0.2.50", path: "/export/vm" } };
      }),
    ).toEqual([]);
  });

  it("accepts generated labs (the plan benchmark's input)", () => {
    expect(validateConfig(generateLab(40, 6).config, "gen").problems).toEqual([]);
  });
});
