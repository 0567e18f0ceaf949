/**
 * npm run bench:monitoring -- [--pods 0,100] [--nodes 4]
 *
 * Measures, with the real engines (Debian node_exporter 1.5, vmagent and victoria-metrics 1.79):
 *  1. node_exporter series per node before (Debian defaults, nothing dropped) and after the
 *     generated flags and allow-lists, on a simulated lab node (network namespace with a NIC, ovn0,
 *     the Geneve tunnel and one veth per pod; needs root, else the host's own interfaces are used);
 *  2. bytes per sample of the hot tier (raw, 30s) and of the cold tier (generated cold relabeling,
 *     -dedup.minScrapeInterval=5m), for one day of data shaped like those node_exporter series;
 *  3. the projected disk for the example lab (Pulumi.lab.yaml) per tier:
 *     series x samples/s x bytes/sample x (retention + 1 month) x RF x 1.25 (VictoriaMetrics sizing guide).
 * Prints Markdown tables on stdout; progress (step, elapsed) on stderr, redrawn on a terminal, one
 * line per step in CI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { coldRelabelConfigs, coldSpecs, keeps } from "../components/monitoring/metrics";
import { nodeExporterArgs } from "../components/monitoring/node-exporter";
import { renderRelabelFile, renderScrapeConfig } from "../components/monitoring/prometheus-config";
import { scrapeJobs } from "../components/monitoring/scrape-jobs";
import { loadLabModel } from "../config/load";
import { parseCommandLine } from "./cli";
import { Progress } from "./progress";
import {
  flushAndMerge, httpOk, query, scalar, simulateNode, startNodeExporter, startVictoriaMetrics, startVmagent, stop, stopAll, storedBytes, storedRows,
  type Engine,
} from "./monitoring/engines";
import { importBody, type SeriesShape, type SyntheticSeries } from "./monitoring/synthetic";
import { readStackFile } from "./plan/stack-file";

const USAGE = "usage: npm run bench:monitoring -- [--pods 0,100] [--nodes 4]";
const ROOT = path.resolve(__dirname, "..");
const DAY_MS = 86_400_000;
/** VictoriaMetrics sizing guide: one retention cycle on top (partitions drop monthly) and 25% merge headroom. */
const CYCLE_DAYS = 31;
const HEADROOM = 1.25;

/**
 * Assumptions for the series node_exporter cannot show on this machine (from the worked example in
 * monitoring-and-health.md §1.5; replace with `count by (job) ({__name__!=""})` from the lab).
 */
const ASSUMED = {
  kubeletCadvisorPerNode: 1500,
  kubeStateMetrics: 15000,
  kubeOvnPerNode: 100,
  pingerPerNodePair: 12,
  experimentSeries: 50_000,
  coldKubeStateMetrics: 3000,
  coldCadvisorPerNode: 300,
  /**
   * Per-core series this VM cannot produce (no cpufreq, no thermal_throttle): before, frequency
   * cur/min/max + 2 governors (intel_pstate) + core throttles; after, frequency + governor=performance
   * + core throttles.
   */
  perCoreMissingBefore: 6,
  perCoreMissingAfter: 3,
};

interface NodeSeries {
  before: number;
  after: number;
  afterCold: number;
  beforePerCpu: number;
  afterPerCpu: number;
  /** Label sets of the series kept, as templates for part 2. */
  kept: Array<Record<string, string>>;
  interfaces: string;
}

async function waitForScrapes(vm: Engine, jobs: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await flushAndMerge(vm);
    const up = await query(vm, "count_over_time(up[1m])");
    if (up.length >= jobs && up.every((s) => Number(s.value[1]) >= 2)) return;
    if (Date.now() > deadline) throw new Error("scrapes did not arrive in 60s");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function measureNodeSeries(tmp: string, pods: number): Promise<NodeSeries> {
  // Short intervals only to see scrapes quickly; flags, allow-lists and relabeling are the generated ones.
  const raw = readStackFile(path.join(ROOT, "Pulumi.lab.yaml")).raw;
  const monitoring = { ...(raw["lab:monitoring"] as object), scrapeIntervals: { infra: "2s", inventory: "2s", experiment: "2s" } };
  const model = loadLabModel({ ...raw, "lab:monitoring": monitoring }, "bench");
  const root = process.getuid?.() === 0;
  const node = root ? simulateNode(`lb${process.pid}p${pods}`, pods, Math.floor(pods / 5)) : undefined;
  const netns = node?.netns;
  try {
    const textfileDir = path.join(tmp, "textfile");
    fs.mkdirSync(textfileDir);
    fs.writeFileSync(path.join(textfileDir, "calibration.prom"), ["fio_read_bytes_per_second 1.5e+09", "fio_write_bytes_per_second 9e+08", "iperf3_bytes_per_second{peer=\"node-03\"} 4.9e+09"].map((l) => `lab_calibration_${l}`).join("\n") + "\n");
    const before = await startNodeExporter({ name: "ne-before", logDir: tmp, netns, args: [] });
    const after = await startNodeExporter({ name: "ne-after", logDir: tmp, netns, args: nodeExporterArgs(textfileDir) });
    const vm = await startVictoriaMetrics({ name: "vm-series", dataDir: path.join(tmp, "vm-series"), logDir: tmp, netns });
    const target = after.url.replace("http://", "");
    const config = yaml.load(renderScrapeConfig(scrapeJobs(model), { "node-exporter": { targets: [target] }, "node-exporter-inventory": { targets: [target] } }, ["node-exporter", "node-exporter-inventory"])) as { scrape_configs: unknown[] };
    config.scrape_configs.push({ job_name: "unfiltered", scrape_interval: "2s", static_configs: [{ targets: [before.url.replace("http://", "")] }] });
    const file = path.join(tmp, "bench-scrape.yml");
    fs.writeFileSync(file, yaml.dump(config, { lineWidth: -1 }));
    const agent = await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, "vmagent-series"), netns, scrapeConfig: file, remoteWrites: [{ url: `${vm.url}/api/v1/write` }] });
    await waitForScrapes(vm, 3);
    const cpus = os.cpus().length;
    const beforeCount = await scalar(vm, 'max_over_time(scrape_samples_scraped{job="unfiltered"}[1m])');
    const afterCount = await scalar(vm, 'max_over_time(scrape_samples_post_metric_relabeling{job="node-exporter", tier="infra"}[1m])');
    const cold = coldSpecs();
    const exported = (await httpOk(vm, `/api/v1/export?match[]=${encodeURIComponent('{job="node-exporter"}')}`)).trim().split("\n").map((l) => (JSON.parse(l) as { metric: Record<string, string> }).metric);
    const kept = exported.filter((m) => !/^(up|scrape_.*)$/.test(m.__name__));
    const result: NodeSeries = {
      before: beforeCount,
      after: afterCount,
      afterCold: kept.filter((m) => keeps(cold, m.__name__)).length,
      beforePerCpu: (await scalar(vm, 'count(last_over_time({job="unfiltered", cpu!=""}[1m]))')) / cpus,
      afterPerCpu: (await scalar(vm, 'count(last_over_time({job="node-exporter", tier="infra", cpu!=""}[1m]))')) / cpus,
      kept,
      interfaces: node ? `NIC + ovn0 + genev_sys_6081 + ${node.podInterfaces.length} pod veths` : "host interfaces (not root: no simulated node)",
    };
    await stop(agent);
    return result;
  } finally {
    await stopAll();
    node?.remove();
  }
}

/** The shape a real series of this name has, for realistic compression. */
function shapeOf(name: string): SeriesShape {
  if (/(_total|_count|_sum|_bucket|pgmajfault)$/.test(name)) return "counter";
  if (/(_info|_size_bytes|MemTotal_bytes|speed_bytes|mtu_bytes|boot_time_seconds|_limit|maximum|_files|readonly|_up|sync_status|device_error|_version|lab_calibration_.*)$/.test(name)) return "constant";
  return "gauge";
}

interface Tiers {
  rawSeries: number;
  coldSeries: number;
  rawBytes: number;
  coldBytes: number;
  rawRows: number;
  coldRows: number;
}

async function measureBytesPerSample(tmp: string, templates: Array<Record<string, string>>, nodes: number): Promise<Tiers> {
  const model = loadLabModel(readStackFile(path.join(ROOT, "Pulumi.lab.yaml")).raw, "bench");
  const series: SyntheticSeries[] = Array.from({ length: nodes }, (_, n) =>
    templates.map((labels) => ({ labels: { ...labels, node: `node-${String(n + 1).padStart(2, "0")}`, instance: `192.0.2.${n + 11}:9100` }, shape: shapeOf(labels.__name__) })),
  ).flat();
  try {
    const raw = await startVictoriaMetrics({ name: "raw", dataDir: path.join(tmp, "raw"), logDir: tmp });
    const cold = await startVictoriaMetrics({ name: "cold", dataDir: path.join(tmp, "cold"), logDir: tmp, dedup: model.monitoring.cold.resolution });
    const relabel = path.join(tmp, "cold-relabel.yml");
    fs.writeFileSync(relabel, renderRelabelFile(coldRelabelConfigs()));
    const agent = await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, "vmagent-bytes"), remoteWrites: [{ url: `${raw.url}/api/v1/write` }, { url: `${cold.url}/api/v1/write`, relabelFile: relabel }] });
    const step = model.monitoring.scrapeSeconds.infra * 1000;
    const end = Math.floor((Date.now() - 3_600_000) / 300_000) * 300_000;
    const start = end - DAY_MS;
    for (let i = 0; i < series.length; i += 100) await httpOk(agent, "/api/v1/import", { body: importBody(series.slice(i, i + 100), start, end, step) });
    const expected = series.length * (DAY_MS / step);
    const deadline = Date.now() + 120_000;
    while ((await scalar(raw, `sum(count_over_time({__name__!=""}[1d]))`, end / 1000)) < expected) {
      if (Date.now() > deadline) throw new Error("vmagent did not deliver the day of samples");
      await new Promise((r) => setTimeout(r, 1000));
      await httpOk(raw, "/internal/force_flush");
    }
    await new Promise((r) => setTimeout(r, 2000));
    await stop(agent);
    await flushAndMerge(raw);
    await flushAndMerge(cold);
    return {
      rawSeries: series.length,
      coldSeries: await scalar(cold, `count(last_over_time({__name__!=""}[1d]))`, end / 1000),
      rawBytes: await storedBytes(raw),
      coldBytes: await storedBytes(cold),
      rawRows: await storedRows(raw),
      coldRows: await storedRows(cold),
    };
  } finally {
    await stopAll();
  }
}

const gib = (bytes: number) => bytes / 2 ** 30;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<number> {
  const parsed = parseCommandLine(["pods", "nodes"], USAGE);
  if (!("values" in parsed)) return parsed.exit;
  const podCounts = (parsed.values.pods ?? "0,100").split(",").map(Number);
  const sampleNodes = Number(parsed.values.nodes ?? 4);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-bench-monitoring-"));
  try {
    const progress = new Progress();
    const measured: NodeSeries[] = [];
    for (const [i, pods] of podCounts.entries()) {
      const step = progress.step(`node_exporter series, simulated node with ${pods} pods (${i + 1}/${podCounts.length})`);
      measured.push(await measureNodeSeries(fs.mkdtempSync(path.join(tmp, `series-${i}-`)), pods));
      step.end(`${measured[i].before} series before, ${measured[i].after} after`);
    }
    const s = measured[measured.length - 1];
    const bytes = progress.step(`bytes per sample: one day of data for ${sampleNodes} nodes through vmagent into hot and cold VictoriaMetrics`);
    const t = await measureBytesPerSample(tmp, s.kept, sampleNodes);
    bytes.end();
    const model = loadLabModel(readStackFile(path.join(ROOT, "Pulumi.lab.yaml")).raw, "lab");
    const m = model.monitoring;
    const cpus = os.cpus().length;

    const project = (measured: number, perCpu: number, cores: number, extra: number) => measured - perCpu * cpus + (perCpu + extra) * cores;
    console.log(`## node_exporter series per node (${cpus} CPUs here)\n`);
    console.log("| Node | Before (Debian defaults, nothing dropped) | After (generated flags + allow-lists) | Reduction |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const x of measured) {
      const kept = x.kept.length;
      console.log(`| ${x.interfaces}, measured | ${fmt(x.before)} | ${fmt(kept)} (${fmt(x.after)} infra + ${fmt(kept - x.after)} inventory) | ${fmt(100 * (1 - kept / x.before), 1)}% |`);
      const b64 = project(x.before, x.beforePerCpu, 64, ASSUMED.perCoreMissingBefore);
      const a64 = project(kept, x.afterPerCpu, 64, ASSUMED.perCoreMissingAfter);
      console.log(`| same, projected to 64 cores | ${fmt(b64)} | ${fmt(a64)} | ${fmt(100 * (1 - a64 / b64), 1)}% |`);
    }
    console.log(`\nPer-CPU series: ${fmt(s.beforePerCpu, 1)} before, ${fmt(s.afterPerCpu, 1)} after; the projection adds the per-core series this VM cannot produce (cpufreq, governor, throttles): ${ASSUMED.perCoreMissingBefore} before, ${ASSUMED.perCoreMissingAfter} after. Of the kept series, ${fmt(s.afterCold)} go to the cold tier.\n`);

    const rawBps = t.rawBytes / t.rawRows;
    const coldBps = t.coldBytes / t.coldRows;
    console.log(`## Bytes per sample, one day of node_exporter-shaped data (${fmt(t.rawSeries)} series = ${sampleNodes} nodes x ${fmt(s.kept.length)})\n`);
    console.log("| Tier | Series | Rows on disk | Data bytes | Bytes/sample | Bytes per day |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
    console.log(`| hot (raw, ${m.scrapeIntervals.infra}) | ${fmt(t.rawSeries)} | ${fmt(t.rawRows)} | ${fmt(t.rawBytes)} | ${fmt(rawBps, 3)} | ${fmt(t.rawBytes)} |`);
    console.log(`| cold (allow-list, ${m.cold.resolution}) | ${fmt(t.coldSeries)} | ${fmt(t.coldRows)} | ${fmt(t.coldBytes)} | ${fmt(coldBps, 3)} | ${fmt(t.coldBytes)} |`);
    console.log(`\nCold tier per day: ${fmt(100 * (1 - t.coldBytes / t.rawBytes), 1)}% smaller than raw.\n`);

    // Projection for the example lab.
    const nodes = model.nodes;
    const n = nodes.length;
    const nodeExporterHot = nodes.reduce((sum, node) => sum + project(s.kept.length, s.afterPerCpu, node.cpu, ASSUMED.perCoreMissingAfter), 0);
    const pinger = ASSUMED.pingerPerNodePair * n * (n - 1);
    const infraHot = nodeExporterHot + n * (ASSUMED.kubeletCadvisorPerNode + ASSUMED.kubeOvnPerNode) + ASSUMED.kubeStateMetrics + pinger;
    const coldPerNodeExporter = (s.afterCold / s.kept.length) * (nodeExporterHot / n);
    const coldSeries = n * (coldPerNodeExporter + ASSUMED.coldCadvisorPerNode) + ASSUMED.coldKubeStateMetrics + pinger;
    const rows = [
      { tier: "hot: infra + inventory", series: infraHot, perSecond: infraHot / m.scrapeSeconds.infra, bps: rawBps, days: m.retentionDays.hot, rf: m.hot.replicationFactor },
      { tier: "hot: experiment (assumed)", series: ASSUMED.experimentSeries, perSecond: ASSUMED.experimentSeries / m.scrapeSeconds.experiment, bps: rawBps, days: m.retentionDays.hot, rf: m.hot.replicationFactor },
      { tier: "cold", series: coldSeries, perSecond: coldSeries / m.coldResolutionSeconds, bps: coldBps, days: m.retentionDays.cold, rf: 1 },
    ].map((r) => ({ ...r, bytes: r.perSecond * 86_400 * r.bps * (r.days + CYCLE_DAYS) * r.rf * HEADROOM }));
    console.log(`## Projected disk, example lab (${n} nodes, ${m.hot.retention} hot x RF ${m.hot.replicationFactor}, ${m.cold.retention} cold)\n`);
    console.log("| Tier | Series | Samples/s | Bytes/sample (measured) | Retention + cycle (d) | RF | Disk (GiB) |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of rows) console.log(`| ${r.tier} | ${fmt(r.series)} | ${fmt(r.perSecond)} | ${fmt(r.bps, 3)} | ${r.days + CYCLE_DAYS} | ${r.rf} | ${fmt(gib(r.bytes), 1)} |`);
    const hot = rows[0].bytes + rows[1].bytes;
    console.log(`\nHot tier total ${fmt(gib(hot), 1)} GiB = ${fmt(gib(hot) / m.hot.storageNodes, 1)} GiB per vmstorage (configured ${m.hot.storageSize} each); cold ${fmt(gib(rows[2].bytes), 1)} GiB (configured ${m.cold.storageSize}).`);
    console.log(`Assumed (not measurable here): ${Object.entries(ASSUMED).map(([k, v]) => `${k}=${v}`).join(", ")}.`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench:monitoring: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
