import { z } from "zod";
import { cidrBlock, cores, dnsLabel, dnsSubdomain, gibibytes, hostName, MAX_INT32, positiveInt } from "./primitives";

/** What k3s, kube-ovn and the scheduler keep for themselves on every node; subtracted from capacity. */
export const systemReservedSchema = z
  .strictObject({
    /** Cores kept per node for kubelet, k3s, ovs/ovn and DaemonSets. Default 2. */
    cpu: cores(true).default(2),
    /** Memory kept per node. Default 8 GiB. */
    memoryGiB: gibibytes(true).default(8),
    /** Pod slots kept per node for DaemonSets and system pods. Default 20. */
    pods: z.number().int().min(0).max(MAX_INT32).default(20),
  })
  .prefault({});

export const clusterSchema = z.strictObject({
  /** Cluster name, used as the `cluster` external label and in resource names. */
  name: dnsLabel,
  /** Base DNS domain of the lab's public endpoints, e.g. lab.vac.dev. */
  domain: dnsSubdomain,
  /** Exact k3s release, e.g. v1.32.4+k3s1. */
  k3sVersion: z.string().regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, "must be an exact k3s release such as v1.32.4+k3s1"),
  /** Kube-OVN default (ovn-default) subnet and k3s cluster-cidr. */
  podCidr: cidrBlock,
  /** Kubernetes service CIDR. */
  serviceCidr: cidrBlock,
  /** Kube-OVN join subnet (node <-> pod traffic). */
  joinCidr: cidrBlock,
  /** Prefix of the lab's own node labels and taints. Default lab.vac.dev. */
  labelDomain: dnsSubdomain
    .refine((d) => !/(^|\.)(kubernetes\.io|k8s\.io)$/.test(d), {
      message: "must not be kubernetes.io, k8s.io or below them: those label prefixes are reserved for Kubernetes (Well-Known Labels, Annotations and Taints)",
    })
    .default("lab.vac.dev"),
  /** Address the kubeconfig points at. Default: the first server's address. */
  apiEndpoint: hostName.optional(),
  /** Extra TLS SANs for the API server certificate. */
  tlsSans: z.array(hostName).max(100).default([]),
  /** Kubelet max-pods; today's lab runs 1000 for dense p2p experiments. */
  maxPods: positiveInt.default(1000),
  /** The node network the firewall opens cluster ports to. Default: every node's address as /32. */
  nodeNetworks: z.array(cidrBlock).optional(),
  systemReserved: systemReservedSchema,
  /**
   * Embedded etcd's backend quota in GiB (`--quota-backend-bytes`; etcd's own default is 2 GiB, its
   * documented suggested maximum 8 GiB). Past it etcd raises the NOSPACE alarm and refuses every
   * write of the cluster. Half of it is shared out to the teams' object-count quotas
   * (config/object-counts.ts). Default 8.
   */
  etcdQuotaGiB: z.number().int("must be a whole number").min(2, "must be at least 2 (etcd's default)").max(8, "must be at most 8 (etcd's suggested maximum)").default(8),
});
