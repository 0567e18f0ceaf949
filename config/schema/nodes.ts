import { z } from "zod";
import { dnsLabel, dnsSubdomain, gibibytes, ipv4, MAX_CORES, positiveInt, positiveNumber } from "./primitives";

export const nicSchema = z.strictObject({
  /** Interface that carries pod traffic (Kube-OVN tunnel interface), e.g. enp65s0f0. */
  name: z.string().regex(/^[A-Za-z0-9_.:-]{1,15}$/, "must be a Linux interface name (at most 15 characters)"),
  /** Line rate in Gbit/s; the bandwidth scheduler's per-node capacity, rendered in whole Mbit/s. */
  gbps: positiveNumber.refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6 && Math.round(n * 1000) >= 1, {
    message: "must be a whole number of Mbit/s (a multiple of 0.001 Gbit/s)",
  }),
});

export const nodeSchema = z.strictObject({
  // Also the value of the node's kubernetes.io/hostname label (nodeSelectors pin jobs with it): at most 63.
  name: dnsSubdomain.refine((s) => s.length <= 63, { message: "must be at most 63 characters (it is the kubernetes.io/hostname label value)" }),
  address: ipv4,
  role: z.enum(["server", "agent"]),
  /** Pool the machine belongs to; pools are implied by the nodes that name them. */
  pool: dnsLabel,
  cpu: positiveInt.max(MAX_CORES, `must be at most ${MAX_CORES}`),
  /** Whole MiB, at most 1 PiB. */
  memoryGiB: gibibytes(),
  nic: nicSchema.optional(),
});

export const nodesSchema = z.array(nodeSchema);
