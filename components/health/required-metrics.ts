/**
 * The scraped series the lab-health layer reads (rules and dashboards), as opposed to the series it
 * records itself. The monitoring layer's allow-lists must keep every one of them; a test derives
 * this set from the generated PromQL and fails when the two disagree.
 *
 * Beyond metric names the layer needs:
 * - kube-state-metrics to expose the pool node label on kube_node_labels
 *   (`--metric-labels-allowlist=nodes=[<labelDomain>/pool]`, see requiredKsmNodeLabels);
 * - node_exporter's textfile collector reading the directory the calibration jobs write to;
 * - node_exporter >= 1.6 for node_cpu_scaling_governor.
 */
export const REQUIRED_SCRAPED_METRICS: readonly string[] = [
  "container_cpu_usage_seconds_total",
  "container_memory_working_set_bytes",
  "container_network_receive_bytes_total",
  "kube_node_info",
  "kube_node_labels",
  "kube_node_status_condition",
  "kube_pod_container_info",
  "kube_pod_container_status_restarts_total",
  "kube_pod_info",
  "kube_pod_status_phase",
  "kube_resourcequota",
  "lab_calibration_cpu_operations_per_second",
  "lab_calibration_disk_read_latency_seconds",
  "lab_calibration_disk_read_operations_per_second",
  "lab_calibration_disk_write_throughput_bytes_per_second",
  "lab_calibration_last_run_timestamp_seconds",
  "lab_calibration_memory_read_throughput_bytes_per_second",
  "lab_calibration_memory_write_throughput_bytes_per_second",
  "lab_calibration_network_retransmits",
  "lab_calibration_network_throughput_bytes_per_second",
  "lab_calibration_skipped",
  "node_boot_time_seconds",
  "node_cpu_core_throttles_total",
  "node_cpu_package_throttles_total",
  "node_cpu_scaling_frequency_hertz",
  "node_cpu_scaling_governor",
  "node_cpu_seconds_total",
  "node_disk_io_time_seconds_total",
  "node_disk_read_time_seconds_total",
  "node_disk_reads_completed_total",
  "node_edac_correctable_errors_total",
  "node_edac_uncorrectable_errors_total",
  "node_hwmon_temp_celsius",
  "node_load1",
  "node_memory_MemAvailable_bytes",
  "node_memory_MemTotal_bytes",
  "node_network_carrier_changes_total",
  "node_network_receive_bytes_total",
  "node_network_receive_drop_total",
  "node_network_receive_errs_total",
  "node_network_receive_fifo_total",
  "node_network_speed_bytes",
  "node_network_transmit_bytes_total",
  "node_network_transmit_drop_total",
  "node_network_transmit_errs_total",
  "node_network_transmit_fifo_total",
  "node_os_info",
  "node_pressure_cpu_waiting_seconds_total",
  "node_softnet_dropped_total",
  "node_timex_offset_seconds",
  "node_timex_sync_status",
  "node_uname_info",
  "pinger_inconsistent_port_binding",
  "pinger_node_ping_count_total",
  "pinger_node_ping_lost_total",
  "pinger_ovn_controller_down",
  "pinger_ovs_down",
  "pinger_pod_ping_count_total",
  "pinger_pod_ping_latency_ms_bucket",
  "pinger_pod_ping_lost_total",
  "scrape_duration_seconds",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
  "scrape_series_current",
  "scrape_series_limit",
  "scrape_series_limit_samples_dropped",
  "scrape_timeout_seconds",
  "up",
  "vm_persistentqueue_bytes_dropped_total",
  "vmagent_daily_series_limit_current_series",
  "vmagent_daily_series_limit_max_series",
  "vmagent_daily_series_limit_rows_dropped_total",
  "vmagent_hourly_series_limit_rows_dropped_total",
  "vmagent_remotewrite_packets_dropped_total",
  "vmagent_remotewrite_pending_data_bytes",
  "vmagent_rows_inserted_total",
];

/** Node labels kube-state-metrics must expose on kube_node_labels. */
export function requiredKsmNodeLabels(labelDomain: string): string[] {
  return [`${labelDomain}/pool`];
}
