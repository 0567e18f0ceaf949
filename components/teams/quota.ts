/**
 * A team's ResourceQuota and LimitRange (pure functions of the model). The quota caps requests and
 * limits at the team's configured share — cpu, memory, pods, and the disk of shared nodes (container
 * ephemeral storage, persistent volume claims and their size; none of k3s's unbounded local-path
 * class), Services that reach past the namespace (LoadBalancer, NodePort: 0 unless configured), and
 * the number of objects of every kind a team can create (etcd's and the service CIDR's share). Because a quota on a compute resource
 * rejects pods that declare no request or limit for it, the LimitRange gives every container
 * defaults, so such pods are admitted and still counted against the quota.
 *
 * Quota names are Kubernetes' (kubernetes.io/docs/concepts/policy/resource-quotas: "Compute
 * Resource Quota", "Storage Resource Quota", "Object Count Quota").
 */
import type { Resources } from "../../config/capacity";
import type { ObjectBudget } from "../../config/object-counts";
import type { TeamConfig } from "../../config/schema";
import { cpuQuantity, memoryQuantity } from "../../config/quantity";
import { TEAM_DEPLOYER_RULES, type PolicyRule } from "./team-roles";

/** Defaults of `lab:teams[].storage` and `lab:teams[].services`. */
export const STORAGE_DEFAULTS = { ephemeralGiB: 100, persistentGiB: 100, persistentVolumeClaims: 20 } as const;
export const SERVICE_DEFAULTS = { loadBalancers: 0, nodePorts: 0 } as const;

/** What the team config says beyond cpu/memory/pods (absent: the defaults above). */
export type TeamLimits = Pick<TeamConfig, "storage" | "services">;

/**
 * k3s's bundled StorageClass (local-path-provisioner, the cluster default): a claim is a host
 * directory on the node's disk with no size limit, so a 1Gi claim can fill a shared node's disk and
 * DiskPressure evicts the other team's pods. Not offered to teams: 0 claims and 0 bytes of it
 * (kubernetes v1.32 pkg/quota/v1/evaluator/core/persistent_volume_claims.go:
 * `<class>.storageclass.storage.k8s.io/requests.storage` and `/persistentvolumeclaims`; a claim
 * without a class is counted under the default class, set before quota by DefaultStorageClass).
 */
export const UNBOUNDED_STORAGE_CLASSES = ["local-path"] as const;

/** The resources the team roles let a team (or its Fleet deployer) create, sorted by group and resource. */
export function creatableResources(rules: readonly PolicyRule[] = TEAM_DEPLOYER_RULES): { group: string; resource: string }[] {
  const seen = new Map<string, { group: string; resource: string }>();
  for (const r of rules.filter((rule) => rule.verbs.includes("create"))) {
    for (const group of r.apiGroups) {
      // Subresources (pods/exec, deployments/scale) are requests on an object, not objects.
      for (const resource of r.resources.filter((x) => !x.includes("/"))) seen.set(`${group}/${resource}`, { group, resource });
    }
  }
  return [...seen.values()].sort((a, b) => a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource));
}

/** The object-count quota key of a resource: `count/<resource>` (core group) or `count/<resource>.<group>`. */
export function countKey(r: { group: string; resource: string }): string {
  return r.group === "" ? `count/${r.resource}` : `count/${r.resource}.${r.group}`;
}

/**
 * Objects that controllers create in a team namespace on the team's behalf, which the team roles do
 * not grant: quota admission counts them whoever creates them, so the team's own rollouts stop at
 * the count instead of filling etcd. ControllerRevisions hold a whole pod template each and are kept
 * up to `revisionHistoryLimit`, which has no upper bound (kubernetes v1.32
 * pkg/controller/statefulset/stateful_set_control.go truncateHistory, pkg/controller/daemon/update.go
 * cleanupHistory); ReplicaSets likewise for Deployments (pkg/controller/deployment/sync.go
 * cleanupDeployment); Jobs for CronJobs (their history limits, also unbounded).
 */
export const CONTROLLER_CREATED_RESOURCES: readonly { group: string; resource: string }[] = [
  { group: "apps", resource: "controllerrevisions" },
  { group: "apps", resource: "replicasets" },
  { group: "batch", resource: "jobs" },
];

/**
 * Finished pods per running-pod slot. `pods` counts only pods not yet Succeeded or Failed (kubernetes
 * v1.32 pkg/quota/v1/evaluator/core/pods.go QuotaV1Pod); `count/pods` counts every stored pod, so a
 * Job's finished pods (kept until the Job is deleted; the pod GC starts only past 12,500 in the
 * whole cluster, kube-controller-manager `--terminated-pod-gc-threshold`) cannot pile up in etcd
 * without bound. A team keeps as many finished pods as its pod quota besides the running ones.
 */
export const STORED_PODS_PER_POD_SLOT = 2;

/**
 * `count/...` entries for every kind a team can create and every kind controllers create for it
 * (config/object-counts.ts gives the numbers): ConfigMaps and Secrets from the team's share of etcd,
 * Services from its share of the service CIDR, the rest as many as its pods. Running pods and PVCs
 * are bounded by `pods` / `persistentvolumeclaims`; stored pods, finished ones included, by
 * `count/pods` = STORED_PODS_PER_POD_SLOT × the pod quota.
 */
export function objectCountHard(budget: ObjectBudget, rules: readonly PolicyRule[] = TEAM_DEPLOYER_RULES): Record<string, string> {
  const counts: Record<string, string> = {};
  for (const r of [...creatableResources(rules), ...CONTROLLER_CREATED_RESOURCES]) {
    if (r.group === "" && r.resource === "persistentvolumeclaims") continue;
    const core = r.group === "" ? r.resource : undefined;
    const n =
      core === "pods" ? STORED_PODS_PER_POD_SLOT * budget.otherObjects
      : core === "configmaps" || core === "secrets" ? budget.payloadObjects
      : core === "services" ? budget.services
      : budget.otherObjects;
    counts[countKey(r)] = String(n);
  }
  return counts;
}

/** `spec.hard` of the team's ResourceQuota: requests and limits both equal the configured quota. */
export function quotaHard(quota: Resources, limits: TeamLimits, budget: ObjectBudget): Record<string, string> {
  const cpu = cpuQuantity(quota.cpu);
  const memory = memoryQuantity(quota.memoryGiB);
  const storage = { ...STORAGE_DEFAULTS, ...limits.storage };
  const services = { ...SERVICE_DEFAULTS, ...limits.services };
  const ephemeral = memoryQuantity(storage.ephemeralGiB);
  return {
    "requests.cpu": cpu,
    "limits.cpu": cpu,
    "requests.memory": memory,
    "limits.memory": memory,
    pods: String(quota.pods),
    "requests.ephemeral-storage": ephemeral,
    "limits.ephemeral-storage": ephemeral,
    "requests.storage": memoryQuantity(storage.persistentGiB),
    persistentvolumeclaims: String(storage.persistentVolumeClaims),
    "services.loadbalancers": String(services.loadBalancers),
    "services.nodeports": String(services.nodePorts),
    ...Object.fromEntries(
      UNBOUNDED_STORAGE_CLASSES.flatMap((c) => [
        [`${c}.storageclass.storage.k8s.io/persistentvolumeclaims`, "0"],
        [`${c}.storageclass.storage.k8s.io/requests.storage`, "0"],
      ]),
    ),
    ...objectCountHard(budget),
  };
}

/**
 * Per-container defaults for containers that declare nothing: today's lab applies 250m / 100Mi
 * (requests = limits) to experiment pods through Kyverno (current-lab.md §6); the same values here
 * keep unannotated experiment pods behaving as they do today. Ephemeral storage: 256Mi requested,
 * 1Gi limit — the kubelet evicts a pod whose writable layers, logs and emptyDirs exceed the sum of
 * its containers' limits, so one pod cannot fill a shared node's disk.
 */
export const CONTAINER_DEFAULTS = {
  request: { cpu: "250m", memory: "100Mi", "ephemeral-storage": "256Mi" },
  limit: { cpu: "250m", memory: "100Mi", "ephemeral-storage": "1Gi" },
} as const;

/** `spec.limits` of the team's LimitRange. */
export function containerLimits(): Array<{ type: "Container"; default: Record<string, string>; defaultRequest: Record<string, string> }> {
  return [{ type: "Container", default: { ...CONTAINER_DEFAULTS.limit }, defaultRequest: { ...CONTAINER_DEFAULTS.request } }];
}
