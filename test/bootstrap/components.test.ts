/**
 * The bootstrap components under mocks (as `pulumi up` would register them): one chain per node, the
 * order of the chains, triggers that follow exactly the host's inputs, secrets, and what a node's
 * removal runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, runDigest, sha256 } from "../../components/bootstrap/ansible-files";
import { ANSIBLE_ENV } from "../../components/bootstrap/ansible-run";
import { buildInventory, dumpInventory, hostInventory, resetInventory } from "../../components/bootstrap/inventory";
import { K3sCluster } from "../../components/bootstrap/k3s-cluster";
import { loadLabModel } from "../../config/load";
import { settle, type ResourceRecord } from "../../tools/plan/recorder";
import { redact } from "../../tools/plan/redact";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { TEST_SSH_KEY, currentRecorder, isSecretInput, plainInputs, promiseOf, runLab, useRecorder, type LabRun } from "../harness/pulumi";
import { K3S_KUBECONFIG } from "./fixtures";

useRecorder();

const example = loadStackConfig();
const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";

/** metal-01 (a platform pool) becomes a second server. */
const twoServers = withChanges(example, (c) => (c["lab:nodes"][6].role = "server"));

function urnsOf(run: LabRun, node: string): string[] {
  return run.records.filter((r) => r.name.startsWith(`${node}-`) && r.custom).map((r) => r.urn);
}

function triggersByNode(run: LabRun): Record<string, unknown> {
  return Object.fromEntries(run.model.nodes.map((n) => [n.name, plainInputs(run.get(LOCAL, `${n.name}-bootstrap`)).triggers]));
}

describe("one bootstrap chain per node", () => {
  it("waits for SSH, plays the bootstrap, then registers the node's leave command", async () => {
    const run = await runLab(example);
    expect(run.ofType("lab:bootstrap:MetalHost").map((r) => r.name)).toEqual(run.model.nodes.map((n) => n.name));
    for (const node of run.model.nodes) {
      const ssh = run.get(REMOTE, `${node.name}-ssh`);
      const bootstrap = run.get(LOCAL, `${node.name}-bootstrap`);
      const leave = run.get(LOCAL, `${node.name}-leave`);
      for (const r of [ssh, bootstrap, leave]) expect(run.ancestor(r, "lab:bootstrap:MetalHost")?.name).toBe(node.name);
      expect(bootstrap.dependsOn).toContain(ssh.urn);
      expect(leave.dependsOn).toContain(bootstrap.urn);
      expect(plainInputs(ssh).connection).toMatchObject({ host: node.address, user: "lab-admin", port: 22, dialErrorLimit: -1 });
      expect(plainInputs(ssh).create).toContain("sudo -n true");
      expect(ssh.options.customTimeouts?.create).toBe("20m");
      expect(plainInputs(bootstrap).create).toContain(`--limit ${node.name} playbooks/site.yml`);
    }
  });

  it("orders the chains: first server, then the other servers, then the agents", async () => {
    const run = await runLab(twoServers);
    expect(run.model.servers.map((n) => n.name)).toEqual(["node-01", "metal-01"]);
    const first = urnsOf(run, "node-01");
    const second = urnsOf(run, "metal-01");
    expect(run.get(REMOTE, "node-01-ssh").dependsOn.filter((u) => u.includes("Command"))).toEqual([]);
    expect(run.get(REMOTE, "metal-01-ssh").dependsOn).toEqual(expect.arrayContaining(first));
    for (const agent of run.model.agents) {
      const deps = run.get(REMOTE, `${agent.name}-ssh`).dependsOn;
      expect(deps).toEqual(expect.arrayContaining([...first, ...second]));
      // Agents join in parallel: none waits for another agent.
      for (const other of run.model.agents) expect(deps.some((u) => urnsOf(run, other.name).includes(u))).toBe(false);
    }
  });

  it("waits for every node to register before the cluster counts as ready", async () => {
    currentRecorder().reset();
    const model = loadLabModel(example, "test");
    const cluster = new K3sCluster("c", { model, sshPrivateKey: pulumi.secret(TEST_SSH_KEY) });
    await settle();
    const records = currentRecorder().records;
    const gate = records.find((r) => r.type === REMOTE && r.name === "c-nodes-joined-wait")!;
    const bootstraps = records.filter((r) => r.type === LOCAL && r.name.endsWith("-bootstrap"));
    expect(bootstraps).toHaveLength(model.nodes.length);
    expect(gate.dependsOn).toEqual(expect.arrayContaining(bootstraps.map((r) => r.urn)));
    const script = plainInputs(gate).create as string;
    for (const node of model.nodes) expect(script).toContain(`sudo k3s kubectl get node ${node.name}`);

    const [ready] = cluster.access.clusterReady as pulumi.Resource[];
    expect(await promiseOf(ready.urn)).toBe(records.find((r) => r.type === "lab:shared:ReadinessGate")!.urn);
    const gateConnection = pulumi.output(cluster.access.gateConnection);
    expect(await promiseOf(gateConnection.apply((c) => c.host))).toBe("192.0.2.11");
    expect(await (gateConnection as any).isSecret).toBe(true);
  });
});

describe("triggers", () => {
  it("are the hash of the host's inventory slice and the digest of the files its plays read", async () => {
    const run = await runLab(example);
    const inventory = buildInventory(run.model);
    const digest = { server: runDigest(ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, "servers"), agent: runDigest(ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, "agents") };
    expect(digest.server).not.toBe(digest.agent);
    for (const node of run.model.nodes) {
      const slice = dumpInventory(hostInventory(inventory, node.name));
      const bootstrap = plainInputs(run.get(LOCAL, `${node.name}-bootstrap`));
      expect(bootstrap.triggers).toEqual([sha256(slice), digest[node.role]]);
      expect(bootstrap.stdin).toBe(slice);
    }
  });

  it("change only for the node whose vars changed", async () => {
    const before = triggersByNode(await runLab(example));
    const after = triggersByNode(await runLab(withChanges(example, (c) => (c["lab:nodes"][6].pool = "experiments"))));
    const changed = Object.keys(before).filter((n) => JSON.stringify(before[n]) !== JSON.stringify(after[n]));
    expect(changed).toEqual(["metal-01"]);
  });

  it("change for every node when a cluster-wide value changes, and never for the leave commands", async () => {
    const baseline = await runLab(example);
    const before = triggersByNode(baseline);
    const leaveBefore = baseline.model.nodes.map((n) => plainInputs(baseline.get(LOCAL, `${n.name}-leave`)));
    const upgraded = await runLab(withChanges(example, (c) => (c["lab:cluster"].k3sVersion = "v1.33.1+k3s1")));
    const after = triggersByNode(upgraded);
    expect(Object.keys(before).filter((n) => JSON.stringify(before[n]) === JSON.stringify(after[n]))).toEqual([]);
    // A leave command is only ever deleted when its node leaves: it has no triggers, and its inputs
    // do not follow the bootstrap's.
    expect(upgraded.model.nodes.map((n) => plainInputs(upgraded.get(LOCAL, `${n.name}-leave`)))).toEqual(leaveBefore);
    for (const leave of leaveBefore) expect(leave.triggers).toBeUndefined();
  });
});

describe("secrets", () => {
  it("marks the key, the token, the connections and all command output secret", async () => {
    const token = "T".repeat(48);
    const run = await runLab(example, {
      stateHook: (args) => (args.type === "random:index/randomPassword:RandomPassword" ? { result: token } : undefined),
    });
    for (const node of run.model.nodes) {
      expect(isSecretInput(run.get(REMOTE, `${node.name}-ssh`), "connection")).toBe(true);
      for (const name of [`${node.name}-bootstrap`, `${node.name}-leave`]) {
        const command = run.get(LOCAL, name);
        const redacted = redact(command.inputs) as any;
        expect(redacted.environment).toBe("[secret]");
        expect(JSON.parse(plainInputs(command).environment[ANSIBLE_ENV.sshVars])).toEqual({ ansible_user: { __ansible_unsafe: "lab-admin" }, ansible_port: 22 });
        expect(Object.keys(plainInputs(command).environment).sort()).toEqual(
          [ANSIBLE_ENV.sshVars, ANSIBLE_ENV.privateKey, ANSIBLE_ENV.secretVars].sort(),
        );
        // The inventory is no secret: reviewers see it in the plan.
        expect(redacted.stdin).toContain(`${node.name}:`);
        expect(command.options.additionalSecretOutputs).toEqual(expect.arrayContaining(["stdout", "stderr"]));
        expect(command.inputs.logging).toBe("stderr");
      }
    }
    const password = run.get("random:index/randomPassword:RandomPassword", "vaclab-token");
    expect(plainInputs(password)).toMatchObject({ length: 48, special: false });
    expect(password.options.additionalSecretOutputs).toContain("result");
    // Every node joins with the same token, and only the bootstrap carries it.
    for (const node of run.model.nodes) {
      expect(JSON.parse(plainInputs(run.get(LOCAL, `${node.name}-bootstrap`)).environment[ANSIBLE_ENV.secretVars])).toEqual({ k3s_token: { __ansible_unsafe: token } });
      expect(JSON.parse(plainInputs(run.get(LOCAL, `${node.name}-leave`)).environment[ANSIBLE_ENV.secretVars])).toEqual({});
    }
    expect(run.records.filter((r) => JSON.stringify(redact(r.inputs)).includes(token)).map((r) => r.name)).toEqual([]);

    const fetch = run.get(REMOTE, "vaclab-kubeconfig");
    expect(isSecretInput(fetch, "connection")).toBe(true);
    expect(fetch.inputs.logging).toBe("none");
    expect(fetch.options.additionalSecretOutputs).toEqual(expect.arrayContaining(["stdout", "stderr"]));
    expect(isSecretInput(run.get("pulumi:providers:kubernetes", "vaclab-k8s"), "kubeconfig")).toBe(true);
  });

  it("never puts the SSH key in clear into any resource's inputs", async () => {
    const run = await runLab(example);
    const material = "test-key-material-not-real";
    const leaks = run.records.filter((r: ResourceRecord) => JSON.stringify(redact(r.inputs)).includes(material)).map((r) => r.name);
    expect(leaks).toEqual([]);
    // ...while the commands do receive it (as a secret).
    expect(plainInputs(run.get(LOCAL, "node-01-bootstrap")).environment[ANSIBLE_ENV.privateKey]).toBe(TEST_SSH_KEY);
  });
});

describe("the kubeconfig", () => {
  it("is fetched from the first server, points at the API endpoint, and is secret", async () => {
    const run = await runLab(example, {
      stateHook: (args) => (args.type === REMOTE && args.name === "vaclab-kubeconfig" ? { stdout: K3S_KUBECONFIG } : undefined),
    });
    const fetch = run.get(REMOTE, "vaclab-kubeconfig");
    expect(plainInputs(fetch).connection.host).toBe("192.0.2.11");
    expect(plainInputs(fetch).create).toBe("sudo test -s /etc/rancher/k3s/k3s.yaml && sudo cat /etc/rancher/k3s/k3s.yaml");
    expect(fetch.dependsOn).toEqual(expect.arrayContaining(urnsOf(run, "node-01").filter((u) => !u.endsWith("vaclab-kubeconfig"))));
    expect(plainInputs(fetch).triggers).toEqual(["node-01-bootstrap-id"]);

    const kubeconfig = await promiseOf(run.lab.kubeconfig);
    expect(kubeconfig).toContain("server: https://192.0.2.11:6443");
    expect(kubeconfig).not.toContain("127.0.0.1");
    expect(await (run.lab.kubeconfig as any).isSecret).toBe(true);
    const provider = run.get("pulumi:providers:kubernetes", "vaclab-k8s");
    expect(plainInputs(provider)).toEqual({ kubeconfig, clusterIdentifier: "vaclab" });
  });
});

describe("leaving the lab", () => {
  it("is declared on the leave command: drain from the first server and uninstall, with the reset playbook", async () => {
    const run = await runLab(example);
    const node = run.model.nodes.find((n) => n.name === "node-04")!;
    const leave = run.get(LOCAL, "node-04-leave");
    const inputs = plainInputs(leave);
    expect(inputs.create).toBe("true");
    expect(inputs.delete).toContain("--limit node-04 playbooks/reset.yml");
    expect(inputs.stdin).toBe(dumpInventory(resetInventory(run.model, node)));
    expect(inputs.addPreviousOutputInEnv).toBe(false);
    expect(leave.options.customTimeouts?.delete).toBe("20m"); // drain timeout 5m + 15m for the uninstall
    // Re-running the bootstrap replaces that command; it must never uninstall anything.
    expect(plainInputs(run.get(LOCAL, "node-04-bootstrap")).delete).toBeUndefined();
  });
});
