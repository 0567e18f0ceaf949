/**
 * A team pod chooses its network with annotations Kube-OVN v1.15.4 trusts as given: a pod's
 * `ovn.kubernetes.io/logical_switch` is its subnet (pkg/controller/pod.go getPodDefaultSubnet
 * L1644-1657, the subnet's `namespaces` not consulted), so it joins another team's private subnet,
 * or the monitoring subnet every private team subnet admits; `ip_address` / `mac_address` /
 * `ip_pool` take another pod's address, `port_security` / `vip` / `aaps` spoof, Multus attachments
 * reach other networks. A bundle's namespaceAnnotations could rewrite the namespace's
 * `ovn.kubernetes.io/logical_switch`, every pod's default subnet (L1671). The generated policies
 * must refuse each, while Kube-OVN's own writes and the QoS annotations pass.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, POD, dstPod as teamPod, namespaceUpdate, namespacedWrite, sa } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

/** Kube-OVN's controller and CNI daemon (charts/kube-ovn controller-deploy.yaml L48, ovncni-ds.yaml L28). */
const KUBE_OVN = { controller: sa("kube-system", "ovn"), cni: sa("kube-system", "kube-ovn-cni") };

/** A dst pod as its ReplicaSet creates it (placement defaulted), with the given annotations. */
const dstPod = (annotations: Record<string, string>, nodeName?: string) => teamPod("web-1", annotations, nodeName);

/** What Kube-OVN's controller writes back after allocating the pod in the team's subnet. */
const ALLOCATED = {
  "ovn.kubernetes.io/allocated": "true",
  "ovn.kubernetes.io/logical_switch": "team-dst",
  "ovn.kubernetes.io/ip_address": "10.60.0.5",
  "ovn.kubernetes.io/mac_address": "00:00:00:aa:bb:cc",
  "ovn.kubernetes.io/cidr": "10.60.0.0/24",
  "ovn.kubernetes.io/gateway": "10.60.0.1",
  "ovn.kubernetes.io/pod_nic_type": "veth-pair",
};

describe("a team pod may not choose its network", () => {
  it("denies pods created with Kube-OVN placement, address, spoofing or Multus annotations", () => {
    const ns = cluster.namespace("dst");
    const attacks: Record<string, string>[] = [
      { "ovn.kubernetes.io/logical_switch": "team-nomos" },
      { "ovn.kubernetes.io/logical_switch": "platform-monitoring" },
      { "ovn.kubernetes.io/ip_address": "10.61.0.7" },
      { "ovn.kubernetes.io/mac_address": "00:00:00:11:22:33" },
      { "ovn.kubernetes.io/ip_pool": "10.61.0.7,10.61.0.8" },
      { "ovn.kubernetes.io/port_security": "false" },
      { "ovn.kubernetes.io/aaps": "10.61.0.0/24" },
      { "ovn.kubernetes.io/vip": "vip-nomos" },
      { "ovn.kubernetes.io/routes": '[{"dst":"10.61.0.0/24","gw":"10.60.0.1"}]' },
      { "ovn.kubernetes.io/vpc": "other" },
      { "ovn.kubernetes.io/allocated": "true" },
      { "k8s.v1.cni.cncf.io/networks": "kube-system/host-net" },
      { "v1.multus-cni.io/default-network": "kube-system/host-net" },
      { "attach.nomos.ovn.kubernetes.io/logical_switch": "team-nomos" },
    ];
    for (const annotations of attacks) {
      const verdict = cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, dstPod(annotations)));
      expect(verdict.allowed, JSON.stringify(annotations)).toBe(false);
      expect(verdict.denials.join("\n"), JSON.stringify(annotations)).toMatch(/pods of team dst may not choose their network/);
    }
  });

  it("denies a team member changing, adding or removing the addresses Kube-OVN gave a running pod", () => {
    const ns = cluster.namespace("dst");
    const running = dstPod({ ...ALLOCATED }, "node-05");
    const edits: Record<string, string>[] = [
      { ...ALLOCATED, "ovn.kubernetes.io/ip_address": "10.61.0.7" },
      { ...ALLOCATED, "ovn.kubernetes.io/logical_switch": "team-nomos" },
      { ...ALLOCATED, "ovn.kubernetes.io/port_security": "false" },
      Object.fromEntries(Object.entries(ALLOCATED).filter(([k]) => k !== "ovn.kubernetes.io/allocated")),
    ];
    for (const annotations of edits) {
      const verdict = cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, dstPod(annotations, "node-05"), running));
      expect(verdict.allowed, JSON.stringify(annotations)).toBe(false);
    }
  });

  it("admits QoS annotations, other annotations, Kube-OVN's own write-back and a member's later edit", () => {
    const ns = cluster.namespace("dst");
    const qos = {
      "ovn.kubernetes.io/egress_rate": "100",
      "ovn.kubernetes.io/ingress_rate": "100",
      "ovn.kubernetes.io/latency": "50",
      "ovn.kubernetes.io/loss": "1",
      "kubectl.kubernetes.io/restartedAt": "2026-12-01T00:00:00Z",
    };
    expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, dstPod(qos)))).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
    const created = dstPod(qos);
    for (const writer of [KUBE_OVN.controller, KUBE_OVN.cni]) {
      expect(cluster.admit(namespacedWrite(writer, POD, ns, dstPod({ ...qos, ...ALLOCATED }), created)).allowed, writer.username).toBe(true);
    }
    const running = dstPod({ ...qos, ...ALLOCATED }, "node-05");
    // (QoS values are fixed once the pod is scheduled: test/security/bandwidth-reservations.test.ts.)
    const relabelled = dstPod({ ...qos, ...ALLOCATED, "kubectl.kubernetes.io/restartedAt": "2026-12-02T00:00:00Z" }, "node-05");
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, relabelled, running)).allowed).toBe(true);
  });
});

describe("a bundle may not rebind the team namespace to another subnet", () => {
  /** The namespace after Kube-OVN bound it to the team's subnet (namespace.go handleAddNamespace). */
  const bound = () => {
    const ns = cluster.namespace("dst");
    return { ...ns, metadata: { ...ns.metadata, annotations: { ...ns.metadata.annotations, "ovn.kubernetes.io/logical_switch": "team-dst", "ovn.kubernetes.io/cidr": "10.60.0.0/24", "ovn.kubernetes.io/exclude_ips": "10.60.0.1" } } };
  };
  const withSwitch = (ns: Record<string, any>, value: string | undefined) => {
    const annotations = { ...ns.metadata.annotations };
    if (value === undefined) delete annotations["ovn.kubernetes.io/logical_switch"];
    else annotations["ovn.kubernetes.io/logical_switch"] = value;
    return { ...ns, metadata: { ...ns.metadata, annotations } };
  };

  it("denies the Fleet agent setting, adding or removing the namespace's Kube-OVN annotations", () => {
    const ns = bound();
    for (const after of [withSwitch(ns, "team-nomos"), withSwitch(ns, "platform-monitoring"), withSwitch(ns, undefined)]) {
      const verdict = cluster.admit(namespaceUpdate(IDENTITY.fleetAgent, ns, after));
      expect(verdict.allowed).toBe(false);
      expect(verdict.denials).toEqual(["lab-team-dst-namespace: the Kube-OVN annotations (ovn.kubernetes.io/*) of team namespace dst may be changed only by the stack and Kube-OVN's controller"]);
    }
    const unbound = cluster.namespace("dst");
    expect(cluster.admit(namespaceUpdate(IDENTITY.teamDeployer("dst"), unbound, withSwitch(unbound, "team-nomos"))).allowed).toBe(false);
  });

  it("lets Kube-OVN's controller bind the namespace and the stack change it", () => {
    const unbound = cluster.namespace("dst");
    expect(cluster.admit(namespaceUpdate(KUBE_OVN.controller, unbound, bound())).allowed).toBe(true);
    expect(cluster.admit(namespaceUpdate(IDENTITY.stack, bound(), withSwitch(bound(), "team-dst,extra"))).allowed).toBe(true);
    // Kube-OVN's CNI daemon never writes namespaces.
    expect(cluster.admit(namespaceUpdate(KUBE_OVN.cni, bound(), withSwitch(bound(), "team-nomos"))).allowed).toBe(false);
  });
});
