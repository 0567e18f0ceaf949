/**
 * Issue 20, way 3, second pass (found by the internal red team after the count quotas landed): two
 * ways to fill etcd that the per-kind counts of the team roles' create grants did not see.
 *
 * - Finished pods. `pods` counts only pods not yet Succeeded or Failed (kubernetes v1.32
 *   pkg/quota/v1/evaluator/core/pods.go QuotaV1Pod; "count/pods tracks all pods independent of
 *   state"), and the pod GC starts only past 12,500 finished pods in the whole cluster
 *   (`--terminated-pod-gc-threshold`). A Job with many completions of 1 MiB pods (an env value;
 *   sizes are not the pod policy's business) left 8,192 Pod objects, the lab's 8 GiB etcd quota.
 * - Controller-created objects. A StatefulSet with `replicas: 0`, a ~1 MiB template and
 *   `revisionHistoryLimit: 2147483647`, changed 8,192 times, made the StatefulSet controller store
 *   8,192 ControllerRevisions (stateful_set_control.go truncateHistory keeps up to the limit);
 *   Deployments (ReplicaSets) and CronJobs (Jobs) likewise.
 *
 * Sent from the attacker's side against the generated ResourceQuota and pod policy.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, POD, TYPES, dstPod, namespacedWrite } from "./harness/cluster";
import { applyLimitRange, charge, quotaAdmits, usageOf, type Usage } from "./harness/quota";

useRecorder();

const MIB = 1024 * 1024;
let cluster: GeneratedCluster;
let etcdQuotaBytes: number;
let podQuota: number;
beforeAll(async () => {
  const run = await runLab(loadStackConfig());
  cluster = new GeneratedCluster(run);
  etcdQuotaBytes = run.model.cluster.etcdQuotaGiB * 1024 * MIB;
  podQuota = run.model.teams.find((t) => t.name === "dst")!.quota.pods;
});

const hardOf = (team: string): Record<string, string> => cluster.inputs(TYPES.resourceQuota).find((q) => q.metadata.namespace === team).spec.hard;
const sa = (name: string) => ({ username: `system:serviceaccount:kube-system:${name}`, groups: ["system:serviceaccounts", "system:authenticated"] });

describe("finished pods and controller-created objects are counted", () => {
  it("stops a Job's 1 MiB pods at twice the pod quota, finished ones included (before: until etcd's quota was full)", () => {
    const hard = hardOf("dst");
    const limitRange = cluster.inputs(TYPES.limitRange).find((l) => l.metadata.namespace === "dst");
    const big = dstPod("fill-0", {}, undefined, {
      restartPolicy: "Never",
      containers: [{ name: "main", image: "busybox:1.36.1", command: ["true"], securityContext: { capabilities: { drop: ["ALL"] } }, env: [{ name: "PAD", value: "x".repeat(MIB - 4096) }] }],
    });
    // The pod policy admits it as the Job controller creates it: the quota is what bounds it.
    expect(cluster.admit(namespacedWrite(sa("job-controller"), POD, cluster.namespace("dst"), big)).allowed).toBe(true);
    const pod = applyLimitRange(big, limitRange);
    const used: Usage = {};
    let stored = 0;
    while (stored < 20_000 && quotaAdmits(hard, used, "Pod", pod).allowed) {
      charge(used, "Pod", pod);
      stored++;
      // The pod Succeeds: the quota controller recomputes usage without it, except count/pods.
      for (const [k, v] of Object.entries(usageOf("Pod", pod).usage)) if (k !== "count/pods") used[k] -= v;
    }
    expect(stored).toBe(2 * podQuota);
    // Bounded in number, not in bytes: see docs/security.md, the residual of 20.3.
    expect(stored * MIB).toBeLessThan(etcdQuotaBytes);
  });

  it("still admits a team's pods up to its pod quota while as many finished ones are kept", () => {
    const hard = hardOf("dst");
    const pod = applyLimitRange(dstPod("p", {}), cluster.inputs(TYPES.limitRange).find((l) => l.metadata.namespace === "dst"));
    const used: Usage = { "count/pods": podQuota };
    let running = 0;
    while (running < 20_000 && quotaAdmits(hard, used, "Pod", pod).allowed) {
      charge(used, "Pod", pod);
      running++;
    }
    // `pods` or the compute quota binds first, never count/pods.
    expect(running).toBeGreaterThan(0);
    expect(running).toBeLessThanOrEqual(podQuota);
    expect(quotaAdmits(hard, used, "Pod", pod).why.filter((w) => w.endsWith("count/pods"))).toEqual([]);
  });

  it("stops the StatefulSet controller's revisions, the Deployment controller's ReplicaSets and the CronJob controller's Jobs at the pod quota", () => {
    const hard = hardOf("dst");
    for (const kind of [
      { group: "apps", resource: "controllerrevisions" },
      { group: "apps", resource: "replicasets" },
      { group: "batch", resource: "jobs" },
    ]) {
      const used: Usage = {};
      let n = 0;
      const revision = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "r" }, revision: 1, data: { pad: "x".repeat(MIB - 4096) } };
      while (n < 20_000 && quotaAdmits(hard, used, kind, revision).allowed) {
        charge(used, kind, revision);
        n++;
      }
      expect(n, kind.resource).toBe(podQuota);
    }
  });
});
