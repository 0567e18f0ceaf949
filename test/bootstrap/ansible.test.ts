/**
 * The Ansible side for real (Debian's ansible-core 2.14 and ansible-lint): lint, syntax, and a
 * check-mode run of the bootstrap and reset playbooks over SSH against three "machines" (sshd in
 * network namespaces), each run exactly as its MetalHost runs it: the wrapper script, the host's slice
 * of the inventory generated from a test model, the key and token from the environment. Then the
 * firewall rules Ansible rendered are loaded into a namespace and probed with real connections.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, RESET_PLAYBOOK } from "../../components/bootstrap/ansible-files";
import { ansibleEnvironment, ansiblePlaybookScript } from "../../components/bootstrap/ansible-run";
import { buildInventory, dumpInventory, hostInventory, resetInventory } from "../../components/bootstrap/inventory";
import { loadLabModel } from "../../config/load";
import type { LabModel } from "../../config/model";
import { REPO_ROOT } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { ansibleRunEnvironment, canRunNetnsHosts, startNetnsHosts, stopNetnsTest, type NetnsHost, type NetnsHosts } from "./netns-hosts";

const hasAnsible = requireTools("ansible", "ansible-playbook") && requireTools("ansible-lint", "ansible-lint");

const canRunHosts = hasAnsible && canRunNetnsHosts("the SSH check-mode run") && requireTools("nftables", "nft") && requireTools("sudo", "sudo");

/** Budget of the four check-mode runs (measured times: docs/bootstrap.md, "Time"). */
const SETUP_BUDGET_MS = 240_000;

const TOKEN = "K3sJoinTokenForTheCheckModeTest0123456789abcdef";
const MONITORING_SUBNET = "10.99.0.0/24";
const TEAM_SUBNET = "10.100.0.0/16";
/** The calibration iperf3 server port (lab:health.calibration.iperf.port default; calibration is on by default). */
const IPERF_PORT = 5201;
/** Pod addresses, one per subnet, the firewall probes send from (pod-to-host traffic keeps the pod's address). */
const POD_SOURCES = {
  monitoring: "10.99.0.5", // vmagent
  defaultPods: "10.42.0.5", // system pods on podCidr
  join: "100.64.0.5", // Kube-OVN join network
  team: "10.100.0.5", // a team's experiment pod
} as const;

describe.runIf(hasAnsible)("ansible-lint and syntax", () => {
  it("ansible-lint passes with the production profile and no skips", () => {
    const result = spawnSync("ansible-lint", ["--nocolor"], { cwd: ANSIBLE_DIR, encoding: "utf8", timeout: 120_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
    expect(fs.readFileSync(path.join(ANSIBLE_DIR, ".ansible-lint"), "utf8")).not.toMatch(/skip_list|warn_list/);
  });

  it("every playbook passes --syntax-check", () => {
    const playbooks = fs.readdirSync(path.join(ANSIBLE_DIR, "playbooks")).filter((f) => f.endsWith(".yml"));
    expect(playbooks.sort()).toEqual(["reset.yml", "site.yml"]);
    for (const playbook of playbooks) {
      const result = spawnSync("ansible-playbook", ["--syntax-check", "-i", "localhost,", `playbooks/${playbook}`], {
        cwd: ANSIBLE_DIR,
        encoding: "utf8",
        env: { ...process.env, ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, "ansible.cfg") },
        timeout: 60_000,
      });
      expect(result.status, `${playbook}: ${result.stderr}`).toBe(0);
    }
  });
});

interface HostResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  unreachable?: boolean;
  diff?: Array<{ after?: string }>;
  results?: HostResult[];
}

interface AnsibleJson {
  plays: Array<{ play: { name: string }; tasks: Array<{ task: { name: string }; hosts: Record<string, HostResult> }> }>;
  stats: Record<string, { failures: number; unreachable: number; ok: number }>;
}

interface Run {
  readonly host: string;
  readonly status: number | null;
  readonly json: AnsibleJson;
  readonly raw: string;
}

/** Results of one task (by its name, role prefix included) for one host. */
function taskResult(run: Run, task: string): HostResult {
  for (const play of run.json.plays) {
    for (const t of play.tasks) if (t.task.name === task && t.hosts[run.host]) return t.hosts[run.host];
  }
  throw new Error(`${run.host} has no result for task "${task}"`);
}

/** The rendered file of a template task, from its --diff. */
function rendered(run: Run, task: string): string {
  const after = taskResult(run, task).diff?.[0]?.after;
  if (after === undefined) throw new Error(`${run.host}: task "${task}" rendered nothing`);
  return after;
}

describe.runIf(canRunHosts)("the bootstrap playbook in check mode over SSH", () => {
  let lab: NetnsHosts;
  let server: http.Server;
  let model: LabModel;
  let tmp: string;
  const requests: Array<{ method: string; url: string; from: string }> = [];
  const runs = new Map<string, Run>();
  let resetRun: Run;

  /** Runs the wrapper script as a MetalHost does, plus --check --diff, with the JSON callback. */
  function play(host: string, playbook: string, inventory: string, secretVars: string): Promise<Run> {
    const script = ansiblePlaybookScript({ playbook, limit: host, extraArgs: ["--check", "--diff"] });
    const child = spawn("sh", ["-c", script], {
      cwd: REPO_ROOT,
      env: {
        ...ansibleRunEnvironment(lab, tmp),
        ...ansibleEnvironment(model.ssh, fs.readFileSync(lab.keyFile, "utf8"), secretVars),
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(inventory);
    return new Promise((resolve) =>
      child.on("close", (status) => {
        let json: AnsibleJson;
        try {
          json = JSON.parse(stdout);
        } catch {
          throw new Error(`${host}: ansible-playbook printed no JSON (status ${status}):\n${stdout}\n${stderr}`);
        }
        resolve({ host, status, json, raw: stdout + stderr });
      }),
    );
  }

  beforeAll(async () => {
    lab = await startNetnsHosts(3);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-ansible-tmp-"));
    // Stands in for get.k3s.io: check mode asks for the script's headers (HEAD) without downloading it.
    server = http.createServer((req, res) => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", from: req.socket.remoteAddress ?? "" });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("#!/bin/sh\nexit 0\n");
    });
    await new Promise<void>((resolve) => server.listen(0, lab.gateway, resolve));
    const port = (server.address() as AddressInfo).port;
    const [a, b, c] = lab.hosts.map((h) => h.address);
    model = loadLabModel(
      {
        "lab:cluster": {
          name: "checklab", domain: "checklab.example", k3sVersion: "v1.32.4+k3s1",
          podCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16", joinCidr: "100.64.0.0/16",
          tlsSans: ["k8s.checklab.example"], maxPods: 250,
        },
        "lab:ssh": { user: lab.user, privateKeyPath: lab.keyFile },
        "lab:nodes": [
          { name: "cp-1", address: a, role: "server", pool: "control", cpu: 8, memoryGiB: 32 },
          { name: "exp-1", address: b, role: "agent", pool: "exp", cpu: 8, memoryGiB: 32 },
          { name: "mon-1", address: c, role: "agent", pool: "monitoring", cpu: 8, memoryGiB: 32 },
        ],
        "lab:teams": [{ name: "team-a", pools: ["exp"], subnet: TEAM_SUBNET, quota: { cpu: 4, memoryGiB: 16 } }],
        "lab:network": { monitoringSubnet: MONITORING_SUBNET },
        "lab:monitoring": {
          alerting: {
            receivers: [{ name: "exp", webhook: { url: "https://hooks.checklab.example/exp" } }, { name: "ops", webhook: { url: "https://hooks.checklab.example/ops" } }],
            routes: { comparability: "exp", labHealth: "ops" },
          },
        },
        "lab:hosts": {
          timeServers: ["192.0.2.123", "ntp.checklab.example"],
          firewall: { apiAllowedFrom: [`${a}/32`] },
        },
      },
      "check",
    );
    // The schema takes https:// only; the stand-in server has no TLS, so the model is given its URL directly.
    model = { ...model, hosts: { ...model.hosts, k3sInstallScriptUrl: `http://${lab.gateway}:${port}/install.sh` } };
    const inventory = buildInventory(model);
    const secretVars = JSON.stringify({ k3s_token: TOKEN });
    // The reset run goes with the three bootstrap runs: check mode changes nothing a run could see.
    const leaving = model.nodes.find((n) => n.name === "exp-1")!;
    const [reset, ...results] = await Promise.all([
      play(leaving.name, RESET_PLAYBOOK, dumpInventory(resetInventory(model, leaving)), "{}"),
      ...model.nodes.map((n) => play(n.name, BOOTSTRAP_PLAYBOOK, dumpInventory(hostInventory(inventory, n.name)), secretVars)),
    ]);
    for (const r of results) runs.set(r.host, r);
    resetRun = reset;
  }, SETUP_BUDGET_MS);

  afterAll(() => stopNetnsTest(server, lab, tmp));

  it("runs on machines whose name resolution never waits on the network", () => {
    const host = lab.hosts[0];
    expect(lab.exec(host, ["cat", "/etc/resolv.conf"]).stdout).toMatch(/^nameserver 127\.0\.0\.1$/m);
    const started = Date.now();
    expect(lab.exec(host, ["getent", "hosts", os.hostname()]).stdout).toContain(host.address);
    expect(lab.exec(host, ["getent", "hosts", "ntp.checklab.example"]).status).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("gets through fact gathering and every task of every play on every host", () => {
    for (const node of model.nodes) {
      const run = runs.get(node.name)!;
      expect(run.status, run.raw).toBe(0);
      expect(run.json.stats[node.name]).toMatchObject({ failures: 0, unreachable: 0 });
      const plays = run.json.plays.map((p) => p.play.name);
      expect(plays).toEqual(["Prepare the hosts", "Install the k3s servers", "Join the k3s agents"]);
      const tasks = run.json.plays.flatMap((p) => p.tasks.filter((t) => t.hosts[node.name]).map((t) => t.task.name));
      expect(tasks.filter((t) => t === "Gathering Facts")).toHaveLength(2);
      // Every role ran on this host: a play that stopped early would miss its last tasks.
      expect(tasks).toContain("firewall : Install the unit that loads the rules at boot");
      expect(tasks).toContain("host_prep : Create the node_exporter textfile directory for calibration results");
      expect(tasks).toContain("k3s_install : Run k3s at boot");
      if (node.role === "server") expect(tasks).toContain("k3s_server : Wait until the API server is ready");
      for (const play of run.json.plays) {
        for (const t of play.tasks) expect(t.hosts[node.name]?.failed ?? false, `${node.name}: ${t.task.name}`).toBe(false);
      }
    }
    // Each host asked for the install script (HEAD in check mode) from its own address.
    expect(requests.filter((r) => r.method === "HEAD" && r.url === "/install.sh").map((r) => r.from).sort()).toEqual(
      lab.hosts.map((h) => h.address).sort(),
    );
  });

  it("gathers only the facts the roles read, on the interpreter the config names", () => {
    for (const run of [...runs.values(), resetRun]) {
      const gathered = run.json.plays.flatMap((p) => p.tasks.filter((t) => t.task.name === "Gathering Facts").map((t) => t.hosts[run.host] as HostResult & { ansible_facts?: Record<string, unknown> }));
      expect(gathered.length, run.host).toBeGreaterThan(0);
      for (const facts of gathered.map((g) => g.ansible_facts ?? {})) {
        // The default subset's network and platform facts: no task reads them.
        expect(facts, run.host).not.toHaveProperty("ansible_default_ipv4");
        expect(facts, run.host).not.toHaveProperty("ansible_distribution");
      }
      // Interpreter discovery (its round trips) leaves this fact on the first task that ran it.
      expect(JSON.stringify(run.json), run.host).not.toContain("discovered_interpreter_python");
    }
    // host_prep's swap task reads the memory facts of the first play.
    const first = runs.get("exp-1")!.json.plays[0].tasks[0];
    expect(first.task.name).toBe("Gathering Facts");
    expect((first.hosts["exp-1"] as { ansible_facts?: Record<string, unknown> }).ansible_facts).toHaveProperty("ansible_swaptotal_mb");
  });

  it("renders the k3s server configuration from the model", () => {
    const config = yaml.load(rendered(runs.get("cp-1")!, "k3s_install : Write the k3s configuration"));
    expect(config).toEqual({
      "cluster-init": true,
      "cluster-cidr": "10.42.0.0/16",
      "cluster-dns": "10.43.0.10",
      "disable-network-policy": true,
      // lab:cluster.etcdQuotaGiB's default (8 GiB) in bytes, not etcd's own 2 GiB.
      "etcd-arg": ["quota-backend-bytes=8589934592"],
      "flannel-backend": "none",
      "kube-apiserver-arg": ["enable-admission-plugins=NodeRestriction,PodNodeSelector,PodTolerationRestriction"],
      "kubelet-arg": ["max-pods=250"],
      "node-ip": lab.hosts[0].address,
      "node-label": ["kube-ovn/role=master"],
      "node-name": "cp-1",
      "service-cidr": "10.43.0.0/16",
      "tls-san": [lab.hosts[0].address, "k8s.checklab.example"],
      "token-file": "/etc/rancher/k3s/token",
      "write-kubeconfig-mode": "0600",
    });
  });

  it("renders the agents' configuration: join the first server, no server-only keys", () => {
    for (const [host, index] of [["exp-1", 1], ["mon-1", 2]] as const) {
      expect(yaml.load(rendered(runs.get(host)!, "k3s_install : Write the k3s configuration"))).toEqual({
        server: `https://${lab.hosts[0].address}:6443`,
        "node-name": host,
        "node-ip": lab.hosts[index].address,
        "token-file": "/etc/rancher/k3s/token",
        "kubelet-arg": ["max-pods=250"],
      });
    }
  });

  it("never shows the join token, and leaves no key, inventory or token file behind on the control machine", () => {
    for (const run of [...runs.values(), resetRun]) expect(run.raw).not.toContain(TOKEN);
    expect(taskResult(runs.get("cp-1")!, "k3s_install : Write the join token")).toMatchObject({ changed: true });
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("writes the experiment sysctls, the limits and chrony's time servers", () => {
    const run = runs.get("exp-1")!;
    const sysctl = rendered(run, "host_prep : Write the lab's sysctls for every boot");
    for (const line of ["net.core.rmem_max = 171798691", "net.ipv4.tcp_rmem = 8229458 85899345 171798691", "fs.nr_open = 1073741816", "fs.inotify.max_user_watches = 2099999999", "net.ipv4.neigh.default.gc_thresh3 = 1048576", "net.ipv4.ip_forward = 1"]) {
      expect(sysctl).toContain(`\n${line}\n`);
    }
    expect(rendered(run, "host_prep : Raise the open-files limit")).toContain("*    hard nofile 1073741816");
    const chrony = rendered(run, "host_prep : Configure chrony with the lab's time servers");
    expect(chrony.split("\n").filter((l) => l.startsWith("server "))).toEqual(["server 192.0.2.123 iburst", "server ntp.checklab.example iburst"]);
    expect(rendered(run, "host_prep : Load the kernel modules at boot").split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(
      expect.arrayContaining(["openvswitch", "geneve", "br_netfilter", "overlay"]),
    );
  });

  it("fixes the CPU governor on the experiment pool only", () => {
    const unit = rendered(runs.get("exp-1")!, "host_prep : Install the CPU governor unit");
    expect(unit).toContain("echo performance >");
    for (const platform of ["cp-1", "mon-1"]) {
      expect(taskResult(runs.get(platform)!, "host_prep : Install the CPU governor unit").skipped).toBe(true);
      expect(taskResult(runs.get(platform)!, "host_prep : Remove the CPU governor unit").failed ?? false).toBe(false);
    }
  });

  it("plays the reset path for a leaving agent: drain and delete delegated to the first server", () => {
    expect(resetRun.status, resetRun.raw).toBe(0);
    expect(resetRun.json.stats["exp-1"]).toMatchObject({ failures: 0, unreachable: 0 });
    const tasks = resetRun.json.plays.flatMap((p) => p.tasks.map((t) => t.task.name));
    expect(tasks).toEqual([
      "Gathering Facts",
      "k3s_reset : Drain the node",
      "k3s_reset : Remove the finalizers that hold the node's deleted pods",
      "k3s_reset : Drain the node once more",
      "k3s_reset : Uninstall k3s",
      "k3s_reset : Delete the Node object",
    ]);
  });

  describe("the firewall Ansible rendered, loaded into a node's namespace", () => {
    let target: NetnsHost;
    let peer: NetnsHost;
    let listeners: ReturnType<typeof spawn>[] = [];

    /** Whether `from` (a namespace, or the root namespace) can open a TCP connection to target:port, optionally from a given source address. */
    function connects(from: NetnsHost | undefined, port: number, source?: string): boolean {
      const bind = source ? `, source_address=("${source}", 0)` : "";
      const probe = `import socket,sys\ntry:\n  socket.create_connection(("${target.address}", ${port}), timeout=1.5${bind}).close()\nexcept OSError:\n  sys.exit(1)\n`;
      const argv = ["python3", "-c", probe];
      const result = from ? lab.exec(from, argv) : spawnSync(argv[0], argv.slice(1), { encoding: "utf8" });
      return result.status === 0;
    }

    beforeAll(async () => {
      [peer, target] = [lab.hosts[0], lab.hosts[1]];
      const rules = path.join(lab.dir, "firewall.nft");
      fs.writeFileSync(rules, rendered(runs.get("exp-1")!, "firewall : Write the lab's firewall rules"));
      const check = lab.exec(target, ["nft", "-c", "-f", rules]);
      expect(check.status, check.stderr).toBe(0);
      const load = lab.exec(target, ["nft", "-f", rules]);
      expect(load.status, load.stderr).toBe(0);
      // The peer stands in for a node's pods: it owns one pod address of each subnet, and the target
      // routes them back through it, as a node routes pod addresses through ovn0 and the tunnel.
      for (const address of Object.values(POD_SOURCES)) {
        expect(lab.exec(peer, ["ip", "addr", "add", `${address}/32`, "dev", "eth0"]).status).toBe(0);
        expect(lab.exec(target, ["ip", "route", "add", `${address}/32`, "via", peer.address]).status).toBe(0);
      }
      // Listeners on the API server port, the kubelet port and an ordinary port, inside the namespace.
      const server = `import socket,threading\nfor p in (6443, 10250, 8080, ${IPERF_PORT}):\n  s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("${target.address}", p)); s.listen(16)\n  threading.Thread(target=lambda s=s: [s.accept()[0].close() for _ in iter(int, 1)], daemon=True).start()\nprint("ready", flush=True)\nthreading.Event().wait()\n`;
      const listener = spawn("ip", ["netns", "exec", target.netns, "python3", "-c", server]);
      listeners.push(listener);
      await new Promise<void>((resolve, reject) => {
        listener.stdout!.once("data", () => resolve());
        listener.once("exit", (code) => reject(new Error(`listener exited with ${code}`)));
      });
    });

    afterAll(() => {
      for (const l of listeners) l.kill("SIGTERM");
      listeners = [];
    });

    it("lets the other nodes reach the kubelet and the API server", () => {
      expect(connects(peer, 10250)).toBe(true);
      expect(connects(peer, 6443)).toBe(true);
    });

    it("lets pods of the monitoring subnet, the default pod subnet and the join network reach the node ports", () => {
      for (const [name, source] of Object.entries({ monitoring: POD_SOURCES.monitoring, defaultPods: POD_SOURCES.defaultPods, join: POD_SOURCES.join })) {
        // 10250: kubelet and cAdvisor; 8080 (no cluster port) shows the source address itself works.
        expect({ name, kubelet: connects(peer, 10250, source), other: connects(peer, 8080, source) }).toEqual({ name, kubelet: true, other: true });
      }
    });

    it("drops cluster ports from a team subnet, and leaves its other ports open", () => {
      expect(connects(peer, 10250, POD_SOURCES.team)).toBe(false);
      expect(connects(peer, 8080, POD_SOURCES.team)).toBe(true);
    });

    it("lets only the nodes reach the calibration's iperf3 server (hostNetwork: no NetworkPolicy sees it), no pod subnet (item 8)", () => {
      // The calibration clients run with hostNetwork on the other nodes: the node address.
      expect(connects(peer, IPERF_PORT)).toBe(true);
      for (const [name, source] of Object.entries(POD_SOURCES)) {
        expect({ name, iperf3: connects(peer, IPERF_PORT, source), other: connects(peer, 8080, source) }).toEqual({ name, iperf3: false, other: true });
      }
      expect(connects(undefined, IPERF_PORT)).toBe(false);
    });

    it("drops cluster ports from outside the lab's networks, leaves other ports and SSH open", () => {
      // The root namespace talks from the bridge address, which is in no lab network.
      expect(connects(undefined, 10250)).toBe(false);
      expect(connects(undefined, 6443)).toBe(false); // apiAllowedFrom lists only cp-1
      expect(connects(undefined, 8080)).toBe(true);
      expect(connects(undefined, 22)).toBe(true);
    });

    it("replaces only its own table when loaded again", () => {
      const rules = path.join(lab.dir, "firewall.nft");
      expect(lab.exec(target, ["nft", "add", "table", "inet", "someone_else"]).status).toBe(0);
      expect(lab.exec(target, ["nft", "-f", rules]).status).toBe(0);
      const tables = lab.exec(target, ["nft", "list", "tables"]).stdout;
      expect(tables).toContain("table inet lab_firewall");
      expect(tables).toContain("table inet someone_else");
    });
  });
});
