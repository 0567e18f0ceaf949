/**
 * The pod and namespace annotations with which Kube-OVN (v1.15.4) and Multus place a pod on a
 * network, and who may write them. Kube-OVN trusts them without checking the pod's namespace:
 *
 * - a pod's `ovn.kubernetes.io/logical_switch` names its subnet and is used as is
 *   (pkg/controller/pod.go getPodDefaultSubnet L1639-1657; the subnet's `namespaces` is not
 *   consulted), so a team pod could join another team's private subnet or the monitoring subnet
 *   that every private team subnet admits; `ip_address`, `mac_address`, `ip_pool` take another
 *   pod's or the gateway's address, `port_security`, `vip`, `aaps` let it spoof, `routes`, `vpc`,
 *   `logical_router` re-route it (pkg/util/const.go L18-67);
 * - the same keys under a provider (`<provider>.kubernetes.io/…`, Kube-OVN attachment providers
 *   end in `.ovn`) apply to Multus attachments, chosen by `k8s.v1.cni.cncf.io/networks` /
 *   `v1.multus-cni.io/default-network` (const.go L197, Multus's own keys);
 * - a namespace's `ovn.kubernetes.io/logical_switch` is every pod's default subnet
 *   (getPodDefaultSubnet L1671); Kube-OVN writes it from the subnets' `namespaces`
 *   (pkg/controller/namespace.go handleAddNamespace L99-236), and a bundle's
 *   `namespaceAnnotations` could rewrite it in between.
 *
 * Kube-OVN's controller (service account `ovn`, charts/kube-ovn/templates/controller-deploy.yaml
 * L48) and CNI daemon (`kube-ovn-cni`, ovncni-ds.yaml L28), both in kube-system, write the allocation
 * results back onto pods (pod.go L692/L987/L1388, pkg/daemon/controller.go L510), the controller
 * also onto namespaces.
 */
import { KUBE_OVN_NAMESPACE } from "../network/kube-ovn-values";
import { celList, celString } from "./cel";

export const KUBE_OVN_ANNOTATION_PREFIX = "ovn.kubernetes.io/";

/**
 * Kube-OVN QoS annotations a pod may set on itself: they shape only its own interface
 * (pkg/util/const.go L102-103 rates, Mbit/s, read by the bandwidth scheduler too; L264-267 netem).
 */
export const POD_QOS_ANNOTATIONS = [
  "ovn.kubernetes.io/ingress_rate",
  "ovn.kubernetes.io/egress_rate",
  "ovn.kubernetes.io/latency",
  "ovn.kubernetes.io/limit",
  "ovn.kubernetes.io/loss",
  "ovn.kubernetes.io/jitter",
] as const;

/** Multus' attachment annotations (k8s.v1.cni.cncf.io/networks, v1.multus-cni.io/default-network, …). */
export const MULTUS_ANNOTATION_PREFIXES = ["k8s.v1.cni.cncf.io/", "v1.multus-cni.io/"] as const;

/** Suffix of Kube-OVN's provider-specific keys for attachments: `<nad>.<ns>.ovn.kubernetes.io/<key>`. */
export const KUBE_OVN_PROVIDER_INFIX = ".ovn.kubernetes.io/";

const kubeOvnAccount = (name: string) => `system:serviceaccount:${KUBE_OVN_NAMESPACE}:${name}`;
/** Kube-OVN's controller: writes allocation results onto pods and subnet bindings onto namespaces. */
export const KUBE_OVN_CONTROLLER_USER = kubeOvnAccount("ovn");
/** Kube-OVN's CNI daemon: writes onto pods only. */
export const KUBE_OVN_CNI_USER = kubeOvnAccount("kube-ovn-cni");

/** CEL: the request comes from one of `users` (service-account usernames cannot be claimed by tenants). */
export function requestFrom(users: readonly string[]): string {
  return `request.userInfo.username in ${celList(users)}`;
}

/** CEL: pod annotation key `k` places the pod on a network (every Kube-OVN key but QoS, Multus, provider keys). */
export function isPodNetworkKey(k: string): string {
  return (
    `(${k}.startsWith(${celString(KUBE_OVN_ANNOTATION_PREFIX)}) && !(${k} in ${celList(POD_QOS_ANNOTATIONS)})) || ` +
    `${k}.contains(${celString(KUBE_OVN_PROVIDER_INFIX)}) || ` +
    `${celList(MULTUS_ANNOTATION_PREFIXES)}.exists(p, ${k}.startsWith(p))`
  );
}

/** CEL: namespace annotation key `k` is Kube-OVN's (subnet, CIDR, excluded IPs, IP pool binding). */
export function isNamespaceNetworkKey(k: string): string {
  return `${k}.startsWith(${celString(KUBE_OVN_ANNOTATION_PREFIX)})`;
}
