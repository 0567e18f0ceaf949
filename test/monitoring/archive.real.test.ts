/**
 * `npm run archive` against real engines (Debian victoria-metrics 1.79, zstd): an experiment's series
 * and its nodes' health series over the window with margins go into a checksummed bundle, and the
 * bundle restored into a fresh instance gives identical series and sample counts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLabModel } from "../../config/load";
import { MANIFEST, type Manifest } from "../../tools/archive/bundle";
import { httpOk, query, startVictoriaMetrics, stopAll, type Engine } from "../../tools/monitoring/engines";
import { importBody, type SyntheticSeries } from "../../tools/monitoring/synthetic";
import { REPO_ROOT, loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "victoria-metrics") && requireTools("zstd", "zstd");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-archive-test-"));
afterAll(async () => {
  await stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const STEP_MS = loadLabModel(loadStackConfig(), "lab").monitoring.scrapeSeconds.infra * 1000;
const HOUR = 3600_000;
// Data spans 4h; the experiment ran for the middle hour [from, to]; the archive adds 30m either side.
const DATA_END = Math.floor((Date.now() - HOUR) / HOUR) * HOUR;
const DATA_START = DATA_END - 4 * HOUR;
const FROM = DATA_START + 1.5 * HOUR;
const TO = DATA_START + 2.5 * HOUR;

const series: SyntheticSeries[] = [
  // Experiment exp-42 on node-02 and node-03; another experiment on node-04.
  ...["node-02", "node-03"].flatMap((node): SyntheticSeries[] => [
    { labels: { __name__: "libp2p_peers", experiment_id: "exp-42", namespace: "dst", node, pod: `p-${node}`, tier: "experiment" }, shape: "gauge" },
    { labels: { __name__: "dst_testnode_message_delay_ms_bucket", experiment_id: "exp-42", namespace: "dst", node, le: "100", tier: "experiment" }, shape: "counter" },
  ]),
  // node-02 is shared: issue 20 item 12, another team's pod there must stay out of dst's archive,
  // while dst's own pod and the platform's (the CNI in kube-system, node_exporter in monitoring) go in.
  { labels: { __name__: "kube_pod_info", namespace: "nomos", pod: "nomos-0", node: "node-02", tier: "infra" }, shape: "constant" },
  { labels: { __name__: "container_cpu_usage_seconds_total", namespace: "nomos", pod: "nomos-0", container: "app", node: "node-02", tier: "infra" }, shape: "counter" },
  { labels: { __name__: "kube_pod_info", namespace: "dst", pod: "p-node-02", node: "node-02", tier: "infra" }, shape: "constant" },
  { labels: { __name__: "kube_pod_container_status_restarts_total", namespace: "kube-system", pod: "kube-ovn-cni-abcde", container: "cni-server", node: "node-02", tier: "infra" }, shape: "counter" },
  { labels: { __name__: "node_load1", namespace: "monitoring", node: "node-02", tier: "infra" }, shape: "gauge" },
  { labels: { __name__: "libp2p_peers", experiment_id: "exp-7", node: "node-04", pod: "q", tier: "experiment" }, shape: "gauge" },
  // Health series of every node, and a non-health series.
  ...["node-02", "node-03", "node-04"].flatMap((node): SyntheticSeries[] => [
    { labels: { __name__: "node_timex_offset_seconds", node, tier: "infra" }, shape: "gauge" },
    { labels: { __name__: "node_network_receive_errs_total", node, device: "enp65s0f0", tier: "infra" }, shape: "counter" },
    { labels: { __name__: "lab_calibration_fio_read_bytes_per_second", node, tier: "inventory" }, shape: "constant" },
    { labels: { __name__: "node_disk_read_time_seconds_total", node, device: "nvme0n1", tier: "infra" }, shape: "counter" },
  ]),
];

function archive(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools/archive.ts"), ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
}

/** Label set -> sample count, for every series matching `selector` in [start, end]. */
async function inventory(vm: Engine, selector: string, startMs: number, endMs: number): Promise<Record<string, number>> {
  const seconds = (endMs - startMs) / 1000;
  const result = await query(vm, `count_over_time(${selector}[${seconds}s])`, endMs / 1000);
  const names = await query(vm, `last_over_time(${selector}[${seconds}s])`, endMs / 1000);
  // count_over_time drops __name__: pair results by the remaining labels, which are unique here.
  const withName = new Map(names.map((r) => [JSON.stringify({ ...r.metric, __name__: undefined }), r.metric.__name__]));
  return Object.fromEntries(
    result.map((r) => [JSON.stringify(Object.fromEntries(Object.entries({ ...r.metric, __name__: withName.get(JSON.stringify({ ...r.metric, __name__: undefined })) }).sort())), Number(r.value[1])]),
  );
}

describe.skipIf(!haveTools)("experiment archive round trip", () => {
  let source: Engine;
  const out = path.join(tmp, "exp-42");

  beforeAll(async () => {
    source = await startVictoriaMetrics({ name: "source", dataDir: path.join(tmp, "source"), logDir: tmp });
    await httpOk(source, "/api/v1/import", { body: importBody(series, DATA_START, DATA_END, STEP_MS) });
    await httpOk(source, "/internal/force_flush");
  }, 60_000);

  it("exports the experiment and its nodes' health series over the window with margins, with a checksummed manifest", async () => {
    const result = archive("--experiment", "exp-42", "--from", new Date(FROM).toISOString(), "--to", String(TO / 1000), "--vm-url", source.url, "--out", out);
    expect(result.status, result.stderr).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as Manifest;
    expect(manifest.nodes).toEqual(["node-02", "node-03"]);
    expect(manifest.window).toEqual({ start: new Date(FROM - HOUR / 2).toISOString(), end: new Date(TO + HOUR / 2).toISOString(), startSeconds: (FROM - HOUR / 2) / 1000, endSeconds: (TO + HOUR / 2) / 1000 });
    // Debian's build is not version-stamped (it logs `build version: ""`), so it can only say so.
    expect(manifest.source).toEqual({ url: source.url, victoriaMetricsVersion: "unknown" });
    expect(manifest.tool.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    // 2h window at 30s: 240 samples per series; start exclusive, end inclusive in /api/v1/export... either bound may count.
    const perSeries = (2 * HOUR) / STEP_MS;
    const [experiment, health] = manifest.files;
    expect(experiment).toMatchObject({ name: "experiment.jsonl.zst", query: '{experiment_id="exp-42",namespace="dst"}', series: 4 });
    // 6 node-level series of node-02/03, dst's own pod, the CNI's restarts, node_load1 of monitoring.
    expect(health).toMatchObject({ name: "health.jsonl.zst", series: 9 });
    expect(health.query).toContain('node=~"node-02|node-03"');
    for (const f of manifest.files) {
      expect(Math.abs(f.samples - f.series * perSeries)).toBeLessThanOrEqual(f.series);
      const sum = spawnSync("sha256sum", [path.join(out, f.name)], { encoding: "utf8" }).stdout.split(" ")[0];
      expect(sum).toBe(f.sha256);
      expect(spawnSync("zstd", ["-t", "-q", path.join(out, f.name)]).status).toBe(0);
    }
  });

  it("restores into a fresh instance with identical series and sample counts", async () => {
    const fresh = await startVictoriaMetrics({ name: "fresh", dataDir: path.join(tmp, "fresh"), logDir: tmp });
    const result = archive("--restore", out, "--vm-url", fresh.url);
    expect(result.status, result.stderr).toBe(0);
    await httpOk(fresh, "/internal/force_flush");
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as Manifest;
    const [start, end] = [manifest.window.startSeconds * 1000 - 1, manifest.window.endSeconds * 1000];
    for (const f of manifest.files) {
      const expected = await inventory(source, f.query, start, end);
      expect(Object.keys(expected)).toHaveLength(f.series);
      expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(f.samples);
      expect(await inventory(fresh, f.query, start, end)).toEqual(expected);
    }
    // Nothing else came along: not the other experiment, not node-04, not the non-health series.
    expect(Object.keys(await inventory(fresh, '{__name__!=""}', start, end))).toHaveLength(13);
    expect(await query(fresh, '{node="node-04"}', end / 1000)).toEqual([]);
    expect(await query(fresh, "node_disk_read_time_seconds_total", end / 1000)).toEqual([]);
  });

  it("takes no other team's series from a shared node (item 12), and keeps the team's own and the platform's", async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as Manifest;
    const fresh = await startVictoriaMetrics({ name: "fresh-12", dataDir: path.join(tmp, "fresh-12"), logDir: tmp });
    expect(archive("--restore", out, "--vm-url", fresh.url).status).toBe(0);
    await httpOk(fresh, "/internal/force_flush");
    const at = manifest.window.endSeconds;
    const names = async (selector: string) => (await query(fresh, `last_over_time(${selector}[3h])`, at)).map((r) => `${r.metric.namespace}/${r.metric.pod}`).sort();
    expect(await names('{namespace="nomos"}')).toEqual([]);
    expect(await names('{__name__=~"kube_pod_info|kube_pod_container_status_restarts_total"}')).toEqual(["dst/p-node-02", "kube-system/kube-ovn-cni-abcde"]);
    expect(await query(fresh, `last_over_time(node_load1{namespace="monitoring"}[3h])`, at)).toHaveLength(1);
  });

  it("refuses a tampered archive and an unknown experiment", async () => {
    const copy = path.join(tmp, "tampered");
    fs.cpSync(out, copy, { recursive: true });
    fs.appendFileSync(path.join(copy, "health.jsonl.zst"), "x");
    const tampered = archive("--restore", copy, "--vm-url", source.url);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/health\.jsonl\.zst has sha256 [0-9a-f]+, the manifest says/);
    const unknown = archive("--experiment", "nope", "--from", String(FROM / 1000), "--to", String(TO / 1000), "--vm-url", source.url, "--out", path.join(tmp, "nope"));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no series with experiment_id="nope"');
  });
});
