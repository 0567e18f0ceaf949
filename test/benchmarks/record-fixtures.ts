/**
 * Records the fixtures of stack-bench.test.ts: the roles' real output (Debian iperf3, fping, curl,
 * busybox httpd) between network namespaces, as scripts.test.ts runs them. As root:
 *   npx tsx test/benchmarks/record-fixtures.ts
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { benchmarkScript, type BenchmarkRole } from "../../components/benchmarks/scripts";
import { startNetnsHosts } from "../bootstrap/netns-hosts";
import { startFakePodApi } from "../harness/fake-pod-api";
import { startDnsServer } from "./dns-server";

const OUT = path.join(__dirname, "fixtures");
async function main() {
  const hosts = await startNetnsHosts(3);
  const api = await startFakePodApi(hosts.gateway);
  const sa = path.join(hosts.dir, "sa"); fs.mkdirSync(sa); fs.writeFileSync(path.join(sa, "token"), "t"); fs.writeFileSync(path.join(sa, "ca.crt"), "x");
  const dns = await startDnsServer(hosts.gateway, { "kubernetes.default.svc.cluster.local": hosts.hosts[1].address });
  for (const h of hosts.hosts) { fs.mkdirSync(`/etc/netns/${h.netns}`, { recursive: true }); fs.writeFileSync(`/etc/netns/${h.netns}/resolv.conf`, `nameserver ${hosts.gateway}\n`); }
  const base = { PATH: process.env.PATH!, KUBE_API: api.url, SA_DIR: sa, TEAM_NAMESPACES: "dst nomos", PORT: "5301", WAIT_SECONDS: "20" };
  const run = (h: number, role: BenchmarkRole, env: Record<string, string>) => new Promise<string>((resolve) => {
    const c = spawn("ip", ["netns", "exec", hosts.hosts[h].netns, "sh", "-c", benchmarkScript(role)], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = ""; c.stdout.on("data", (d) => (out += d)); c.on("exit", () => resolve(out));
  });
  const server = spawn("ip", ["netns", "exec", hosts.hosts[1].netns, "sh", "-c", benchmarkScript("server")], { env: { ...base, NODE_NAME: "node-b", SERVERS: "1" }, stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 1500));
  const client = { NODE_NAME: "node-a", PEER_NODE: "node-b", TARGET: hosts.hosts[1].address, REPETITIONS: "3", TEST_SECONDS: "1", STREAMS: "8", UDP_BYTES: "64", PINGS: "100", PING_INTERVAL_MS: "10" };
  fs.writeFileSync(`${OUT}/client.txt`, await run(0, "client", { ...client, TESTS: "tcp udp latency" }));
  fs.writeFileSync(`${OUT}/dns.txt`, await run(0, "client", { ...client, TESTS: "dns", DNS_NAME: "kubernetes.default.svc.cluster.local", DNS_LOOKUPS: "50" }));
  hosts.exec(hosts.hosts[0], ["tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", "100mbit", "burst", "128kb", "latency", "50ms"]);
  fs.writeFileSync(`${OUT}/qos.txt`, await run(0, "client", { ...client, TESTS: "qos", QOS_EGRESS_MBPS: "100", TEST_SECONDS: "3" }));
  hosts.exec(hosts.hosts[0], ["tc", "qdisc", "del", "dev", "eth0", "root"]);
  const members = await Promise.all([0, 1, 2].map((i) => run(i, "mesh", { NODE_NAME: `node-${i}`, MESH_INDEX: String(i), MESH_PODS: "3", MESH_PEERS: "2", MESH_HOSTS: hosts.hosts.map((h) => h.address).join(" "), MESH_CONNECTIONS: "40", TEST_SECONDS: "1", PORT: "5311" })));
  members.forEach((m, i) => fs.writeFileSync(`${OUT}/mesh-${i}.txt`, m));
  server.kill();
  for (const h of hosts.hosts) fs.rmSync(`/etc/netns/${h.netns}`, { recursive: true, force: true });
  await hosts.stop(); await api.close(); await dns.close();
}
main().then(() => process.exit(0));
