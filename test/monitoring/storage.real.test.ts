/**
 * Storage tiers and backups against real engines on loopback (Debian victoria-metrics 1.79):
 *  - the cold path: 30s data through a vmagent that remote-writes raw to the hot instance and, with
 *    the generated cold-tier relabeling, to an instance with -dedup.minScrapeInterval=<cold resolution>;
 *  - the backup scripts the CronJobs run (vmbackup to fs://, daily copies, pruning) and the documented
 *    restore (vmrestore into a stopped instance's data directory) lose no sample.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupScript, pruneScriptFs, pruneScriptS3, restoreArgs, type BackupTarget } from "../../components/monitoring/backup-script";
import { coldRelabelConfigs } from "../../components/monitoring/metrics";
import { renderRelabelFile } from "../../components/monitoring/prometheus-config";
import { loadLabModel } from "../../config/load";
import { flushAndMerge, freePort, httpOk, query, scalar, startVictoriaMetrics, startVmagent, stop, stopAll, storedRows, type Engine } from "../../tools/monitoring/engines";
import { importBody, type SyntheticSeries } from "../../tools/monitoring/synthetic";
import { loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "victoria-metrics", "vmagent", "vmbackup", "vmrestore");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-storage-"));
afterAll(async () => {
  await stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const model = loadLabModel(loadStackConfig(), "lab");
const STEP_MS = model.monitoring.scrapeSeconds.infra * 1000;
const RESOLUTION_MS = model.monitoring.coldResolutionSeconds * 1000;
const HOURS = 6;
const PER_SERIES_RAW = (HOURS * 3600_000) / STEP_MS;
const PER_SERIES_COLD = (HOURS * 3600_000) / RESOLUTION_MS;
// A window of whole cold intervals that ended an hour ago (inside the current retention).
const END = Math.floor((Date.now() - 3600_000) / RESOLUTION_MS) * RESOLUTION_MS;
const START = END - HOURS * 3600_000;

const nodes = ["node-02", "node-03", "node-04"];
const health: SyntheticSeries[] = nodes.flatMap((node): SyntheticSeries[] => [
  { labels: { __name__: "node_timex_offset_seconds", node, tier: "infra" }, shape: "gauge" },
  { labels: { __name__: "node_network_receive_errs_total", node, device: "enp65s0f0", tier: "infra" }, shape: "counter" },
  { labels: { __name__: "up", node, job: "node-exporter", tier: "infra" }, shape: "constant" },
  { labels: { __name__: "node_uname_info", node, release: "6.1.0-28-amd64", tier: "inventory" }, shape: "constant" },
  ...["0.25", "1", "5", "+Inf"].map((le) => ({ labels: { __name__: "pinger_pod_ping_latency_ms_bucket", src_node_name: node, le, tier: "infra" }, shape: "counter" as const })),
]);
const hotOnly: SyntheticSeries[] = nodes.flatMap((node): SyntheticSeries[] => [
  { labels: { __name__: "node_disk_read_time_seconds_total", node, device: "nvme0n1", tier: "infra" }, shape: "counter" },
  { labels: { __name__: "container_memory_cache", node, pod: "x", tier: "infra" }, shape: "gauge" },
  // Health names from the experiment tier stay out of the cold tier too.
  { labels: { __name__: "up", node, job: "experiment", tier: "experiment" }, shape: "constant" },
  { labels: { __name__: "libp2p_peers", node, pod: "p", tier: "experiment" }, shape: "gauge" },
]);

async function countsBySeries(vm: Engine, selector: string): Promise<number[]> {
  return (await query(vm, `count_over_time(${selector}[${HOURS}h])`, END / 1000)).map((r) => Number(r.value[1]));
}

describe.skipIf(!haveTools)("cold tier: one sample per resolution interval, health series only", () => {
  let raw: Engine;
  let cold: Engine;

  beforeAll(async () => {
    raw = await startVictoriaMetrics({ name: "raw", dataDir: path.join(tmp, "raw"), logDir: tmp });
    cold = await startVictoriaMetrics({ name: "cold", dataDir: path.join(tmp, "cold"), logDir: tmp, dedup: model.monitoring.cold.resolution, retention: model.monitoring.cold.retention });
    const relabel = path.join(tmp, "cold-relabel.yml");
    fs.writeFileSync(relabel, renderRelabelFile(coldRelabelConfigs()));
    const agent = await startVmagent({
      logDir: tmp,
      tmpDir: path.join(tmp, "vmagent"),
      remoteWrites: [{ url: `${raw.url}/api/v1/write` }, { url: `${cold.url}/api/v1/write`, relabelFile: relabel }],
    });
    await httpOk(agent, "/api/v1/import", { body: importBody([...health, ...hotOnly], START, END, STEP_MS) });
    const expected = (health.length + hotOnly.length) * PER_SERIES_RAW;
    const deadline = Date.now() + 30_000;
    while ((await scalar(raw, `sum(count_over_time({__name__!=""}[${HOURS}h]))`, END / 1000)) < expected) {
      if (Date.now() > deadline) throw new Error("vmagent did not deliver the samples");
      await new Promise((r) => setTimeout(r, 300));
      await httpOk(raw, "/internal/force_flush");
    }
    await new Promise((r) => setTimeout(r, 1000)); // the cold queue drains alongside
    await stop(agent);
    await flushAndMerge(raw);
    await flushAndMerge(cold);
  }, 90_000);

  it("keeps every raw sample in the hot tier", async () => {
    const counts = await countsBySeries(raw, '{__name__!=""}');
    expect(counts).toHaveLength(health.length + hotOnly.length);
    expect(new Set(counts)).toEqual(new Set([PER_SERIES_RAW]));
  });

  it("keeps only the health and comparability series, never the experiment tier", async () => {
    const names = (await query(cold, 'count by (__name__, tier) ({__name__!=""})', END / 1000)).map((r) => `${r.metric.__name__}/${r.metric.tier}`).sort();
    expect(names).toEqual(["node_network_receive_errs_total/infra", "node_timex_offset_seconds/infra", "node_uname_info/inventory", "pinger_pod_ping_latency_ms_bucket/infra", "up/infra"]);
  });

  it("keeps one sample per series and resolution interval after the merge, on disk", async () => {
    const counts = await countsBySeries(cold, '{__name__!=""}');
    expect(counts).toHaveLength(health.length);
    for (const c of counts) expect(Math.abs(c - PER_SERIES_COLD)).toBeLessThanOrEqual(1);
    const rows = await storedRows(cold);
    expect(Math.abs(rows - health.length * PER_SERIES_COLD)).toBeLessThanOrEqual(health.length);
    expect(await storedRows(raw)).toBe((health.length + hotOnly.length) * PER_SERIES_RAW);
  });
});

describe.skipIf(!haveTools)("backups: vmbackup to fs://, daily copies, pruning, vmrestore", () => {
  let source: Engine;
  const target: BackupTarget = { url: `fs://${path.join(tmp, "backups")}` };
  const dataDir = path.join(tmp, "source");
  const series: SyntheticSeries[] = [...health, ...hotOnly];
  const SNAPSHOT_KEY = "k3yOfTheBackupTest";
  const snapshotKeyFile = path.join(tmp, "snapshot-key");

  async function runBackup(day: string, hour: string): Promise<string> {
    const script = backupScript({ target, instanceId: "cold", dataPath: dataDir, snapshotCreateUrl: `${source.url}/snapshot/create`, snapshotKeyFile: "/nonexistent", dailyHourUtc: 2, keepDaily: 2 });
    const result = spawnSync("sh", ["-c", script], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, VMBACKUP: "vmbackup", VMBACKUP_LISTEN: `127.0.0.1:${await freePort()}`, BACKUP_DAY: day, BACKUP_HOUR: hour, SNAPSHOT_AUTH_KEY_FILE: snapshotKeyFile },
    });
    expect(result.status, result.stderr.slice(-1500)).toBe(0);
    return result.stdout + result.stderr;
  }

  async function restoreInto(from: string, name: string): Promise<Engine> {
    const dir = path.join(tmp, name);
    const result = spawnSync("vmrestore", [...restoreArgs(target, "cold", from, dir), `-httpListenAddr=127.0.0.1:${await freePort()}`], { encoding: "utf8", timeout: 60_000 });
    expect(result.status, result.stderr.slice(-1500)).toBe(0);
    return startVictoriaMetrics({ name, dataDir: dir, logDir: tmp });
  }

  async function totals(vm: Engine): Promise<{ series: number; samples: number }> {
    return {
      series: await scalar(vm, `count(count_over_time({__name__!=""}[${HOURS + 1}h]))`, END / 1000 + 1800),
      samples: await scalar(vm, `sum(count_over_time({__name__!=""}[${HOURS + 1}h]))`, END / 1000 + 1800),
    };
  }

  /** Imports the next slice of the window: every backup run finds new data, as hourly runs in the lab do. */
  const slices = [0, 1, 2, 3, 4].map((i) => START + (i * (END - START)) / 4);
  async function addSlice(i: number): Promise<void> {
    await httpOk(source, "/api/v1/import", { body: importBody(series, slices[i], slices[i + 1], STEP_MS) });
    await httpOk(source, "/internal/force_flush");
  }

  beforeAll(async () => {
    // The source refuses snapshots without its key, as the stack's storage does (admin-keys.ts).
    fs.writeFileSync(snapshotKeyFile, SNAPSHOT_KEY);
    source = await startVictoriaMetrics({ name: "source", dataDir, logDir: tmp, extraArgs: [`-snapshotAuthKey=${SNAPSHOT_KEY}`] });
  }, 60_000);

  // Each run has new data to upload: vmbackup 1.79.5 panics ("BUG: there is no http server") when a
  // backup finishes before its metrics listener has started, i.e. when there is nothing to copy.
  it("backs up incrementally, makes dated copies at the daily hour, prunes beyond keepDaily, and restores without loss", async () => {
    await addSlice(0);
    expect(await runBackup("20260101", "02")).toContain("daily copy to");
    await addSlice(1);
    const hourly = await runBackup("20260101", "03");
    expect(hourly).not.toContain("daily copy to");
    // Incremental: only the new parts are uploaded.
    const uploaded = /uploaded (\d+) bytes/.exec(hourly);
    const backedUp = /backed up (\d+) bytes/.exec(hourly);
    expect(uploaded && backedUp, hourly).toBeTruthy();
    expect(Number(uploaded![1])).toBeLessThan(Number(backedUp![1]));
    await addSlice(2);
    await runBackup("20260102", "02");
    await addSlice(3);
    await runBackup("20260103", "02");

    const daily = path.join(tmp, "backups", "cold", "daily");
    expect(fs.readdirSync(daily).sort()).toEqual(["20260101", "20260102", "20260103"]);
    const prune = spawnSync("sh", ["-c", pruneScriptFs(target, "cold", 2)], { encoding: "utf8" });
    expect(prune.status, prune.stderr).toBe(0);
    expect(fs.readdirSync(daily).sort()).toEqual(["20260102", "20260103"]);

    const original = await totals(source);
    expect(original).toEqual({ series: series.length, samples: series.length * PER_SERIES_RAW });
    const latest = await restoreInto("latest", "restored-latest");
    expect(await totals(latest)).toEqual(original);
    const dated = await restoreInto("daily/20260103", "restored-daily");
    expect(await totals(dated)).toEqual(original);
    // The older daily copy holds what existed that day: three of the four slices.
    const older = await restoreInto("daily/20260102", "restored-older");
    expect((await totals(older)).samples).toBe((series.length * PER_SERIES_RAW * 3) / 4);
  }, 120_000);
});

describe("pruning dated copies on s3:// (aws CLI replaced by a local stand-in)", () => {
  it("lists the daily prefixes and removes all but the newest keepDaily", () => {
    const bucket = fs.mkdtempSync(path.join(tmp, "bucket-"));
    const bin = fs.mkdtempSync(path.join(tmp, "bin-"));
    const daily = path.join(bucket, "vm", "vmstorage-0", "daily");
    for (const day of ["20260101", "20260102", "20260103", "20260104", "latest-not-a-day"]) fs.mkdirSync(path.join(daily, day), { recursive: true });
    // `aws [--endpoint-url U] s3 ls|rm ...` against a directory standing in for the bucket.
    fs.writeFileSync(
      path.join(bin, "aws"),
      [
        "#!/bin/sh",
        `echo "$@" >> ${path.join(bin, "calls")}`,
        'if [ "$1" = "--endpoint-url" ]; then shift 2; fi',
        'op=$2; for a in "$@"; do last=$a; done',
        `p=${bucket}/$(echo "$last" | sed 's#^s3://[^/]*/##')`,
        'if [ "$op" = ls ]; then for d in "$p"*/; do echo "                           PRE $(basename "$d")/"; done; fi',
        'if [ "$op" = rm ]; then rm -rf "$p"; fi',
      ].join("\n"),
      { mode: 0o755 },
    );
    const script = pruneScriptS3({ url: "s3://lab-metrics/vm", s3Endpoint: "http://garage.example:3900" }, "vmstorage-0", 2);
    const result = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(result.status, result.stderr).toBe(0);
    expect(fs.readdirSync(daily).sort()).toEqual(["20260103", "20260104", "latest-not-a-day"]);
    const calls = fs.readFileSync(path.join(bin, "calls"), "utf8");
    expect(calls).toContain("--endpoint-url http://garage.example:3900 s3 ls s3://lab-metrics/vm/vmstorage-0/daily/");
    expect(calls).toContain("s3 rm --recursive --only-show-errors s3://lab-metrics/vm/vmstorage-0/daily/20260101/");
  });
});
