/**
 * Issue 20 item 4 with the real vmagent (Debian 1.79): one vmagent process per team with the
 * generated experiment job and `-remoteWrite.maxDailySeries` from team-series-budgets.ts, and the
 * platform vmagent with its own budget. A team that floods past its budget loses only its own new
 * series, and its vmagent counts them in `vmagent_daily_series_limit_rows_dropped_total`, the counter
 * the alert reads; the other team's and the platform's series all arrive.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScrapeConfig } from "../../components/monitoring/prometheus-config";
import { scrapeJobs } from "../../components/monitoring/scrape-jobs";
import { teamSeriesBudgets } from "../../components/monitoring/team-series-budgets";
import { vmagentFlags } from "../../components/monitoring/team-vmagents";
import { loadLabModel } from "../../config/load";
import { flushAndMerge, http as vmHttp, query, startVictoriaMetrics, startVmagent, stopAll, type Engine } from "../../tools/monitoring/engines";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "vmagent", "victoria-metrics");

// Small numbers: 20 series per target, 60 experiment series a day for both teams together.
const model = loadLabModel(
  withChanges(loadStackConfig(), (c) => {
    c["lab:monitoring"].scrapeIntervals = { infra: "1s", inventory: "3s", experiment: "1s" };
    c["lab:monitoring"].seriesBudgets = { ...(c["lab:monitoring"].seriesBudgets ?? {}), experimentPerTarget: 20, experimentDailySeries: 60 };
  }),
  "lab",
);
const budgets = teamSeriesBudgets(model);
const jobs = scrapeJobs(model);

/** `count` allow-listed experiment series, distinct per target. */
const exposition = (target: string, count: number) => Array.from({ length: count }, (_, i) => `libp2p_gossipsub_peers{topic="${target}-${i}"} ${i}\n`).join("");

describe.skipIf(!haveTools)("one team floods its own vmagent past its daily series budget", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-series-budget-"));
  let server: http.Server;
  let vm: Engine;
  const agents = new Map<string, Engine>();

  const dropped = async (team: string) => {
    const text = (await vmHttp(agents.get(team)!, "/metrics")).text;
    return Number(/^vmagent_daily_series_limit_rows_dropped_total (\d+)/m.exec(text)?.[1] ?? "NaN");
  };

  beforeAll(async () => {
    // nomos: 3 pods × 20 series = 60 > its budget; dst: one pod, 20 series; a node_exporter.
    server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(req.url === "/node" ? "node_timex_sync_status 1\n" : exposition(req.url!.slice(1), 20));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    vm = await startVictoriaMetrics({ dataDir: path.join(tmp, "vm"), logDir: tmp });
    const write = [{ url: `${vm.url}/api/v1/write` }];
    const pods: Record<string, string[]> = { nomos: ["n0", "n1", "n2"], dst: ["d0"] };
    for (const budget of budgets) {
      const job = jobs.find((j) => j.team === budget.team)!;
      // One job per pod (a path each), as discovery would give one target per pod.
      const configs = pods[budget.team].map((pod) =>
        renderScrapeConfig([{ ...job, name: `${job.name}-${pod}`, path: `/${pod}` }], { [`${job.name}-${pod}`]: { targets: [host], labels: { namespace: budget.namespace, pod } } }).replace(/^scrape_configs:\n/, ""),
      );
      const file = path.join(tmp, `${budget.vmagent}.yml`);
      fs.writeFileSync(file, `scrape_configs:\n${configs.join("")}`);
      const flags = Object.entries(vmagentFlags(budget.dailySeries)).map(([k, v]) => `-${k}=${v}`);
      agents.set(budget.team, await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, budget.vmagent), scrapeConfig: file, remoteWrites: write, extraArgs: flags }));
    }
    const nodeExporter = jobs.find((j) => j.name === "node-exporter")!;
    const platformFile = path.join(tmp, "platform.yml");
    fs.writeFileSync(platformFile, renderScrapeConfig([{ ...nodeExporter, path: "/node" }], { "node-exporter": { targets: [host], labels: { node: "node-02" } } }));
    const platformFlags = Object.entries(vmagentFlags(model.monitoring.seriesBudgets.dailySeries)).map(([k, v]) => `-${k}=${v}`);
    agents.set("platform", await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, "platform"), scrapeConfig: platformFile, remoteWrites: write, extraArgs: platformFlags }));
    const deadline = Date.now() + 45_000;
    for (;;) {
      await flushAndMerge(vm);
      // nomos's own up series count against its budget too, so only dst's are awaited.
      const scrapes = await query(vm, 'count_over_time(up{job="experiment",namespace="dst"}[1m])');
      if (scrapes.length === 1 && Number(scrapes[0].value[1]) >= 3 && (await query(vm, "node_timex_sync_status")).length > 0 && (await dropped("nomos")) > 0) break;
      if (Date.now() > deadline) throw new Error(`scrapes did not arrive: ${JSON.stringify(scrapes)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 90_000);

  afterAll(async () => {
    await stopAll();
    server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("the budgets are the teams' cpu shares, each below the flood", () => {
    expect(Object.fromEntries(budgets.map((b) => [b.team, b.dailySeries]))).toEqual({ dst: 34, nomos: 25 });
  });

  it("stores no more of the flooding team than its budget, and counts the rest as dropped", async () => {
    const [stored] = await query(vm, 'count(last_over_time(libp2p_gossipsub_peers{namespace="nomos"}[1m]))');
    expect(Number(stored.value[1])).toBeLessThanOrEqual(25);
    expect(await dropped("nomos")).toBeGreaterThan(0);
  });

  it("stores every series of the other team and of the platform; their vmagents drop nothing", async () => {
    const [dst] = await query(vm, 'count(last_over_time(libp2p_gossipsub_peers{namespace="dst"}[1m]))');
    expect(Number(dst.value[1])).toBe(20);
    expect(await query(vm, "node_timex_sync_status")).toHaveLength(1);
    expect(await dropped("dst")).toBe(0);
    expect(await dropped("platform")).toBe(0);
  });
});
