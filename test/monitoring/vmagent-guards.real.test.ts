/**
 * Two guards of the scrape configuration, with the real vmagent (Debian 1.79) and the stack's flags.
 *
 * 1. `sampleLimit` is the hard stop of every scrape object: a target over it must store nothing. With
 * stream parsing vmagent pushes each parsed chunk before it counts the next (VictoriaMetrics v1.133.0
 * lib/promscrape/scrapework.go, processDataInStreamMode: "Mark the scrape as failed even if it
 * already read and pushed some samples"), so up to the limit would land. The stack therefore runs
 * vmagent with stream parsing off (the chart's default turns it on), and this test runs the real
 * vmagent with the stack's own flags and the generated scrape config against targets just under and
 * just over the limit.
 *
 * 2. Platform targets keep one identity across DaemonSet rollouts: the pod, container, service and
 * endpoint labels the VM operator puts on every target are dropped (scrape-jobs.ts
 * PLATFORM_TARGET_IDENTITY), `node` and `instance` stay; experiment targets keep their pod.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScrapeConfig } from "../../components/monitoring/prometheus-config";
import { scrapeJobs } from "../../components/monitoring/scrape-jobs";
import { stackValues } from "../../components/monitoring/stack-values";
import { loadLabModel } from "../../config/load";
import { flushAndMerge, query, startVictoriaMetrics, startVmagent, stopAll, type Engine } from "../../tools/monitoring/engines";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "vmagent", "victoria-metrics");

// A small budget so the targets stay small: series_limit 40, sample_limit 80.
const model = loadLabModel(
  withChanges(loadStackConfig(), (c) => {
    c["lab:monitoring"].scrapeIntervals = { infra: "2s", inventory: "3s", experiment: "1s" };
    c["lab:monitoring"].seriesBudgets = { ...(c["lab:monitoring"].seriesBudgets ?? {}), experimentPerTarget: 40 };
  }),
  "lab",
);
const experiment = scrapeJobs(model).find((j) => j.tier === "experiment")!;

/** The vmagent flags the stack sets (VMAgent spec.extraArgs), as command-line flags. */
function stackVmagentFlags(): string[] {
  const values = stackValues(model, { textfileDir: "/var/lib/node_exporter/textfile" }) as { vmagent: { spec: { extraArgs: Record<string, string> } } };
  return Object.entries(values.vmagent.spec.extraArgs).map(([k, v]) => `-${k}=${v}`);
}

/** Exposition text of `count` allow-listed experiment series. */
function exposition(count: number): string {
  return Array.from({ length: count }, (_, i) => `libp2p_gossipsub_peers{topic="t${i}"} ${i}\n`).join("");
}

describe("the stack's vmagent flags", () => {
  it("turn stream parsing off explicitly (the chart's default is on), and every job has a sample limit", () => {
    expect(stackVmagentFlags()).toContain("-promscrape.streamParse=false");
    for (const job of scrapeJobs(model)) expect(job.sampleLimit, job.name).toBeGreaterThan(0);
  });
});

describe.skipIf(!haveTools)("a target over its sample_limit, scraped by the real vmagent with the stack's flags", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-sample-limit-"));
  let server: http.Server;
  let vm: Engine;
  const sizes = { under: experiment.seriesLimit, over: experiment.sampleLimit + 1 } as const;

  beforeAll(async () => {
    expect(experiment.sampleLimit).toBe(80);
    server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(req.url === "/node" ? "node_timex_sync_status 1\n" : exposition(req.url === "/over" ? sizes.over : sizes.under));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    vm = await startVictoriaMetrics({ dataDir: path.join(tmp, "vm"), logDir: tmp });
    // One job per target path: the generated experiment job with only its path changed.
    const configs: string[] = (["under", "over"] as const).map((name) =>
      renderScrapeConfig([{ ...experiment, name: `experiment-${name}`, path: `/${name}` }], { [`experiment-${name}`]: { targets: [target], labels: { namespace: "team-a", pod: name } } }),
    );
    // The labels the VM operator gives a node_exporter target (operator v0.66.1 servicescrape.go), as static labels.
    const operatorLabels = { namespace: "monitoring", pod: "vmks-prometheus-node-exporter-4kq7z", container: "node-exporter", service: "vmks-prometheus-node-exporter", endpoint: "metrics", node: "node-02" };
    const nodeExporter = scrapeJobs(model).find((j) => j.name === "node-exporter")!;
    configs.push(renderScrapeConfig([{ ...nodeExporter, path: "/node" }], { "node-exporter": { targets: [target], labels: operatorLabels } }));
    const config = path.join(tmp, "scrape.yml");
    fs.writeFileSync(config, configs.map((c) => c.replace(/^scrape_configs:\n/, "")).join("").replace(/^/, "scrape_configs:\n"));
    await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, "vmagent"), scrapeConfig: config, remoteWrites: [{ url: `${vm.url}/api/v1/write` }], extraArgs: stackVmagentFlags() });
    const deadline = Date.now() + 30_000;
    for (;;) {
      await flushAndMerge(vm);
      const scrapes = await query(vm, 'count_over_time(up{job="experiment"}[1m])');
      const node = await query(vm, "node_timex_sync_status");
      if (scrapes.length === 2 && scrapes.every((s) => Number(s.value[1]) >= 3) && node.length > 0) break;
      if (Date.now() > deadline) throw new Error(`scrapes did not arrive: ${JSON.stringify(scrapes)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 60_000);

  afterAll(async () => {
    await stopAll();
    server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("stores nothing of the target over the limit and marks it down", async () => {
    const stored = await query(vm, 'count by (pod) (last_over_time(libp2p_gossipsub_peers[1m]))');
    expect(stored.map((s) => [s.metric.pod, Number(s.value[1])])).toEqual([["under", sizes.under]]);
    const up = await query(vm, 'min by (pod) (min_over_time(up{job="experiment"}[1m]))');
    expect(Object.fromEntries(up.map((s) => [s.metric.pod, Number(s.value[1])]))).toEqual({ under: 1, over: 0 });
  });

  it("stores a platform target's series without the operator's pod, container, service and endpoint labels", async () => {
    const [sync] = await query(vm, "node_timex_sync_status");
    expect(sync.metric).toEqual({ __name__: "node_timex_sync_status", job: "node-exporter", instance: sync.metric.instance, namespace: "monitoring", node: "node-02", tier: "infra" });
    // An experiment target keeps its pod: it is the experiment's own identity.
    const [team] = await query(vm, 'up{job="experiment",pod="under"}');
    expect(team.metric.pod).toBe("under");
  });

  it("is refused by vmagent 1.79 if stream parsing comes back on (it would leak up to the limit on v1.133)", () => {
    const config = path.join(tmp, "dry.yml");
    fs.writeFileSync(config, renderScrapeConfig([experiment]));
    const flags = stackVmagentFlags().map((f) => f.replace("-promscrape.streamParse=false", "-promscrape.streamParse=true"));
    const stream = dryRun(config, flags);
    expect(stream.status).not.toBe(0);
    expect(stream.output).toContain("cannot use stream parsing mode when `sample_limit` is set");
    const ours = dryRun(config, stackVmagentFlags());
    expect(ours.output).toContain("all the configs are ok");
  });
});

/** `vmagent -dryRun` of a scrape config with extra flags. */
function dryRun(config: string, flags: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync("vmagent", [`-promscrape.config=${config}`, "-remoteWrite.url=http://127.0.0.1:1/api/v1/write", "-dryRun", "-httpListenAddr=127.0.0.1:0", ...flags], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
