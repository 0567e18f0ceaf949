/**
 * Test "machines": network namespaces on one bridge, each running its own sshd bound to its own
 * address, reachable with a throwaway ed25519 key as the current user. Addresses come from a random
 * free /24 of 198.18.0.0/15 (benchmark range); names carry the process id, so concurrent runs on one
 * machine do not collide. Needs root (ip netns), openssh-server and iproute2.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { requireTools } from "../harness/tools";

/**
 * True when this machine can start netns hosts (root, sshd, ssh, ip) and run Ansible over SSH:
 * locally a missing piece skips with a loud message; in CI it fails, since nothing there may skip.
 */
export function canRunNetnsHosts(purpose: string): boolean {
  const tools =
    requireTools("ansible", "ansible-playbook") &&
    requireTools("openssh-server", "sshd") &&
    requireTools("openssh-client", "ssh", "ssh-keygen") &&
    requireTools("iproute2", "ip");
  if (!tools) return false;
  if (process.getuid?.() === 0) return true;
  const message = `${purpose} needs root (ip netns)`;
  if (process.env.CI === "true") throw new Error(`${message}; CI may not skip it`);
  console.warn(`SKIPPING: ${message}`);
  return false;
}

export interface NetnsHost {
  readonly netns: string;
  readonly address: string;
}

export interface NetnsHosts {
  /** Address of the bridge in the root namespace: where the test's own servers listen. */
  readonly gateway: string;
  readonly hosts: readonly NetnsHost[];
  /** The private key authorised on every host. */
  readonly keyFile: string;
  readonly user: string;
  /** Scratch directory, removed by stop(). */
  readonly dir: string;
  /** Runs a command inside a host's namespace. */
  exec(host: NetnsHost, argv: readonly string[], timeoutMs?: number): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

function run(argv: readonly string[], check = true): string {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: "utf8" });
  if (check && result.status !== 0) throw new Error(`${argv.join(" ")} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** A /24 of 198.18.0.0/15 that no interface on this machine uses yet. */
function freeSubnet(): string {
  const used = run(["ip", "-4", "-o", "addr", "show"]);
  for (let attempt = 0; attempt < 50; attempt++) {
    const k = Math.floor(Math.random() * 512);
    const prefix = `198.${18 + (k >> 8)}.${k & 255}`;
    if (!used.includes(` ${prefix}.`)) return prefix;
  }
  throw new Error("no free /24 in 198.18.0.0/15");
}

/** Where `ip netns exec` finds per-namespace files to bind-mount over /etc (ip-netns(8)). */
const NETNS_ETC = "/etc/netns";

/**
 * Name resolution inside a namespace that never waits on the network. The namespace's only route
 * leads to the bridge, so the machine's own resolver is unreachable from it: where the machine
 * forwards packets, every lookup (sudo's host name check on each `become` task, fact gathering's
 * getfqdn, chrony names) waited for the resolver's timeout, which made the check-mode run take
 * minutes. `ip netns exec` (which starts sshd, hence every Ansible session) bind-mounts these files
 * over /etc: the host name resolves from the hosts file, and any other name fails at once against a
 * loopback resolver nobody listens on.
 */
function isolateNameResolution(netns: string, address: string): void {
  const dir = path.join(NETNS_ETC, netns);
  fs.mkdirSync(dir, { recursive: true });
  const hostname = os.hostname();
  fs.writeFileSync(path.join(dir, "hosts"), `127.0.0.1 localhost\n${address} ${hostname}\n::1 localhost\n`);
  fs.writeFileSync(path.join(dir, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
}

async function waitForPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: address, port });
      socket.setTimeout(500);
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => (socket.destroy(), resolve(false)));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd on ${address}:${port} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startNetnsHosts(count: number): Promise<NetnsHosts> {
  const id = `${process.pid % 100000}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
  const bridge = `l3b${id}`;
  const prefix = freeSubnet();
  const gateway = `${prefix}.1`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-netns-"));
  const keyFile = path.join(dir, "id_ed25519");
  const daemons: ChildProcess[] = [];
  const hosts: NetnsHost[] = [];
  const created: { netns: string[]; bridge?: string } = { netns: [] };

  const stop = async () => {
    for (const d of daemons) d.kill("SIGTERM");
    await Promise.all(daemons.map((d) => (d.exitCode === null ? new Promise((r) => d.once("exit", r)) : undefined)));
    // sshd's per-connection children outlive the listener (ansible's ControlPersist keeps them open):
    // kill everything still running inside each namespace before deleting it.
    for (const ns of created.netns) {
      const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).stdout.split(/\s+/).filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    // Deleting a namespace deletes its end of the veth pair, and with it the peer on the bridge.
    for (const ns of created.netns) {
      run(["ip", "netns", "del", ns], false);
      fs.rmSync(path.join(NETNS_ETC, ns), { recursive: true, force: true });
    }
    if (created.bridge) run(["ip", "link", "del", created.bridge], false);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lab-test", "-f", keyFile]);
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_key")]);
    fs.copyFileSync(`${keyFile}.pub`, path.join(dir, "authorized_keys"));
    fs.mkdirSync(path.join(dir, "home"), { mode: 0o700 });
    fs.mkdirSync("/run/sshd", { recursive: true }); // sshd's privilege-separation directory

    run(["ip", "link", "add", bridge, "type", "bridge"]);
    created.bridge = bridge;
    run(["ip", "addr", "add", `${gateway}/24`, "dev", bridge]);
    run(["ip", "link", "set", bridge, "up"]);

    for (let i = 0; i < count; i++) {
      const netns = `l3n${id}-${i}`;
      const address = `${prefix}.${i + 10}`;
      const veth = `l3v${id}${i}`;
      run(["ip", "netns", "add", netns]);
      created.netns.push(netns);
      isolateNameResolution(netns, address);
      run(["ip", "-n", netns, "link", "set", "lo", "up"]);
      run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns]);
      run(["ip", "link", "set", veth, "master", bridge, "up"]);
      run(["ip", "-n", netns, "addr", "add", `${address}/24`, "dev", "eth0"]);
      run(["ip", "-n", netns, "link", "set", "eth0", "up"]);
      run(["ip", "-n", netns, "route", "add", "default", "via", gateway]);
      const config = path.join(dir, `sshd_config_${i}`);
      fs.writeFileSync(
        config,
        [
          "Port 22",
          `ListenAddress ${address}`,
          `HostKey ${path.join(dir, "host_key")}`,
          `PidFile ${path.join(dir, `sshd_${i}.pid`)}`,
          `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
          "PermitRootLogin prohibit-password",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "StrictModes no",
          "UsePAM no",
          "Subsystem sftp internal-sftp",
          // A fresh machine's home, not the operator's: sshd runs every command through the login
          // shell, and bash reads ~/.bashrc for SSH commands (Debian builds it with SSH_SOURCE_BASHRC),
          // so a personal rc file (here root's, which runs `pyenv init` twice: ~100 processes) would
          // run on every round trip of every task. SetEnv overrides the HOME sshd set (sshd_config(5)).
          `SetEnv HOME=${path.join(dir, "home")}`,
          "",
        ].join("\n"),
      );
      const daemon = spawn("ip", ["netns", "exec", netns, "/usr/sbin/sshd", "-D", "-e", "-f", config], { stdio: "ignore" });
      daemons.push(daemon);
      hosts.push({ netns, address });
    }
    await Promise.all(hosts.map((h) => waitForPort(h.address, 22, 10_000)));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    gateway,
    hosts,
    keyFile,
    user: os.userInfo().username,
    dir,
    exec: (host, argv, timeoutMs = 30_000) => {
      const r = spawnSync("ip", ["netns", "exec", host.netns, ...argv], { encoding: "utf8", timeout: timeoutMs });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    stop,
  };
}

/**
 * Environment of an ansible-playbook run against the hosts: JSON output, Ansible's local temp and SSH
 * control sockets under the hosts' scratch directory, the wrapper's private files under `tmp`.
 */
export function ansibleRunEnvironment(lab: Pick<NetnsHosts, "dir">, tmp: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TMPDIR: tmp,
    ANSIBLE_STDOUT_CALLBACK: "json",
    ANSIBLE_LOCAL_TEMP: path.join(lab.dir, "ansible-local"),
    ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(lab.dir, "cp"),
  };
}

/** Stops what a test around the hosts started: its HTTP server, the hosts, its scratch directory. */
export async function stopNetnsTest(server: { close(): unknown } | undefined, lab: NetnsHosts | undefined, tmp: string | undefined): Promise<void> {
  server?.close();
  await lab?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
