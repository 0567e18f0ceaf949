/**
 * Way through 1: a team's fleet.yaml sets namespaceLabels / namespaceAnnotations; the Fleet agent
 * applies them to the team namespace with its own client and deletes everything the bundle does not
 * list (rancher/fleet v0.14.6 internal/cmd/agent/deployer/deployer.go L177-274). Then the team's
 * pods tolerate everything and select another pool. The generated ValidatingAdmissionPolicies must
 * deny each step while the legitimate operations next to them pass.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import type { AdmissionRequest, UserInfo } from "./harness/admission";
import { GeneratedCluster, IDENTITY, POD, namespaceDelete, namespaceUpdate, namespacedWrite, pod, NO_RAW_SOCKETS, container } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

/** What the agent writes for a bundle whose fleet.yaml lists only `labels` / `annotations` (deployer.go addLabelsFromOptions/addAnnotationsFromOptions). */
function agentRewrite(ns: Record<string, any>, opts: { labels?: Record<string, string>; annotations?: Record<string, string> }): Record<string, any> {
  const labels: Record<string, string> = { ...ns.metadata.labels };
  if (opts.labels) {
    for (const k of Object.keys(labels)) if (k !== "kubernetes.io/metadata.name" && !k.startsWith("pod-security.kubernetes.io/") && !(k in opts.labels)) delete labels[k];
    Object.assign(labels, opts.labels);
  }
  const annotations = opts.annotations ? { ...opts.annotations } : { ...ns.metadata.annotations };
  return { ...ns, metadata: { ...ns.metadata, labels, annotations } };
}

const DST_POOL_TOLERATION = { key: "lab.vac.dev/pool", operator: "Equal", value: "experiments", effect: "NoSchedule" };
const NOT_READY = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };
/** A pod of an ordinary Deployment after PodNodeSelector / PodTolerationRestriction defaulted it. */
const ordinaryPod = (extra: Record<string, any> = {}) =>
  pod("web-7d4b9c-x2x", { nodeSelector: { "lab.vac.dev/team-dst": "true" }, tolerations: [DST_POOL_TOLERATION, NOT_READY], ...extra });

describe("way 1: the Fleet agent rewrites the team namespace", () => {
  it("denies the agent deleting the placement annotations (a bundle listing one harmless annotation)", () => {
    const ns = cluster.namespace("dst");
    expect(ns.metadata.annotations["scheduler.alpha.kubernetes.io/node-selector"]).toBe("lab.vac.dev/team-dst=true");
    const verdict = cluster.admit(namespaceUpdate(IDENTITY.fleetAgent, ns, agentRewrite(ns, { annotations: { "example.org/owner": "dst" } })));
    expect(verdict.allowed).toBe(false);
    expect(verdict.denials).toEqual(["lab-team-dst-namespace: the placement, Pod Security and lab annotations of team namespace dst may be changed only by the stack"]);
  });

  it("denies the agent deleting the team label, and changing Pod Security or a lab annotation", () => {
    const ns = cluster.namespace("dst");
    expect(cluster.admit(namespaceUpdate(IDENTITY.fleetAgent, ns, agentRewrite(ns, { labels: { app: "x" } }))).allowed).toBe(false);
    const privileged = { ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, "pod-security.kubernetes.io/enforce": "privileged" } } };
    expect(cluster.admit(namespaceUpdate(IDENTITY.teamDeployer("dst"), ns, privileged)).allowed).toBe(false);
    const widened = { ...ns, metadata: { ...ns.metadata, annotations: { ...ns.metadata.annotations, "lab.vac.dev/pools": "experiments,nomos" } } };
    expect(cluster.admit(namespaceUpdate(IDENTITY.fleetAgent, ns, widened)).allowed).toBe(false);
    const added = { ...ns, metadata: { ...ns.metadata, annotations: { ...ns.metadata.annotations, "scheduler.alpha.kubernetes.io/extra": "x" } } };
    expect(cluster.admit(namespaceUpdate(IDENTITY.fleetAgent, ns, added)).allowed).toBe(false);
  });

  it("denies the agent deleting the namespace (fleet.yaml deleteNamespace) but lets the stack", () => {
    const ns = cluster.namespace("dst");
    expect(cluster.admit(namespaceDelete(IDENTITY.fleetAgent, ns)).allowed).toBe(false);
    expect(cluster.admit(namespaceDelete(IDENTITY.stack, ns)).allowed).toBe(true);
  });

  it("lets the deployer's namespace-create grant (Helm's CreateNamespace) reach only its own, existing namespace", () => {
    const create = (user: UserInfo, name: string): AdmissionRequest => ({
      operation: "CREATE", resource: { group: "", version: "v1", resource: "namespaces" }, name, namespace: "",
      object: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { name, "kubernetes.io/metadata.name": name } } },
      oldObject: null, userInfo: user, namespaceObject: null,
    });
    for (const name of ["kube-evil", "nomos-2", "fleet-team-nomos"]) {
      expect(cluster.admit(create(IDENTITY.teamDeployer("dst"), name)).allowed, name).toBe(false);
    }
    expect(cluster.admit(create(IDENTITY.teamDeployer("dst"), "dst")).allowed).toBe(true);
    expect(cluster.admit(create(IDENTITY.teamDeployer("nomos"), "nomos")).allowed).toBe(true);
    expect(cluster.admit(create(IDENTITY.stack, "waku")).allowed).toBe(true);
  });

  it("lets the stack update the namespace, and the agent add its own annotation next to the protected ones", () => {
    const ns = cluster.namespace("dst");
    const moved = { ...ns, metadata: { ...ns.metadata, annotations: { ...ns.metadata.annotations, "lab.vac.dev/pools": "experiments,nomos" } } };
    expect(cluster.admit(namespaceUpdate(IDENTITY.stack, ns, moved))).toMatchObject({ allowed: true, matchedPolicies: ["lab-team-dst-namespace"] });
    const own = agentRewrite(ns, { labels: { ...ns.metadata.labels, app: "x" }, annotations: { ...ns.metadata.annotations, "example.org/owner": "dst" } });
    expect(cluster.admit(namespaceUpdate(IDENTITY.fleetAgent, ns, own)).allowed).toBe(true);
  });

  it("denies the escaped pod: tolerate everything, select another team's pool — even with the namespace stripped of every label", () => {
    const stripped = { ...cluster.namespace("dst"), metadata: { name: "dst", labels: { "kubernetes.io/metadata.name": "dst" }, annotations: {} } };
    const attack = pod("escape", { nodeSelector: { "lab.vac.dev/pool": "nomos" }, tolerations: [{ operator: "Exists" }] });
    const verdict = cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, stripped, attack));
    expect(verdict.allowed).toBe(false);
    expect(verdict.matchedPolicies).toContain("lab-team-dst-pods");
    expect(verdict.denials.join("\n")).toMatch(/must select nodeSelector lab\.vac\.dev\/team-dst=true/);
    expect(verdict.denials.join("\n")).toMatch(/may tolerate only their pools' taints/);
  });

  it("denies another pool's toleration even with the team's own selector, and a toleration added to a running pod", () => {
    const ns = cluster.namespace("dst");
    const nomosToleration = { ...DST_POOL_TOLERATION, value: "nomos" };
    expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, ordinaryPod({ tolerations: [nomosToleration] }))).allowed).toBe(false);
    expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, ordinaryPod({ tolerations: [{ key: "lab.vac.dev/pool", operator: "Exists" }] }))).allowed).toBe(false);
    const running = ordinaryPod({ nodeName: "node-05" });
    const widened = ordinaryPod({ nodeName: "node-05", tolerations: [DST_POOL_TOLERATION, { operator: "Exists" }] });
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, widened, running)).allowed).toBe(false);
  });

  it("denies host namespaces, host ports, privileged and hostPath, nodeName and priority classes, independent of Pod Security labels", () => {
    const ns = cluster.namespace("dst");
    const attacks: Record<string, Record<string, any>> = {
      hostNetwork: { hostNetwork: true },
      hostPID: { hostPID: true },
      hostIPC: { hostIPC: true },
      hostPort: { containers: [container("m", { ports: [{ containerPort: 80, hostPort: 80 }] })] },
      privileged: { initContainers: [container("i", { securityContext: { ...NO_RAW_SOCKETS, privileged: true } })] },
      hostPath: { volumes: [{ name: "root", hostPath: { path: "/" } }] },
      nodeName: { nodeName: "mon-1" },
      priorityClassName: { priorityClassName: "system-node-critical" },
    };
    for (const [name, extra] of Object.entries(attacks)) {
      expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, ordinaryPod(extra))).allowed, name).toBe(false);
    }
    const debug = ordinaryPod({ ephemeralContainers: [container("dbg", { securityContext: { ...NO_RAW_SOCKETS, privileged: true } })] });
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, debug, ordinaryPod(), "ephemeralcontainers")).allowed).toBe(false);
  });

  it("admits Fleet's ordinary Deployment and its pods with the team's own pool toleration", () => {
    const ns = cluster.namespace("dst");
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { template: { spec: { hostNetwork: true } } } };
    // The Deployment object itself is no pod: nothing matches it (its pods are checked).
    expect(cluster.admit(namespacedWrite(IDENTITY.teamDeployer("dst"), { group: "apps", version: "v1", resource: "deployments" }, ns, deployment))).toEqual({
      allowed: true, matchedPolicies: [], denials: [],
    });
    const verdict = cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, ordinaryPod()));
    expect(verdict).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
    const update = ordinaryPod({ nodeName: "node-05" });
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, { ...update, metadata: { ...update.metadata, labels: { app: "web", v: "2" } } }, update)).allowed).toBe(true);
    // A multi-pool team tolerates each of its pools.
    const nomos = cluster.namespace("nomos");
    const nomosPod = pod("n", { nodeSelector: { "lab.vac.dev/team-nomos": "true" }, tolerations: [{ ...DST_POOL_TOLERATION, value: "nomos" }, DST_POOL_TOLERATION] });
    expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, nomos, nomosPod)).allowed).toBe(true);
  });

  it("binds every policy with Deny, fails closed, and selects team namespaces by name only", () => {
    for (const policy of cluster.policies) {
      expect(policy.spec.failurePolicy, policy.metadata.name).toBe("Fail");
      const bindings = cluster.bindings.filter((b) => b.spec.policyName === policy.metadata.name);
      expect(bindings.map((b) => b.spec.validationActions), policy.metadata.name).toEqual([["Deny"]]);
      const selector = policy.spec.matchConstraints.namespaceSelector;
      if (selector) {
        for (const e of selector.matchExpressions) expect(e.key, policy.metadata.name).toBe("kubernetes.io/metadata.name");
        expect(selector.matchLabels, policy.metadata.name).toBeUndefined();
      }
      expect(policy.spec.matchConstraints.objectSelector, policy.metadata.name).toBeUndefined();
    }
    for (const team of ["dst", "nomos"]) {
      const names = cluster.policies.map((p) => p.metadata.name).filter((n) => n.startsWith(`lab-team-${team}-`));
      expect(names.sort()).toEqual([`lab-team-${team}-bundles`, `lab-team-${team}-deployer-namespaces`, `lab-team-${team}-helm-charts`, `lab-team-${team}-helm-releases`, `lab-team-${team}-namespace`, `lab-team-${team}-pod-bindings`, `lab-team-${team}-pods`, `lab-team-${team}-services`]);
    }
  });
});
