/**
 * The calibration steps' shell scripts, run for real by sh with the real benchmarks (Debian iperf3,
 * fio, stress-ng, curl, jq) on loopback, against a fake Kubernetes API that lists pods per node:
 * results land in textfiles that `promtool check metrics` accepts, and a node or peer running team
 * pods, a failing API, or a time outside the window skips the benchmarks.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrationScript, type CalibrationStep } from "../../components/health/calibration/scripts";
import { iperfPeerIndex } from "../../config/health";
import { startFakePodApi, type FakePodApi } from "../harness/fake-pod-api";
import { runProcess } from "../harness/run-process";
import { requireTools } from "../harness/tools";
import { freePort } from "../harness/victoria-metrics";

const haveTools =
  requireTools("iperf3", "iperf3") && requireTools("fio", "fio") && requireTools("stress-ng", "stress-ng") && requireTools("curl", "curl") && requireTools("jq", "jq") && requireTools("prometheus", "promtool");

let api: FakePodApi;
let iperf: ChildProcess | undefined;
let iperfPort = 0;
let root = "";

function minuteNow(): number {
  const d = new Date();
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** A fresh node directory set: textfiles, state, scratch. */
function nodeDirs(name: string) {
  const base = fs.mkdtempSync(path.join(root, `${name}-`));
  const dirs = { TEXTFILE_DIR: path.join(base, "textfile"), STATE_DIR: path.join(base, "state"), SCRATCH_DIR: path.join(base, "scratch") };
  for (const d of Object.values(dirs)) fs.mkdirSync(d);
  return dirs;
}

function env(dirs: ReturnType<typeof nodeDirs>, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const m = minuteNow();
  return {
    PATH: process.env.PATH,
    KUBE_API: api.url,
    SA_DIR: path.join(root, "sa"),
    NODE_NAME: "node-a",
    NODE_INDEX: "0",
    POOL_NODES: "node-a node-b",
    POOL_ADDRESSES: "127.0.0.1 127.0.0.1",
    TEAM_NAMESPACES: "dst nomos",
    WINDOW_START_MINUTES: String((m + 1439) % 1440),
    WINDOW_END_MINUTES: String((m + 30) % 1440),
    NETWORK_PHASE_SECONDS: "0",
    IPERF_PORT: String(iperfPort),
    IPERF_SECONDS: "1",
    IPERF_STREAMS: "2",
    FIO_SIZE_MIB: "16",
    FIO_SECONDS: "1",
    FIO_DIRECT: "0",
    COMPUTE_SECONDS: "6",
    // Small stream arrays, so a 6 s run spends enough time in the kernels to report a rate.
    STREAM_L3_SIZE: "8M",
    ...dirs,
    ...overrides,
  };
}

/** Runs a step asynchronously: the fake API server lives in this process and must keep answering. */
async function runStep(step: CalibrationStep, e: NodeJS.ProcessEnv): Promise<void> {
  const { status, stderr } = await runProcess("sh", ["-c", calibrationScript(step)], { env: e });
  if (status !== 0) throw new Error(`${step} exited ${status}: ${stderr}`);
}

function textfile(dirs: ReturnType<typeof nodeDirs>, step: CalibrationStep): string {
  return fs.readFileSync(path.join(dirs.TEXTFILE_DIR, `lab_calibration_${step}.prom`), "utf8");
}

/** Sample value of a metric line `name{labels} value`, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.skipIf(!haveTools)("calibration scripts", () => {
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-calib-"));
    fs.mkdirSync(path.join(root, "sa"));
    fs.writeFileSync(path.join(root, "sa", "token"), "test-sa");
    fs.writeFileSync(path.join(root, "sa", "ca.crt"), "not used over http\n");
    api = await startFakePodApi();
    iperfPort = await freePort();
    iperf = spawn("iperf3", ["-s", "-B", "127.0.0.1", "-p", String(iperfPort)], { stdio: "ignore" });
    // Wait until the iperf3 server accepts connections.
    for (let i = 0; i < 50; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(iperfPort, "127.0.0.1", () => (s.end(), resolve(true)));
        s.on("error", () => resolve(false));
      });
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    iperf?.kill("SIGTERM");
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("measures network, disk, CPU and memory on a free node, in base units, in files promtool accepts", async () => {
    api.pods = { "node-a": [{ metadata: { namespace: "kube-system", name: "kube-ovn-cni-x" } }], "node-b": [] };
    api.requests.length = 0;
    const dirs = nodeDirs("free");
    for (const step of ["check", "network", "disk", "compute"] as const) await runStep(step, env(dirs));

    expect(textfile(dirs, "check")).toContain('lab_calibration_skipped{step="check",reason="none"} 0');
    const network = textfile(dirs, "network");
    expect(sample(network, 'lab_calibration_network_throughput_bytes_per_second{peer="node-b"}')).toBeGreaterThan(1e6);
    expect(sample(network, 'lab_calibration_network_retransmits{peer="node-b"}')).toBeGreaterThanOrEqual(0);
    const disk = textfile(dirs, "disk");
    expect(sample(disk, "lab_calibration_disk_read_operations_per_second")).toBeGreaterThan(0);
    const latency = sample(disk, "lab_calibration_disk_read_latency_seconds")!;
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(1); // seconds, not microseconds
    expect(sample(disk, "lab_calibration_disk_write_throughput_bytes_per_second")).toBeGreaterThan(1e5);
    const compute = textfile(dirs, "compute");
    expect(sample(compute, "lab_calibration_cpu_operations_per_second")).toBeGreaterThan(0);
    expect(sample(compute, "lab_calibration_memory_read_throughput_bytes_per_second")).toBeGreaterThan(1e8); // bytes, not MB
    expect(sample(compute, "lab_calibration_memory_write_throughput_bytes_per_second")).toBeGreaterThan(1e8);
    expect(fs.readdirSync(dirs.SCRATCH_DIR)).toEqual([]); // the fio file is removed
    expect(fs.readdirSync(dirs.TEXTFILE_DIR).sort()).toEqual(["check", "compute", "disk", "network"].map((s) => `lab_calibration_${s}.prom`));

    for (const step of ["check", "network", "disk", "compute"] as const) {
      const check = spawnSync("promtool", ["check", "metrics"], { input: textfile(dirs, step), encoding: "utf8" });
      expect(check.status, `${step}: ${check.stdout}${check.stderr}`).toBe(0);
    }
    // The API was asked, with the service account's token, about unfinished pods on this node and on the peer.
    expect(api.requests.map((r) => r.node)).toEqual(["node-a", "node-b"]);
    expect(api.requests[0].selector).toBe("spec.nodeName=node-a,status.phase!=Succeeded,status.phase!=Failed");
    expect(api.requests[0].auth).toBe("Bearer test-sa");
  }, 120_000);

  it("skips every benchmark on a node that runs a team pod, and drops the old results", async () => {
    const dirs = nodeDirs("busy");
    fs.writeFileSync(path.join(dirs.TEXTFILE_DIR, "lab_calibration_disk.prom"), "lab_calibration_disk_read_operations_per_second 123\n");
    api.pods = { "node-a": [{ metadata: { namespace: "nomos", name: "nomos-0" } }] };
    const started = Date.now();
    for (const step of ["check", "network", "disk", "compute"] as const) await runStep(step, env(dirs));
    expect(Date.now() - started).toBeLessThan(10_000); // nothing was benchmarked
    for (const step of ["check", "network", "disk", "compute"] as const) {
      const text = textfile(dirs, step);
      expect(sample(text, `lab_calibration_skipped{step="${step}",reason="team_pods"}`), step).toBe(1);
      expect(text).not.toMatch(/^lab_calibration_(network|disk|cpu|memory)_/m);
    }
  });

  it("skips the network test when the peer runs a team pod, but not the node's own benchmarks", async () => {
    const dirs = nodeDirs("peer");
    api.pods = { "node-a": [], "node-b": [{ metadata: { namespace: "dst", name: "libp2p-0" } }] };
    await runStep("check", env(dirs));
    await runStep("network", env(dirs));
    expect(sample(textfile(dirs, "check"), 'lab_calibration_skipped{step="check",reason="none"}')).toBe(0);
    expect(sample(textfile(dirs, "network"), 'lab_calibration_skipped{step="network",reason="peer_busy"}')).toBe(1);
    expect(fs.readFileSync(path.join(dirs.STATE_DIR, "skip"), "utf8")).toBe("");
  });

  it("treats a failing API as busy: when in doubt, do not disturb", async () => {
    const dirs = nodeDirs("doubt");
    api.failFor = new Set(["node-a"]);
    try {
      await runStep("check", env(dirs));
    } finally {
      api.failFor = new Set();
    }
    expect(sample(textfile(dirs, "check"), 'lab_calibration_skipped{step="check",reason="team_pods"}')).toBe(1);
  });

  it("does nothing outside the window (e.g. a late start)", async () => {
    const dirs = nodeDirs("late");
    const m = minuteNow();
    api.pods = {};
    await runStep("check", env(dirs, { WINDOW_START_MINUTES: String((m + 60) % 1440), WINDOW_END_MINUTES: String((m + 120) % 1440) }));
    expect(sample(textfile(dirs, "check"), 'lab_calibration_skipped{step="check",reason="outside_window"}')).toBe(1);
  });

  it("picks today's iperf3 peer by the same rotation as config/health.ts", async () => {
    const dirs = nodeDirs("rotation");
    const nodes = ["node-a", "node-b", "node-c", "node-d"];
    api.pods = {};
    await runStep("check", env(dirs, { NODE_INDEX: "2", POOL_NODES: nodes.join(" "), POOL_ADDRESSES: "127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1" }));
    await runStep("network", env(dirs, { NODE_INDEX: "2", POOL_NODES: nodes.join(" "), POOL_ADDRESSES: "127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1" }));
    const day = Math.floor(Date.now() / 86_400_000);
    const peer = nodes[iperfPeerIndex(2, nodes.length, day)!];
    expect(textfile(dirs, "network")).toContain(`lab_calibration_network_throughput_bytes_per_second{peer="${peer}"}`);
  }, 60_000);
});
