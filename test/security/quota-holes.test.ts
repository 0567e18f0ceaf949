/**
 * Way through 4: the team quota capped cpu, memory and pods only. A team could fill a shared node's
 * disk (ephemeral storage, emptyDir, local-path PVCs) and get the other team's pods evicted under
 * DiskPressure, or create a `type: LoadBalancer` Service with `svccontroller.k3s.cattle.io/tolerations`
 * so k3s ServiceLB runs hostPort pods in kube-system on every node (k3s v1.32
 * pkg/cloudprovider/servicelb.go newDaemonSet / getTolerations), around node selector, Pod Security
 * and quota. The generated quota, limit range and Service policy must refuse each.
 */
import { describe, expect, it } from "vitest";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, SERVICE, TYPES, namespacedWrite } from "./harness/cluster";
import { applyLimitRange, charge, quotaAdmits, type Usage } from "./harness/quota";

useRecorder();

async function teamObjects(raw: Record<string, unknown>, team: string) {
  const cluster = new GeneratedCluster(await runLab(raw));
  const quota = cluster.inputs(TYPES.resourceQuota).find((q) => q.metadata.namespace === team);
  const limitRange = cluster.inputs(TYPES.limitRange).find((l) => l.metadata.namespace === team);
  return { cluster, hard: quota.spec.hard as Record<string, string>, limitRange };
}

const podWith = (resources?: Record<string, any>) => ({
  metadata: { name: "p" },
  spec: { containers: [{ name: "fill", image: "busybox:1.36.1", command: ["dd", "if=/dev/zero", "of=/scratch/f"], ...(resources ? { resources } : {}) }], volumes: [{ name: "scratch", emptyDir: {} }] },
});
const service = (type: string, extra: Record<string, any> = {}) => ({ metadata: { name: `s-${type.toLowerCase()}`, ...extra }, spec: { type, ports: [{ port: 80 }] } });

describe("way 4: quota holes", () => {
  it("refuses filling a shared node's disk: one huge pod, many default pods, big or many PVCs", async () => {
    const { hard, limitRange } = await teamObjects(loadStackConfig(), "dst");
    const huge = applyLimitRange(podWith({ limits: { "ephemeral-storage": "500Gi" } }), limitRange);
    expect(quotaAdmits(hard, {}, "Pod", huge)).toMatchObject({ allowed: false, why: expect.arrayContaining(["exceeded quota: limits.ephemeral-storage"]) });

    // Pods that declare nothing get the ephemeral-storage defaults and are counted until the cap.
    const plain = applyLimitRange(podWith(), limitRange);
    expect(plain.spec.containers[0].resources.limits["ephemeral-storage"]).toBeDefined();
    const used: Usage = {};
    let admitted = 0;
    while (quotaAdmits(hard, used, "Pod", plain).allowed && admitted < 10_000) {
      charge(used, "Pod", plain);
      admitted++;
    }
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThan(1000);
    expect(quotaAdmits(hard, used, "Pod", plain).why).toContain("exceeded quota: limits.ephemeral-storage");

    const pvc = (size: string) => ({ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } });
    expect(quotaAdmits(hard, {}, "PersistentVolumeClaim", pvc("2Ti")).allowed).toBe(false);
    const claims: Usage = {};
    let count = 0;
    while (quotaAdmits(hard, claims, "PersistentVolumeClaim", pvc("1Gi")).allowed && count < 10_000) {
      charge(claims, "PersistentVolumeClaim", pvc("1Gi"));
      count++;
    }
    expect(count).toBeLessThan(100);
  });

  it("refuses LoadBalancer and NodePort Services by default, admits ClusterIP", async () => {
    const { hard } = await teamObjects(loadStackConfig(), "dst");
    expect(quotaAdmits(hard, {}, "Service", service("LoadBalancer")).why).toContain("exceeded quota: services.loadbalancers");
    expect(quotaAdmits(hard, {}, "Service", service("NodePort")).why).toContain("exceeded quota: services.nodeports");
    expect(quotaAdmits(hard, {}, "Service", service("ClusterIP")).allowed).toBe(true);
  });

  it("with LoadBalancers configured, still refuses the ServiceLB tolerations/pool annotations and externalIPs", async () => {
    const raw = withChanges(loadStackConfig(), (c) => (c["lab:teams"][0].services = { loadBalancers: 1, nodePorts: 2 }));
    const { cluster, hard } = await teamObjects(raw, "dst");
    expect(hard["services.loadbalancers"]).toBe("1");
    const ns = cluster.namespace("dst");
    const everywhere = service("LoadBalancer", { annotations: { "svccontroller.k3s.cattle.io/tolerations": '[{"operator":"Exists"}]' } });
    expect(quotaAdmits(hard, {}, "Service", everywhere).allowed).toBe(true);
    const verdict = cluster.admit(namespacedWrite(IDENTITY.teamDeployer("dst"), SERVICE, ns, everywhere));
    expect(verdict.allowed).toBe(false);
    expect(verdict.denials.join("\n")).toContain("svccontroller.k3s.cattle.io/");
    const pooled = service("LoadBalancer", { labels: { "svccontroller.k3s.cattle.io/lbpool": "nomos" } });
    expect(cluster.admit(namespacedWrite(IDENTITY.teamDeployer("dst"), SERVICE, ns, pooled)).allowed).toBe(false);
    const intercept = { metadata: { name: "mitm" }, spec: { type: "ClusterIP", ports: [{ port: 443 }], externalIPs: ["192.0.2.11"] } };
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), SERVICE, ns, intercept)).allowed).toBe(false);
    // The plain LoadBalancer the operators allowed passes both.
    expect(cluster.admit(namespacedWrite(IDENTITY.teamDeployer("dst"), SERVICE, ns, service("LoadBalancer")))).toEqual({
      allowed: true, matchedPolicies: ["lab-team-dst-services"], denials: [],
    });
  });
});
