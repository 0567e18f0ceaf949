/**
 * Names the layers and the policy pack agree on: the monitoring namespace, and the labels and
 * annotations under the lab's label domain that mark team namespaces, pools and their capacity.
 * Every key is `<labelDomain>/<suffix>`; the policy pack finds them by suffix, so a lab with another
 * `lab:cluster.labelDomain` is checked the same way.
 */

/** Default of `lab:network.monitoringNamespace`, where the monitoring stack runs; read the model, not this. */
export const MONITORING_NAMESPACE = "monitoring";

/** Suffixes of the lab's own keys. */
export const KEY_SUFFIX = {
  /** Namespace label: the team that owns it. Marks a namespace as a team namespace. */
  team: "team",
  /** Namespace annotation: the team's pools, comma-separated. */
  pools: "pools",
  /** Node label: the node's pool (same key as LabModel.cluster.poolLabel). */
  pool: "pool",
  /** Node annotation: the pool's kind (platform, dedicated, shared). */
  poolKind: "pool-kind",
  /** Node annotations: what the node gives to teams after the system reservation. */
  allocatableCpu: "allocatable-cpu",
  allocatableMemory: "allocatable-memory",
  allocatablePods: "allocatable-pods",
  /** Ingress label: "true" marks an Ingress as deliberately public (no auth middleware). */
  public: "public",
} as const;

export type KeySuffix = (typeof KEY_SUFFIX)[keyof typeof KEY_SUFFIX];

export function labKey(labelDomain: string, suffix: KeySuffix): string {
  return `${labelDomain}/${suffix}`;
}

/** Value of the first `<any domain>/<suffix>` key of a label or annotation map. */
export function findLabKey(map: Readonly<Record<string, unknown>> | undefined, suffix: KeySuffix): { key: string; value: unknown } | undefined {
  for (const [key, value] of Object.entries(map ?? {})) {
    const slash = key.lastIndexOf("/");
    if (slash > 0 && key.slice(slash + 1) === suffix) return { key, value };
  }
  return undefined;
}
