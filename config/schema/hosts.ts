import { z } from "zod";
import { cidrBlock, dnsSubdomain, duration, ipv4 } from "./primitives";

/** Linux cpufreq governors (kernel Documentation/admin-guide/pm/cpufreq.rst). */
export const CPU_GOVERNORS = ["performance", "powersave", "schedutil", "ondemand", "conservative", "userspace"] as const;

export const hostFirewallSchema = z
  .strictObject({
    /** Restrict the cluster ports (kubelet, Geneve, OVN databases, metrics, etcd) to the lab's networks. Default true. */
    enabled: z.boolean().default(true),
    /**
     * Sources allowed to reach the API server (6443) besides the lab's networks: the operators and the
     * machine that runs Pulumi. Default ["0.0.0.0/0"] (the API authenticates every request).
     */
    apiAllowedFrom: z.array(cidrBlock).default(["0.0.0.0/0"]),
  })
  .prefault({});

/** How Ansible prepares every machine before k3s is installed. */
export const hostsSchema = z
  .strictObject({
    /**
     * NTP servers chrony uses on every node, so that all nodes share one time source (clock offset is
     * a comparability signal). Default: Ubuntu's NTP service and pool.
     */
    timeServers: z
      .array(z.union([ipv4, dnsSubdomain]))
      .min(1, "must name at least one time server")
      .default(["ntp.ubuntu.com", "0.ubuntu.pool.ntp.org", "1.ubuntu.pool.ntp.org", "2.ubuntu.pool.ntp.org"]),
    /** CPU frequency governor on nodes of experiment (team) pools. Default "performance". */
    experimentCpuGovernor: z.enum(CPU_GOVERNORS).default("performance"),
    /** node_exporter textfile-collector directory for calibration results. Default /var/lib/node_exporter/textfile. */
    textfileDir: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]*$/, "must be an absolute path")
      .default("/var/lib/node_exporter/textfile"),
    /** How long a leaving node may take to drain before its removal fails. Default 5m. */
    drainTimeout: duration.default("5m"),
    /** URL of the k3s install script (a mirror may replace it). Default https://get.k3s.io. */
    k3sInstallScriptUrl: z
      .string()
      .regex(/^https?:\/\/\S+$/, "must be an http:// or https:// URL")
      .default("https://get.k3s.io"),
    firewall: hostFirewallSchema,
  })
  .prefault({});
