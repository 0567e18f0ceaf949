/**
 * Values for the Kube-OVN chart (kubeovn/kube-ovn, the v1.x chart layout, not kube-ovn-v2), derived
 * from the model. Every key was checked against the chart's values.yaml at the pinned version.
 */
import { cidr, cidrAddress } from "../../config/cidr";
import type { LabModel } from "../../config/model";
import type { ContainerResources } from "../../config/schema/resources";

export const KUBE_OVN_REPO = "https://kubeovn.github.io/kube-ovn/";
export const KUBE_OVN_NAMESPACE = "kube-system";

/**
 * k3s labels every server with this; the chart uses the label as ovn-central's and
 * kube-ovn-monitor's nodeSelector, so no extra node label is needed.
 */
export const KUBE_OVN_MASTER_LABEL = "node-role.kubernetes.io/control-plane=true";

/** Node annotation that overrides `--iface` for kube-ovn-cni on that node (pkg/util/const.go). */
export const TUNNEL_INTERFACE_ANNOTATION = "ovn.kubernetes.io/tunnel_interface";

/** The workloads the chart runs, by kind; the readiness gate waits for all of them. */
export const KUBE_OVN_DAEMONSETS = ["ovs-ovn", "kube-ovn-cni", "kube-ovn-pinger"] as const;
export const KUBE_OVN_DEPLOYMENTS = ["ovn-central", "kube-ovn-controller", "kube-ovn-monitor"] as const;

export interface TunnelInterfacePlan {
  /** `networking.IFACE`: one exact name when every node agrees, else "" (the default-route NIC). */
  readonly iface: string;
  /** Nodes that need the per-node annotation, node name -> interface. */
  readonly perNode: Readonly<Record<string, string>>;
}

/**
 * Which interface carries pod traffic. kube-ovn-cni treats IFACE as comma-separated, *unanchored*
 * regexes and takes the first interface that matches in kernel order, so a list of different
 * names could pick a node's management NIC. When names differ we annotate each node instead.
 */
export function tunnelInterfaces(nodes: LabModel["nodes"]): TunnelInterfacePlan {
  const names = new Set(nodes.map((n) => n.nic?.name));
  if (names.size === 1 && !names.has(undefined)) return { iface: [...names][0]!, perNode: {} };
  const perNode: Record<string, string> = {};
  for (const node of nodes) if (node.nic) perNode[node.name] = node.nic.name;
  return { iface: "", perNode };
}

/** The chart reads every leaf of a component's resources, so all are written, incl. its 1Gi scratch limit. */
function chartResources(r: ContainerResources) {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { cpu: r.limits.cpu, memory: r.limits.memory, "ephemeral-storage": "1Gi" },
  };
}

export function kubeOvnValues(model: LabModel): Record<string, unknown> {
  const { cluster, network, versions } = model;
  const resources = network.kubeOvn.resources;
  return {
    namespace: KUBE_OVN_NAMESPACE,
    // One ovn-central and controller replica per server; the chart counts the comma-separated list.
    MASTER_NODES: model.servers.map((s) => s.address).join(","),
    MASTER_NODES_LABEL: KUBE_OVN_MASTER_LABEL,
    global: {
      images: {
        kubeovn: { repository: "kube-ovn", tag: versions.kubeOvn },
        natgateway: { repository: "vpc-nat-gateway", tag: versions.kubeOvn },
      },
    },
    networking: {
      NET_STACK: "ipv4",
      NETWORK_TYPE: "geneve",
      TUNNEL_TYPE: "geneve",
      IFACE: tunnelInterfaces(model.nodes).iface,
      DEFAULT_SUBNET: "ovn-default",
      NODE_SUBNET: "join",
      // Controller, cni, monitor and pinger metrics: inter-node latency and loss are lab-health signals.
      ENABLE_METRICS: true,
    },
    func: {
      // k3s runs with --disable-network-policy; Kube-OVN enforces NetworkPolicy instead.
      ENABLE_NP: true,
    },
    ipv4: {
      POD_CIDR: cluster.podCidr,
      POD_GATEWAY: cidrAddress(cidr(cluster.podCidr), 1),
      // Must equal k3s service-cidr: it becomes the controller's --service-cluster-ip-range.
      SVC_CIDR: cluster.serviceCidr,
      JOIN_CIDR: cluster.joinCidr,
      PINGER_EXTERNAL_ADDRESS: network.kubeOvn.pinger.externalAddress,
      PINGER_EXTERNAL_DOMAIN: network.kubeOvn.pinger.externalDomain,
    },
    "ovn-central": chartResources(resources.ovnCentral),
    "ovs-ovn": chartResources(resources.ovsOvn),
    "kube-ovn-controller": chartResources(resources.controller),
    "kube-ovn-cni": chartResources(resources.cni),
    "kube-ovn-pinger": chartResources(resources.pinger),
    "kube-ovn-monitor": chartResources(resources.monitor),
  };
}
