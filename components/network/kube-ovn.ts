import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { helmChart, renderValues } from "../shared/helm-chart";
import { crdEstablished, KUBECTL, ReadinessGate, rolledOut, type ReadinessCheck } from "../shared/readiness-gate";
import {
  KUBE_OVN_DAEMONSETS,
  KUBE_OVN_DEPLOYMENTS,
  KUBE_OVN_NAMESPACE,
  KUBE_OVN_REPO,
  kubeOvnValues,
  TUNNEL_INTERFACE_ANNOTATION,
  tunnelInterfaces,
} from "./kube-ovn-values";

export interface KubeOvnArgs {
  /** The lab model: servers (MASTER_NODES), cluster CIDRs, node NICs, Kube-OVN sizes and chart version. */
  readonly model: LabModel;
  /** Provider, gate connection and cluster readiness from the bootstrap layer. */
  readonly access: ClusterAccess;
}

/** The Kube-OVN CRDs the lab's own objects use. */
export const KUBE_OVN_CRDS = ["subnets.kubeovn.io", "ips.kubeovn.io", "vpcs.kubeovn.io"] as const;

/** Name of the default subnet (podCidr) every namespace without its own subnet uses. */
export const DEFAULT_SUBNET = "ovn-default";

export function kubeOvnReadinessChecks(): ReadinessCheck[] {
  return [
    ...KUBE_OVN_CRDS.map(crdEstablished),
    ...KUBE_OVN_DAEMONSETS.map((name) => rolledOut("daemonset", KUBE_OVN_NAMESPACE, name)),
    ...KUBE_OVN_DEPLOYMENTS.map((name) => rolledOut("deployment", KUBE_OVN_NAMESPACE, name)),
    {
      description: `subnet ${DEFAULT_SUBNET} ready`,
      command: `${KUBECTL} wait --for=condition=Ready --timeout=10s subnet/${DEFAULT_SUBNET}`,
    },
  ];
}

/**
 * Kube-OVN as the cluster's only CNI, installed by k3s's helm-controller with `bootstrap: true` so it
 * comes up before any node is Ready. Nodes whose pod-traffic NIC differs from the others get the
 * per-node tunnel-interface annotation first. `ready` holds until the CRDs are established and every
 * Kube-OVN workload rolled out; everything that needs pod networking or Kube-OVN CRDs depends on it.
 */
export class KubeOvn extends pulumi.ComponentResource {
  /** Depend on this for anything that needs Kube-OVN's CRDs or a working pod network. */
  public readonly ready: pulumi.Resource;
  /** The chart values, as rendered into the HelmChart (for readers of the stack outputs). */
  public readonly valuesContent: string;

  constructor(name: string, args: KubeOvnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:network:KubeOvn", name, {}, opts);
    const { model, access } = args;
    const k8sOpts = { parent: this, provider: access.provider };

    // kube-ovn-cni reads the annotation once at start, so it must be there before the chart.
    const annotations = Object.entries(tunnelInterfaces(model.nodes).perNode).map(
      ([node, iface]) =>
        new k8s.core.v1.NodePatch(
          `${name}-${node}-tunnel-iface`,
          { metadata: { name: node, annotations: { [TUNNEL_INTERFACE_ANNOTATION]: iface } } },
          { ...k8sOpts, dependsOn: access.clusterReady },
        ),
    );

    const values = kubeOvnValues(model);
    this.valuesContent = renderValues(values);
    const chart = helmChart(
      "kube-ovn",
      {
        chart: "kube-ovn",
        repo: KUBE_OVN_REPO,
        version: model.versions.kubeOvn,
        targetNamespace: KUBE_OVN_NAMESPACE,
        createNamespace: false,
        bootstrap: true,
        values,
        timeout: "1200s",
      },
      { ...k8sOpts, dependsOn: [...access.clusterReady, ...annotations] },
    );

    this.ready = new ReadinessGate(
      `${name}-ready`,
      {
        connection: access.gateConnection,
        checks: kubeOvnReadinessChecks(),
        triggers: [model.versions.kubeOvn, this.valuesContent],
      },
      { parent: this, dependsOn: [chart] },
    );

    this.registerOutputs({ valuesContent: this.valuesContent });
  }
}
