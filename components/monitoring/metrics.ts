/**
 * THE metric allow-lists: for every scrape job, the metric names and families it keeps, and which of
 * them also go to the cold tier. The scrape objects (metricRelabelConfigs keep), the cold remote
 * write (inlineUrlRelabelConfig), the exporter-side filters, the tests, and the lab-health rules and
 * dashboards all read this one definition.
 *
 * Names are declared as the exporter documents them, with their kind; the series names a kind
 * produces are derived here, so `_total`, `_bucket`, `_count` and `_sum` are never forgotten (today's
 * lab lost gossipsub counters and delay histograms that way, current-lab.md §4.3).
 */
import type { RelabelConfig } from "./relabel";
import { extractMetricNames } from "../shared/promql-metric-names";

export type MetricKind = "counter" | "gauge" | "histogram" | "summary" | "info";

export interface MetricSpec {
  /** Base name, e.g. `node_timex_offset_seconds`, `pinger_pod_ping_latency_ms`; with `family`, a prefix. */
  readonly name: string;
  readonly kind: MetricKind;
  /** Every metric whose name starts with `name` (all suffixes included). */
  readonly family?: boolean;
  /** Also kept in the cold tier (health and comparability series). */
  readonly cold?: boolean;
}

/** Scrape jobs that have an allow-list; the scrape objects are derived in scrape-jobs.ts. */
export type AllowListId =
  | "node-exporter"
  | "node-inventory"
  | "kubelet"
  | "cadvisor"
  | "kube-state-metrics"
  | "kube-ovn-pinger"
  | "kube-ovn-controller"
  | "kube-ovn-monitor"
  | "kube-ovn-cni"
  | "experiment";

const counter = (name: string, cold = false): MetricSpec => ({ name, kind: "counter", cold });
const gauge = (name: string, cold = false): MetricSpec => ({ name, kind: "gauge", cold });
const histogram = (name: string, cold = false): MetricSpec => ({ name, kind: "histogram", cold });
const info = (name: string, cold = false): MetricSpec => ({ name, kind: "info", cold });
const family = (prefix: string, cold = false): MetricSpec => ({ name: prefix, kind: "gauge", family: true, cold });
const COLD = true;

/**
 * Everything the comparability gates (monitoring-and-health.md §3.5, §7.3) and the chart's default
 * node rules need. Per-CPU series (cpu_seconds, frequency, throttles) scale with cores; interfaces
 * are limited at the exporter (see NODE_EXPORTER_DEVICE_EXCLUDE).
 */
const NODE_EXPORTER: readonly MetricSpec[] = [
  counter("node_cpu_seconds_total", COLD), // utilisation, steal
  gauge("node_cpu_scaling_frequency_hertz", COLD),
  gauge("node_cpu_scaling_governor", COLD), // node_exporter >= 1.6
  counter("node_cpu_core_throttles_total", COLD),
  counter("node_cpu_package_throttles_total", COLD),
  gauge("node_load1", COLD),
  gauge("node_load5"),
  gauge("node_load15"),
  counter("node_context_switches_total"),
  counter("node_intr_total"),
  gauge("node_time_seconds"),
  gauge("node_memory_MemAvailable_bytes", COLD),
  gauge("node_memory_MemTotal_bytes", COLD),
  gauge("node_memory_MemFree_bytes"),
  gauge("node_memory_Buffers_bytes"),
  gauge("node_memory_Cached_bytes"),
  gauge("node_memory_Slab_bytes"),
  gauge("node_memory_SwapFree_bytes"),
  gauge("node_memory_SwapTotal_bytes"),
  gauge("node_vmstat_pgmajfault"),
  family("node_pressure_", COLD),
  counter("node_disk_io_time_seconds_total", COLD),
  counter("node_disk_io_time_weighted_seconds_total"),
  counter("node_disk_read_time_seconds_total"),
  counter("node_disk_write_time_seconds_total"),
  counter("node_disk_reads_completed_total"),
  counter("node_disk_writes_completed_total"),
  counter("node_disk_read_bytes_total"),
  counter("node_disk_written_bytes_total"),
  gauge("node_disk_io_now"),
  gauge("node_filesystem_avail_bytes", COLD),
  gauge("node_filesystem_size_bytes", COLD),
  gauge("node_filesystem_readonly"),
  gauge("node_filesystem_files_free"),
  gauge("node_filesystem_files"),
  gauge("node_filesystem_device_error"),
  counter("node_network_receive_bytes_total", COLD),
  counter("node_network_transmit_bytes_total", COLD),
  counter("node_network_receive_packets_total", COLD),
  counter("node_network_transmit_packets_total", COLD),
  counter("node_network_receive_errs_total", COLD),
  counter("node_network_transmit_errs_total", COLD),
  counter("node_network_receive_drop_total", COLD),
  counter("node_network_transmit_drop_total", COLD),
  // rx_fifo_errors / tx_fifo_errors and softnet backlog drops: lost traffic, what the nic gate reads
  // (receive_drop also counts frames no protocol takes, e.g. LLDP; docs/lab-health.md).
  counter("node_network_receive_fifo_total", COLD),
  counter("node_network_transmit_fifo_total", COLD),
  counter("node_softnet_dropped_total", COLD),
  gauge("node_network_speed_bytes", COLD),
  gauge("node_network_up", COLD),
  counter("node_network_carrier_changes_total", COLD),
  info("node_network_info", COLD), // duplex, operstate
  gauge("node_network_mtu_bytes"),
  gauge("node_nf_conntrack_entries"),
  gauge("node_nf_conntrack_entries_limit"),
  gauge("node_netstat_Tcp_CurrEstab"),
  gauge("node_timex_offset_seconds", COLD),
  gauge("node_timex_sync_status", COLD),
  gauge("node_timex_maxerror_seconds", COLD),
  gauge("node_timex_estimated_error_seconds", COLD),
  counter("node_edac_correctable_errors_total", COLD),
  counter("node_edac_uncorrectable_errors_total", COLD),
  gauge("node_hwmon_temp_celsius", COLD),
  gauge("node_hwmon_temp_crit_celsius", COLD),
  gauge("node_thermal_zone_temp", COLD),
  gauge("node_filefd_allocated"),
  gauge("node_filefd_maximum"),
  gauge("node_boot_time_seconds", COLD),
  gauge("node_md_disks"),
  gauge("node_md_disks_required"),
  gauge("node_bonding_active"),
  gauge("node_bonding_slaves"),
  gauge("node_systemd_unit_state"),
  counter("node_systemd_service_restart_total"),
];

/** The inventory/baseline tier: software and hardware identity, and the calibration results. */
const NODE_INVENTORY: readonly MetricSpec[] = [
  info("node_uname_info", COLD),
  info("node_os_info", COLD),
  gauge("node_os_version", COLD),
  info("node_dmi_info", COLD),
  gauge("node_textfile_scrape_error", COLD),
  gauge("node_textfile_mtime_seconds", COLD),
  family("lab_calibration_", COLD),
];

const KUBELET: readonly MetricSpec[] = [
  gauge("kubelet_node_name"),
  gauge("kubelet_running_pods"),
  gauge("kubelet_running_containers"),
  histogram("kubelet_pleg_relist_duration_seconds"),
  histogram("kubelet_pod_worker_duration_seconds"),
  histogram("kubelet_pod_start_duration_seconds"),
  histogram("kubelet_pleg_relist_interval_seconds"),
  histogram("kubelet_cgroup_manager_duration_seconds"),
  counter("kubelet_runtime_operations"),
  counter("kubelet_runtime_operations_errors"),
  histogram("kubelet_runtime_operations_duration_seconds"),
  histogram("storage_operation_duration_seconds"),
  counter("storage_operation_errors"),
  gauge("volume_manager_total_volumes"),
  gauge("kubelet_node_config_error"),
  counter("kubelet_certificate_manager_client_expiration_renew_errors"),
  gauge("kubelet_certificate_manager_client_ttl_seconds"),
  gauge("kubelet_certificate_manager_server_ttl_seconds"),
  counter("kubelet_server_expiration_renew_errors"),
  counter("kubelet_evictions"),
  gauge("kubelet_volume_stats_available_bytes"),
  gauge("kubelet_volume_stats_capacity_bytes"),
  gauge("kubelet_volume_stats_used_bytes"),
  gauge("kubelet_volume_stats_inodes"),
  gauge("kubelet_volume_stats_inodes_free"),
  gauge("kubelet_volume_stats_inodes_used"),
  info("kubernetes_build_info", COLD),
  counter("rest_client_requests_total"),
];

const CADVISOR: readonly MetricSpec[] = [
  counter("container_cpu_usage_seconds_total", COLD), // noisy neighbours on experiment nodes
  counter("container_cpu_cfs_periods_total"),
  counter("container_cpu_cfs_throttled_periods_total"),
  counter("container_cpu_cfs_throttled_seconds_total"),
  gauge("machine_cpu_cores"),
  gauge("machine_memory_bytes"),
  gauge("container_memory_working_set_bytes"),
  gauge("container_memory_rss"),
  gauge("container_memory_cache"),
  gauge("container_memory_swap"),
  counter("container_oom_events_total"),
  counter("container_network_receive_bytes_total"),
  counter("container_network_transmit_bytes_total"),
  counter("container_network_receive_packets_total"),
  counter("container_network_transmit_packets_total"),
  counter("container_network_receive_packets_dropped_total"),
  counter("container_network_transmit_packets_dropped_total"),
  counter("container_network_receive_errors_total"),
  counter("container_network_transmit_errors_total"),
];

const KUBE_STATE_METRICS: readonly MetricSpec[] = [
  info("kube_pod_info", COLD), // foreign pods on experiment nodes
  info("kube_pod_owner"),
  gauge("kube_pod_status_phase"),
  counter("kube_pod_container_status_restarts_total", COLD),
  gauge("kube_pod_container_status_waiting_reason"),
  gauge("kube_pod_container_status_waiting"),
  gauge("kube_pod_container_status_running"),
  gauge("kube_pod_container_status_ready"),
  gauge("kube_pod_container_status_terminated"),
  gauge("kube_pod_container_status_last_terminated_reason"),
  gauge("kube_pod_container_status_last_terminated_exitcode"),
  gauge("kube_pod_status_qos_class"),
  gauge("kube_pod_status_reason"),
  gauge("kube_pod_status_scheduled"),
  info("kube_pod_container_info", COLD), // image digests: CNI drift
  gauge("kube_pod_container_resource_requests"),
  gauge("kube_pod_container_resource_limits"),
  info("kube_node_info", COLD), // kernel, kubelet, runtime versions
  gauge("kube_node_status_condition", COLD),
  gauge("kube_node_status_allocatable"),
  gauge("kube_node_status_capacity"),
  gauge("kube_node_spec_taint"),
  gauge("kube_node_spec_unschedulable"),
  info("kube_node_role"),
  info("kube_node_labels", COLD), // pool label (metricLabelsAllowlist): maps nodes to pools in the health gates
  info("kube_node_annotations", COLD), // lease instants (metricAnnotationsAllowList): who had the node when, for people and the report
  gauge("kube_deployment_metadata_generation"),
  gauge("kube_deployment_spec_replicas"),
  gauge("kube_deployment_status_condition"),
  gauge("kube_deployment_status_observed_generation"),
  gauge("kube_deployment_status_replicas_available"),
  gauge("kube_deployment_status_replicas_updated"),
  gauge("kube_deployment_status_replicas_unavailable"),
  info("kube_deployment_labels"),
  info("kube_statefulset_labels"),
  info("kube_daemonset_labels"),
  info("kube_namespace_labels"),
  gauge("kube_namespace_created"),
  info("kube_service_info"),
  info("kube_endpoint_info"),
  info("kube_ingress_info"),
  info("kube_configmap_info"),
  info("kube_secret_info"),
  info("kube_networkpolicy_labels"),
  info("kube_persistentvolumeclaim_info"),
  gauge("kube_daemonset_status_current_number_scheduled"),
  gauge("kube_daemonset_status_desired_number_scheduled"),
  gauge("kube_daemonset_status_number_available"),
  gauge("kube_daemonset_status_number_misscheduled"),
  gauge("kube_daemonset_status_updated_number_scheduled"),
  gauge("kube_statefulset_metadata_generation"),
  gauge("kube_statefulset_replicas"),
  gauge("kube_statefulset_status_current_revision"),
  gauge("kube_statefulset_status_observed_generation"),
  gauge("kube_statefulset_status_replicas_ready"),
  gauge("kube_statefulset_status_replicas_updated"),
  gauge("kube_statefulset_status_update_revision"),
  gauge("kube_horizontalpodautoscaler_spec_max_replicas"),
  gauge("kube_horizontalpodautoscaler_spec_min_replicas"),
  gauge("kube_horizontalpodautoscaler_status_current_replicas"),
  gauge("kube_horizontalpodautoscaler_status_desired_replicas"),
  gauge("kube_job_failed"),
  gauge("kube_job_status_active"),
  gauge("kube_job_status_start_time"),
  info("kube_job_owner"),
  info("kube_replicaset_owner"),
  gauge("kube_poddisruptionbudget_status_current_healthy"),
  gauge("kube_poddisruptionbudget_status_desired_healthy"),
  gauge("kube_resourcequota"),
  gauge("kube_persistentvolume_status_phase"),
  gauge("kube_persistentvolumeclaim_access_mode"),
  info("kube_persistentvolumeclaim_labels"),
];

/** Pinger: ping latency/loss between every node pair (O(N²)), OVS/OVN/API/DNS health. */
const KUBE_OVN_PINGER: readonly MetricSpec[] = [family("pinger_", COLD), gauge("kube_ovn_ovs_status", COLD)];

const KUBE_OVN_CONTROLLER: readonly MetricSpec[] = [gauge("subnet_available_ip_count"), gauge("subnet_used_ip_count")];

const KUBE_OVN_MONITOR: readonly MetricSpec[] = [
  gauge("kube_ovn_ovn_status", COLD),
  gauge("kube_ovn_db_status", COLD),
  gauge("kube_ovn_cluster_status"),
  gauge("kube_ovn_failed_req_count"),
  gauge("kube_ovn_db_file_size_bytes"),
];

const KUBE_OVN_CNI: readonly MetricSpec[] = [
  histogram("cni_op_latency_seconds"),
  counter("cni_wait_address_seconds_total"),
  counter("cni_wait_connectivity_seconds_total"),
  counter("cni_wait_route_seconds_total"),
];

/**
 * Experiment pods: the families today's lab keeps for libp2p/gossipsub/waku/dst test nodes
 * (current-lab.md §4.3). Experiment series stay in the hot tier only.
 */
const EXPERIMENT: readonly MetricSpec[] = [
  gauge("libp2p_peers"),
  gauge("libp2p_open_streams"),
  counter("libp2p_network_bytes"),
  gauge("nim_gc_mem_bytes"),
  gauge("libp2p_gossipsub_low_peers_topics"),
  counter("network_bytes_in_total_port_60000"),
  counter("network_bytes_out_total_port_60000"),
  family("libp2p_gossipsub_"),
  family("libp2p_pubsub_"),
  family("dst_testnode_"),
  family("waku_"),
  gauge("rendezvousPeerFoundTotal"),
  gauge("postgres_payload_size_bytes"),
  gauge("query_time_secs"),
  gauge("query_count"),
];

export const ALLOW_LISTS: Readonly<Record<AllowListId, readonly MetricSpec[]>> = {
  "node-exporter": NODE_EXPORTER,
  "node-inventory": NODE_INVENTORY,
  kubelet: KUBELET,
  cadvisor: CADVISOR,
  "kube-state-metrics": KUBE_STATE_METRICS,
  "kube-ovn-pinger": KUBE_OVN_PINGER,
  "kube-ovn-controller": KUBE_OVN_CONTROLLER,
  "kube-ovn-monitor": KUBE_OVN_MONITOR,
  "kube-ovn-cni": KUBE_OVN_CNI,
  experiment: EXPERIMENT,
};

/**
 * Series vmagent adds to every target itself; metric relabeling never drops them. The
 * `scrape_series_*` ones exist only where series_limit is set, from vmagent 1.80 on.
 */
export const SCRAPE_SERIES: readonly MetricSpec[] = [
  gauge("up", COLD),
  gauge("scrape_duration_seconds"),
  gauge("scrape_timeout_seconds"),
  gauge("scrape_samples_scraped", COLD),
  gauge("scrape_samples_post_metric_relabeling", COLD),
  gauge("scrape_series_added"),
  gauge("scrape_samples_limit", COLD),
  gauge("scrape_series_limit", COLD),
  gauge("scrape_series_current", COLD),
  gauge("scrape_series_limit_samples_dropped", COLD),
];

/**
 * The VM components' own metrics (scraped unfiltered by the operator's self-scrapes; the chart's
 * vm* rule groups need them). Only the drop counters of the monitoring-completeness gate go cold.
 */
export const SELF_MONITORING: readonly MetricSpec[] = [
  family("vm_"),
  family("vmagent_"),
  family("vmalert_"),
  family("alertmanager_"),
  family("process_"),
  family("go_"),
  family("operator_"),
  family("controller_runtime_"),
  family("workqueue_"),
  family("grafana_"),
  family("leader_election_"),
  gauge("flag"),
  gauge("config_parameter"),
  histogram("rest_client_request_duration_seconds"),
  counter("vmagent_remotewrite_packets_dropped_total", COLD),
  counter("vm_persistentqueue_bytes_dropped_total", COLD),
  counter("vmagent_daily_series_limit_rows_dropped_total", COLD),
  counter("vmagent_hourly_series_limit_rows_dropped_total", COLD),
];

/** Series written by rules: the lab-health recording rules (`lab:` prefix) and alert state. */
export const RECORDED: readonly MetricSpec[] = [family("lab:", COLD), gauge("ALERTS", COLD), gauge("ALERTS_FOR_STATE")];

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The regex (without anchors) that matches every series name a spec produces. */
export function seriesPattern(spec: MetricSpec): string {
  if (!NAME.test(spec.name)) throw new Error(`invalid metric name "${spec.name}"`);
  if (spec.family) return `${spec.name}.*`;
  switch (spec.kind) {
    case "counter":
      // Exporters append `_total` to counters, some (nim-metrics) even when the name has one.
      return `${spec.name}(_total)?`;
    case "histogram":
      return `${spec.name}_(bucket|count|sum)`;
    case "summary":
      return `${spec.name}(_count|_sum)?`;
    default:
      return spec.name;
  }
}

/** A keep regex for `__name__`: sorted, so the rendered config is stable. Prometheus/VM anchor it. */
export function keepRegex(specs: readonly MetricSpec[]): string {
  return `(${[...new Set(specs.map(seriesPattern))].sort().join("|")})`;
}

/** The metric relabeling that keeps exactly an allow-list. */
export function keepRelabel(specs: readonly MetricSpec[]): RelabelConfig {
  return { action: "keep", source_labels: ["__name__"], regex: keepRegex(specs) };
}

/** Whether a series name is kept by a list of specs (the same anchored regex vmagent applies). */
export function keeps(specs: readonly MetricSpec[], metric: string): boolean {
  return new RegExp(`^(?:${keepRegex(specs)})$`).test(metric);
}

/** Every spec that also goes to the cold tier. */
export function coldSpecs(): MetricSpec[] {
  return [...Object.values(ALLOW_LISTS).flat(), ...SCRAPE_SERIES, ...SELF_MONITORING, ...RECORDED].filter((s) => s.cold);
}

/** Label the scrape objects put on every series with the tier that scraped it. */
export const TIER_LABEL = "tier";

/**
 * The cold tier's remote-write filter: nothing from the experiment tier, and of the rest only the
 * health and comparability series.
 */
export function coldRelabelConfigs(): RelabelConfig[] {
  return [
    { action: "drop", source_labels: [TIER_LABEL], regex: "experiment" },
    { action: "keep", source_labels: ["__name__"], regex: keepRegex(coldSpecs()) },
  ];
}

export type StorageTier = "hot" | "cold";

/** Where a series name is available: the allow-lists that keep it, or the other sources. */
export function sourcesOf(metric: string, tier: StorageTier = "hot"): string[] {
  const pick = (specs: readonly MetricSpec[]) => (tier === "cold" ? specs.filter((s) => s.cold) : specs);
  const sources: string[] = [];
  for (const [id, specs] of Object.entries(ALLOW_LISTS)) {
    if (tier === "cold" && id === "experiment") continue;
    if (keeps(pick(specs), metric)) sources.push(id);
  }
  if (keeps(pick(SCRAPE_SERIES), metric)) sources.push("scrape");
  if (keeps(pick(SELF_MONITORING), metric)) sources.push("self-monitoring");
  // Hot: every recording rule output (a name with ':') and alert state; cold: the lab: rules.
  if (keeps(pick(RECORDED), metric) || (tier === "hot" && metric.includes(":"))) sources.push("recorded");
  return sources;
}

/** The exact metric names a PromQL expression reads (the shared tokenizer; `__name__=~` families excluded). */
export function metricsInExpr(expr: string): string[] {
  return extractMetricNames(expr).names;
}

/** The metrics an expression reads that no scrape job, self-scrape or rule provides in `tier`. */
export function uncoveredMetrics(expr: string, tier: StorageTier = "hot"): string[] {
  return metricsInExpr(expr).filter((m) => sourcesOf(m, tier).length === 0);
}
