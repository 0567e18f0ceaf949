/**
 * A team pod labels itself with another team's experiment id and emits series claiming the other
 * team's namespace and node. Through the generated experiment scrape job (real vmagent 1.79 into a
 * real victoria-metrics 1.79): `node` and `namespace` come from discovery and win over the pod's
 * own labels (`honor_labels: false` renames them `exported_*`), and `npm run archive` refuses an
 * experiment id that two namespaces use unless `--namespace` picks one, and then takes only its
 * series and nodes.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrapeConfigEntry } from "../../components/monitoring/prometheus-config";
import { scrapeJobs, targetRelabel } from "../../components/monitoring/scrape-jobs";
import { loadLabModel } from "../../config/load";
import { MANIFEST, type Manifest } from "../../tools/archive/bundle";
import { httpOk, query, startVictoriaMetrics, startVmagent, stopAll, type Engine } from "../../tools/monitoring/engines";
import { REPO_ROOT, loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "vmagent", "victoria-metrics") && requireTools("zstd", "zstd");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-experiment-attribution-"));
const servers: http.Server[] = [];
afterAll(async () => {
  await stopAll();
  for (const s of servers) s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** An experiment pod's metrics endpoint on loopback. */
async function exporter(body: string): Promise<string> {
  const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/plain" }).end(body));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What Kubernetes pod discovery gives the job for a pod (the labels relabeling copies). */
const discovered = (namespace: string, node: string, experiment: string) => ({
  __meta_kubernetes_namespace: namespace,
  __meta_kubernetes_pod_node_name: node,
  __meta_kubernetes_pod_label_lab_vac_dev_experiment: experiment,
});

function archive(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools/archive.ts"), ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
}

describe.skipIf(!haveTools)("a team pod claiming another team's experiment, namespace and node", () => {
  let vm: Engine;
  const from = Math.floor(Date.now() / 1000) - 60;

  beforeAll(async () => {
    const job = scrapeJobs(loadLabModel(loadStackConfig(), "lab")).find((j) => j.tier === "experiment");
    if (!job) throw new Error("the example stack has no experiment scrape job");
    // nomos's pod, labelled with dst's experiment id, forging dst's namespace and node in its series.
    const forger = await exporter('nim_gc_mem_bytes{namespace="dst",node="node-02",tier="infra"} 7\n');
    const genuine = await exporter("nim_gc_mem_bytes 3\n");
    vm = await startVictoriaMetrics({ name: "hot", dataDir: path.join(tmp, "vm"), logDir: tmp });
    // The generated job with discovery's relabeling; targets stand in for the discovered pods, and
    // a 1s interval keeps the test short.
    const entry = {
      ...scrapeConfigEntry(job),
      scrape_interval: "1s",
      scrape_timeout: "1s",
      kubernetes_sd_configs: undefined,
      static_configs: [
        { targets: [forger], labels: discovered("nomos", "node-07", "exp-42") },
        { targets: [genuine], labels: discovered("dst", "node-02", "exp-42") },
      ],
      relabel_configs: targetRelabel(job, true),
    };
    const config = path.join(tmp, "scrape.yml");
    fs.writeFileSync(config, yaml.dump({ scrape_configs: [JSON.parse(JSON.stringify(entry))] }));
    await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, "vmagent"), scrapeConfig: config, remoteWrites: [{ url: `${vm.url}/api/v1/write` }] });
    const deadline = Date.now() + 30_000;
    while ((await query(vm, "nim_gc_mem_bytes")).length < 2) {
      if (Date.now() > deadline) throw new Error("vmagent did not deliver both pods' series within 30s");
      await new Promise((r) => setTimeout(r, 500));
    }
    await httpOk(vm, "/internal/force_flush");
  }, 60_000);

  it("keeps discovery's namespace, node and tier on the forger's series", async () => {
    const series = (await query(vm, "nim_gc_mem_bytes")).map((r) => r.metric);
    const forged = series.find((m) => m.exported_namespace === "dst");
    expect(forged).toMatchObject({ namespace: "nomos", node: "node-07", experiment_id: "exp-42", tier: "experiment", exported_node: "node-02", exported_tier: "infra" });
    expect(series.filter((m) => m.namespace === "dst")).toEqual([expect.objectContaining({ node: "node-02", experiment_id: "exp-42" })]);
  });

  it("refuses to archive the shared experiment id without --namespace, and archives only the named namespace's series", () => {
    const to = String(Math.ceil(Date.now() / 1000));
    const mixed = archive("--experiment", "exp-42", "--from", String(from), "--to", to, "--margin", "1m", "--vm-url", vm.url, "--out", path.join(tmp, "mixed"));
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('experiment_id="exp-42" has series from namespaces dst, nomos');
    const out = path.join(tmp, "dst");
    const own = archive("--experiment", "exp-42", "--namespace", "dst", "--from", String(from), "--to", to, "--margin", "1m", "--vm-url", vm.url, "--out", out);
    expect(own.status, own.stderr).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as Manifest;
    expect(manifest.nodes).toEqual(["node-02"]);
    expect(manifest.files[0]).toMatchObject({ name: "experiment.jsonl.zst", query: '{experiment_id="exp-42",namespace="dst"}' });
    // Every archived series (the metric and vmagent's per-target series) is dst's own, and there are some.
    const lines = spawnSync("zstd", ["-dc", path.join(out, "experiment.jsonl.zst")], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    const labels = lines.map((l) => (JSON.parse(l) as { metric: Record<string, string> }).metric);
    expect(labels.length).toBe(manifest.files[0].series);
    expect(labels.map((m) => m.__name__)).toContain("nim_gc_mem_bytes");
    expect(labels.filter((m) => m.namespace !== "dst" || m.node !== "node-02")).toEqual([]);
  });
});
