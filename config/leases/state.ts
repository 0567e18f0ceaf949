/**
 * The lease state the model is built from at one instant: the assignment, the config as it stands
 * then (leasedView), and the lease metadata each node carries. `at` undefined means "no instant":
 * every node at home, for tools and tests that do not plan a moment; index.ts and the plan always
 * pass one (config/stack.ts).
 */
import type { LabConfig } from "../schema";
import { assignmentAt, type ActiveLease, type Assignment } from "./assignment";
import { formatInstant } from "./instant";
import { leasedView, type LeasedView } from "./view";

export interface LeaseState extends LeasedView {
  /** The instant (ms since the epoch), or undefined for the home assignment. */
  readonly at: number | undefined;
  readonly assignment: Assignment;
}

export function leaseState(config: LabConfig, at: number | undefined): LeaseState {
  const assignment = assignmentAt({ nodes: config.nodes, leases: config.leases ?? [] }, at ?? -Infinity);
  return { at, assignment, ...leasedView({ ...config, leases: config.leases ?? [] }, assignment) };
}

/** Key suffixes of the lease metadata on nodes (`<labelDomain>/<suffix>`). */
export const LEASE_KEYS = {
  /** Label, present while the node is leased: the borrowing team. Exported by kube-state-metrics. */
  team: "lease-team",
  /** Annotations of the current lease: its interval and reason. */
  from: "lease-from",
  until: "lease-until",
  reason: "lease-reason",
  /** Annotations of the node's next lease, so people (and kubectl) see what is coming. */
  nextTeam: "next-lease-team",
  nextFrom: "next-lease-from",
  nextUntil: "next-lease-until",
} as const;

/** The lease label keys, allow-listed for kube_node_labels. */
export function leaseLabelKeys(labelDomain: string): string[] {
  return [`${labelDomain}/${LEASE_KEYS.team}`];
}

/** The lease annotation keys kube_node_annotations exports (the reason stays out: free text is no metric label). */
export function leaseAnnotationKeys(labelDomain: string): string[] {
  return [LEASE_KEYS.from, LEASE_KEYS.until, LEASE_KEYS.nextTeam, LEASE_KEYS.nextFrom, LEASE_KEYS.nextUntil].map((k) => `${labelDomain}/${k}`);
}

/** Labels a node carries for its lease at the instant (none when it is at home). */
export function leaseLabels(labelDomain: string, lease: ActiveLease | undefined): Record<string, string> {
  return lease ? { [`${labelDomain}/${LEASE_KEYS.team}`]: lease.team } : {};
}

/** Annotations of the node's current and next lease (instants as RFC 3339 UTC). */
export function leaseAnnotations(labelDomain: string, lease: ActiveLease | undefined, next: ActiveLease | undefined): Record<string, string> {
  const key = (suffix: string) => `${labelDomain}/${suffix}`;
  return {
    ...(lease
      ? { [key(LEASE_KEYS.from)]: formatInstant(lease.from), [key(LEASE_KEYS.until)]: formatInstant(lease.until), [key(LEASE_KEYS.reason)]: lease.reason }
      : {}),
    ...(next
      ? { [key(LEASE_KEYS.nextTeam)]: next.team, [key(LEASE_KEYS.nextFrom)]: formatInstant(next.from), [key(LEASE_KEYS.nextUntil)]: formatInstant(next.until) }
      : {}),
  };
}
