/**
 * node_exporter flags the stack sets: per-pod virtual interfaces and container mounts are excluded at
 * the exporter (a 64-core node with 500 pods would otherwise expose ~30 network series per pod veth),
 * and the textfile collector reads the calibration results the bootstrap layer's directory holds.
 */

/**
 * Interfaces not exported: loopback, container veths (Kube-OVN names the host end `<containerID[:12]>_h`,
 * Cilium `lxc*`), OVS/Cilium internals. Physical NICs, `ovn0` and `genev_sys_*` stay: pod traffic
 * crosses them, so their errors and drops matter.
 */
export const NODE_EXPORTER_DEVICE_EXCLUDE = "^(lo|veth.*|lxc.*|[0-9a-f]{12}_h|ovs-system|br-int|cilium_.*|docker0|cni0|kube-ipvs0|nodelocaldns)$";

/** Mount points not exported: pseudo filesystems and per-container mounts of kubelet and containerd (k3s paths too). */
export const NODE_EXPORTER_MOUNT_EXCLUDE =
  "^/(dev|proc|sys|run/k3s/.+|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+|var/lib/rancher/k3s/agent/containerd/.+)($|/)";

/** The chart's list of pseudo filesystem types. */
export const NODE_EXPORTER_FS_TYPES_EXCLUDE =
  "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$";

/** Collectors the inventory tier asks for (node_exporter's `collect[]` filter): cheap, slow-changing. */
export const INVENTORY_COLLECTORS = ["textfile", "uname", "os", "dmi"] as const;

/** Extra node_exporter arguments (the chart adds its own rootfs/listen flags). */
export function nodeExporterArgs(textfileDir: string): string[] {
  return [
    `--collector.netdev.device-exclude=${NODE_EXPORTER_DEVICE_EXCLUDE}`,
    `--collector.netclass.ignored-devices=${NODE_EXPORTER_DEVICE_EXCLUDE}`,
    `--collector.filesystem.mount-points-exclude=${NODE_EXPORTER_MOUNT_EXCLUDE}`,
    `--collector.filesystem.fs-types-exclude=${NODE_EXPORTER_FS_TYPES_EXCLUDE}`,
    `--collector.textfile.directory=${textfileDir}`,
  ];
}
