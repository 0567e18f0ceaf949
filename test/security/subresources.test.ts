/**
 * Issue 20, way 14 (policy part): the pod policy matched `pods` and `pods/ephemeralcontainers` only,
 * the namespace policy `namespaces` only; RBAC alone stopped the subresources that write the same
 * fields. `pods/status` writes a pod's labels and annotations (kubernetes v1.32
 * pkg/registry/core/pod/strategy.go podStatusStrategy), `pods/binding` names the node past the
 * scheduler, `namespaces/status` and `namespaces/finalize` write a namespace's metadata. A team
 * holding such a grant (a future role change, a bundle's Role) must still be refused by admission.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import type { UserInfo } from "./harness/admission";
import { GeneratedCluster, IDENTITY, POD, dstPod, namespaceUpdate, namespacedWrite, sa } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

const kubeSystem = (name: string) => sa("kube-system", name);
const KUBELET: UserInfo = { username: "system:node:node-02", groups: ["system:nodes", "system:authenticated"] };
const SCHEDULER: UserInfo = { username: "system:kube-scheduler", groups: ["system:authenticated"] };

const running = () => dstPod("web", { "ovn.kubernetes.io/logical_switch": "team-dst", "ovn.kubernetes.io/ip_address": "10.100.0.5" }, "node-02");
const BINDING = (node: string) => ({ apiVersion: "v1", kind: "Binding", metadata: { name: "web" }, target: { apiVersion: "v1", kind: "Node", name: node } });

describe("way 14: subresources that write what the policies guard", () => {
  it("denies moving a pod to another subnet or address through pods/status", () => {
    const ns = cluster.namespace("dst");
    const before = running();
    const moved = { ...before, metadata: { ...before.metadata, annotations: { ...before.metadata.annotations, "ovn.kubernetes.io/ip_address": "10.99.0.7" } } };
    for (const sender of [IDENTITY.teamMember("dst"), IDENTITY.teamDeployer("dst")]) {
      const verdict = cluster.admit(namespacedWrite(sender, POD, ns, moved, before, "status"));
      expect(verdict.allowed, sender.username).toBe(false);
      expect(verdict.matchedPolicies).toContain("lab-team-dst-pods");
    }
  });

  it("denies binding a team pod to a node through pods/binding, except by the schedulers", () => {
    const ns = cluster.namespace("dst");
    for (const sender of [IDENTITY.teamMember("dst"), IDENTITY.teamDeployer("dst"), IDENTITY.replicaSetController]) {
      const verdict = cluster.admit(namespacedWrite(sender, POD, ns, BINDING("node-06"), null, "binding"));
      expect(verdict.allowed, sender.username).toBe(false);
      expect(verdict.denials).toEqual(["lab-team-dst-pod-bindings: pods of team dst are bound to nodes by the schedulers only"]);
    }
    // The same Binding through the namespace's `bindings` collection.
    const viaBindings = cluster.admit(namespacedWrite(IDENTITY.teamDeployer("dst"), { group: "", version: "v1", resource: "bindings" }, ns, BINDING("node-06")));
    expect(viaBindings.allowed).toBe(false);
    expect(cluster.admit(namespacedWrite(SCHEDULER, POD, ns, BINDING("node-02"), null, "binding")).allowed).toBe(true);
    expect(cluster.admit(namespacedWrite(kubeSystem("vaclab-scheduler"), POD, ns, BINDING("node-02"), null, "binding")).allowed).toBe(true);
  });

  it("admits the kubelet's status updates and Kube-OVN's write-back through pods/status", () => {
    const ns = cluster.namespace("dst");
    const before = running();
    const reported = { ...before, status: { phase: "Running", podIP: "10.100.0.5" } };
    expect(cluster.admit(namespacedWrite(KUBELET, POD, ns, reported, before, "status"))).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
  });

  it("denies changing the team namespace's placement metadata through namespaces/status and /finalize", () => {
    const ns = cluster.namespace("dst");
    const after = { ...ns, metadata: { ...ns.metadata, annotations: { ...ns.metadata.annotations, "scheduler.alpha.kubernetes.io/node-selector": "" } } };
    for (const sub of ["status", "finalize"]) {
      const verdict = cluster.admit({ ...namespaceUpdate(IDENTITY.fleetAgent, ns, after), subResource: sub });
      expect(verdict.allowed, sub).toBe(false);
      expect(verdict.matchedPolicies, sub).toEqual(["lab-team-dst-namespace"]);
    }
    // The namespace controller finalizing a namespace the stack deletes changes no metadata.
    const finalized = { ...ns, spec: { finalizers: [] } };
    const controller = kubeSystem("namespace-controller");
    expect(cluster.admit({ ...namespaceUpdate(controller, ns, finalized), subResource: "finalize" }).allowed).toBe(true);
  });
});
