/**
 * The team objects of a stack, found in the resources the analyzer sees: team namespaces (by their
 * `<labelDomain>/team` label), the quota and limit range objects inside them, and the pools with the
 * allocatable capacity recorded on the node patches.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { Resources } from "../../config/capacity";
import { KEY_SUFFIX, findLabKey } from "../../config/conventions";
import { GIB, parseQuantity } from "../../config/quantity";
import { TYPES } from "./types";

export interface TeamNamespace {
  readonly resource: PolicyResource;
  readonly namespace: string;
  readonly team: string;
  /** Pools from the `<labelDomain>/pools` annotation; undefined when the annotation is missing. */
  readonly pools?: readonly string[];
}

export function teamNamespaces(resources: readonly PolicyResource[]): TeamNamespace[] {
  return resources.flatMap((resource) => {
    if (resource.type !== TYPES.namespace) return [];
    const metadata = resource.props.metadata ?? {};
    const team = findLabKey(metadata.labels, KEY_SUFFIX.team);
    if (!team || typeof metadata.name !== "string") return [];
    const pools = findLabKey(metadata.annotations, KEY_SUFFIX.pools)?.value;
    return [{
      resource,
      namespace: metadata.name,
      team: String(team.value),
      pools: typeof pools === "string" ? pools.split(",").map((p) => p.trim()).filter((p) => p !== "") : undefined,
    }];
  });
}

/** Resources of `type` whose `metadata.namespace` is `namespace`. */
export function inNamespace(resources: readonly PolicyResource[], type: string, namespace: string): PolicyResource[] {
  return resources.filter((r) => r.type === type && r.props.metadata?.namespace === namespace);
}

/** A quota's promise per kind in cores / GiB / pods: the larger of requests and limits; absent kinds left out. */
export function quotaPromise(quota: PolicyResource): Partial<Resources> {
  const hard: Record<string, unknown> = quota.props.spec?.hard ?? {};
  const largest = (...keys: string[]) => {
    const values = keys.map((k) => parseQuantity(hard[k])).filter((v): v is number => v !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const memory = largest("requests.memory", "memory", "limits.memory");
  const promise: { cpu?: number; memoryGiB?: number; pods?: number } = {
    cpu: largest("requests.cpu", "cpu", "limits.cpu"),
    memoryGiB: memory === undefined ? undefined : memory / GIB,
    pods: largest("pods"),
  };
  return Object.fromEntries(Object.entries(promise).filter(([, v]) => v !== undefined));
}

export interface PoolCapacity {
  /** Allocatable per pool, summed over its nodes. */
  readonly pools: Map<string, Resources>;
  /** Node patches whose capacity annotations are missing or unreadable. */
  readonly unreadable: Array<{ resource: PolicyResource; node: string; pool: string }>;
}

export function poolCapacity(resources: readonly PolicyResource[]): PoolCapacity {
  const pools = new Map<string, Resources>();
  const unreadable: PoolCapacity["unreadable"] = [];
  for (const resource of resources) {
    if (resource.type !== TYPES.nodePatch) continue;
    const metadata = resource.props.metadata ?? {};
    const pool = findLabKey(metadata.labels, KEY_SUFFIX.pool)?.value;
    if (typeof pool !== "string") continue;
    const read = (suffix: typeof KEY_SUFFIX.allocatableCpu | typeof KEY_SUFFIX.allocatableMemory | typeof KEY_SUFFIX.allocatablePods) =>
      parseQuantity(findLabKey(metadata.annotations, suffix)?.value);
    const cpu = read(KEY_SUFFIX.allocatableCpu);
    const memory = read(KEY_SUFFIX.allocatableMemory);
    const pods = read(KEY_SUFFIX.allocatablePods);
    if (cpu === undefined || memory === undefined || pods === undefined) {
      unreadable.push({ resource, node: String(metadata.name ?? resource.name), pool });
      continue;
    }
    const sum = pools.get(pool) ?? { cpu: 0, memoryGiB: 0, pods: 0 };
    pools.set(pool, { cpu: sum.cpu + cpu, memoryGiB: sum.memoryGiB + memory / GIB, pods: sum.pods + pods });
  }
  return { pools, unreadable };
}
