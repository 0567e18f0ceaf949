/**
 * The benchmark roles' shell scripts, run for real by sh with Debian's tools (iperf3, fping, curl,
 * busybox httpd, jq) between network namespaces joined by a bridge, against a fake Kubernetes API
 * for the team-pod check; their raw output goes through the real parsers and the collector.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkScript, type BenchmarkRole } from "../../components/benchmarks/scripts";
import { collect, type RawLog } from "../../tools/bench/collect";
import { sections } from "../../tools/bench/parsers";
import { startNetnsHosts, type NetnsHosts } from "../bootstrap/netns-hosts";
import { startFakePodApi, type FakePodApi } from "../harness/fake-pod-api";
import { runProcess } from "../harness/run-process";
import { requireTools } from "../harness/tools";
import { startDnsServer, type DnsServer } from "./dns-server";

function isRoot(): boolean {
  if (process.getuid?.() === 0) return true;
  const message = "the benchmark script tests need root (ip netns, tc)";
  if (process.env.CI === "true") throw new Error(`${message}; CI may not skip them`);
  console.warn(`SKIPPING: ${message}`);
  return false;
}

const canRun =
  requireTools("iperf3", "iperf3") &&
  requireTools("fping", "fping") &&
  requireTools("curl", "curl") &&
  requireTools("jq", "jq") &&
  requireTools("busybox", "busybox") &&
  requireTools("iproute2", "ip", "tc") &&
  requireTools("openssh-server", "sshd") &&
  isRoot();

const PORT = 5301;
let hosts: NetnsHosts;
let api: FakePodApi;
let dns: DnsServer;
let saDir = "";
const resolvConfs: string[] = [];

/** Runs a role inside a host's namespace; resolves with its stdout and exit code. */
async function runRole(host: number, role: BenchmarkRole, env: Record<string, string>, timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await runProcess("ip", ["netns", "exec", hosts.hosts[host].netns, "sh", "-c", benchmarkScript(role)], {
    env: { PATH: process.env.PATH, KUBE_API: api.url, SA_DIR: saDir, TEAM_NAMESPACES: "dst nomos", PORT: String(PORT), WAIT_SECONDS: "20", ...env },
  }, timeoutMs);
  return { code: status, stdout, stderr };
}

/** Starts the server role on a host and waits until it says it serves. */
async function startServer(host: number, node: string, servers = 1): Promise<void> {
  const child = spawn("ip", ["netns", "exec", hosts.hosts[host].netns, "sh", "-c", benchmarkScript("server")], {
    env: { PATH: process.env.PATH, KUBE_API: api.url, SA_DIR: saDir, TEAM_NAMESPACES: "dst nomos", PORT: String(PORT), NODE_NAME: node, SERVERS: String(servers) },
    stdio: ["ignore", "pipe", "ignore"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("### lab-bench serving")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const clientEnv = (target: string, overrides: Record<string, string> = {}) => ({
  NODE_NAME: "node-a",
  PEER_NODE: "node-b",
  TARGET: target,
  REPETITIONS: "2",
  TEST_SECONDS: "1",
  STREAMS: "4",
  UDP_BYTES: "64",
  PINGS: "100",
  PING_INTERVAL_MS: "10",
  TESTS: "tcp udp latency",
  ...overrides,
});

const rawLog = (log: string, labels: Record<string, string>, role: RawLog["role"] = "client"): RawLog => ({ role, labels, log, finishedAt: Date.now() });

describe.skipIf(!canRun)("benchmark scripts between network namespaces", () => {
  beforeAll(async () => {
    hosts = await startNetnsHosts(4);
    api = await startFakePodApi(hosts.gateway);
    saDir = path.join(hosts.dir, "sa");
    fs.mkdirSync(saDir);
    fs.writeFileSync(path.join(saDir, "token"), "bench-sa");
    fs.writeFileSync(path.join(saDir, "ca.crt"), "not used over http\n");
    // The cluster DNS of the lookup test: `ip netns exec` bind-mounts /etc/netns/NS/resolv.conf.
    dns = await startDnsServer(hosts.gateway, { "bench.test": hosts.hosts[1].address });
    for (const h of hosts.hosts) {
      const dir = `/etc/netns/${h.netns}`;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "resolv.conf"), `nameserver ${hosts.gateway}\n`);
      resolvConfs.push(dir);
    }
    await startServer(1, "node-b");
  }, 60_000);

  afterAll(async () => {
    await hosts?.stop();
    await api?.close();
    await dns?.close();
    for (const dir of resolvConfs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("client: TCP 1 and N streams, UDP packet rate and request/response latency, per repetition, in base units", async () => {
    api.pods = { "node-a": [{ metadata: { namespace: "kube-system", name: "kube-ovn-cni-x" } }], "node-b": [] };
    api.requests.length = 0;
    const run = await runRole(0, "client", clientEnv(hosts.hosts[1].address));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const { sections: found } = sections(run.stdout);
    expect(found.map((s) => `${s.kind}#${s.rep}:${s.rc}`)).toEqual(["tcp_1#1:0", "tcp_n#1:0", "udp#1:0", "latency#1:0", "tcp_1#2:0", "tcp_n#2:0", "udp#2:0", "latency#2:0"]);
    const { samples, problems } = collect({ run: "t", labels: {}, startedAt: 0, podStart: [], logs: [rawLog(run.stdout, { network: "pod", placement: "cross_node", streams: "4" })] });
    expect(problems).toEqual([]);
    const of = (metric: string, labels: Record<string, string>) => samples.filter((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
    for (const streams of ["1", "4"]) {
      const tcp = of("lab_bench_tcp_throughput_bytes_per_second", { streams });
      expect(tcp).toHaveLength(2);
      for (const v of tcp) expect(v).toBeGreaterThan(10e6); // bytes/s over a veth: far above 10 MB/s
    }
    const udp = of("lab_bench_udp_packets_per_second", {});
    expect(udp).toHaveLength(2);
    for (const v of udp) expect(v).toBeGreaterThan(1000);
    const p50 = of("lab_bench_request_response_latency_seconds", { quantile: "0.5" });
    const p99 = of("lab_bench_request_response_latency_seconds", { quantile: "0.99" });
    expect(p50).toHaveLength(2);
    p50.forEach((v, i) => {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(0.01); // seconds, not milliseconds
      expect(p99[i]).toBeGreaterThanOrEqual(v);
    });
    // Both nodes were checked before each repetition, with the service account's token.
    expect(api.requests.map((r) => r.node)).toEqual(["node-a", "node-b", "node-a", "node-b"]);
    expect(api.requests[0].auth).toBe("Bearer bench-sa");
  }, 90_000);

  it("waits while the server is still busy with another test instead of failing (iperf3 serves one test at a time)", async () => {
    api.pods = {};
    // Another client holds the server for 3 s when the role starts.
    const busy = spawn("ip", ["netns", "exec", hosts.hosts[3].netns, "iperf3", "-c", hosts.hosts[1].address, "-p", String(PORT), "-t", "3"], { stdio: "ignore" });
    const busyDone = new Promise((r) => busy.once("exit", r));
    await new Promise((r) => setTimeout(r, 500));
    const run = await runRole(0, "client", clientEnv(hosts.hosts[1].address, { TESTS: "tcp", REPETITIONS: "1" }));
    await busyDone;
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const { samples, problems } = collect({ run: "t", labels: {}, startedAt: 0, podStart: [], logs: [rawLog(run.stdout, { network: "pod", placement: "cross_node", streams: "4" })] });
    expect(problems).toEqual([]);
    expect(samples.map((s) => s.labels.streams)).toEqual(["1", "4"]);
  }, 60_000);

  it("qos: the measured rate over the egress limit, with the limit enforced by a token bucket on the client's NIC", async () => {
    api.pods = {};
    const tc = (args: string[]) => hosts.exec(hosts.hosts[2], ["tc", ...args]);
    expect(tc(["qdisc", "add", "dev", "eth0", "root", "tbf", "rate", "50mbit", "burst", "64kb", "latency", "50ms"]).status).toBe(0);
    try {
      const run = await runRole(2, "client", clientEnv(hosts.hosts[1].address, { TESTS: "qos", QOS_EGRESS_MBPS: "50", TEST_SECONDS: "3", REPETITIONS: "1" }));
      expect(run.code, run.stderr + run.stdout).toBe(0);
      const { samples, problems } = collect({ run: "t", labels: {}, startedAt: 0, podStart: [], logs: [rawLog(run.stdout, { test: "qos" })] });
      expect(problems).toEqual([]);
      expect(samples).toHaveLength(1);
      expect(samples[0]).toMatchObject({ metric: "lab_bench_qos_accuracy_ratio", labels: { egress_mbps: "50" } });
      expect(samples[0].value).toBeGreaterThan(0.8);
      expect(samples[0].value).toBeLessThan(1.1);
    } finally {
      tc(["qdisc", "del", "dev", "eth0", "root"]);
    }
  }, 60_000);

  it("dns: lookup latency through the namespace's resolv.conf, one resolver process per lookup", async () => {
    api.pods = {};
    const before = dns.queries;
    const run = await runRole(0, "client", clientEnv(hosts.hosts[1].address, { TESTS: "dns", DNS_NAME: "bench.test", DNS_LOOKUPS: "20", REPETITIONS: "1" }));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(dns.queries - before).toBeGreaterThanOrEqual(20);
    const { samples, problems } = collect({ run: "t", labels: {}, startedAt: 0, podStart: [], logs: [rawLog(run.stdout, { test: "dns" })] });
    expect(problems).toEqual([]);
    const p50 = samples.find((s) => s.metric === "lab_bench_dns_lookup_latency_seconds" && s.labels.quantile === "0.5")!;
    expect(p50.value).toBeGreaterThan(0);
    expect(p50.value).toBeLessThan(0.5);
  }, 60_000);

  it("mesh: 4 members, each sending to 2 peers at once, then opening new connections to them", async () => {
    api.pods = {};
    const addresses = hosts.hosts.map((h) => h.address).join(" ");
    const members = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        runRole(i, "mesh", { NODE_NAME: `node-${i}`, MESH_INDEX: String(i), MESH_PODS: "4", MESH_PEERS: "2", MESH_HOSTS: addresses, MESH_CONNECTIONS: "50", TEST_SECONDS: "2", PORT: String(PORT + 10) }),
      ),
    );
    members.forEach((m, i) => expect(m.code, `member ${i}: ${m.stderr}${m.stdout}`).toBe(0));
    const logs = members.map((m, i) => rawLog(m.stdout, { pods: "4", peers: "2", member: String(i), rep: "1" }, "mesh"));
    const { samples, problems } = collect({ run: "t", labels: {}, startedAt: 0, podStart: [], logs });
    expect(problems).toEqual([]);
    const value = (metric: string, q?: string) => samples.find((s) => s.metric === metric && (q === undefined || s.labels.quantile === q))!.value;
    expect(value("lab_bench_mesh_throughput_bytes_per_second")).toBeGreaterThan(10e6);
    expect(value("lab_bench_mesh_connections_per_second")).toBeGreaterThan(50);
    expect(value("lab_bench_mesh_connect_seconds", "0.5")).toBeGreaterThan(0);
    expect(value("lab_bench_mesh_connect_seconds", "0.99")).toBeLessThan(1);
    // Each member reported one flow per peer, to its successors.
    expect(sections(members[3].stdout).sections.filter((s) => s.kind === "mesh_throughput").map((s) => s.peer)).toEqual(["0", "1"]);
  }, 90_000);

  it("a node or peer running team pods, or a failing API, stops the client before it measures anything", async () => {
    api.pods = { "node-a": [{ metadata: { namespace: "nomos", name: "nomos-0" } }] };
    let run = await runRole(0, "client", clientEnv(hosts.hosts[1].address));
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("### lab-bench skipped reason=team_pods node=node-a");
    expect(sections(run.stdout).sections).toEqual([]);

    api.pods = { "node-a": [], "node-b": [{ metadata: { namespace: "dst", name: "libp2p-0" } }] };
    run = await runRole(0, "client", clientEnv(hosts.hosts[1].address));
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("### lab-bench skipped reason=peer_busy node=node-b");

    api.pods = {};
    api.failFor = new Set(["node-a"]);
    try {
      run = await runRole(0, "client", clientEnv(hosts.hosts[1].address));
    } finally {
      api.failFor = new Set();
    }
    expect(run.code).toBe(3);
    const { problems } = collect({ run: "t", labels: {}, startedAt: 0, podStart: [], logs: [rawLog(run.stdout, { network: "pod", placement: "cross_node" })] });
    expect(problems).toEqual(["client{network=pod,placement=cross_node}: skipped (team_pods on node-a); later repetitions not run"]);
  }, 60_000);

  it("the server refuses a node running team pods", async () => {
    api.pods = { "node-d": [{ metadata: { namespace: "dst", name: "x" } }] };
    const run = await runRole(3, "server", { NODE_NAME: "node-d" });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("### lab-bench skipped reason=team_pods node=node-d");
  });
});
