/**
 * The network layer under mocks, for the example lab and a second, different lab: Kube-OVN values
 * follow each config, every valuesContent parses, subnets are one per team and disjoint, readiness
 * gates precede what needs them, and the bandwidth switch adds or removes the whole feature.
 */
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { cidr, cidrsOverlap } from "../../config/cidr";
import { tunnelInterfaces } from "../../components/network/kube-ovn-values";
import type { ResourceRecord } from "../../tools/plan/recorder";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { plainInputs, runLab, useRecorder, type LabRun } from "../harness/pulumi";

useRecorder({ preview: true });

const example = loadStackConfig();
const second = loadStackConfig("test/fixtures/second-lab.yaml");

const HELM_CHART = "kubernetes:helm.cattle.io/v1:HelmChart";
const SUBNET = "kubernetes:kubeovn.io/v1:Subnet";
const BANDWIDTH = "kubernetes:networking.vaclab.org/v1:Bandwidth";
const NODE_PATCH = "kubernetes:core/v1:NodePatch";
const GATE = "lab:shared:ReadinessGate";
const COMMAND = "command:remote:Command";

function chart(run: LabRun, name: string): { spec: any; values: any } {
  const spec = plainInputs(run.get(HELM_CHART, name)).spec;
  return { spec, values: yaml.load(spec.valuesContent) };
}

/** The command a gate runs; dependents must depend on it (directly or through the gate component). */
function gateCommand(run: LabRun, gate: string): ResourceRecord {
  return run.get(COMMAND, `${gate}-wait`);
}

function dependsOnGate(run: LabRun, record: ResourceRecord, gate: string): boolean {
  const gateUrn = run.get(GATE, gate).urn;
  return record.dependsOn.includes(gateCommand(run, gate).urn) || record.dependsOn.includes(gateUrn);
}

describe("Kube-OVN values follow the config", () => {
  it("example lab: one server, its CIDRs, and per-node tunnel NICs because the NIC names differ", async () => {
    const run = await runLab(example);
    const { spec, values } = chart(run, "kube-ovn");
    expect(spec).toMatchObject({ chart: "kube-ovn", repo: "https://kubeovn.github.io/kube-ovn/", version: "v1.15.4", bootstrap: true, targetNamespace: "kube-system" });
    expect(values.MASTER_NODES).toBe("192.0.2.11");
    expect(values.MASTER_NODES_LABEL).toBe("node-role.kubernetes.io/control-plane=true");
    expect(values.ipv4).toEqual({
      POD_CIDR: "10.42.0.0/16",
      POD_GATEWAY: "10.42.0.1",
      SVC_CIDR: "10.43.0.0/16",
      JOIN_CIDR: "100.64.0.0/16",
      PINGER_EXTERNAL_ADDRESS: "1.1.1.1",
      PINGER_EXTERNAL_DOMAIN: "kube-ovn.io.",
    });
    expect(values.networking).toMatchObject({ NET_STACK: "ipv4", TUNNEL_TYPE: "geneve", IFACE: "", ENABLE_METRICS: true });
    expect(values.func.ENABLE_NP).toBe(true);
    expect(values.global.images.kubeovn).toEqual({ repository: "kube-ovn", tag: "v1.15.4" });
    const patches = Object.fromEntries(
      run.ofType(NODE_PATCH, "lab:network:Network").map((r) => {
        const meta = plainInputs(r).metadata;
        return [meta.name, meta.annotations["ovn.kubernetes.io/tunnel_interface"]];
      }),
    );
    expect(patches).toEqual({
      "node-01": "enp65s0f0", "node-02": "enp65s0f0", "node-03": "enp65s0f0", "node-04": "enp65s0f0",
      "node-05": "enp65s0f0", "node-06": "enp65s0f0", "metal-01": "eno1",
    });
    // cni reads the annotation at start: the chart waits for every patch.
    const chartRecord = run.get(HELM_CHART, "kube-ovn");
    for (const patch of run.ofType(NODE_PATCH, "lab:network:Network")) expect(chartRecord.dependsOn).toContain(patch.urn);
  });

  it("second lab: three masters, other CIDRs, one shared NIC name as IFACE and no node patches", async () => {
    const run = await runLab(second);
    const { values } = chart(run, "kube-ovn");
    expect(values.MASTER_NODES).toBe("10.20.0.1,10.20.0.2,10.20.0.3");
    expect(values.ipv4).toMatchObject({ POD_CIDR: "172.20.0.0/16", POD_GATEWAY: "172.20.0.1", SVC_CIDR: "172.21.0.0/16", JOIN_CIDR: "100.99.0.0/16" });
    expect(values.networking.IFACE).toBe("ens1f0");
    expect(run.ofType(NODE_PATCH, "lab:network:Network")).toEqual([]);
  });

  it("sets requests and limits for every Kube-OVN component from lab:network.kubeOvn.resources", async () => {
    const raw = withChanges(example, (c) => (c["lab:network"].kubeOvn = {
      resources: { ovsOvn: { requests: { cpu: "1200m", memory: "3Gi" }, limits: { cpu: "12", memory: "24Gi" } } },
    }));
    const { values } = chart(await runLab(raw), "kube-ovn");
    for (const component of ["ovn-central", "ovs-ovn", "kube-ovn-controller", "kube-ovn-cni", "kube-ovn-pinger", "kube-ovn-monitor"]) {
      expect(Object.keys(values[component].requests).sort(), component).toEqual(["cpu", "memory"]);
      expect(Object.keys(values[component].limits).sort(), component).toEqual(["cpu", "ephemeral-storage", "memory"]);
    }
    expect(values["ovs-ovn"]).toEqual({ requests: { cpu: "1200m", memory: "3Gi" }, limits: { cpu: "12", memory: "24Gi", "ephemeral-storage": "1Gi" } });
    expect(values["ovn-central"].requests).toEqual({ cpu: "8", memory: "16Gi" });
  });
});

describe("tunnel interface plan", () => {
  const node = (name: string, nic?: string) => ({ name, nic: nic ? { name: nic, gbps: 10 } : undefined }) as any;
  it("uses one exact IFACE only when every node names the same NIC", () => {
    expect(tunnelInterfaces([node("a", "eth1"), node("b", "eth1")])).toEqual({ iface: "eth1", perNode: {} });
  });
  it("falls back to the default-route NIC plus per-node annotations otherwise", () => {
    expect(tunnelInterfaces([node("a", "eth1"), node("b", "eno1")])).toEqual({ iface: "", perNode: { a: "eth1", b: "eno1" } });
    expect(tunnelInterfaces([node("a", "eth1"), node("b")])).toEqual({ iface: "", perNode: { a: "eth1" } });
    expect(tunnelInterfaces([node("a"), node("b")])).toEqual({ iface: "", perNode: {} });
  });
});

describe("charts", () => {
  it("every HelmChart's valuesContent is YAML and its version is the pinned one", async () => {
    for (const [raw, versions] of [
      [example, { "kube-ovn": "v1.15.4", "vaclab-bandwidth-operator": "0.2.1", "vaclab-scheduler": "0.30.7", "fleet-crd": "0.14.6", fleet: "0.14.6" }],
      [withChanges(second, (c) => (c["lab:versions"] = { kubeOvn: "v1.15.24", fleet: "0.14.5" })), { "kube-ovn": "v1.15.24", fleet: "0.14.5", "fleet-crd": "0.14.5" }],
    ] as const) {
      const run = await runLab(raw);
      const charts = [...run.ofType(HELM_CHART, "lab:network:Network"), ...run.ofType(HELM_CHART, "lab:gitops:GitOps")];
      expect(charts.length).toBe(5);
      for (const record of charts) {
        const spec = plainInputs(record).spec;
        const parsed = yaml.load(spec.valuesContent);
        expect(parsed !== null && typeof parsed === "object" && !Array.isArray(parsed), record.name).toBe(true);
        expect(spec.version, record.name).toMatch(/^v?\d+\.\d+\.\d+$/);
      }
      for (const [name, version] of Object.entries(versions)) expect(chart(run, name).spec.version, name).toBe(version);
    }
  });

  it("the Kube-OVN gate waits for the CRDs, every workload and the default subnet, after the chart", async () => {
    const run = await runLab(example);
    const command = gateCommand(run, "kube-ovn-ready");
    const script = plainInputs(command).create as string;
    for (const crd of ["subnets.kubeovn.io", "ips.kubeovn.io", "vpcs.kubeovn.io"]) expect(script).toContain(`crd/${crd}`);
    for (const ds of ["ovs-ovn", "kube-ovn-cni", "kube-ovn-pinger"]) expect(script).toContain(`-n kube-system rollout status daemonset/${ds}`);
    for (const d of ["ovn-central", "kube-ovn-controller", "kube-ovn-monitor"]) expect(script).toContain(`-n kube-system rollout status deployment/${d}`);
    expect(script).toContain("wait --for=condition=Ready --timeout=10s subnet/ovn-default");
    expect(run.get(GATE, "kube-ovn-ready").dependsOn).toContain(run.get(HELM_CHART, "kube-ovn").urn);
  });
});

describe("subnets", () => {
  for (const [label, raw] of [["example", example], ["second", second]] as const) {
    it(`${label} lab: one private subnet per team with a subnet, bound to its namespace, admitting only monitoring`, async () => {
      const run = await runLab(raw);
      const { model } = run;
      const subnets = run.ofType(SUBNET).map((r) => ({ record: r, obj: plainInputs(r) }));
      const teams = model.teams.filter((t) => t.subnet);
      const teamSubnets = subnets.filter((s) => s.obj.metadata.name.startsWith("team-"));
      expect(teamSubnets.map((s) => s.obj.metadata.name).sort()).toEqual(teams.map((t) => `team-${t.name}`).sort());
      for (const team of teams) {
        const { obj } = teamSubnets.find((s) => s.obj.metadata.name === `team-${team.name}`)!;
        expect(obj.apiVersion).toBe("kubeovn.io/v1");
        expect(obj.metadata.namespace).toBeUndefined(); // cluster-scoped
        expect(obj.spec).toMatchObject({ cidrBlock: team.subnet, namespaces: [team.namespace], private: true, allowSubnets: [model.network.monitoringSubnet], protocol: "IPv4" });
      }
      const monitoring = subnets.find((s) => s.obj.metadata.name === "platform-monitoring")!.obj;
      expect(monitoring.spec).toMatchObject({ cidrBlock: model.network.monitoringSubnet, namespaces: [model.network.monitoringNamespace], private: false });
      // No overlap between any two subnets, nor with the cluster's own networks.
      const blocks = [...subnets.map((s) => s.obj.spec.cidrBlock), model.cluster.podCidr, model.cluster.serviceCidr, model.cluster.joinCidr];
      blocks.forEach((a, i) => blocks.slice(i + 1).forEach((b) => expect(cidrsOverlap(cidr(a), cidr(b)), `${a} vs ${b}`).toBe(false)));
      for (const { record } of subnets) expect(dependsOnGate(run, record, "kube-ovn-ready"), record.name).toBe(true);
    });
  }

  it("takes gateway settings from the default and per-team overrides", async () => {
    const run = await runLab(second);
    const spec = (name: string) => plainInputs(run.get(SUBNET, name)).spec;
    expect(spec("team-alpha")).toMatchObject({ gatewayType: "distributed", gatewayNode: "", natOutgoing: true, gateway: "172.30.0.1" });
    expect(spec("team-beta")).toMatchObject({ gatewayType: "centralized", gatewayNode: "w-1,w-2", natOutgoing: false, gateway: "172.30.16.1" });
    expect(run.ofType(SUBNET).map((r) => r.name)).not.toContain("team-gamma");
  });
});

describe("bandwidth-aware scheduling", () => {
  it("one Bandwidth per node with its NIC line rate, behind the operator and scheduler gate", async () => {
    for (const [raw, expected] of [
      [example, { "node-01": 40000, "node-06": 40000, "metal-01": 10000 }],
      [second, { "cp-a": 25000, "w-1": 25000, "w-2": 2500 }],
    ] as const) {
      const run = await runLab(raw);
      const objects = run.ofType(BANDWIDTH).map((r) => ({ record: r, obj: plainInputs(r) }));
      expect(objects.length).toBe(run.model.nodes.length);
      const local = run.model.network.bandwidth.localMbps;
      for (const [node, mbps] of Object.entries(expected)) {
        const { obj } = objects.find((o) => o.obj.metadata.name === node)!;
        expect(obj.apiVersion).toBe("networking.vaclab.org/v1");
        expect(obj.spec).toEqual({ node, capacity: { local: { ulMbps: local, dlMbps: local }, network: { ulMbps: mbps, dlMbps: mbps } } });
      }
      for (const { record } of objects) expect(dependsOnGate(run, record, "bandwidth-ready"), record.name).toBe(true);
      const script = plainInputs(gateCommand(run, "bandwidth-ready")).create as string;
      expect(script).toContain("crd/bandwidths.networking.vaclab.org");
      expect(script).toContain("-n vaclab-system rollout status deployment/vaclab-bandwidth-operator-controller-manager");
      expect(script).toContain("-n kube-system rollout status deployment/vaclab-scheduler");
      // The charts need the pod network.
      for (const name of ["vaclab-bandwidth-operator", "vaclab-scheduler"]) {
        expect(dependsOnGate(run, run.get(HELM_CHART, name), "kube-ovn-ready"), name).toBe(true);
      }
    }
  });

  it("operator and scheduler use Kube-OVN's QoS annotations and the configured defaults", async () => {
    const run = await runLab(second);
    const operator = chart(run, "vaclab-bandwidth-operator");
    expect(operator.spec).toMatchObject({ repo: "https://vacp2p.github.io/vaclab-k8s-plugins/charts", targetNamespace: "vaclab-system", createNamespace: true });
    expect(operator.values.manager.annotations).toEqual({ egress: "ovn.kubernetes.io/egress_rate", ingress: "ovn.kubernetes.io/ingress_rate" });
    expect(operator.values.manager.bandwidth).toEqual({ local: { uplink: 30000, downlink: 30000 }, network: { uplink: 2500, downlink: 2500 } });
    expect(operator.values.manager.resources).toEqual({ requests: { cpu: "2", memory: "500Mi" }, limits: { cpu: "4", memory: "4Gi" } });
    const scheduler = chart(run, "vaclab-scheduler");
    expect(scheduler.spec.targetNamespace).toBe("kube-system");
    expect(scheduler.values.pluginConfig).toEqual([{
      name: "VaclabScheduling",
      args: {
        apiVersion: "kubescheduler.config.k8s.io/v1",
        kind: "VaclabSchedulingArgs",
        egressBandwidthAnnotation: "ovn.kubernetes.io/egress_rate",
        ingressBandwidthAnnotation: "ovn.kubernetes.io/ingress_rate",
        defaultEgressMbps: 50,
        defaultIngressMbps: 50,
      },
    }]);
    for (const part of ["scheduler", "controller"]) {
      expect(scheduler.values[part].image, part).toMatch(/^katakuri100\/vaclab-scheduler(-controller)?:v0\.30\.6-1$/);
      expect(Object.keys(scheduler.values[part].resources).sort()).toEqual(["limits", "requests"]);
    }
  });

  it("switching it off removes the charts, the gate and every Bandwidth object, and needs no NICs", async () => {
    const raw = withChanges(example, (c) => {
      c["lab:network"].bandwidth.enabled = false;
      delete c["lab:nodes"][3].nic;
    });
    const run = await runLab(raw);
    expect(run.ofType(BANDWIDTH)).toEqual([]);
    expect(run.ofType(HELM_CHART, "lab:network:Network").map((r) => r.name).sort()).toEqual(["kube-ovn"]);
    expect(run.ofType(GATE).map((r) => r.name)).not.toContain("bandwidth-ready");
    expect(run.ofType("lab:network:BandwidthScheduling")).toEqual([]);
  });
});

describe("every Kubernetes object goes through the cluster provider", () => {
  it("has a provider reference", async () => {
    const run = await runLab(example);
    const k8sObjects = run.records.filter((r) => r.type.startsWith("kubernetes:"));
    expect(k8sObjects.length).toBeGreaterThan(30);
    for (const r of k8sObjects) expect(r.provider, r.name).toMatch(/[:$]pulumi:providers:kubernetes::/);
  });
});
