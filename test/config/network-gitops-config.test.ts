/**
 * Config rules of the network and GitOps layers: each test breaks the example lab in one way and
 * checks the exact path and message.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { parseCpuCores, parseMemoryGiB } from "../../config/quantity";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();

function problemsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);
}

describe("resource quantities", () => {
  it("parse cpu and memory the way Kubernetes writes them", () => {
    expect(parseCpuCores("500m")).toBe(0.5);
    expect(parseCpuCores("8")).toBe(8);
    expect(parseCpuCores("1.5")).toBe(1.5);
    expect(parseCpuCores("2 cores")).toBeUndefined();
    expect(parseMemoryGiB("512Mi")).toBe(0.5);
    expect(parseMemoryGiB("16Gi")).toBe(16);
    expect(parseMemoryGiB("1Ti")).toBe(1024);
    expect(parseMemoryGiB("1G")).toBeCloseTo(0.9313, 4);
    expect(parseMemoryGiB("16GB")).toBeUndefined();
  });
});

describe("lab:network", () => {
  it("applies documented defaults when the section is absent", () => {
    const { model } = validateConfig(withChanges(example, (c) => {
      delete c["lab:network"];
      for (const t of c["lab:teams"]) delete t.subnet;
    }), "lab");
    expect(model?.network.bandwidth).toMatchObject({ enabled: false, localMbps: 50000, defaultPodMbps: 20 });
    expect(model?.network.gateway).toEqual({ type: "distributed", nodes: [], natOutgoing: true });
    expect(model?.network.monitoringNamespace).toBe("monitoring");
    expect(model?.network.kubeOvn.resources.ovnCentral).toEqual({ requests: { cpu: "8", memory: "16Gi" }, limits: { cpu: "16", memory: "32Gi" } });
    expect(model?.versions).toMatchObject({ kubeOvn: "v1.15.4", fleet: "0.14.6", bandwidthOperator: "0.2.1", vaclabScheduler: "0.30.7" });
  });

  it("requires a monitoring subnet once a team has a subnet", () => {
    expect(problemsOf((c) => delete c["lab:network"].monitoringSubnet)).toEqual([
      "lab:network.monitoringSubnet: required when a team has a subnet (lab:teams[0].subnet): private team subnets admit only their own subnet and the monitoring subnet",
    ]);
  });

  it("keeps the monitoring subnet apart from every other network", () => {
    expect(problemsOf((c) => (c["lab:network"].monitoringSubnet = "10.100.4.0/24"))).toEqual([
      'lab:teams[0].subnet: 10.100.0.0/16 overlaps monitoringSubnet 10.100.4.0/24',
    ]);
    expect(problemsOf((c) => (c["lab:network"].monitoringSubnet = "192.0.2.0/24"))).toContain(
      "lab:nodes[0].address: 192.0.2.11 lies inside monitoringSubnet 192.0.2.0/24",
    );
  });

  it("refuses a team named like the monitoring namespace", () => {
    expect(problemsOf((c) => (c["lab:network"].monitoringNamespace = "dst"))).toEqual([
      'lab:teams[0].name: "dst" is the monitoring namespace (lab:network.monitoringNamespace)',
    ]);
  });

  it("checks gateway settings and per-team overrides", () => {
    expect(problemsOf((c) => (c["lab:network"].gateway = { type: "centralized" }))).toEqual([
      "lab:network.gateway.nodes: a centralized gateway needs at least one node",
    ]);
    expect(problemsOf((c) => (c["lab:network"].gateway = { nodes: ["node-02"] }))).toEqual([
      "lab:network.gateway.nodes: gateway nodes apply only to a centralized gateway",
    ]);
    expect(problemsOf((c) => (c["lab:network"].gateways = {
      nomos: { type: "centralized", nodes: ["node-06", "node-66"] },
      ghost: { type: "distributed" },
    }))).toEqual([
      "lab:network.gateways.nomos.nodes[1]: node \"node-66\" is not in lab:nodes",
      'lab:network.gateways.ghost: team "ghost" has no subnet in lab:teams',
    ]);
    expect(problemsOf((c) => (c["lab:network"].gateways = { nomos: { type: "centralized", nodes: ["node-06"] } }))).toEqual([]);
  });

  it("needs every node's NIC when bandwidth scheduling is on, and only then", () => {
    const noNic = (c: any) => {
      delete c["lab:nodes"][2].nic;
      delete c["lab:nodes"][6].nic;
    };
    expect(problemsOf(noNic)).toEqual([
      "lab:nodes[2].nic: required when lab:network.bandwidth.enabled is true (the node's bandwidth capacity is nic.gbps)",
      "lab:nodes[6].nic: required when lab:network.bandwidth.enabled is true (the node's bandwidth capacity is nic.gbps)",
    ]);
    expect(problemsOf((c) => {
      noNic(c);
      c["lab:network"].bandwidth.enabled = false;
    })).toEqual([]);
  });

  it("keeps Kube-OVN's per-node requests inside systemReserved", () => {
    // Today's lab requested 8 cores/16Gi for ovs-ovn and for kube-ovn-cni on every node.
    const todays = { requests: { cpu: "8", memory: "16Gi" }, limits: { cpu: "16", memory: "32Gi" } };
    expect(problemsOf((c) => (c["lab:network"].kubeOvn = { resources: { ovsOvn: todays, cni: todays } }))).toEqual([
      "lab:cluster.systemReserved.cpu: 2 cores kept per node, but Kube-OVN's per-node pods request 16.1 cores (ovs-ovn 8, kube-ovn-cni 8, kube-ovn-pinger 100m; lab:network.kubeOvn.resources)",
      "lab:cluster.systemReserved.memoryGiB: 8 GiB kept per node, but Kube-OVN's per-node pods request 32.098 GiB (ovs-ovn 16Gi, kube-ovn-cni 16Gi, kube-ovn-pinger 100Mi; lab:network.kubeOvn.resources)",
    ]);
  });

  it("rejects malformed quantities with their path", () => {
    expect(problemsOf((c) => (c["lab:network"].kubeOvn = { resources: { pinger: { requests: { cpu: "lots", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } } }))).toEqual([
      'lab:network.kubeOvn.resources.pinger.requests.cpu: must be a cpu quantity such as "500m" or "2"',
    ]);
  });
});

describe("lab:gitops", () => {
  it("refuses a team name too long for its bundle names to keep their prefix", () => {
    const long = "t".repeat(47);
    expect(problemsOf((c) => (c["lab:teams"][1].name = long))).toContain(
      `lab:teams[1].name: at most 46 characters for a team with repos (Fleet cuts bundle names to 53 characters keeping 47; the team's bundle names must keep "${long}-")`,
    );
    expect(problemsOf((c) => (c["lab:teams"][1].name = "t".repeat(46))).filter((p) => p.startsWith("lab:teams["))).toEqual([]);
  });

  it("refuses a team whose name is another team's Fleet namespace", () => {
    expect(problemsOf((c) => c["lab:teams"].push({ name: "fleet-team-dst", pools: ["experiments"], quota: { cpu: 1, memoryGiB: 1 } }))).toContain(
      'lab:teams[0].name: its Fleet namespace "fleet-team-dst" is also a team name',
    );
  });

  it("validates the platform repo like team repos", () => {
    expect(problemsOf((c) => (c["lab:gitops"].platformRepo = { url: "ftp://x" }))).toEqual([
      "lab:gitops.platformRepo.url: must be an https://host/path, ssh://[user@]host[:port]/path or user@host:path repository URL (no user info in https URLs)",
    ]);
  });
});
