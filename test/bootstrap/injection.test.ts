/**
 * No config string is ever evaluated as a Jinja template by Ansible, even one the schema would let
 * through: a template expression that would create a marker file on the control machine is planted
 * in every string value the program hands to Ansible (every inventory value, the SSH login and the
 * secret extra vars), bypassing the schema, and the real bootstrap playbook runs in check mode over
 * SSH against a test host (sshd in a network namespace). The marker never appears; the rendered k3s
 * and chrony configs show the planted text verbatim, so the values did reach the templates.
 *
 * Two runs of the wrapper script, as a MetalHost runs it: one that connects (every value planted
 * except the host address and the login) and one with the address and the login planted too.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_PLAYBOOK } from "../../components/bootstrap/ansible-files";
import { ansibleEnvironment, ansiblePlaybookScript, ansibleSecretVars } from "../../components/bootstrap/ansible-run";
import { buildInventory, dumpInventory, hostInventory, type Inventory } from "../../components/bootstrap/inventory";
import { loadLabModel } from "../../config/load";
import type { LabModel } from "../../config/model";
import { REPO_ROOT } from "../harness/fixtures";
import { ansibleRunEnvironment, canRunNetnsHosts, startNetnsHosts, stopNetnsTest, type NetnsHosts } from "./netns-hosts";

const canRun = canRunNetnsHosts("the Ansible injection run");

interface Run {
  readonly status: number | null;
  readonly raw: string;
  readonly json?: {
    plays: Array<{ tasks: Array<{ task: { name: string }; hosts: Record<string, { diff?: Array<{ after?: string }>; failed?: boolean }> }> }>;
    stats: Record<string, { ok: number; failures: number; unreachable: number }>;
  };
}

/** Every string value of the inventory (keys untouched) with `suffix` appended, except the keys in `keep`. */
function plant(inventory: Inventory, suffix: string, keep: ReadonlySet<string>): Inventory {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === "string") return keep.has(key) ? value : `${value}${suffix}`;
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(inventory, "") as Inventory;
}

describe.runIf(canRun)("config strings handed to Ansible are never templated", () => {
  let lab: NetnsHosts;
  let server: http.Server;
  let tmp: string;
  let marker: string;
  let expression: string;
  let model: LabModel;
  let connected: Run;
  let unreachable: Run;

  function play(inventory: Inventory, ssh: LabModel["ssh"], token: string): Promise<Run> {
    const script = ansiblePlaybookScript({ playbook: BOOTSTRAP_PLAYBOOK, limit: "cp-1", extraArgs: ["--check", "--diff"] });
    const child = spawn("sh", ["-c", script], {
      cwd: REPO_ROOT,
      env: {
        ...ansibleRunEnvironment(lab, tmp),
        ANSIBLE_TIMEOUT: "5",
        ...ansibleEnvironment(ssh, fs.readFileSync(lab.keyFile, "utf8"), ansibleSecretVars({ k3s_token: token })),
      },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.stdin.end(dumpInventory(inventory));
    return new Promise((resolve) =>
      child.on("close", (status) => {
        let json: Run["json"];
        try {
          json = JSON.parse(out.slice(out.indexOf("{")));
        } catch {
          json = undefined;
        }
        resolve({ status, raw: out, json });
      }),
    );
  }

  beforeAll(async () => {
    lab = await startNetnsHosts(1);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-injection-"));
    marker = path.join(tmp, "MARKER");
    // No space, so the planted install URL is still a URL get_url can request (the shell splits on $IFS).
    expression = `{{lookup('pipe','touch\${IFS}${marker}')}}`;
    server = http.createServer((_req, res) => res.end("#!/bin/sh\nexit 0\n"));
    await new Promise<void>((resolve) => server.listen(0, lab.gateway, resolve));
    const port = (server.address() as AddressInfo).port;
    const address = lab.hosts[0].address;
    model = loadLabModel(
      {
        "lab:cluster": {
          name: "injectlab", domain: "injectlab.example", k3sVersion: "v1.32.4+k3s1",
          podCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16", joinCidr: "100.64.0.0/16", tlsSans: ["k8s.injectlab.example"],
        },
        "lab:ssh": { user: lab.user, privateKeyPath: lab.keyFile },
        "lab:nodes": [{ name: "cp-1", address, role: "server", pool: "control", cpu: 8, memoryGiB: 32 }],
        "lab:monitoring": {
          alerting: {
            receivers: [{ name: "a", webhook: { url: "https://hooks.injectlab.example/a" } }, { name: "b", webhook: { url: "https://hooks.injectlab.example/b" } }],
            routes: { comparability: "a", labHealth: "b" },
          },
        },
        "lab:hosts": { timeServers: ["ntp.injectlab.example"] },
      },
      "inject",
    );
    // Bypass the schema: the stand-in install server has no TLS.
    model = { ...model, hosts: { ...model.hosts, k3sInstallScriptUrl: `http://${lab.gateway}:${port}/install.sh` } };
    const inventory = hostInventory(buildInventory(model), "cp-1");
    [connected, unreachable] = await Promise.all([
      play(plant(inventory, expression, new Set(["ansible_host"])), model.ssh, `token${expression}`),
      play(plant(inventory, expression, new Set()), { ...model.ssh, user: `${lab.user}${expression}` }, `token${expression}`),
    ]);
  }, 240_000);

  afterAll(() => stopNetnsTest(server, lab, tmp));

  it("never creates the marker, whichever value carried the expression", () => {
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("ran the plays on the reachable host, and the templates received the planted text verbatim", () => {
    expect(connected.json, connected.raw).toBeDefined();
    expect(connected.json!.stats["cp-1"], connected.raw.slice(-3000)).toMatchObject({ failures: 0, unreachable: 0 });
    const rendered = (task: string) =>
      connected.json!.plays.flatMap((p) => p.tasks).find((t) => t.task.name === task)?.hosts["cp-1"]?.diff?.[0]?.after ?? "";
    expect(rendered("host_prep : Configure chrony with the lab's time servers")).toContain(`server ntp.injectlab.example${expression} iburst`);
    const k3sConfig = rendered("k3s_install : Write the k3s configuration");
    expect(k3sConfig).toContain(`cp-1${expression}`);
    expect(k3sConfig).toContain(`10.42.0.0/16${expression}`);
  });

  it("planting the address and the login makes the host unreachable, not the control machine run the lookup", () => {
    expect(unreachable.json?.stats["cp-1"]?.unreachable, unreachable.raw).toBeGreaterThan(0);
    // Ansible reports the address it tried: the planted text, verbatim.
    expect(unreachable.raw).toContain(`${lab.hosts[0].address}${expression}`);
  });
});
