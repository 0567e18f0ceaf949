/**
 * Offline LimitRange defaulting and ResourceQuota admission for the objects a team can create
 * (Kubernetes 1.32 plugin/pkg/admission/limitranger, pkg/quota/v1/evaluator/core: pods count
 * `pods` and the sums of container requests/limits per resource — a pod missing a request or limit
 * the quota tracks is rejected; PVCs count `persistentvolumeclaims` and `requests.storage`; Services
 * count `services`, `services.loadbalancers` and `services.nodeports` (one per port of a NodePort or
 * LoadBalancer Service); a PVC of a storage class also counts `<class>.storageclass.storage.k8s.io/
 * persistentvolumeclaims` and `/requests.storage` (persistent_volume_claims.go); every object counts
 * `count/<resource>[.<group>]` (the generic object count evaluator)).
 */
import { parseQuantity } from "../../../config/quantity";

export type Usage = Record<string, number>;

/** What the quota counts objects by: the three kinds with their own evaluators, or any other kind by API group and resource. */
export type Kind = "Pod" | "PersistentVolumeClaim" | "Service" | { readonly group: string; readonly resource: string };

const LEGACY_COUNTS = ["pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims"];
const countKeyOf = (group: string, resource: string) => (group === "" ? `count/${resource}` : `count/${resource}.${group}`);

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
export function usageOf(kind: Kind, object: Record<string, any>): { usage: Usage; missing: string[] } {
  const usage: Usage = {};
  const add = (k: string, v: number) => (usage[k] = (usage[k] ?? 0) + v);
  const missing: string[] = [];
  if (typeof kind === "object") {
    add(countKeyOf(kind.group, kind.resource), 1);
    // Core kinds with a legacy count name (k8s.io/api core/v1 types.go ResourcePods, ResourceServices, ...).
    if (kind.group === "" && LEGACY_COUNTS.includes(kind.resource)) add(kind.resource, 1);
  } else if (kind === "Pod") {
    add("pods", 1);
    add("count/pods", 1);
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
    const storage = parseQuantity(object.spec.resources?.requests?.storage) ?? 0;
    add("persistentvolumeclaims", 1);
    add("count/persistentvolumeclaims", 1);
    add("requests.storage", storage);
    // The class as admitted: DefaultStorageClass has set it before quota when the claim named none.
    const storageClass = object.spec.storageClassName;
    if (storageClass) {
      add(`${storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1);
      add(`${storageClass}.storageclass.storage.k8s.io/requests.storage`, storage);
    }
  } else {
    add("services", 1);
    add("count/services", 1);
    const type = object.spec.type ?? "ClusterIP";
    if (type === "LoadBalancer") add("services.loadbalancers", 1);
    if (type === "NodePort" || type === "LoadBalancer") add("services.nodeports", (object.spec.ports ?? []).length);
  }
  return { usage, missing };
}

/** The quota plugin's decision: every tracked resource stays within `hard`, and pods declare what is tracked. */
export function quotaAdmits(hard: Record<string, string>, used: Usage, kind: Kind, object: Record<string, any>): { allowed: boolean; why: string[] } {
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
export function charge(used: Usage, kind: Kind, object: Record<string, any>): void {
  for (const [k, v] of Object.entries(usageOf(kind, object).usage)) used[k] = (used[k] ?? 0) + v;
}
