/**
 * Real VictoriaMetrics engines (Debian victoria-metrics, vmagent, prometheus-node-exporter) on
 * loopback, optionally inside a network namespace, for the real-engine tests and the monitoring
 * benchmark. Free ports are picked per process; every process started here is killed by `stopAll`
 * and, as a last resort, when this Node process exits.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface Engine {
  readonly name: string;
  readonly url: string;
  readonly netns?: string;
  readonly process: ChildProcess;
  /** Log file (stdout and stderr). */
  readonly log: string;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A TCP port free on 127.0.0.1 right now (in the host namespace; namespaces have their own ports). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const FETCH_IN_NETNS = `
const [url, method] = process.argv.slice(1);
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c)).on("end", async () => {
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  try {
    const res = await fetch(url, { method, body });
    const text = Buffer.from(await res.arrayBuffer()).toString("base64");
    process.stdout.write(JSON.stringify({ status: res.status, body: text }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ status: 0, body: Buffer.from(String(e)).toString("base64") }));
  }
});`;

export interface HttpResult {
  readonly status: number;
  readonly text: string;
}

/** HTTP against an engine, from inside its network namespace when it has one. */
export async function http(engine: { url: string; netns?: string } | string, pathAndQuery: string, init: { method?: string; body?: string | Buffer } = {}): Promise<HttpResult> {
  const base = typeof engine === "string" ? engine : engine.url;
  const netns = typeof engine === "string" ? undefined : engine.netns;
  const url = `${base}${pathAndQuery}`;
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  if (!netns) {
    try {
      const res = await fetch(url, { method, body: init.body });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      return { status: 0, text: String(e) };
    }
  }
  const result = spawnSync("ip", ["netns", "exec", netns, process.execPath, "-e", FETCH_IN_NETNS, url, method], {
    input: init.body ?? "",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  const parsed = JSON.parse(result.stdout || '{"status":0,"body":""}') as { status: number; body: string };
  return { status: parsed.status, text: Buffer.from(parsed.body, "base64").toString("utf8") };
}

export async function httpOk(engine: { url: string; netns?: string } | string, pathAndQuery: string, init: { method?: string; body?: string | Buffer } = {}): Promise<string> {
  const res = await http(engine, pathAndQuery, init);
  if (res.status < 200 || res.status >= 300) throw new Error(`${pathAndQuery}: HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  return res.text;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly port: number;
  /** Directory for the log file. */
  readonly logDir: string;
  /** Path polled until it answers 200. */
  readonly readyPath?: string;
  readonly netns?: string;
}

async function waitReady(engine: Engine, readyPath: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (engine.process.exitCode !== null) {
      throw new Error(`${engine.name} exited with ${engine.process.exitCode}:\n${fs.readFileSync(engine.log, "utf8").slice(-2000)}`);
    }
    const res = await http(engine, readyPath);
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${engine.name} not ready after 30s:\n${fs.readFileSync(engine.log, "utf8").slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function start(options: StartOptions): Promise<Engine> {
  const log = path.join(options.logDir, `${options.name}.log`);
  const out = fs.openSync(log, "a");
  const [command, args] = options.netns
    ? ["ip", ["netns", "exec", options.netns, options.command, ...options.args]]
    : [options.command, [...options.args]];
  const child = spawn(command, args, { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  running.add(child);
  child.on("exit", () => running.delete(child));
  const engine: Engine = { name: options.name, url: `http://127.0.0.1:${options.port}`, netns: options.netns, process: child, log };
  await waitReady(engine, options.readyPath ?? "/health");
  return engine;
}

/** Stops an engine gracefully (VictoriaMetrics flushes on SIGINT) and waits for it to exit. */
export async function stop(engine: Engine, signal: NodeJS.Signals = "SIGINT"): Promise<void> {
  if (engine.process.exitCode !== null || engine.process.signalCode !== null) return;
  const exited = new Promise((resolve) => engine.process.once("exit", resolve));
  engine.process.kill(signal);
  const timer = setTimeout(() => engine.process.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    return exited;
  }));
}

export interface VmOptions {
  readonly dataDir: string;
  readonly logDir: string;
  readonly name?: string;
  /** `-dedup.minScrapeInterval`, e.g. "5m" (the cold tier). */
  readonly dedup?: string;
  readonly retention?: string;
  readonly netns?: string;
  readonly port?: number;
  /** More flags, e.g. the admin auth keys (`-deleteAuthKey=...`). */
  readonly extraArgs?: readonly string[];
}

export async function startVictoriaMetrics(o: VmOptions): Promise<Engine> {
  const port = o.port ?? (await freePort());
  return start({
    name: o.name ?? "victoria-metrics",
    command: "victoria-metrics",
    port,
    logDir: o.logDir,
    netns: o.netns,
    args: [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${o.dataDir}`,
      `-retentionPeriod=${o.retention ?? "100y"}`,
      "-search.latencyOffset=0s",
      "-search.disableCache",
      ...(o.dedup ? [`-dedup.minScrapeInterval=${o.dedup}`] : []),
      ...(o.extraArgs ?? []),
    ],
  });
}

export interface RemoteWrite {
  readonly url: string;
  /** Relabel file for this URL (`-remoteWrite.urlRelabelConfig`). */
  readonly relabelFile?: string;
}

export interface VmagentOptions {
  readonly logDir: string;
  readonly tmpDir: string;
  readonly remoteWrites: readonly RemoteWrite[];
  readonly scrapeConfig?: string;
  readonly netns?: string;
  readonly extraArgs?: readonly string[];
}

export async function startVmagent(o: VmagentOptions): Promise<Engine> {
  const port = await freePort();
  const rw = o.remoteWrites;
  // Per-URL flags are positional, but vmagent 1.79 drops empty values (which would shift the files
  // onto the wrong URLs): URLs without relabeling get an explicit empty list.
  const noRelabel = path.join(o.tmpDir, "no-relabel.yml");
  if (rw.some((w) => w.relabelFile)) {
    fs.mkdirSync(o.tmpDir, { recursive: true });
    fs.writeFileSync(noRelabel, "[]\n");
  }
  return start({
    name: "vmagent",
    command: "vmagent",
    port,
    logDir: o.logDir,
    netns: o.netns,
    args: [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-remoteWrite.tmpDataPath=${o.tmpDir}`,
      "-remoteWrite.flushInterval=200ms",
      ...rw.map((w) => `-remoteWrite.url=${w.url}`),
      ...(rw.some((w) => w.relabelFile) ? rw.map((w) => `-remoteWrite.urlRelabelConfig=${w.relabelFile ?? noRelabel}`) : []),
      ...(o.scrapeConfig ? [`-promscrape.config=${o.scrapeConfig}`] : []),
      ...(o.extraArgs ?? []),
    ],
  });
}

/** `vmagent -dryRun`: exit status and output for a scrape config and relabel files. */
export function vmagentDryRun(scrapeConfig: string, urlRelabelConfig?: string): { status: number | null; output: string } {
  const args = [
    `-promscrape.config=${scrapeConfig}`,
    "-remoteWrite.url=http://127.0.0.1:1/api/v1/write",
    ...(urlRelabelConfig ? [`-remoteWrite.urlRelabelConfig=${urlRelabelConfig}`] : []),
    "-dryRun",
    "-httpListenAddr=127.0.0.1:0",
  ];
  const result = spawnSync("vmagent", args, { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export async function startNodeExporter(o: { logDir: string; args: readonly string[]; netns?: string; name?: string }): Promise<Engine> {
  const port = await freePort();
  return start({
    name: o.name ?? "node-exporter",
    command: "prometheus-node-exporter",
    port,
    logDir: o.logDir,
    netns: o.netns,
    readyPath: "/metrics",
    args: [`--web.listen-address=127.0.0.1:${port}`, ...o.args],
  });
}

/** Instant query; returns the `result` vector. */
export async function query(engine: Engine, promql: string, time?: number): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const params = new URLSearchParams({ query: promql, ...(time === undefined ? {} : { time: String(time) }) });
  const body = JSON.parse(await httpOk(engine, `/api/v1/query?${params}`));
  return body.data.result;
}

/** Sum of an instant query's values (0 when empty). */
export async function scalar(engine: Engine, promql: string, time?: number): Promise<number> {
  return (await query(engine, promql, time)).reduce((sum, r) => sum + Number(r.value[1]), 0);
}

/** Sum of one of VictoriaMetrics' own metrics over its data parts (storage/big and storage/small). */
async function storageMetric(engine: Engine, name: string): Promise<number> {
  const metrics = await httpOk(engine, "/metrics");
  const line = new RegExp(`^${name}\\{type="storage/(big|small)"\\} (\\d+)`);
  return metrics.split("\n").reduce((sum, l) => sum + Number(line.exec(l)?.[2] ?? 0), 0);
}

/** Rows VictoriaMetrics holds on disk (after a flush and a merge). */
export function storedRows(engine: Engine): Promise<number> {
  return storageMetric(engine, "vm_rows");
}

/** Bytes of data parts on disk. */
export function storedBytes(engine: Engine): Promise<number> {
  return storageMetric(engine, "vm_data_size_bytes");
}

/** Makes everything written so far searchable and merged (dedup applies during merges). */
export async function flushAndMerge(engine: Engine): Promise<void> {
  await httpOk(engine, "/internal/force_flush");
  await httpOk(engine, "/internal/force_merge");
}

/** A network namespace with loopback up; removed by the returned function. */
export function createNetns(name: string): () => void {
  const run = (...args: string[]) => {
    const r = spawnSync("ip", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
  };
  run("netns", "add", name);
  run("netns", "exec", name, "ip", "link", "set", "lo", "up");
  return () => {
    spawnSync("ip", ["netns", "delete", name]);
  };
}

/** Runs `ip` inside a namespace, failing loudly. */
export function ipIn(netns: string, ...args: string[]): void {
  const r = spawnSync("ip", ["netns", "exec", netns, "ip", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")} in ${netns}: ${r.stderr}`);
}

export interface SimulatedNode {
  /** Namespace holding the node's interfaces (and the engines that read them). */
  readonly netns: string;
  /** Interfaces a real lab node would export: the NIC, Kube-OVN's ovn0 and tunnel. */
  readonly hostInterfaces: readonly string[];
  /** Per-pod host ends: Kube-OVN `<containerID[:12]>_h` and Cilium `lxc*`. */
  readonly podInterfaces: readonly string[];
  readonly remove: () => void;
}

/**
 * A node's network as node_exporter sees it: a namespace with the physical NIC, `ovn0`,
 * `genev_sys_6081`, and one host-side veth per pod; the peers live in a second namespace (the "pods"),
 * so nothing is created in the host namespace.
 */
export function simulateNode(prefix: string, pods: number, ciliumPods = 0): SimulatedNode {
  const netns = `${prefix}-node`;
  const wire = `${prefix}-pods`;
  const removeNode = createNetns(netns);
  const removeWire = createNetns(wire);
  const hostInterfaces = ["enp65s0f0", "ovn0", "genev_sys_6081"];
  const podInterfaces = [
    ...Array.from({ length: pods }, (_, i) => `${(0x1a2b3c000000 + i).toString(16)}_h`),
    ...Array.from({ length: ciliumPods }, (_, i) => `lxc${(0xabc000 + i).toString(16)}`),
  ];
  [...hostInterfaces, ...podInterfaces].forEach((name, i) => {
    ipIn(netns, "link", "add", name, "type", "veth", "peer", "name", `p${i}`, "netns", wire);
    ipIn(netns, "link", "set", name, "up");
    ipIn(wire, "link", "set", `p${i}`, "up");
  });
  return {
    netns,
    hostInterfaces,
    podInterfaces,
    remove: () => {
      removeNode();
      removeWire();
    },
  };
}
