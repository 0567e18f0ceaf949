/**
 * A team's ResourceQuota and LimitRange (pure functions of the model). The quota caps requests and
 * limits at the team's configured share — cpu, memory, pods, and the disk of shared nodes (container
 * ephemeral storage, persistent volume claims and their size), and Services that reach past the
 * namespace (LoadBalancer, NodePort: 0 unless configured). Because a quota on a compute resource
 * rejects pods that declare no request or limit for it, the LimitRange gives every container
 * defaults, so such pods are admitted and still counted against the quota.
 *
 * Quota names are Kubernetes' (kubernetes.io/docs/concepts/policy/resource-quotas: "Compute
 * Resource Quota", "Storage Resource Quota", "Object Count Quota").
 */
import type { Resources } from "../../config/capacity";
import type { TeamConfig } from "../../config/schema";
import { cpuQuantity, memoryQuantity } from "../../config/quantity";

/** Defaults of `lab:teams[].storage` and `lab:teams[].services`. */
export const STORAGE_DEFAULTS = { ephemeralGiB: 100, persistentGiB: 100, persistentVolumeClaims: 20 } as const;
export const SERVICE_DEFAULTS = { loadBalancers: 0, nodePorts: 0 } as const;

/** What the team config says beyond cpu/memory/pods (absent: the defaults above). */
export type TeamLimits = Pick<TeamConfig, "storage" | "services">;

/** `spec.hard` of the team's ResourceQuota: requests and limits both equal the configured quota. */
export function quotaHard(quota: Resources, limits: TeamLimits = {}): Record<string, string> {
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
