/**
 * What the stack writes on each node (pure function of the model): the pool label and the team
 * access labels, the pool taint on dedicated/shared pools, and the node's allocatable capacity as
 * annotations so the no-overcommit policy can sum each pool without the model.
 */
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import type { NodeModel, Taint } from "../../config/model";
import { cpuQuantity, memoryQuantity } from "../../config/quantity";

/**
 * Server-side apply conflicts when another field manager (the node lifecycle controller, kubectl)
 * touched the node's taints since our last apply; `spec.taints` is an atomic list, so moving a node
 * would fail then. Forcing makes the config win; controllers re-add their condition taints.
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

export interface NodePoolMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Undefined on platform nodes: the stack then owns no taint there (and drops one it owned). */
  readonly taints?: Taint[];
}

export function nodePoolMetadata(node: NodeModel, labelDomain: string): NodePoolMetadata {
  return {
    labels: { ...node.labels },
    annotations: {
      [PATCH_FORCE_ANNOTATION]: "true",
      [labKey(labelDomain, KEY_SUFFIX.poolKind)]: node.poolKind,
      [labKey(labelDomain, KEY_SUFFIX.allocatableCpu)]: cpuQuantity(node.allocatable.cpu),
      [labKey(labelDomain, KEY_SUFFIX.allocatableMemory)]: memoryQuantity(node.allocatable.memoryGiB),
      [labKey(labelDomain, KEY_SUFFIX.allocatablePods)]: String(node.allocatable.pods),
      // The node's current and next lease (config/leases/state.ts), for people and kube-state-metrics.
      ...node.leaseAnnotations,
    },
    taints: node.taints.length > 0 ? node.taints.map((t) => ({ ...t })) : undefined,
  };
}
