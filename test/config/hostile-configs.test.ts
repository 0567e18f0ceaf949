/**
 * Hostile stack configs written from the issue text and docs/configuration.md alone (a second,
 * independent attack on issue 12), each the smallest change to the example lab that got through the
 * loader before its fix. Most run through validateConfig; a representative few through the plan CLI,
 * which must exit 1 within 10 s naming the path, with no stack trace and no output directory.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { ConfigError } from "../../config/problems";
import { parseStackText } from "../../config/stack-file";
import { parseStackText as parseForPlan } from "../../tools/plan/stack-file";
import { EXAMPLE_STACK, loadStackConfig, REPO_ROOT, withChanges } from "../harness/fixtures";

const example = loadStackConfig();
const exampleText = fs.readFileSync(EXAMPLE_STACK, "utf8");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-hostile-configs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Paths of the problems a change to the example causes. */
function pathsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map((p) => p.path);
}

/** The example with a scalar of `length` characters aliased `uses` times inside `lab:cluster.tlsSans`. */
function scalarAliasBomb(length: number, uses: number): string {
  return exampleText.replace(
    "config:\n",
    `x-long: &s "${"A".repeat(length)}"\nconfig:\n  lab:bomb: [${Array(uses).fill("*s").join(",")}]\n`,
  );
}

// [what, change, the paths it must be refused at]
const faults: Array<[string, (c: any) => void, string[]]> = [
  ["a '..' segment in an fs:// backup target", (c) => (c["lab:monitoring"].backup = { target: "fs:///../etc", nfs: { server: "192.0.2.50", path: "/export" } }), ["lab:monitoring.backup.target"]],
  ["a '..' segment in an s3:// backup prefix", (c) => (c["lab:monitoring"].backup.target = "s3://vaclab-metrics/../other"), ["lab:monitoring.backup.target"]],
  ["a '.' segment in an fs:// backup target", (c) => (c["lab:monitoring"].backup = { target: "fs:///backup/./x", nfs: { server: "192.0.2.50", path: "/export" } }), ["lab:monitoring.backup.target"]],
  ["a lease quota of 0.0001 cores (a 0m quota)", (c) => (c["lab:leases"][0].quota.cpu = 0.0001), ["lab:leases[0].quota.cpu"]],
  ["a lease quota of 0.0001 GiB (not whole MiB)", (c) => (c["lab:leases"][0].quota.memoryGiB = 0.0001), ["lab:leases[0].quota.memoryGiB"]],
  ["a right-to-left override in a lease reason", (c) => (c["lab:leases"][0].reason = "benchmark \u202eevil"), ["lab:leases[0].reason"]],
  ["a zero-width space in a lease reason", (c) => (c["lab:leases"][0].reason = "bench\u200bmark"), ["lab:leases[0].reason"]],
  ["'..' in an https repository URL", (c) => (c["lab:teams"][0].repos[0].url = "https://git.example.org/vac/../nomos/lab-deployments"), ["lab:teams[0].repos[0].url"]],
  ["'%2e%2e' in an https repository URL", (c) => (c["lab:teams"][0].repos[0].url = "https://git.example.org/vac/%2E%2e/nomos"), ["lab:teams[0].repos[0].url"]],
  ["'..' in the platform repository URL", (c) => (c["lab:gitops"].platformRepo.url = "https://git.example.org/x/../vac/dst-lab"), ["lab:gitops.platformRepo.url"]],
  ["a '.' segment in an scp-style repository URL", (c) => (c["lab:teams"][1].repos[0].url = "git@git.example.org:nomos/./lab-deployments"), ["lab:teams[1].repos[0].url"]],
  ["textfileDir under /var/run (a symlink to /run)", (c) => (c["lab:hosts"] = { textfileDir: "/var/run/textfile" }), ["lab:hosts.textfileDir"]],
  ["textfileDir under /lib64 (merged /usr)", (c) => (c["lab:hosts"] = { textfileDir: "/lib64/textfile" }), ["lab:hosts.textfileDir"]],
  ["textfileDir in k3s's server TLS directory", (c) => (c["lab:hosts"] = { textfileDir: "/var/lib/rancher/k3s/server/tls" }), ["lab:hosts.textfileDir"]],
  ["textfileDir in the kubelet's pod volumes", (c) => (c["lab:hosts"] = { textfileDir: "/var/lib/kubelet/pods" }), ["lab:hosts.textfileDir"]],
  ["textfileDir in the CNI binaries", (c) => (c["lab:hosts"] = { textfileDir: "/opt/cni/bin" }), ["lab:hosts.textfileDir"]],
  ["a 64-character node name (kubernetes.io/hostname label value)", (c) => (c["lab:nodes"][1].name = `${"n".repeat(51)}.lab.vac.dev1`), ["lab:nodes[1].name"]],
  ["a __proto__ key in lab:network.gateways (zod's record drops it)", (c) => (c["lab:network"].gateways = JSON.parse('{"__proto__": {"type": "distributed"}}')), ["lab:network.gateways.__proto__"]],
  ["a NIC line rate that renders as 0 Mbit/s", (c) => (c["lab:nodes"][1].nic.gbps = 1e-300), ["lab:nodes[1].nic.gbps"]],
  ["kube-system as the monitoring namespace (the stack would create and own it)", (c) => (c["lab:network"].monitoringNamespace = "kube-system"), ["lab:network.monitoringNamespace"]],
  ["default as the monitoring namespace", (c) => (c["lab:network"].monitoringNamespace = "default"), ["lab:network.monitoringNamespace"]],
  ["kube-system as the calibration namespace", (c) => (c["lab:health"].calibration.namespace = "kube-system"), ["lab:health.calibration.namespace"]],
  ["Fleet's namespace as the calibration namespace", (c) => (c["lab:health"].calibration.namespace = "cattle-fleet-system"), ["lab:health.calibration.namespace"]],
  ["the monitoring namespace as the calibration namespace", (c) => (c["lab:health"].calibration.namespace = "monitoring"), ["lab:health.calibration.namespace"]],
  ["kube-system as the benchmarks namespace", (c) => (c["lab:benchmarks"] = { enabled: true, pool: "experiments", namespace: "kube-system" }), ["lab:benchmarks.namespace"]],
  ["the calibration namespace as the benchmarks namespace", (c) => (c["lab:benchmarks"] = { enabled: true, pool: "experiments", namespace: "lab-calibration" }), ["lab:benchmarks.namespace"]],
  ["k3s's local-path-storage as a team name (roles next to the provisioner)", (c) => (c["lab:teams"][0].name = "local-path-storage"), ["lab:teams[0].name"]],
  ["the SSH port as the calibration's host-network iperf3 port", (c) => (c["lab:health"].calibration.iperf = { port: 22 }), ["lab:health.calibration.iperf.port"]],
  ["the kubelet's port as the calibration iperf3 port", (c) => (c["lab:health"].calibration.iperf = { port: 10250 }), ["lab:health.calibration.iperf.port"]],
  ["the API server's port as the benchmarks' host-network port", (c) => (c["lab:benchmarks"] = { enabled: true, pool: "experiments", port: 6443 }), ["lab:benchmarks.port"]],
  ["the calibration's iperf3 port as the benchmarks' port", (c) => (c["lab:benchmarks"] = { enabled: true, pool: "experiments", port: 5201 }), ["lab:benchmarks.port"]],
  ["3 benchmark repetitions per session (a session's median needs at least 4)", (c) => (c["lab:benchmarks"] = { enabled: true, pool: "experiments", repetitions: 3 }), ["lab:benchmarks.repetitions"]],
  ["a NIC line rate of a fraction of a Mbit/s", (c) => (c["lab:nodes"][1].nic.gbps = 40.0005), ["lab:nodes[1].nic.gbps"]],
];

describe("independent hostile configs: refused at their path", () => {
  it.each(faults)("refuses %s", (_what, change, paths) => {
    expect(pathsOf(change)).toEqual(paths);
  });

  it("enables the benchmark suite with its documented defaults (port 5301, not calibration's 5201)", () => {
    expect(pathsOf((c) => (c["lab:benchmarks"] = { enabled: true, pool: "experiments" }))).toEqual([]);
  });

  it("still accepts the legitimate neighbours of those values", () => {
    expect(pathsOf((c) => {
      c["lab:monitoring"].backup.target = "s3://vaclab-metrics/victoria-metrics.v2/x";
      c["lab:leases"][0].quota = { cpu: 0.5, memoryGiB: 0.5, pods: 10 };
      c["lab:leases"][0].reason = "Nomos benchmark: «quiet» machine, 2× faster — 日本語 ok";
      c["lab:teams"][0].repos[0].url = "https://git.example.org/vac/dst-experiments.git";
      c["lab:hosts"] = { textfileDir: "/var/lib/node_exporter/textfile" };
      c["lab:nodes"][1].name = `${"n".repeat(51)}.lab.vac.dev`;
      c["lab:nodes"][1].nic.gbps = 2.5;
    })).toEqual([]);
  });

  it("refuses a long scalar aliased many times, which expands into one huge text", () => {
    const read = parseStackText(scalarAliasBomb(400_000, 2000), "Pulumi.x.yaml");
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems.map(formatProblem)).toEqual([expect.stringMatching(/^Pulumi\.x\.yaml: expands to more than \d+ characters/)]);
    // A few uses of a short alias stay fine.
    expect(parseStackText(scalarAliasBomb(100, 20), "Pulumi.x.yaml").ok).toBe(true);
  });
});

/** The example's text with `from` replaced once by `to`. */
function edited(from: string, to: string): string {
  if (!exampleText.includes(from)) throw new Error(`the example has no ${from}`);
  return exampleText.replace(from, to);
}

/** Problems of a stack file as the plan reads it (stand-ins for `secure:` leaves), then validates it. */
function planProblems(text: string): string[] {
  try {
    return validateConfig(parseForPlan(text, "Pulumi.x.yaml").raw, "x").problems.map(formatProblem);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
}

describe("independent hostile configs: secure: values", () => {
  const secret = "{ secure: v1:AAAAbm90LXJlYWxseS1lbmNyeXB0ZWQ= }";

  // Before: a secret team name planned in clear and failed the no-secret-in-clear policy (exit 2)
  // naming resources, not the config path.
  it.each([
    ["a team name", "    - name: dst\n", `    - name: ${secret}\n`, "lab:teams[0].name"],
    ["a node's pool", "role: agent, pool: nomos,", `role: agent, pool: ${secret},`, "lab:nodes[5].pool"],
    ["the cluster name", "name: vaclab", `name: ${secret}`, "lab:cluster.name"],
    ["a lease's team", "- team: nomos", `- team: ${secret}`, "lab:leases[0].team"],
    ["a receiver name", "- name: operators", `- name: ${secret}`, "lab:monitoring.alerting.receivers[1].name"],
  ])("refuses a secret in a name field: %s", (_what, from, to, at) => {
    expect(planProblems(edited(from, to))).toEqual([expect.stringMatching(new RegExp(`^${at.replace(/[[\].]/g, "\\$&")}: cannot be a secret`))]);
  });

  // Before: no stand-in matched these grammars or their cross-checks, so a legitimate secret was refused offline.
  it.each([
    ["k3sVersion", "k3sVersion: v1.32.4+k3s1", `k3sVersion: ${secret}`],
    ["a lease's from", 'from: "2027-01-11T00:00:00Z"', `from: ${secret}`],
    ["a lease's until", 'until: "2027-01-25T00:00:00Z"', `until: ${secret}`],
    ["the hot retention", "retention: 6w", `retention: ${secret}`],
    ["the cold retention", "retention: 2y", `retention: ${secret}`],
  ])("validates the rest of the config around a secret %s", (_what, from, to) => {
    expect(planProblems(edited(from, to))).toEqual([]);
  });
});

describe("independent hostile configs: the plan CLI", () => {
  const files: Array<[string, string, RegExp]> = [
    ["scalar-alias-bomb", scalarAliasBomb(400_000, 2000), /scalar-alias-bomb\.yaml: expands to more than/],
    ["backup-dotdot", exampleText.replace("target: s3://vaclab-metrics/victoria-metrics", "target: s3://vaclab-metrics/../x"), /^lab:monitoring\.backup\.target: /m],
    ["repo-dotdot", exampleText.replace("https://git.example.org/vac/dst-experiments", "https://git.example.org/vac/%2e%2e/x"), /^lab:teams\[0\]\.repos\[0\]\.url: /m],
  ];

  it("exits 1 within 10 s for each, naming the path, with no stack trace and no output", () => {
    for (const [name, text, named] of files) {
      const file = path.join(tmp, `${name}.yaml`);
      const out = path.join(tmp, `out-${name}`);
      fs.writeFileSync(file, text);
      const started = Date.now();
      const run = spawnSync(process.execPath, ["--import", "tsx", "tools/plan.ts", "--config-file", file, "--out", out], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 10_000,
        killSignal: "SIGKILL",
      });
      const seconds = (Date.now() - started) / 1000;
      expect({ name, status: run.status, seconds: seconds < 10 }).toEqual({ name, status: 1, seconds: true });
      expect(run.stderr).toMatch(named);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(fs.existsSync(out)).toBe(false);
    }
  }, 45_000);
});
