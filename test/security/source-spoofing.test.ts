/**
 * Issue 20, way 9: a team pod sends packets with a monitoring pod's source address into another
 * team's pods. Private-subnet ACLs and NetworkPolicies match on source IP; Kube-OVN v1.15.4 locks a
 * port to its own MAC and IPs only when the pod carries `ovn.kubernetes.io/port_security: "true"`
 * (pkg/controller/pod.go: portSecurity from the annotation), which the pod policy used to refuse;
 * and Pod Security baseline leaves NET_RAW among a container's capabilities (pod-security-admission
 * policy/check_capabilities_baseline.go), so raw sockets can write any source address. Every team
 * pod must now lock its port or give up raw sockets in every container.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, NO_RAW_SOCKETS, POD, container, dstPod, namespacedWrite } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

const spoofer = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) => dstPod("spoof", annotations, undefined, spec);
const plain = { name: "main", image: "nicolaka/netshoot:v0.13" };
const MESSAGE = /must either set ovn\.kubernetes\.io\/port_security: "true" or drop NET_RAW/;

describe("way 9: source spoofing", () => {
  it("denies a pod whose containers keep NET_RAW and whose port is not locked", () => {
    const ns = cluster.namespace("dst");
    const attacks: Record<string, Record<string, unknown>> = {
      "default capabilities": { containers: [plain] },
      "adds NET_RAW": { containers: [{ ...plain, securityContext: { capabilities: { add: ["NET_RAW"] } } }] },
      "drops ALL, adds NET_RAW back": { containers: [{ ...plain, securityContext: { capabilities: { drop: ["ALL"], add: ["NET_RAW"] } } }] },
      "drops something else": { containers: [{ ...plain, securityContext: { capabilities: { drop: ["CHOWN"] } } }] },
      "one container of two keeps it": { containers: [container("ok"), plain] },
      "an init container keeps it": { containers: [container("ok")], initContainers: [{ ...plain, name: "init" }] },
    };
    for (const [name, spec] of Object.entries(attacks)) {
      const verdict = cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, spoofer(spec)));
      expect(verdict.allowed, name).toBe(false);
      expect(verdict.denials.join("\n"), name).toMatch(MESSAGE);
    }
    // Port security off, or any value but "true", is still refused as a network choice.
    for (const value of ["false", "True", ""]) {
      expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, spoofer({ containers: [plain] }, { "ovn.kubernetes.io/port_security": value }))).allowed, value).toBe(false);
    }
  });

  it("denies a debug container with raw sockets added to a running pod, and turning port security off", () => {
    const ns = cluster.namespace("dst");
    const running = { ...spoofer({}), spec: { ...spoofer({}).spec, nodeName: "node-02" } };
    const debug = { ...running, spec: { ...running.spec, ephemeralContainers: [{ ...plain, name: "dbg" }] } };
    const verdict = cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, debug, running, "ephemeralcontainers"));
    expect(verdict.allowed).toBe(false);
    expect(verdict.denials.join("\n")).toMatch(MESSAGE);
    const locked = spoofer({ containers: [plain], nodeName: "node-02" }, { "ovn.kubernetes.io/port_security": "true" });
    const unlocked = spoofer({ containers: [plain], nodeName: "node-02" }, { "ovn.kubernetes.io/port_security": "false" });
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, unlocked, locked)).allowed).toBe(false);
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, unlocked, locked, "status")).allowed).toBe(false);
  });

  it("admits pods without raw sockets, pods with a locked port, and a debug container without raw sockets", () => {
    const ns = cluster.namespace("dst");
    const ok = (p: Record<string, any>) => expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, p))).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
    ok(spoofer({ containers: [container("main")] }));
    ok(spoofer({ containers: [{ ...plain, securityContext: { capabilities: { drop: ["NET_RAW"] } } }] }));
    ok(spoofer({ containers: [plain], initContainers: [{ ...plain, name: "init" }] }, { "ovn.kubernetes.io/port_security": "true" }));
    const running = { ...spoofer({}), spec: { ...spoofer({}).spec, nodeName: "node-02" } };
    const debug = { ...running, spec: { ...running.spec, ephemeralContainers: [{ ...plain, name: "dbg", securityContext: NO_RAW_SOCKETS }] } };
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, debug, running, "ephemeralcontainers")).allowed).toBe(true);
  });
});
