/**
 * The bandwidth-aware scheduling stack of vacp2p/vaclab-k8s-plugins: operator and scheduler chart
 * values and one Bandwidth object per node, all derived from the model. Pods declare bandwidth with
 * Kube-OVN's QoS annotations, which Kube-OVN enforces on the pod's interface (integer Mbit/s) and
 * which the operator and scheduler read for accounting and placement.
 */
import type { LabModel, NodeModel } from "../../config/model";
import type { ContainerResources } from "../../config/schema/resources";

export const VACLAB_CHARTS_REPO = "https://vacp2p.github.io/vaclab-k8s-plugins/charts";
/** The operator chart hard-codes its Deployment and RBAC into this namespace. */
export const BANDWIDTH_OPERATOR_NAMESPACE = "vaclab-system";
export const BANDWIDTH_OPERATOR_DEPLOYMENT = "vaclab-bandwidth-operator-controller-manager";
export const SCHEDULER_NAMESPACE = "kube-system";
/** Pods opt in with `schedulerName: vaclab-scheduler`. */
export const SCHEDULER_NAME = "vaclab-scheduler";
export const SCHEDULER_CONTROLLER_NAME = "vaclab-scheduler-controller";
export const BANDWIDTH_CRD = "bandwidths.networking.vaclab.org";

/** Kube-OVN QoS annotations (pkg/util/const.go): egress = upload, ingress = download, Mbit/s. */
export const EGRESS_RATE_ANNOTATION = "ovn.kubernetes.io/egress_rate";
export const INGRESS_RATE_ANNOTATION = "ovn.kubernetes.io/ingress_rate";

/** Scheduler images: the chart's own defaults for 0.30.7, written out so the plan shows them pinned. */
export const SCHEDULER_IMAGE = "katakuri100/vaclab-scheduler:v0.30.6-1";
export const SCHEDULER_CONTROLLER_IMAGE = "katakuri100/vaclab-scheduler-controller:v0.30.6-1";

/** A node's physical-NIC capacity in whole Mbit/s (the CRD's fields are integers). */
export function nicMbps(node: NodeModel): number {
  if (!node.nic) throw new Error(`node ${node.name} has no nic`);
  return Math.round(node.nic.gbps * 1000);
}

export interface BandwidthObject {
  /** Object and node name: the operator requires them to be equal. */
  readonly name: string;
  readonly spec: {
    readonly node: string;
    readonly capacity: {
      readonly local: { readonly ulMbps: number; readonly dlMbps: number };
      readonly network: { readonly ulMbps: number; readonly dlMbps: number };
    };
  };
}

export function bandwidthObjects(model: LabModel): BandwidthObject[] {
  const local = model.network.bandwidth.localMbps;
  return model.nodes.map((node) => ({
    name: node.name,
    spec: {
      node: node.name,
      capacity: {
        local: { ulMbps: local, dlMbps: local },
        network: { ulMbps: nicMbps(node), dlMbps: nicMbps(node) },
      },
    },
  }));
}

function resources(r: ContainerResources) {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

export function bandwidthOperatorValues(model: LabModel): Record<string, unknown> {
  const { bandwidth } = model.network;
  // Flag defaults for nodes without a Bandwidth object of ours (e.g. joined outside the config):
  // the slowest NIC of the lab, so such a node is never over-promised.
  const slowest = Math.min(...model.nodes.map(nicMbps));
  return {
    manager: {
      bandwidth: {
        local: { uplink: bandwidth.localMbps, downlink: bandwidth.localMbps },
        network: { uplink: slowest, downlink: slowest },
      },
      annotations: { egress: EGRESS_RATE_ANNOTATION, ingress: INGRESS_RATE_ANNOTATION },
      // One replica; the chart has no replica key.
      leaderElection: { enabled: false },
      resources: resources(bandwidth.operatorResources),
    },
    crd: { enable: true, keep: true },
    metrics: { enable: true, port: 8443 },
    rbacHelpers: { enable: false },
    certManager: { enable: false },
    prometheus: { enable: false },
  };
}

export function vaclabSchedulerValues(model: LabModel): Record<string, unknown> {
  const { bandwidth } = model.network;
  return {
    scheduler: {
      name: SCHEDULER_NAME,
      image: SCHEDULER_IMAGE,
      replicaCount: 1,
      leaderElect: true,
      resources: resources(bandwidth.schedulerResources),
    },
    controller: {
      name: SCHEDULER_CONTROLLER_NAME,
      image: SCHEDULER_CONTROLLER_IMAGE,
      replicaCount: 1,
      resources: resources(bandwidth.schedulerControllerResources),
    },
    plugins: { enabled: ["VaclabScheduling"], disabled: [], scoreWeight: 100 },
    pluginConfig: [
      {
        name: "VaclabScheduling",
        args: {
          apiVersion: "kubescheduler.config.k8s.io/v1",
          kind: "VaclabSchedulingArgs",
          egressBandwidthAnnotation: EGRESS_RATE_ANNOTATION,
          ingressBandwidthAnnotation: INGRESS_RATE_ANNOTATION,
          defaultEgressMbps: bandwidth.defaultPodMbps,
          defaultIngressMbps: bandwidth.defaultPodMbps,
        },
      },
    ],
  };
}
