import { z } from "zod";
import { absolutePath, cidrBlock, duration, hostName, httpsUrl } from "./primitives";

/**
 * Directories the textfile directory may not be: it is created, chowned and mounted into the
 * calibration pods, so a system directory would hand it to them (Filesystem Hierarchy Standard 3.0).
 */
export const SYSTEM_DIRECTORIES = [
  "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root",
  "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/var/lib", "/var/log", "/var/run", "/var/tmp", "/var/cache",
  "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local", "/usr/local/bin", "/usr/share",
];
/**
 * Trees no part of which may be mounted into pods: system trees, their merged-/usr and /run aliases
 * (`/lib64`, `/var/run`, `/var/lock` are symlinks on Debian), and the node's cluster state: k3s data
 * (server TLS keys, join token), kubelet pod volumes (Secrets), containerd, CNI binaries and config,
 * Open vSwitch and Kube-OVN state, logs and home directories.
 */
export const SYSTEM_TREES = [
  "/boot", "/dev", "/etc", "/proc", "/root", "/sys", "/run", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr",
  "/home", "/var/run", "/var/lock", "/var/log", "/var/spool", "/var/mail", "/var/backups",
  "/var/lib/rancher", "/var/lib/kubelet", "/var/lib/containerd", "/var/lib/cni", "/opt/cni", "/var/lib/openvswitch", "/var/lib/kube-ovn",
];

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
      .array(hostName)
      .min(1, "must name at least one time server")
      .default(["ntp.ubuntu.com", "0.ubuntu.pool.ntp.org", "1.ubuntu.pool.ntp.org", "2.ubuntu.pool.ntp.org"]),
    /** CPU frequency governor on nodes of experiment (team) pools. Default "performance". */
    experimentCpuGovernor: z.enum(CPU_GOVERNORS).default("performance"),
    /** node_exporter textfile-collector directory for calibration results. Default /var/lib/node_exporter/textfile. */
    textfileDir: z
      .string()
      .pipe(absolutePath)
      .refine((p) => !SYSTEM_DIRECTORIES.includes(p) && !SYSTEM_TREES.some((t) => p === t || p.startsWith(`${t}/`)), {
        message: `must be a dedicated directory, not / or a system directory, nor one below ${SYSTEM_TREES.join(", ")}`,
      })
      .default("/var/lib/node_exporter/textfile"),
    /** How long a leaving node may take to drain before its removal fails. Default 5m. */
    drainTimeout: duration.default("5m"),
    /**
     * URL of the k3s install script (a mirror may replace it); it runs as root on every machine, so
     * https:// only, without user info. Default https://get.k3s.io.
     */
    k3sInstallScriptUrl: httpsUrl.default("https://get.k3s.io"),
    firewall: hostFirewallSchema,
  })
  .prefault({});
