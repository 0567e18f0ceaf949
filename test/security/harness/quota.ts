/**
 * Offline LimitRange defaulting and ResourceQuota admission for the objects a team can create
 * (Kubernetes 1.32 plugin/pkg/admission/limitranger, pkg/quota/v1/evaluator/core: pods count
 * `pods` and the sums of container requests/limits per resource — a pod missing a request or limit
 * the quota tracks is rejected; PVCs count `persistentvolumeclaims` and `requests.storage`; Services
 * count `services`, `services.loadbalancers` and `services.nodeports` (one per port of a NodePort or
 * LoadBalancer Service)).
 */
import { parseQuantity } from "../../../config/quantity";

export type Usage = Record<string, number>;

/** Containers without a request/limit get the LimitRange's defaultRequest/default (limitranger). */
export function applyLimitRange(pod: Record<string, any>, limitRange: Record<string, any>): Record<string, any> {
  const item = (limitRange.spec.limits as any[]).find((l) => l.type === "Container") ?? {};
  const containers = (pod.spec.containers as any[]).map((c) => {
    const limits = { ...(item.default ?? {}), ...(c.resources?.limits ?? {}) };
    // An explicit limit without a request makes the request equal the limit (API defaulting).
    const requests = { ...(item.defaultRequest ?? {}), ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
    return { ...c, resources: { limits, requests } };
  });
  return { ...pod, spec: { ...pod.spec, containers } };
}

/** What one object adds to the namespace's usage, in base units. */
export function usageOf(kind: "Pod" | "PersistentVolumeClaim" | "Service", object: Record<string, any>): { usage: Usage; missing: string[] } {
  const usage: Usage = {};
  const add = (k: string, v: number) => (usage[k] = (usage[k] ?? 0) + v);
  const missing: string[] = [];
  if (kind === "Pod") {
    add("pods", 1);
    for (const c of object.spec.containers as any[]) {
      for (const section of ["requests", "limits"] as const) {
        for (const resource of ["cpu", "memory", "ephemeral-storage"]) {
          const q = parseQuantity(c.resources?.[section]?.[resource]);
          if (q === undefined) missing.push(`${section}.${resource}`);
          else add(`${section}.${resource}`, q);
        }
      }
    }
  } else if (kind === "PersistentVolumeClaim") {
    add("persistentvolumeclaims", 1);
    add("requests.storage", parseQuantity(object.spec.resources?.requests?.storage) ?? 0);
  } else {
    add("services", 1);
    const type = object.spec.type ?? "ClusterIP";
    if (type === "LoadBalancer") add("services.loadbalancers", 1);
    if (type === "NodePort" || type === "LoadBalancer") add("services.nodeports", (object.spec.ports ?? []).length);
  }
  return { usage, missing };
}

/** The quota plugin's decision: every tracked resource stays within `hard`, and pods declare what is tracked. */
export function quotaAdmits(hard: Record<string, string>, used: Usage, kind: "Pod" | "PersistentVolumeClaim" | "Service", object: Record<string, any>): { allowed: boolean; why: string[] } {
  const { usage, missing } = usageOf(kind, object);
  const why = missing.filter((m) => m in hard).map((m) => `must specify ${m}`);
  for (const [resource, amount] of Object.entries(usage)) {
    if (!(resource in hard)) continue;
    const limit = parseQuantity(hard[resource]) ?? 0;
    if ((used[resource] ?? 0) + amount > limit) why.push(`exceeded quota: ${resource}`);
  }
  return { allowed: why.length === 0, why };
}

/** Adds an admitted object's usage. */
export function charge(used: Usage, kind: "Pod" | "PersistentVolumeClaim" | "Service", object: Record<string, any>): void {
  for (const [k, v] of Object.entries(usageOf(kind, object).usage)) used[k] = (used[k] ?? 0) + v;
}
