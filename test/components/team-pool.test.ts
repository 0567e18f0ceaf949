/** TeamPool under mocks: what a dedicated, a shared and a multi-pool team get, all from the model. */
import { describe, expect, it } from "vitest";
import { TeamPool } from "../../components/teams/team-pool";
import { loadLabModel } from "../../config/load";
import type { LabModel } from "../../config/model";
import { settle, type ResourceRecord } from "../../tools/plan/recorder";
import { testClusterAccess } from "../harness/cluster-access";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { currentRecorder, plainInputs, runLab, useRecorder } from "../harness/pulumi";

useRecorder();

const example = loadStackConfig();
let accessCount = 0;

/** Builds one TeamPool for `team` of `model` with a test ClusterAccess; returns what it registered. */
async function teamPool(model: LabModel, team: string): Promise<{ records: ResourceRecord[]; providerName: string }> {
  currentRecorder().reset();
  const providerName = `test-cluster-${++accessCount}`;
  new TeamPool(team, {
    team: model.teams.find((t) => t.name === team)!,
    labelDomain: model.cluster.labelDomain,
    k3sVersion: model.cluster.k3sVersion,
    monitoringNamespace: "monitoring",
    access: testClusterAccess(providerName),
  });
  await settle();
  return { records: [...currentRecorder().records], providerName };
}

function one(records: readonly ResourceRecord[], type: string): ResourceRecord {
  const found = records.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0];
}

const NS = "kubernetes:core/v1:Namespace";
const QUOTA = "kubernetes:core/v1:ResourceQuota";
const LIMITS = "kubernetes:core/v1:LimitRange";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const VAP_BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";

/** What a team gets without `storage` / `services` in its config: bounded disk, no LoadBalancer or NodePort. */
const DISK_AND_SERVICE_DEFAULTS = {
  "requests.ephemeral-storage": "100Gi", "limits.ephemeral-storage": "100Gi",
  "requests.storage": "100Gi", persistentvolumeclaims: "20",
  "services.loadbalancers": "0", "services.nodeports": "0",
  // k3s's local-path class is not offered to teams (its claims have no size limit).
  "local-path.storageclass.storage.k8s.io/persistentvolumeclaims": "0", "local-path.storageclass.storage.k8s.io/requests.storage": "0",
};

/** The quota without its object counts (test/security/object-counts.test.ts and test/config/object-counts.test.ts cover those). */
const withoutCounts = (hard: Record<string, string>) => Object.fromEntries(Object.entries(hard).filter(([k]) => !k.startsWith("count/")));

const toleration = (pool: string, key = "lab.vac.dev/pool") => ({ key, operator: "Equal", value: pool, effect: "NoSchedule" });

describe("TeamPool", () => {
  it("pins a team on a shared pool to its nodes with the pool's toleration, and enforces Pod Security", async () => {
    const model = loadLabModel(example, "lab");
    expect(model.pools.find((p) => p.name === "experiments")!.kind).toBe("shared");
    const { records } = await teamPool(model, "dst");
    const ns = plainInputs(one(records, NS)).metadata;
    expect(ns.name).toBe("dst");
    expect(ns.annotations["scheduler.alpha.kubernetes.io/node-selector"]).toBe("lab.vac.dev/team-dst=true");
    expect(JSON.parse(ns.annotations["scheduler.alpha.kubernetes.io/defaultTolerations"])).toEqual([toleration("experiments")]);
    const whitelist = JSON.parse(ns.annotations["scheduler.alpha.kubernetes.io/tolerationsWhitelist"]);
    expect(whitelist[0]).toEqual(toleration("experiments"));
    // No other pool's taint may be tolerated but the team's own lease pool's (kept for the pods a
    // lease leaves behind: PodTolerationRestriction checks every update); node-condition taints may.
    expect(whitelist.filter((t: { key: string }) => t.key === "lab.vac.dev/pool")).toEqual([toleration("experiments"), toleration("lease-dst")]);
    expect(whitelist.slice(2).every((t: { key: string; operator: string }) => t.key.startsWith("node.kubernetes.io/") && t.operator === "Exists")).toBe(true);
    expect(ns.annotations["lab.vac.dev/pools"]).toBe("experiments");
    expect(ns.labels).toMatchObject({
      "lab.vac.dev/team": "dst",
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/enforce-version": "v1.32",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
  });

  it("lets a multi-pool team tolerate each of its pools, selected by its own access label", async () => {
    const model = loadLabModel(example, "lab");
    const { records } = await teamPool(model, "nomos");
    const ns = plainInputs(one(records, NS)).metadata;
    expect(ns.annotations["scheduler.alpha.kubernetes.io/node-selector"]).toBe("lab.vac.dev/team-nomos=true");
    expect(JSON.parse(ns.annotations["scheduler.alpha.kubernetes.io/defaultTolerations"])).toEqual([toleration("nomos"), toleration("experiments")]);
    expect(ns.annotations["lab.vac.dev/pools"]).toBe("nomos,experiments");
  });

  it("gives a team on a dedicated pool only that pool, under another label domain", async () => {
    const raw = withChanges(example, (c) => {
      c["lab:cluster"].labelDomain = "dst.example.org";
      c["lab:teams"][1].pools = ["nomos"];
      c["lab:teams"][1].quota = { cpu: 60, memoryGiB: 200, pods: 900 };
    });
    const model = loadLabModel(raw, "lab");
    expect(model.pools.find((p) => p.name === "nomos")!.kind).toBe("dedicated");
    const { records } = await teamPool(model, "nomos");
    const ns = plainInputs(one(records, NS)).metadata;
    expect(ns.annotations["scheduler.alpha.kubernetes.io/node-selector"]).toBe("dst.example.org/team-nomos=true");
    expect(JSON.parse(ns.annotations["scheduler.alpha.kubernetes.io/defaultTolerations"])).toEqual([toleration("nomos", "dst.example.org/pool")]);
    expect(ns.labels["dst.example.org/team"]).toBe("nomos");
    expect(withoutCounts(plainInputs(one(records, QUOTA)).spec.hard)).toEqual({
      "requests.cpu": "60", "limits.cpu": "60", "requests.memory": "200Gi", "limits.memory": "200Gi", pods: "900",
      ...DISK_AND_SERVICE_DEFAULTS,
    });
  });

  it("sets the quota to the configured quota (requests and limits), fractions as milli/Mi, pods derived when absent", async () => {
    const raw = withChanges(example, (c) => (c["lab:teams"][0].quota = { cpu: 12.5, memoryGiB: 48.5 }));
    const model = loadLabModel(raw, "lab");
    const { records } = await teamPool(model, "dst");
    const quota = plainInputs(one(records, QUOTA));
    expect(quota.metadata.namespace).toBe("dst");
    expect(withoutCounts(quota.spec.hard)).toEqual({
      "requests.cpu": "12500m", "limits.cpu": "12500m", "requests.memory": "49664Mi", "limits.memory": "49664Mi",
      pods: String(Math.floor((12.5 / 248) * 3920)),
      ...DISK_AND_SERVICE_DEFAULTS,
    });
    const limits = plainInputs(one(records, LIMITS));
    expect(limits.metadata.namespace).toBe("dst");
    expect(limits.spec.limits).toEqual([
      {
        type: "Container",
        default: { cpu: "250m", memory: "100Mi", "ephemeral-storage": "1Gi" },
        defaultRequest: { cpu: "250m", memory: "100Mi", "ephemeral-storage": "256Mi" },
      },
    ]);
  });

  it("binds the team's groups to the explicit ClusterRole lab-team-member in the team namespace only", async () => {
    const raw = withChanges(example, (c) => (c["lab:teams"][1].groups = ["nomos-devs", "nomos-ops"]));
    const { records } = await teamPool(loadLabModel(raw, "lab"), "nomos");
    const binding = plainInputs(one(records, BINDING));
    expect(binding.kind).toBe("RoleBinding");
    expect(binding.metadata.namespace).toBe("nomos");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "lab-team-member" });
    expect(binding.subjects).toEqual([
      { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "nomos-devs" },
      { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "nomos-ops" },
    ]);
    expect(records.some((r) => r.type.includes("ClusterRoleBinding"))).toBe(false);
  });

  it("admits ingress only from the namespace itself and from monitoring", async () => {
    const { records } = await teamPool(loadLabModel(example, "lab"), "dst");
    const policy = plainInputs(one(records, NETPOL));
    expect(policy.metadata.namespace).toBe("dst");
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [
        { from: [{ podSelector: {} }] },
        { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }] },
      ],
    });
  });

  it("creates every object through the cluster's provider; the admission policies first, then the namespace, then what lives in it", async () => {
    const { records, providerName } = await teamPool(loadLabModel(example, "lab"), "dst");
    const component = one(records, "lab:teams:TeamPool");
    const ns = one(records, NS);
    const children = records.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
    const guards = children.filter((r) => r.type === VAP || r.type === VAP_BINDING);
    expect(guards.map((r) => plainInputs(r).metadata.name).sort()).toEqual(
      ["lab-team-dst-helm-charts", "lab-team-dst-namespace", "lab-team-dst-pod-bindings", "lab-team-dst-pods", "lab-team-dst-services"].flatMap((n) => [n, n]).sort(),
    );
    for (const guard of guards) expect(ns.dependsOn, guard.name).toContain(guard.urn);
    expect(children.filter((r) => !guards.includes(r)).map((r) => r.type).sort()).toEqual([LIMITS, NS, QUOTA, NETPOL, BINDING].sort());
    for (const child of children) {
      expect(child.parent, child.name).toBe(component.urn);
      expect(child.provider, child.name).toContain(`::${providerName}::`);
      if (child !== ns && !guards.includes(child)) {
        expect(child.dependsOn, child.name).toContain(ns.urn);
        expect(plainInputs(child).metadata.namespace).toBe("dst");
      }
    }
  });
});

describe("the teams layer in the lab", () => {
  it("plans one namespace, quota, limit range, role binding and network policy per team", async () => {
    const raw = withChanges(example, (c) =>
      c["lab:teams"].push({ name: "waku", pools: ["monitoring"], quota: { cpu: 10, memoryGiB: 40 }, groups: ["waku"] }),
    );
    const run = await runLab(raw);
    for (const type of [NS, QUOTA, LIMITS, BINDING, NETPOL]) {
      expect(run.ofType(type, "lab:teams:Teams").map((r) => plainInputs(r).metadata.namespace ?? plainInputs(r).metadata.name).sort(), type).toEqual(["dst", "nomos", "waku"]);
    }
    expect(Object.keys(run.lab.teams.teamPools).sort()).toEqual(["dst", "nomos", "waku"]);
    expect(run.lab.teams.teamPools.waku.namespaceName).toBe("waku");
  });

  it("defines the team roles and the monitoring-objects policy once for all teams, each policy with its Deny binding", async () => {
    const run = await runLab(example);
    const names = (type: string) => run.ofType(type, "lab:teams:Teams").map((r) => plainInputs(r).metadata.name).sort();
    expect(names("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toEqual(["lab-team-deployer", "lab-team-deployer-namespace-create", "lab-team-member"]);
    const policies = names(VAP);
    expect(policies).toEqual([
      "lab-monitoring-objects-in-monitoring-namespace",
      ...["dst", "nomos"].flatMap((t) => [`lab-team-${t}-helm-charts`, `lab-team-${t}-namespace`, `lab-team-${t}-pod-bindings`, `lab-team-${t}-pods`, `lab-team-${t}-services`]),
    ]);
    expect(run.ofType(VAP_BINDING, "lab:teams:Teams").map((r) => plainInputs(r).spec.policyName).sort()).toEqual(policies);
  });

  it("admits scraping from the monitoring namespace the config names", async () => {
    const run = await runLab(loadStackConfig("test/fixtures/second-lab.yaml"));
    for (const policy of run.ofType(NETPOL, "lab:teams:Teams")) {
      expect(plainInputs(policy).spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": "observability" });
    }
    expect(run.ofType(NETPOL, "lab:teams:Teams").length).toBeGreaterThan(0);
  });
});
