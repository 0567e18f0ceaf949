import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";

/** What the Kubernetes layers need from the bootstrap layer. */
export interface ClusterAccess {
  /** Provider built from the kubeconfig fetched from the first server (secret). */
  readonly provider: k8s.Provider;
  /** SSH connection to the first server, where readiness gates run `k3s kubectl`. */
  readonly gateConnection: pulumi.Input<Connection>;
  /** Resources after which every node has joined; Kubernetes objects depend on them. */
  readonly clusterReady: pulumi.Input<pulumi.Resource>[];
}
