/**
 * What the API server enforces on a team namespace, as labels and annotations (pure functions of the
 * model). PodNodeSelector pins every pod to the team's nodes; PodTolerationRestriction gives every
 * pod the tolerations for the team's pool taints and rejects any other toleration; Pod Security
 * admission enforces `baseline` and warns/audits `restricted`.
 *
 * Annotation names and formats are those of kubernetes plugin/pkg/admission/podnodeselector (a
 * label-selector string of equality terms, `k=v,k2=v2`) and podtolerationrestriction (JSON arrays of
 * v1.Toleration; the whitelist is checked with "is a superset of" per toleration).
 */
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import { leasePoolName } from "../../config/leases/assignment";
import { poolLabelKey, type TeamModel, type Toleration } from "../../config/model";

export const NODE_SELECTOR_ANNOTATION = "scheduler.alpha.kubernetes.io/node-selector";
export const DEFAULT_TOLERATIONS_ANNOTATION = "scheduler.alpha.kubernetes.io/defaultTolerations";
export const TOLERATIONS_WHITELIST_ANNOTATION = "scheduler.alpha.kubernetes.io/tolerationsWhitelist";

/**
 * Node-condition taints that Kubernetes itself makes pods tolerate: PodTolerationRestriction adds
 * memory-pressure to every non-BestEffort pod, DefaultTolerationSeconds adds not-ready/unreachable,
 * the DaemonSet controller adds the rest. They must be in the whitelist or such pods are rejected.
 */
export const NODE_CONDITION_TAINTS = [
  "node.kubernetes.io/not-ready",
  "node.kubernetes.io/unreachable",
  "node.kubernetes.io/memory-pressure",
  "node.kubernetes.io/disk-pressure",
  "node.kubernetes.io/pid-pressure",
  "node.kubernetes.io/unschedulable",
  "node.kubernetes.io/network-unavailable",
] as const;

interface WhitelistEntry {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect?: "NoSchedule";
}

/** `key=value,...` in key order, the format PodNodeSelector parses (equality terms only). */
export function nodeSelectorAnnotation(selector: Readonly<Record<string, string>>): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(",");
}

/** Tolerations a team's pods may carry: its pools' taints, plus node conditions (any effect). */
export function tolerationsWhitelist(tolerations: readonly Toleration[]): WhitelistEntry[] {
  return [...tolerations, ...NODE_CONDITION_TAINTS.map((key): WhitelistEntry => ({ key, operator: "Exists" }))];
}

/**
 * The toleration of the team's lease pool (config/leases: a node lent to the team carries the
 * taint `<labelDomain>/pool=lease-<team>` and the team's access label while the lease runs).
 */
export function leaseToleration(team: string, labelDomain: string): Toleration {
  return { key: poolLabelKey(labelDomain), operator: "Equal", value: leasePoolName(team), effect: "NoSchedule" };
}

/**
 * The namespace's whitelist: the team's tolerations and, always, its lease pool's.
 * PodTolerationRestriction checks every pod UPDATE against the whitelist too (kubernetes v1.32
 * plugin/pkg/admission/podtolerationrestriction/admission.go Validate: create and update), so a pod
 * created during a lease, which carries the lease toleration for life, could never be updated
 * again (not even to drop a Job's finalizer) once the lease's entry left the whitelist. Tolerating
 * the lease taint outside a lease places nothing: no node carries it then, and the pod policy
 * (tenant-policies.ts) refuses new pods with it.
 */
export function namespaceTolerationsWhitelist(team: TeamModel, labelDomain: string): WhitelistEntry[] {
  const lease = leaseToleration(team.name, labelDomain);
  const borrowing = team.tolerations.some((t) => t.key === lease.key && t.value === lease.value);
  return tolerationsWhitelist(borrowing ? team.tolerations : [...team.tolerations, lease]);
}

/** The Kubernetes minor of the cluster ("v1.32.4+k3s1" -> "v1.32"): Pod Security policy version. */
export function podSecurityVersion(k3sVersion: string): string {
  const m = /^v(\d+)\.(\d+)\./.exec(k3sVersion);
  if (!m) throw new Error(`cannot read a Kubernetes minor version from ${k3sVersion}`);
  return `v${m[1]}.${m[2]}`;
}

export function teamNamespaceLabels(team: TeamModel, labelDomain: string, k3sVersion: string): Record<string, string> {
  const version = podSecurityVersion(k3sVersion);
  return {
    "app.kubernetes.io/managed-by": "pulumi",
    [labKey(labelDomain, KEY_SUFFIX.team)]: team.name,
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/enforce-version": version,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": version,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": version,
  };
}

export function teamNamespaceAnnotations(team: TeamModel, labelDomain: string): Record<string, string> {
  return {
    [NODE_SELECTOR_ANNOTATION]: nodeSelectorAnnotation(team.nodeSelector),
    [DEFAULT_TOLERATIONS_ANNOTATION]: JSON.stringify(team.tolerations),
    [TOLERATIONS_WHITELIST_ANNOTATION]: JSON.stringify(namespaceTolerationsWhitelist(team, labelDomain)),
    // Read by the no-overcommit policy, together with the ResourceQuota and the nodes' capacity.
    [labKey(labelDomain, KEY_SUFFIX.pools)]: team.pools.join(","),
  };
}
