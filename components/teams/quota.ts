/**
 * A team's ResourceQuota and LimitRange (pure functions of the model). The quota caps requests and
 * limits at the team's configured share; because a quota on cpu/memory rejects pods that declare no
 * requests or limits, the LimitRange gives every container defaults, so such pods are admitted and
 * still counted against the quota.
 */
import type { Resources } from "../../config/capacity";
import { cpuQuantity, memoryQuantity } from "../../config/quantity";

/** `spec.hard` of the team's ResourceQuota: requests and limits both equal the configured quota. */
export function quotaHard(quota: Resources): Record<string, string> {
  const cpu = cpuQuantity(quota.cpu);
  const memory = memoryQuantity(quota.memoryGiB);
  return {
    "requests.cpu": cpu,
    "limits.cpu": cpu,
    "requests.memory": memory,
    "limits.memory": memory,
    pods: String(quota.pods),
  };
}

/**
 * Per-container defaults for containers that declare nothing: today's lab applies 250m / 100Mi
 * (requests = limits) to experiment pods through Kyverno (current-lab.md §6); the same values here
 * keep unannotated experiment pods behaving as they do today.
 */
export const CONTAINER_DEFAULTS = {
  request: { cpu: "250m", memory: "100Mi" },
  limit: { cpu: "250m", memory: "100Mi" },
} as const;

/** `spec.limits` of the team's LimitRange. */
export function containerLimits(): Array<{ type: "Container"; default: Record<string, string>; defaultRequest: Record<string, string> }> {
  return [{ type: "Container", default: { ...CONTAINER_DEFAULTS.limit }, defaultRequest: { ...CONTAINER_DEFAULTS.request } }];
}
