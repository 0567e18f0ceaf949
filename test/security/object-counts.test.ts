/**
 * Issue 20, way 3: the team quota bounded compute, storage, pods, PVCs and LoadBalancer/NodePort
 * Services only. A team's deployer could create ConfigMaps of 1 MiB until etcd's backend quota
 * (2 GiB by default: ~2,100 of them) raises NOSPACE and every write of the cluster fails, or ~65k
 * Services until the service CIDR is exhausted. Way 7: k3s's default `local-path` StorageClass
 * gives a claim a host directory without a size limit, so a 1Gi claim fills a shared node's disk.
 * Sent here from the attacker's side against the generated ResourceQuota and roles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, TYPES } from "./harness/cluster";
import { charge, quotaAdmits, type Kind, type Usage } from "./harness/quota";

useRecorder();

const MIB = 1024 * 1024;
let cluster: GeneratedCluster;
let etcdQuotaBytes: number;
beforeAll(async () => {
  const run = await runLab(loadStackConfig());
  cluster = new GeneratedCluster(run);
  etcdQuotaBytes = run.model.cluster.etcdQuotaGiB * 1024 * MIB;
});

const hardOf = (team: string): Record<string, string> => cluster.inputs(TYPES.resourceQuota).find((q) => q.metadata.namespace === team).spec.hard;

/** How many copies of `object` the quota admits, one after another (capped at `cap`). */
function fill(hard: Record<string, string>, kind: Kind, object: Record<string, any>, cap = 100_000): number {
  const used: Usage = {};
  let n = 0;
  while (n < cap && quotaAdmits(hard, used, kind, object).allowed) {
    charge(used, kind, object);
    n++;
  }
  return n;
}

const CONFIGMAP = { group: "", resource: "configmaps" };
const SECRET = { group: "", resource: "secrets" };
const megabyteConfigMap = { metadata: { name: "blob" }, data: { blob: "x".repeat(MIB - 64) } };

describe("way 3: object counts", () => {
  it("stops 1 MiB ConfigMaps and Secrets of all teams together within half of etcd's quota", () => {
    let bytes = 0;
    for (const team of ["dst", "nomos"]) {
      const hard = hardOf(team);
      const configMaps = fill(hard, CONFIGMAP, megabyteConfigMap);
      const secrets = fill(hard, SECRET, megabyteConfigMap);
      expect(configMaps, team).toBeLessThan(100_000);
      expect(secrets, team).toBeLessThan(100_000);
      expect(configMaps, team).toBeGreaterThan(500);
      bytes += (configMaps + secrets) * MIB;
    }
    expect(etcdQuotaBytes).toBeGreaterThan(2 * 1024 * MIB);
    expect(bytes).toBeLessThanOrEqual(etcdQuotaBytes / 2);
  });

  it("stops Services well before the service CIDR (10.43.0.0/16) runs out, all teams together", () => {
    const service = { metadata: { name: "s" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } };
    const total = ["dst", "nomos"].reduce((sum, team) => sum + fill(hardOf(team), "Service", service), 0);
    expect(total).toBeLessThanOrEqual(65536 / 2);
  });

  it("bounds the count of every kind the team roles let a team create", () => {
    const bounded = (hard: Record<string, string>, group: string, resource: string) =>
      (group === "" ? [`count/${resource}`, resource] : [`count/${resource}.${group}`]).some((k) => k in hard);
    const creatable = cluster
      .inputs(TYPES.clusterRole)
      .filter((r) => r.metadata.name === "lab-team-deployer" || r.metadata.name === "lab-team-member")
      .flatMap((r) => r.rules)
      .filter((rule: any) => rule.verbs.includes("create"))
      .flatMap((rule: any) => rule.apiGroups.flatMap((g: string) => rule.resources.filter((x: string) => !x.includes("/")).map((x: string) => [g, x])));
    expect(creatable.length).toBeGreaterThan(15);
    for (const team of ["dst", "nomos"]) {
      const hard = hardOf(team);
      const unbounded = creatable.filter(([g, x]: string[]) => !bounded(hard, g, x));
      expect(unbounded, team).toEqual([]);
      for (const [g, x] of creatable) expect(fill(hard, { group: g, resource: x }, { metadata: { name: "o" } }, 1_000_000), `${team} ${g}/${x}`).toBeLessThan(1_000_000);
    }
  });

  it("admits a team's ordinary objects: a large experiment's bundle and its Helm release history", () => {
    const hard = hardOf("nomos");
    const used: Usage = {};
    const send = (kind: Kind, n: number, object: Record<string, any> = { metadata: { name: "o" } }) => {
      for (let i = 0; i < n; i++) {
        expect(quotaAdmits(hard, used, kind, object).allowed, JSON.stringify(kind)).toBe(true);
        charge(used, kind, object);
      }
    };
    // 300 node deployments with their config, 10 revisions of history each, Services, a Job per run,
    // and Helm's release Secrets (one per revision, Fleet keeps 10).
    send({ group: "apps", resource: "deployments" }, 300);
    send({ group: "apps", resource: "replicasets" }, 1000);
    send(CONFIGMAP, 300, megabyteConfigMap);
    send(SECRET, 100);
    send("Service", 300, { metadata: { name: "s" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } });
    send({ group: "batch", resource: "jobs" }, 200);
    send({ group: "", resource: "serviceaccounts" }, 20);
    send({ group: "rbac.authorization.k8s.io", resource: "roles" }, 20);
    send({ group: "networking.k8s.io", resource: "networkpolicies" }, 20);
  });
});

describe("way 7: local-path storage is not offered to teams", () => {
  const claim = (storageClassName: string | undefined, storage = "1Gi") => ({ metadata: { name: "data" }, spec: { ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage } } } });

  it("refuses every claim of k3s's local-path class, named or defaulted, however small", () => {
    for (const team of ["dst", "nomos"]) {
      // A claim without a class gets the default (local-path) from DefaultStorageClass before quota.
      for (const size of ["1Gi", "1Mi"]) {
        const verdict = quotaAdmits(hardOf(team), {}, "PersistentVolumeClaim", claim("local-path", size));
        expect(verdict.allowed, `${team} ${size}`).toBe(false);
        expect(verdict.why).toContain("exceeded quota: local-path.storageclass.storage.k8s.io/persistentvolumeclaims");
      }
    }
  });

  it("admits claims of a storage class that enforces its size", () => {
    expect(quotaAdmits(hardOf("dst"), {}, "PersistentVolumeClaim", claim("longhorn-vaclab", "10Gi")).allowed).toBe(true);
  });
});
