/**
 * How the bootstrap's Ansible time grows with the host count: N test machines (sshd in network
 * namespaces, test/bootstrap/netns-hosts.ts; root only, loopback-style addresses of 198.18.0.0/15),
 * each played in check mode over SSH exactly as its MetalHost plays it (the wrapper script with the
 * host's slice of the inventory, all hosts at once), then prints the wall time and the time per host.
 *
 *   npm run bench:ansible -- 1 3 6 12
 *
 * Extra ANSIBLE_* variables in the environment pass through (e.g. ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { BOOTSTRAP_PLAYBOOK } from "../components/bootstrap/ansible-files";
import { ansibleEnvironment, ansiblePlaybookScript, ansibleSecretVars } from "../components/bootstrap/ansible-run";
import { buildInventory, dumpInventory, hostInventory } from "../components/bootstrap/inventory";
import { loadLabModel } from "../config/load";
import { ansibleRunEnvironment, startNetnsHosts, stopNetnsTest, type NetnsHosts } from "../test/bootstrap/netns-hosts";

const REPO_ROOT = path.resolve(__dirname, "..");

async function bench(count: number): Promise<{ count: number; wallSeconds: number; failed: string[] }> {
  const lab: NetnsHosts = await startNetnsHosts(count);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-ansible-bench-"));
  const server = http.createServer((_req, res) => res.end("#!/bin/sh\nexit 0\n"));
  try {
    await new Promise<void>((resolve) => server.listen(0, lab.gateway, resolve));
    const port = (server.address() as AddressInfo).port;
    const nodes = lab.hosts.map((h, i) =>
      i === 0
        ? { name: "cp-1", address: h.address, role: "server", pool: "control", cpu: 8, memoryGiB: 32 }
        : { name: `exp-${i}`, address: h.address, role: "agent", pool: "exp", cpu: 8, memoryGiB: 32 },
    );
    let model = loadLabModel(
      {
        "lab:cluster": { name: "benchlab", domain: "benchlab.example", k3sVersion: "v1.32.4+k3s1", podCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16", joinCidr: "100.64.0.0/16" },
        "lab:ssh": { user: lab.user, privateKeyPath: lab.keyFile },
        "lab:nodes": nodes,
        "lab:teams": count > 1 ? [{ name: "team-a", pools: ["exp"], subnet: "10.100.0.0/16", quota: { cpu: 4, memoryGiB: 16 } }] : [],
        "lab:network": { monitoringSubnet: "10.99.0.0/24" },
        "lab:monitoring": {
          alerting: {
            receivers: [{ name: "exp", webhook: { url: "https://hooks.benchlab.example/exp" } }, { name: "ops", webhook: { url: "https://hooks.benchlab.example/ops" } }],
            routes: { comparability: "exp", labHealth: "ops" },
          },
        },
        "lab:hosts": { timeServers: ["192.0.2.123"] },
      },
      "bench",
    );
    model = { ...model, hosts: { ...model.hosts, k3sInstallScriptUrl: `http://${lab.gateway}:${port}/install.sh` } };
    const inventory = buildInventory(model);
    const key = fs.readFileSync(lab.keyFile, "utf8");
    const started = process.hrtime.bigint();
    const failed: string[] = [];
    await Promise.all(
      model.nodes.map(
        (n) =>
          new Promise<void>((resolve) => {
            const script = ansiblePlaybookScript({ playbook: BOOTSTRAP_PLAYBOOK, limit: n.name, extraArgs: ["--check", "--diff"] });
            const env = { ...ansibleRunEnvironment(lab, tmp), ANSIBLE_STDOUT_CALLBACK: process.env.ANSIBLE_STDOUT_CALLBACK ?? "default" };
            const child = spawn("sh", ["-c", script], { cwd: REPO_ROOT, env: { ...env, ...ansibleEnvironment(model.ssh, key, ansibleSecretVars({ k3s_token: "K3sJoinTokenForTheBench0123456789abcdef" })) } });
            let out = "";
            child.stdout.on("data", (d) => (out += d));
            child.stderr.on("data", (d) => (out += d));
            child.stdin.end(dumpInventory(hostInventory(inventory, n.name)));
            child.on("close", (status) => {
              if (status !== 0) failed.push(n.name);
              if (process.env.BENCH_LOG_DIR) fs.writeFileSync(path.join(process.env.BENCH_LOG_DIR, `${count}-${n.name}.log`), out);
              resolve();
            });
          }),
      ),
    );
    return { count, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9, failed };
  } finally {
    await stopNetnsTest(server, lab, tmp);
  }
}

async function main(): Promise<void> {
  const counts = process.argv.slice(2).map(Number);
  if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 1 || c > 40)) throw new Error("usage: bench-ansible COUNT... (1..40 hosts each)");
  for (const count of counts) {
    const r = await bench(count);
    console.log(`${r.count} hosts: ${r.wallSeconds.toFixed(1)} s wall, ${(r.wallSeconds / r.count).toFixed(2)} s per host${r.failed.length ? `, FAILED: ${r.failed.join(", ")}` : ""} (load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
