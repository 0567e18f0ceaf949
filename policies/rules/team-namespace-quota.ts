/**
 * Every team namespace has exactly one ResourceQuota capping cpu, memory and ephemeral storage
 * (requests and limits), pods, persistent storage and claims, and LoadBalancer / NodePort Services,
 * and the counts of ConfigMaps, Secrets and Services (etcd's and the service CIDR's share), and a
 * LimitRange that gives containers default requests and limits (ephemeral storage included),
 * so a team can neither exceed its share — nor fill a shared node's disk, nor reach past its
 * namespace with k3s ServiceLB or node ports — nor run pods that escape the count.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { isMap } from "../lib/helm-values";
import { inNamespace, teamNamespaces } from "../lib/team-objects";
import { TYPES } from "../lib/types";

/** Each required cap, satisfied by any of its spellings (`cpu` is the older name of `requests.cpu`). */
const REQUIRED_CAPS: ReadonlyArray<readonly string[]> = [
  ["requests.cpu", "cpu"],
  ["limits.cpu"],
  ["requests.memory", "memory"],
  ["limits.memory"],
  ["pods"],
  ["requests.ephemeral-storage"],
  ["limits.ephemeral-storage"],
  ["requests.storage"],
  ["persistentvolumeclaims"],
  ["services.loadbalancers"],
  ["services.nodeports"],
  // Object counts of the kinds that fill etcd (1 MiB each) and the service CIDR (issue 20 way 3).
  ["count/configmaps", "configmaps"],
  ["count/secrets", "secrets"],
  ["count/services", "services"],
];

/** Resources a Container LimitRange item must default (request and limit). */
const DEFAULTED = ["cpu", "memory", "ephemeral-storage"] as const;

export function missingQuotaCaps(hard: Record<string, unknown> | undefined): string[] {
  return REQUIRED_CAPS.filter((names) => !names.some((n) => hard?.[n] !== undefined && hard[n] !== "")).map((names) => names[0]);
}

/** Whether a LimitRange gives containers default cpu, memory and ephemeral-storage requests and limits. */
export function hasContainerDefaults(limitRange: Record<string, any>): boolean {
  const items: unknown[] = Array.isArray(limitRange.spec?.limits) ? limitRange.spec.limits : [];
  return items.some((item) => {
    if (!isMap(item) || item.type !== "Container") return false;
    const defaults = item.default as Record<string, unknown> | undefined;
    const requests = item.defaultRequest as Record<string, unknown> | undefined;
    return DEFAULTED.every((r) => Boolean(defaults?.[r] && requests?.[r]));
  });
}

export const teamNamespaceQuota: StackValidationPolicy = {
  name: "team-namespace-quota",
  description:
    "Every team namespace has exactly one ResourceQuota capping cpu, memory, ephemeral storage, pods, persistent storage and claims, LoadBalancer and NodePort Services, and the counts of ConfigMaps, Secrets and Services, and a LimitRange with container defaults.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    for (const { resource, namespace, team } of teamNamespaces(args.resources)) {
      const quotas = inNamespace(args.resources, TYPES.resourceQuota, namespace);
      if (quotas.length !== 1) {
        report(`team "${team}": namespace ${namespace} has ${quotas.length} ResourceQuotas; it needs exactly one`, resource.urn);
      }
      for (const quota of quotas) {
        const missing = missingQuotaCaps(quota.props.spec?.hard);
        if (missing.length > 0) report(`team "${team}": ResourceQuota in ${namespace} does not cap ${missing.join(", ")}`, quota.urn);
      }
      const limitRanges = inNamespace(args.resources, TYPES.limitRange, namespace);
      if (!limitRanges.some((lr) => hasContainerDefaults(lr.props))) {
        report(
          `team "${team}": namespace ${namespace} has no LimitRange with default cpu, memory and ephemeral-storage requests and limits for containers`,
          (limitRanges[0] ?? resource).urn,
        );
      }
    }
  },
};
