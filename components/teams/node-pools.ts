import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NodeModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { nodePoolMetadata } from "./node-metadata";

export interface NodePoolsArgs {
  /** Every node of the lab, with its pool, labels, taints and allocatable capacity from the model. */
  readonly nodes: readonly NodeModel[];
  /** Prefix of the lab's node labels, taints and annotations (`lab:cluster.labelDomain`). */
  readonly labelDomain: string;
  /** Provider and readiness of the cluster the nodes joined. */
  readonly access: ClusterAccess;
}

/**
 * Pool membership of the nodes: one server-side-apply `NodePatch` per node with the pool label, the
 * team access labels, the pool taint (dedicated and shared pools) and the allocatable capacity. A
 * node that changes pool in the config changes only these fields: no re-bootstrap, no reinstall.
 */
export class NodePools extends pulumi.ComponentResource {
  /** The patch of each node, by node name. */
  public readonly patches: Readonly<Record<string, k8s.core.v1.NodePatch>>;

  constructor(name: string, args: NodePoolsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:teams:NodePools", name, {}, opts);
    const patches: Record<string, k8s.core.v1.NodePatch> = {};
    for (const node of args.nodes) {
      const { labels, annotations, taints } = nodePoolMetadata(node, args.labelDomain);
      patches[node.name] = new k8s.core.v1.NodePatch(
        `${name}-${node.name}`,
        { metadata: { name: node.name, labels, annotations }, spec: taints ? { taints } : undefined },
        { parent: this, provider: args.access.provider, dependsOn: args.access.clusterReady },
      );
    }
    this.patches = patches;
    this.registerOutputs({ patches });
  }
}
