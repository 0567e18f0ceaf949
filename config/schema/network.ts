/**
 * `lab:network`: Kube-OVN sizing, the platform monitoring subnet private team subnets admit, subnet
 * gateways, and the bandwidth-aware scheduling switch. Every default is documented in the README.
 */
import { z } from "zod";
import { MONITORING_NAMESPACE } from "../conventions";
import { cidrBlock, dnsLabel, dnsSubdomain, ipv4, isDnsSubdomain, positiveInt } from "./primitives";
import { resourcesWithDefault } from "./resources";

/**
 * Kube-OVN container resources. ovn-central and kube-ovn-controller run on the servers and keep
 * today's lab sizes (requests 8 cores/16Gi, limits 16/32Gi). ovs-ovn and kube-ovn-cni run on every
 * node: they keep today's limits, but their requests must fit in `lab:cluster.systemReserved`
 * (checked), so by default they request 1 core/2Gi and 500m/1Gi. Pinger and monitor keep the
 * chart's defaults.
 */
export const kubeOvnResourcesSchema = z
  .strictObject({
    ovnCentral: resourcesWithDefault({ requests: { cpu: "8", memory: "16Gi" }, limits: { cpu: "16", memory: "32Gi" } }),
    controller: resourcesWithDefault({ requests: { cpu: "8", memory: "16Gi" }, limits: { cpu: "16", memory: "32Gi" } }),
    ovsOvn: resourcesWithDefault({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "16", memory: "32Gi" } }),
    cni: resourcesWithDefault({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "16", memory: "32Gi" } }),
    pinger: resourcesWithDefault({ requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: "200m", memory: "400Mi" } }),
    monitor: resourcesWithDefault({ requests: { cpu: "200m", memory: "200Mi" }, limits: { cpu: "200m", memory: "200Mi" } }),
  })
  .prefault({});

export const kubeOvnSchema = z
  .strictObject({
    resources: kubeOvnResourcesSchema,
    /** What kube-ovn-pinger probes outside the cluster. Defaults: 1.1.1.1 and kube-ovn.io. (today's lab). */
    pinger: z
      .strictObject({
        /** An IPv4 address. */
        externalAddress: ipv4.default("1.1.1.1"),
        /** A DNS name, optionally fully qualified with a trailing dot. */
        externalDomain: z
          .string()
          .refine((s) => isDnsSubdomain(s.endsWith(".") ? s.slice(0, -1) : s), { message: "must be a DNS name such as kube-ovn.io." })
          .default("kube-ovn.io."),
      })
      .prefault({}),
  })
  .prefault({});

/** How a Kube-OVN subnet leaves the cluster. */
export const gatewaySchema = z.strictObject({
  /** distributed: every node is the subnet's gateway; centralized: only `nodes`. Default distributed. */
  type: z.enum(["distributed", "centralized"]).default("distributed"),
  /** Gateway nodes (names from lab:nodes) for a centralized gateway. */
  nodes: z.array(dnsSubdomain).default([]),
  /** SNAT traffic that leaves the cluster to the node address. Default true. */
  natOutgoing: z.boolean().default(true),
});

export const bandwidthSchema = z
  .strictObject({
    /** Deploy the bandwidth operator and scheduler and one Bandwidth object per node. Default false. */
    enabled: z.boolean().default(false),
    /** Node-local (OVS bridge) capacity in Mbit/s, both directions. Default 50000 (today's lab). */
    localMbps: positiveInt.default(50000),
    /** Mbit/s the scheduler assumes for a pod without the QoS annotations. Default 20 (today's lab). */
    defaultPodMbps: positiveInt.default(20),
    operatorResources: resourcesWithDefault({ requests: { cpu: "2", memory: "500Mi" }, limits: { cpu: "4", memory: "4Gi" } }),
    schedulerResources: resourcesWithDefault({ requests: { cpu: "1", memory: "500Mi" }, limits: { cpu: "4", memory: "4Gi" } }),
    schedulerControllerResources: resourcesWithDefault({ requests: { cpu: "1", memory: "500Mi" }, limits: { cpu: "2", memory: "2Gi" } }),
  })
  .prefault({});

export const networkSchema = z
  .strictObject({
    kubeOvn: kubeOvnSchema,
    /** Namespace the platform monitoring runs in; it gets its own subnet. Default "monitoring". */
    monitoringNamespace: dnsLabel.default(MONITORING_NAMESPACE),
    /** Subnet of the monitoring namespace: the only other subnet private team subnets admit. */
    monitoringSubnet: cidrBlock.optional(),
    /** Gateway of every team subnet unless `gateways` names the team. */
    gateway: gatewaySchema.prefault({}),
    /** Per-team gateway overrides, keyed by team name. */
    gateways: z.record(dnsLabel, gatewaySchema).default({}),
    bandwidth: bandwidthSchema,
  })
  .prefault({});

export type NetworkConfig = z.output<typeof networkSchema>;
export type GatewayConfig = z.output<typeof gatewaySchema>;
