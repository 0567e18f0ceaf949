/**
 * Issue 20 item 1, from the attacker's side, with the real vmagent and VictoriaMetrics (Debian 1.79):
 * a team pod's /metrics answers `302` to the storage's delete API for another team's series. vmagent,
 * scraping with the generated experiment job, must not follow it (follow_redirects: false), and the
 * storage must refuse the delete without its key (admin-keys.ts), while the key holder still can.
 *
 * A control run with a vmagent that follows redirects against a storage without a key shows that the
 * attack is real on these binaries (the victim's series is gone), so the guarded run's "still there"
 * means something.
 *
 * vmagent v1.133 scrapes with net/http and follows a redirect to any host (lib/promscrape/client.go
 * L100-104: only `follow_redirects: false` installs a CheckRedirect). Debian's 1.79 scrapes with
 * fasthttp and re-sends the Location on the target's own connection (v1.79.5 lib/promscrape/client.go
 * L253-272, "the redirect is made on the same host"); the attacker's pod here therefore relays what
 * it receives on the redirected path to the storage, which is what v1.133 does directly.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScrapeConfig } from "../../components/monitoring/prometheus-config";
import { scrapeJobs } from "../../components/monitoring/scrape-jobs";
import { loadLabModel } from "../../config/load";
import { flushAndMerge, http as vmHttp, query, startVictoriaMetrics, startVmagent, stop, stopAll, type Engine } from "../../tools/monitoring/engines";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("victoria-metrics", "vmagent", "victoria-metrics");

const model = loadLabModel(
  withChanges(loadStackConfig(), (c) => {
    c["lab:monitoring"].scrapeIntervals = { infra: "2s", inventory: "3s", experiment: "1s" };
  }),
  "lab",
);
const experiment = scrapeJobs(model).find((j) => j.tier === "experiment")!;
const VICTIM = 'kube_pod_info{namespace="nomos",pod="victim-0"}';
const KEY = "generatedDeleteKeyForTheTest0123456789abcdefghij";

describe.skipIf(!haveTools)("a team pod redirects vmagent's scrape to the delete API of the storage", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-redirect-"));
  let attacker: http.Server;
  let redirectTo = "";
  let victimUrl = "";
  let hits = 0;
  let followed = 0;
  const engines: Engine[] = [];

  /** Storage with the victim's series; the sink receives vmagent's writes. */
  async function storage(name: string, keyed: boolean): Promise<Engine> {
    const keyDir = path.join(tmp, `${name}-keys`);
    fs.mkdirSync(keyDir, { recursive: true });
    fs.writeFileSync(path.join(keyDir, "delete"), KEY);
    // Debian's 1.79 reads -deleteAuthKey as a plain string; v1.133 reads the file:// form the stack sets.
    const flags = keyed ? [`-deleteAuthKey=${KEY}`] : [];
    const vm = await startVictoriaMetrics({ name, dataDir: path.join(tmp, name), logDir: tmp, extraArgs: flags });
    engines.push(vm);
    const now = Date.now();
    const lines = [0, 1, 2].map((i) => JSON.stringify({ metric: { __name__: "kube_pod_info", namespace: "nomos", pod: "victim-0" }, values: [1], timestamps: [now - i * 10_000] }));
    await vmHttp(vm, "/api/v1/import", { method: "POST", body: `${lines.join("\n")}\n` });
    await flushAndMerge(vm);
    expect(await query(vm, VICTIM)).toHaveLength(1);
    return vm;
  }

  /** vmagent scraping the attacker's pod with the experiment job (or a copy that follows redirects). */
  async function scrape(name: string, followRedirects: boolean, sink: Engine): Promise<Engine> {
    const target = `127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    let config = renderScrapeConfig([experiment], { [experiment.name]: { targets: [target], labels: { namespace: "dst", pod: "attacker" } } });
    expect(config).toContain("follow_redirects: false");
    if (followRedirects) config = config.replace("follow_redirects: false", "follow_redirects: true");
    const file = path.join(tmp, `${name}.yml`);
    fs.writeFileSync(file, config);
    const agent = await startVmagent({ logDir: tmp, tmpDir: path.join(tmp, name), scrapeConfig: file, remoteWrites: [{ url: `${sink.url}/api/v1/write` }] });
    engines.push(agent);
    const deadline = Date.now() + 30_000;
    for (;;) {
      await flushAndMerge(sink);
      const scrapes = await query(sink, 'count_over_time(up{job="experiment"}[1m])');
      if (scrapes.length === 1 && Number(scrapes[0].value[1]) >= 3) return agent;
      if (Date.now() > deadline) throw new Error(`no scrapes arrived: ${JSON.stringify(scrapes)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  beforeAll(async () => {
    attacker = http.createServer((req, res) => {
      if (req.url?.startsWith("/metrics")) {
        hits++;
        res.writeHead(302, { location: redirectTo });
        res.end();
        return;
      }
      // The redirected request: relay it to the storage (v1.133 sends it there itself).
      followed++;
      fetch(`${victimUrl}${req.url}`, { method: req.method })
        .then(async (r) => {
          res.writeHead(r.status);
          res.end(await r.text());
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  }, 30_000);

  afterAll(async () => {
    await stopAll();
    attacker?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A storage holding the victim's series (no key: only the scrape config may stop the attack), a sink, one vmagent run. */
  async function attack(name: string, followRedirects: boolean): Promise<{ victim: Engine; sink: Engine }> {
    const victim = await storage(name, false);
    const sink = await startVictoriaMetrics({ name: `${name}-sink`, dataDir: path.join(tmp, `${name}-sink`), logDir: tmp });
    engines.push(sink);
    victimUrl = victim.url;
    redirectTo = `/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent('{namespace="nomos"}')}`;
    hits = 0;
    followed = 0;
    await stop(await scrape(`${name}-agent`, followRedirects, sink));
    return { victim, sink };
  }

  it("control: a vmagent that follows redirects, against a storage without a key, erases the victim's series", async () => {
    const { victim } = await attack("control", true);
    expect(followed).toBeGreaterThan(0);
    expect(await query(victim, VICTIM)).toEqual([]);
  }, 60_000);

  it("the generated experiment scrape does not follow the redirect: the scrape fails, the series stays", async () => {
    const { victim, sink } = await attack("guarded", false);
    expect(hits).toBeGreaterThanOrEqual(3);
    expect(followed).toBe(0);
    expect(await query(victim, VICTIM)).toHaveLength(1);
    const up = await query(sink, 'max_over_time(up{job="experiment"}[1m])');
    expect(Number(up[0].value[1])).toBe(0);
  }, 60_000);

  it("the storage refuses the delete API without the key (the redirect's URL carries none), and the key holder may delete", async () => {
    const victim = await storage("keyed", true);
    const match = encodeURIComponent('{namespace="nomos"}');
    for (const query of [`match[]=${match}`, `match[]=${match}&authKey=`, `match[]=${match}&authKey=guess`]) {
      const res = await vmHttp(victim, `/api/v1/admin/tsdb/delete_series?${query}`, { method: "POST" });
      expect(res.status, query).toBeGreaterThanOrEqual(400);
    }
    expect(await queryOf(victim)).toHaveLength(1);
    const own = await vmHttp(victim, `/api/v1/admin/tsdb/delete_series?match[]=${match}&authKey=${KEY}`, { method: "POST" });
    expect(own.status).toBeLessThan(300);
    expect(await queryOf(victim)).toEqual([]);
  }, 60_000);
});

async function queryOf(vm: Engine) {
  return query(vm, VICTIM);
}
