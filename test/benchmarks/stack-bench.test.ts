/**
 * One stack-bench run against a fake kubectl that plays the cluster: the templates are the plan's
 * own (benchmarkTemplates of the example lab), the logs are the roles' real output recorded between
 * network namespaces (fixtures/, see record-fixtures.ts). Checks what the run asks of the cluster:
 * valid Job and Pod manifests (kubernetes-models), pinned to free nodes only, the right template per
 * pair, every Job deleted; that the raw record collects into every measurement; that a team pod
 * appearing mid-run stops it; and `stack-bench --raw` importing into a real VictoriaMetrics.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Pod } from "kubernetes-models/v1/Pod";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkTemplates } from "../../components/benchmarks/templates";
import { loadLabModel } from "../../config/load";
import { collect, type RawRun } from "../../tools/bench/collect";
import type { Kubectl } from "../../tools/bench/kubectl";
import { MEASUREMENTS } from "../../tools/bench/measurements";
import { runSuite, SuiteError } from "../../tools/bench/run-suite";
import { exportRun } from "../../tools/bench/vm";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { runTool } from "../harness/run-process";
import { requireTools } from "../harness/tools";
import { startVictoriaMetrics, type VictoriaMetrics } from "../harness/victoria-metrics";

const FIXTURES = path.join(__dirname, "fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
const NS = "lab-benchmarks";

function templates() {
  const model = loadLabModel(withChanges(loadStackConfig(), (c) => (c["lab:benchmarks"] = { enabled: true, repetitions: 4, mesh: { pods: 3, peers: 2 }, podStart: { pods: 5 } })), pulumi.getStack());
  return Object.entries(benchmarkTemplates(model)).map(([name, spec]) => ({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace: NS, labels: { "app.kubernetes.io/part-of": "lab-benchmarks" } }, spec }));
}

const node = (name: string, pool: string) => ({ metadata: { name, labels: { "lab.vac.dev/pool": pool } }, status: { conditions: [{ type: "Ready", status: "True" }] } });
const NODES = [node("node-02", "experiments"), node("node-03", "experiments"), node("node-04", "experiments"), node("node-05", "experiments")];

/** A cluster behind kubectl: records every call and created object; `teamPodOn` decides which nodes run team pods at each `get pods -A`. */
class FakeCluster implements Kubectl {
  readonly calls: string[][] = [];
  readonly created: any[] = [];
  readonly deleted: string[] = [];
  podListings = 0;
  /** Open pod watches by label selector. */
  readonly watches = new Map<string, (line: string, atMs: number) => void>();
  constructor(readonly teamPodOn: (listing: number) => string[]) {}

  async watch(args: readonly string[], onLine: (line: string, atMs: number) => void) {
    this.calls.push([...args]);
    const selector = args[args.indexOf("-l") + 1];
    this.watches.set(selector, onLine);
    return { stop: () => void this.watches.delete(selector) };
  }

  private job(name: string) {
    return this.created.find((o) => o.kind === "Job" && o.metadata.name === name);
  }

  async run(args: readonly string[], input?: string): Promise<string> {
    this.calls.push([...args]);
    const json = (x: unknown) => JSON.stringify(x);
    const [verb, kind, name] = args;
    if (verb === "create") {
      const obj = JSON.parse(input!);
      const items = obj.kind === "List" ? obj.items : [obj];
      for (const item of items) {
        if (item.kind === "Job") new Job(item).validate();
        else new Pod(item).validate();
        this.created.push(item);
      }
      // A pod-start batch: the watch sees each pod added at t0 and Ready 1000 + 137·i ms later.
      const batch = items[0]?.metadata.labels?.["lab.benchmarks/batch"];
      const onLine = batch && this.watches.get(`lab.benchmarks/batch=${batch}`);
      if (onLine) {
        const t0 = Date.parse("2026-11-20T10:00:00Z");
        items.forEach((p: any) => onLine(`${p.metadata.name} `, t0));
        items.forEach((p: any, i: number) => onLine(`${p.metadata.name} True`, t0 + 1000 + 137 * i));
      }
      return "";
    }
    if (verb === "delete") {
      this.deleted.push(args.includes("-l") ? args[args.indexOf("-l") + 1] : `${kind}/${name}`);
      return "";
    }
    if (verb === "get" && kind === "cronjobs") return json({ items: templates() });
    if (verb === "get" && kind === "nodes") return json({ items: NODES });
    if (verb === "get" && kind === "pods" && args.includes("-A")) {
      const busy = this.teamPodOn(this.podListings++);
      return json({ items: busy.map((n) => ({ metadata: { namespace: "dst", name: `libp2p-${n}` }, spec: { nodeName: n }, status: { phase: "Running" } })) });
    }
    if (verb === "get" && kind === "job") return json({ status: { succeeded: 1 } });
    if (verb === "get" && kind === "pods") {
      const selector = args[args.indexOf("-l") + 1];
      const [key, value] = selector.split("=");
      if (key === "job-name") {
        const job = this.job(value);
        const pinned = job.spec.template.spec.nodeSelector?.["kubernetes.io/hostname"];
        const count = job.spec.completions ?? 1;
        return json({
          items: Array.from({ length: count }, (_, i) => ({
            metadata: { name: `${value}-${i}`, annotations: { "batch.kubernetes.io/job-completion-index": String(i) } },
            status: { phase: "Running", podIP: `${job.spec.template.spec.hostNetwork ? "192.0.2" : "10.16.0"}.${(pinned ?? `node-0${i}`).slice(-1)}` },
          })),
        });
      }
      // A pod-start batch: created at :00, Ready 1..count seconds later.
      const pods = this.created.filter((o) => o.kind === "Pod" && o.metadata.labels["lab.benchmarks/batch"] === value);
      return json({
        items: pods.map((p, i) => ({
          metadata: { name: p.metadata.name, creationTimestamp: "2026-11-20T10:00:00Z" },
          status: { conditions: [{ type: "Ready", status: "True", lastTransitionTime: `2026-11-20T10:00:0${1 + (i % 5)}Z` }] },
        })),
      });
    }
    if (verb === "logs") {
      const target = args[args.length - 1];
      if (target.startsWith("job/")) {
        const job = this.job(target.slice(4));
        const template = job.metadata.labels["lab.benchmarks/template"];
        return fixture(template === "lab-bench-qos" ? "qos.txt" : template === "lab-bench-dns" ? "dns.txt" : "client.txt");
      }
      return fixture(`mesh-${target.slice(-1)}.txt`);
    }
    throw new Error(`fake kubectl: unexpected ${args.join(" ")}`);
  }
}

async function runOnce(cluster: FakeCluster) {
  const steps: string[] = [];
  const result = await runSuite({
    kubectl: cluster,
    namespace: NS,
    run: "ovn-a",
    labels: { stack: "kube-ovn-1.14" },
    pollMs: 0,
    watchSettleMs: 0,
    step: (name) => (steps.push(name), { update: () => undefined, end: () => undefined }),
  });
  return { ...result, steps };
}

describe("stack-bench run (fake kubectl, real logs)", () => {
  let cluster: FakeCluster;
  let run: Awaited<ReturnType<typeof runOnce>>;

  beforeAll(async () => {
    // node-03 runs a team pod from the start: it is never used.
    cluster = new FakeCluster(() => ["node-03"]);
    run = await runOnce(cluster);
  });

  it("uses the free nodes only: A=node-02, B=node-04; node-03 (team pod) never appears", () => {
    const jobs = cluster.created.filter((o) => o.kind === "Job");
    const pinned = jobs.map((j) => j.spec.template.spec.nodeSelector?.["kubernetes.io/hostname"]).filter(Boolean);
    expect(new Set(pinned)).toEqual(new Set(["node-02", "node-04"]));
    for (const o of cluster.created) {
      const spec = o.kind === "Job" ? o.spec.template.spec : o.spec;
      const expressions = spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
      expect(expressions[0]).toEqual({ key: "lab.vac.dev/pool", operator: "In", values: ["experiments"] });
      if (!spec.nodeSelector) expect(expressions[1]).toEqual({ key: "kubernetes.io/hostname", operator: "In", values: ["node-02", "node-04", "node-05"] });
    }
  });

  it("runs each pair from the right templates: server on A (same node) or B (cross node), client on A, targeting the server", () => {
    const jobs = cluster.created.filter((o) => o.kind === "Job");
    const summary = jobs.map((j) => {
      const env = Object.fromEntries((j.spec.template.spec.containers[0].env ?? []).map((e: any) => [e.name, e.value]));
      return `${j.metadata.labels["lab.benchmarks/template"]}@${j.spec.template.spec.nodeSelector?.["kubernetes.io/hostname"] ?? "pool"}${env.TARGET ? `->${env.TARGET}` : ""}`;
    });
    expect(summary).toEqual([
      "lab-bench-server@node-02",
      "lab-bench-client@node-02->10.16.0.2",
      "lab-bench-server@node-04",
      "lab-bench-client@node-02->10.16.0.4",
      "lab-bench-qos@node-02->10.16.0.4",
      "lab-bench-dns@node-02->10.16.0.4",
      "lab-bench-server-host@node-02",
      "lab-bench-client-host@node-02->192.0.2.2",
      "lab-bench-server-host@node-04",
      "lab-bench-client-host@node-02->192.0.2.4",
      "lab-bench-mesh@pool",
      "lab-bench-mesh@pool",
      "lab-bench-mesh@pool",
      "lab-bench-mesh@pool",
    ]);
    for (const j of jobs) expect(j.metadata.labels["lab.benchmarks/run"]).toBe("ovn-a");
    // Every Job it made, it deleted; every pod-start batch too.
    expect(cluster.deleted.filter((d) => d.startsWith("job/")).sort()).toEqual(jobs.map((j) => `job/${j.metadata.name}`).sort());
    const batches = new Set(cluster.created.filter((o) => o.kind === "Pod").map((p) => `lab.benchmarks/batch=${p.metadata.labels["lab.benchmarks/batch"]}`));
    for (const b of batches) expect(cluster.deleted).toContain(b);
  });

  it("creates the pod-start pods at once, per scheduler and repetition, through the named scheduler", () => {
    const creates = cluster.calls.filter((c) => c[0] === "create");
    const pods = cluster.created.filter((o) => o.kind === "Pod");
    expect(pods).toHaveLength(2 * 4 * 5); // 2 schedulers × 4 repetitions × 5 pods
    expect(pods.filter((p) => p.spec.schedulerName === "vaclab-scheduler")).toHaveLength(20);
    expect(creates).toHaveLength(14 + 8); // one create per Job, one per batch of pods
    expect(pods[0].spec.containers[0].image).toBe("registry.k8s.io/pause:3.10");
  });

  it("keeps a raw record that collects into every measurement, without problems", () => {
    expect(run.problems).toEqual([]);
    expect(run.steps).toEqual(["reading the suite's templates", "choosing nodes", "pairs, QoS and DNS", "mesh", "pod start"]);
    const { samples, problems } = collect(run.raw);
    expect(problems).toEqual([]);
    expect(new Set(samples.map((s) => s.metric))).toEqual(new Set(MEASUREMENTS.map((m) => m.metric)));
    // Pod start from the client's watch (milliseconds), not the API's whole-second timestamps (which say 1..5 s):
    // Ready 1.000, 1.137, 1.274, 1.411, 1.548 s after each pod's first event; p50 1.274 s.
    const p50 = samples.filter((s) => s.metric === "lab_bench_pod_start_latency_seconds" && s.labels.quantile === "0.5");
    expect(p50.map((s) => s.value)).toEqual(Array(8).fill(expect.closeTo(1.274, 9)));
    const watches = cluster.calls.filter((c) => c.includes("--watch"));
    expect(watches).toHaveLength(8);
    expect(watches[0]).toEqual(["get", "pods", "-n", NS, "-l", expect.stringMatching(/^lab\.benchmarks\/batch=/), "--watch", "-o", `jsonpath={.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}`]);
    expect(cluster.watches.size).toBe(0); // every watch stopped
    const qos = samples.find((s) => s.metric === "lab_bench_qos_accuracy_ratio")!;
    expect(qos.value).toBeGreaterThan(0.8); // the fixture's 100 Mbit/s token bucket
    expect(qos.value).toBeLessThan(1.1);
    // The environment: which nodes, which settings and images; every sample says its nodes.
    expect(run.raw.nodes).toEqual({ pair: ["node-02", "node-04"], mesh: ["node-02", "node-04", "node-05"] });
    expect(run.raw.environment!.settings.REPETITIONS).toBe("4");
    expect(run.raw.environment!.images["lab-bench-pod-start"]).toBe("registry.k8s.io/pause:3.10");
    expect(new Set(samples.map((s) => s.labels.nodes))).toEqual(new Set(["node-02,node-04", "node-02,node-04,node-05"]));
    // Per-repetition times inside each client Job's run, in order (not one time for the whole log).
    const tcp = samples.filter((s) => s.metric === "lab_bench_tcp_throughput_bytes_per_second" && s.labels.network === "pod" && s.labels.placement === "cross_node" && s.labels.streams === "1");
    expect(tcp.map((s) => s.rep)).toEqual([1, 2, 3]);
    expect(tcp[0].timestampMs).toBeLessThanOrEqual(tcp[1].timestampMs);
    expect(tcp[1].timestampMs).toBeLessThanOrEqual(tcp[2].timestampMs);
  });

  it("runs the pairs on the node pair of its block: pair 1 is the third and fourth free node", async () => {
    const four = new FakeCluster(() => []);
    const result = await runSuite({ kubectl: four, namespace: NS, run: "ovn-a", labels: {}, pollMs: 0, watchSettleMs: 0, pairIndex: 1, step: () => ({ update: () => undefined, end: () => undefined }) });
    expect(result.raw.nodes!.pair).toEqual(["node-04", "node-05"]);
  });

  it("stops when a team pod appears on a node it uses, and measures nothing more there", async () => {
    // Free at first (A=node-02, B=node-03); a team pod lands on B after the two pod-network pairs.
    const late = new FakeCluster((listing) => (listing >= 3 ? ["node-03"] : []));
    await expect(runOnce(late)).rejects.toThrow(new SuiteError("stopped: node-03: runs team pod dst/libp2p-node-03"));
    const jobs = late.created.filter((o) => o.kind === "Job").map((j) => j.metadata.labels["lab.benchmarks/template"]);
    expect(jobs).toEqual(["lab-bench-server", "lab-bench-client", "lab-bench-server", "lab-bench-client", "lab-bench-qos", "lab-bench-dns"]);
  });

  it("refuses to run when the suite is not installed, naming what to do", async () => {
    const empty = new FakeCluster(() => []);
    empty.run = async (args) => (args[1] === "cronjobs" ? JSON.stringify({ items: [] }) : FakeCluster.prototype.run.call(empty, args));
    await expect(runOnce(empty)).rejects.toThrow(/the suite is not installed in namespace lab-benchmarks .*set lab:benchmarks.enabled: true and run pulumi up/);
  });
});

const haveVm = requireTools("victoria-metrics", "victoria-metrics");

const cli = (args: string[]) => runTool("stack-bench", args, 60_000);

describe.skipIf(!haveVm)("npm run stack-bench --raw into VictoriaMetrics", () => {
  let vm: VictoriaMetrics;
  let dir = "";
  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-stack-bench-"));
  });
  afterAll(async () => {
    await vm?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("collects a kept raw.json, writes results.json and imports lab_bench_* with run and stack labels", async () => {
    const raw: RawRun = {
      run: "ovn-a",
      labels: { stack: "kube-ovn-1.14", tunnel: "geneve" },
      startedAt: Date.now(),
      logs: [
        { role: "client", labels: { network: "pod", placement: "cross_node", streams: "8" }, log: fixture("client.txt"), finishedAt: Date.now() },
        { role: "client", labels: { test: "dns" }, log: fixture("dns.txt"), finishedAt: Date.now() },
      ],
      podStart: [],
    };
    const file = path.join(dir, "raw.json");
    fs.writeFileSync(file, JSON.stringify(raw));
    const result = await cli(["--raw", file, "--vm-url", vm.url]);
    expect(result.status, result.stderr).toBe(0);
    // 3 repetitions × (TCP 1 and 8 streams, UDP, latency p50 and p99) + 3 × DNS p50 and p99.
    expect(result.stdout).toMatch(/^run ovn-a session 1: 21 samples of 4 measurements imported/);
    const results = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));
    expect(results.problems).toEqual([]);
    // Imported rows become searchable asynchronously (VictoriaMetrics flushes its buffers about every
    // second; force_flush hurries it): wait for them, bounded, instead of racing the engine.
    let exported = await exportRun(vm.url, "ovn-a");
    for (let i = 0; i < 150 && exported.samples.length < 21; i++) {
      await fetch(`${vm.url}/internal/force_flush`);
      await new Promise((r) => setTimeout(r, 100));
      exported = await exportRun(vm.url, "ovn-a");
    }
    expect(exported.stackLabels).toEqual({ stack: "kube-ovn-1.14", tunnel: "geneve" });
    expect(exported.samples).toHaveLength(21);
    const tcp = exported.samples.filter((s) => s.metric === "lab_bench_tcp_throughput_bytes_per_second" && s.labels.streams === "8").map((s) => s.rep).sort();
    expect(tcp).toEqual([1, 2, 3]);
    expect(new Set(exported.samples.map((s) => s.labels.session))).toEqual(new Set(["1"]));
    // The same session again: refused, nothing imported (a rerun is a new session, never a mix).
    const again = await cli(["--raw", file, "--vm-url", vm.url]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`run ovn-a session 1 is already in ${vm.url}: nothing imported`);
  }, 60_000);

  it("plans A B B A blocks and refuses a session of the stack whose turn it is not", async () => {
    const plan = path.join(dir, "plan.json");
    const made = await cli(["--new-plan", plan, "--a", "ovn-a", "--b", "ovn-b", "--sessions", "8"]);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^plan of 8 sessions: ABBAABBA \(A=ovn-a, B=ovn-b\)/);
    expect(JSON.parse(fs.readFileSync(plan, "utf8")).sessions.map((x: { pair: number }) => x.pair)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    const wrong = await cli(["--plan", plan, "--run", "ovn-b", "--vm-url", vm.url]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("session 1 of 8 is ovn-a's, not ovn-b's: switch the cluster to that stack first (order ABBAABBA)");
    const few = await cli(["--new-plan", path.join(dir, "p2.json"), "--a", "x", "--b", "y", "--sessions", "6"]);
    expect(few.status).toBe(1);
    expect(few.stderr).toContain("--sessions 6: a multiple of 4 from 8");
  }, 60_000);

  it("refuses bad arguments before touching anything (exit 1)", async () => {
    const reserved = await cli(["--run", "x", "--vm-url", vm.url, "--label", "run=y"]);
    expect(reserved.status).toBe(1);
    expect(reserved.stderr).toContain("--label run: reserved");
    const name = await cli(["--run", "a b", "--vm-url", vm.url]);
    expect(name.status).toBe(1);
    expect(name.stderr).toContain('--run "a b": not a run name');
    const bad = await cli(["--run", "x", "--vm-url", vm.url, "--label", "__name__=y", "--label", "nolabel"]);
    expect(bad.stderr).toContain("--label __name__: not a label name");
    expect(bad.stderr).toContain("--label nolabel: expected KEY=VALUE");
  }, 60_000);
});
