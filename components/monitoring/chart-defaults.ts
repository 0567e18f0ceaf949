/**
 * What the victoria-metrics-k8s-stack 0.67.0 defaults need from the allow-lists.
 *
 * The default alerting/recording rule groups of victoria-metrics-k8s-stack 0.67.0 that stay on, with
 * the metrics their expressions read (from the chart's files/rules/generated/*.yaml at tag
 * victoria-metrics-k8s-stack-0.67.0, keyed as its `defaultRules.groups.<key>` values). The allow-lists
 * must keep every one of these, so that trimming series never silences a default alert; a test
 * checks it. Groups for components the lab does not scrape are off (see DISABLED_RULE_GROUPS).
 */

export const CHART_RULE_METRICS: Readonly<Record<string, readonly string[]>> = {
  general: ["ALERTS", "up"],
  k8sContainerCpuLimits: ["kube_pod_container_resource_limits", "kube_pod_status_phase"],
  k8sContainerCpuRequests: ["kube_pod_container_resource_requests", "kube_pod_status_phase"],
  k8sContainerCpuUsageSecondsTotal: ["container_cpu_usage_seconds_total", "kube_pod_info"],
  k8sContainerMemoryCache: ["container_memory_cache", "kube_pod_info"],
  k8sContainerMemoryLimits: ["kube_pod_container_resource_limits", "kube_pod_status_phase"],
  k8sContainerMemoryRequests: ["kube_pod_container_resource_requests", "kube_pod_status_phase"],
  k8sContainerMemoryRss: ["container_memory_rss", "kube_pod_info"],
  k8sContainerMemorySwap: ["container_memory_swap", "kube_pod_info"],
  k8sContainerMemoryWorkingSetBytes: ["container_memory_working_set_bytes", "kube_pod_info"],
  k8sPodOwner: ["kube_job_owner", "kube_pod_owner", "kube_replicaset_owner"],
  kubePrometheusNodeRecording: ["node_cpu_seconds_total", "node_network_receive_bytes_total", "node_network_transmit_bytes_total"],
  kubelet: ["kubelet_node_name", "kubelet_pleg_relist_duration_seconds_bucket"],
  kubernetesApps: [
    "kube_daemonset_status_current_number_scheduled", "kube_daemonset_status_desired_number_scheduled",
    "kube_daemonset_status_number_available", "kube_daemonset_status_number_misscheduled",
    "kube_daemonset_status_updated_number_scheduled", "kube_deployment_metadata_generation", "kube_deployment_spec_replicas",
    "kube_deployment_status_condition", "kube_deployment_status_observed_generation", "kube_deployment_status_replicas_available",
    "kube_deployment_status_replicas_updated", "kube_horizontalpodautoscaler_spec_max_replicas",
    "kube_horizontalpodautoscaler_spec_min_replicas", "kube_horizontalpodautoscaler_status_current_replicas",
    "kube_horizontalpodautoscaler_status_desired_replicas", "kube_job_failed", "kube_job_status_active",
    "kube_job_status_start_time", "kube_pod_container_status_waiting_reason", "kube_pod_owner", "kube_pod_status_phase",
    "kube_poddisruptionbudget_status_current_healthy", "kube_poddisruptionbudget_status_desired_healthy",
    "kube_statefulset_metadata_generation", "kube_statefulset_replicas", "kube_statefulset_status_current_revision",
    "kube_statefulset_status_observed_generation", "kube_statefulset_status_replicas_ready",
    "kube_statefulset_status_replicas_updated", "kube_statefulset_status_update_revision",
  ],
  kubernetesResources: [
    "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total", "kube_node_role",
    "kube_node_status_allocatable", "kube_resourcequota",
  ],
  kubernetesStorage: [
    "kube_persistentvolume_status_phase", "kube_persistentvolumeclaim_access_mode", "kube_persistentvolumeclaim_labels",
    "kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes", "kubelet_volume_stats_inodes",
    "kubelet_volume_stats_inodes_free", "kubelet_volume_stats_inodes_used", "kubelet_volume_stats_used_bytes",
  ],
  kubernetesSystem: ["kubernetes_build_info", "rest_client_requests_total"],
  kubernetesSystemKubelet: [
    "kube_node_spec_taint", "kube_node_spec_unschedulable", "kube_node_status_capacity", "kube_node_status_condition",
    "kubelet_certificate_manager_client_expiration_renew_errors", "kubelet_certificate_manager_client_ttl_seconds",
    "kubelet_certificate_manager_server_ttl_seconds", "kubelet_evictions", "kubelet_node_name",
    "kubelet_pod_worker_duration_seconds_bucket", "kubelet_running_pods", "kubelet_server_expiration_renew_errors", "up",
  ],
  node: [
    "kube_pod_info", "node_bonding_active", "node_bonding_slaves", "node_cpu_seconds_total", "node_disk_io_time_seconds_total",
    "node_disk_io_time_weighted_seconds_total", "node_filefd_allocated", "node_filefd_maximum", "node_filesystem_avail_bytes",
    "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_readonly", "node_filesystem_size_bytes", "node_load1",
    "node_md_disks", "node_md_disks_required", "node_memory_Buffers_bytes", "node_memory_Cached_bytes",
    "node_memory_MemAvailable_bytes", "node_memory_MemFree_bytes", "node_memory_MemTotal_bytes", "node_memory_Slab_bytes",
    "node_network_receive_bytes_total", "node_network_receive_drop_total", "node_network_receive_errs_total",
    "node_network_receive_packets_total", "node_network_transmit_bytes_total", "node_network_transmit_drop_total",
    "node_network_transmit_errs_total", "node_network_transmit_packets_total", "node_nf_conntrack_entries",
    "node_nf_conntrack_entries_limit", "node_systemd_service_restart_total", "node_systemd_unit_state",
    "node_textfile_scrape_error", "node_timex_maxerror_seconds", "node_timex_offset_seconds", "node_timex_sync_status",
    "node_vmstat_pgmajfault",
  ],
  nodeNetwork: ["node_network_up"],
  alertmanager: [
    "alertmanager_cluster_members", "alertmanager_config_hash", "alertmanager_config_last_reload_successful",
    "alertmanager_notifications_failed_total", "alertmanager_notifications_total", "process_start_time_seconds", "up",
  ],
  vmHealth: [
    "go_sched_latencies_seconds_bucket", "process_cpu_cores_available", "process_cpu_seconds_total", "process_max_fds",
    "process_open_fds", "process_resident_memory_anon_bytes", "up", "vm_available_memory_bytes", "vm_log_messages_total",
  ],
  vmagent: ["vmagent_remotewrite_packets_dropped_total", "vm_promscrape_scrapes_failed_total", "vmagent_daily_series_limit_current_series"],
  vmcluster: ["vm_data_size_bytes", "vm_free_disk_space_bytes", "vm_rows", "vm_rpc_send_duration_seconds_total"],
  vmsingle: ["vm_data_size_bytes", "vm_free_disk_space_bytes", "vm_rows_inserted_total"],
  vmoperator: ["controller_runtime_reconcile_errors_total", "operator_log_messages_total", "workqueue_depth"],
};

/**
 * Groups switched off, with why. The chart already drops the groups of control-plane components
 * whose scrape is disabled (etcd, kube-apiserver, scheduler, controller-manager: k3s runs them in
 * one process without those endpoints); these are off explicitly.
 */
export const DISABLED_RULE_GROUPS: Readonly<Record<string, string>> = {
  kubeStateMetrics: "reads kube_state_metrics_* from KSM's telemetry port, which is not scraped (as in the chart default): it could never fire",
};

/**
 * The chart's default dashboards fed by allow-listed jobs (kubelet, cAdvisor, KSM, node_exporter), with
 * the metrics their panels query (files/dashboards/generated/*.yaml at the same tag). The chart's
 * views also query `kube_hpa_labels`, which kube-state-metrics 2.x no longer exposes (renamed to
 * kube_horizontalpodautoscaler_labels): empty with or without allow-lists, so not listed. The VM,
 * Alertmanager and Grafana dashboards read the unfiltered self-scrapes.
 */
export const CHART_DASHBOARD_METRICS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes-kubelet": [
    "go_goroutines", "kubelet_cgroup_manager_duration_seconds_bucket", "kubelet_cgroup_manager_duration_seconds_count",
    "kubelet_node_config_error", "kubelet_node_name", "kubelet_pleg_relist_duration_seconds_bucket",
    "kubelet_pleg_relist_duration_seconds_count", "kubelet_pleg_relist_interval_seconds_bucket",
    "kubelet_pod_start_duration_seconds_bucket", "kubelet_pod_start_duration_seconds_count",
    "kubelet_pod_worker_duration_seconds_bucket", "kubelet_pod_worker_duration_seconds_count",
    "kubelet_running_containers", "kubelet_running_pods", "kubelet_runtime_operations_duration_seconds_bucket",
    "kubelet_runtime_operations_errors_total", "kubelet_runtime_operations_total", "process_cpu_seconds_total",
    "process_resident_memory_bytes", "rest_client_request_duration_seconds_bucket", "rest_client_requests_total",
    "storage_operation_duration_seconds_bucket", "storage_operation_duration_seconds_count",
    "storage_operation_errors_total", "volume_manager_total_volumes",
  ],
  "kubernetes-views-global": [
    "container_cpu_cfs_throttled_seconds_total", "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes", "container_network_receive_bytes_total",
    "container_network_transmit_bytes_total", "container_oom_events_total", "kube_configmap_info",
    "kube_daemonset_labels", "kube_deployment_labels", "kube_endpoint_info", "kube_ingress_info",
    "kube_namespace_created", "kube_namespace_labels", "kube_networkpolicy_labels", "kube_node_info",
    "kube_persistentvolumeclaim_info", "kube_pod_container_resource_limits", "kube_pod_container_resource_requests",
    "kube_pod_container_status_restarts_total", "kube_pod_container_status_running", "kube_pod_info",
    "kube_pod_status_phase", "kube_pod_status_qos_class", "kube_pod_status_reason", "kube_secret_info",
    "kube_service_info", "kube_statefulset_labels", "machine_cpu_cores", "machine_memory_bytes",
    "node_cpu_core_throttles_total", "node_cpu_seconds_total", "node_memory_MemAvailable_bytes",
    "node_memory_MemTotal_bytes", "node_network_receive_bytes_total", "node_network_receive_drop_total",
    "node_network_transmit_bytes_total", "node_network_transmit_drop_total",
  ],
  "kubernetes-views-namespaces": [
    "container_cpu_cfs_throttled_seconds_total", "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes", "container_network_receive_bytes_total",
    "container_network_receive_errors_total", "container_network_receive_packets_dropped_total",
    "container_network_receive_packets_total", "container_network_transmit_bytes_total",
    "container_network_transmit_errors_total", "container_network_transmit_packets_dropped_total",
    "container_network_transmit_packets_total", "container_oom_events_total", "kube_configmap_info",
    "kube_daemonset_labels", "kube_deployment_labels", "kube_deployment_status_replicas_available",
    "kube_deployment_status_replicas_unavailable", "kube_ingress_info", "kube_networkpolicy_labels",
    "kube_persistentvolumeclaim_info", "kube_pod_container_info", "kube_pod_container_resource_limits",
    "kube_pod_container_resource_requests", "kube_pod_container_status_ready",
    "kube_pod_container_status_restarts_total", "kube_pod_container_status_running",
    "kube_pod_container_status_terminated", "kube_pod_container_status_waiting", "kube_pod_info",
    "kube_pod_status_phase", "kube_pod_status_qos_class", "kube_pod_status_reason", "kube_secret_info",
    "kube_service_info", "kube_statefulset_labels", "kubelet_volume_stats_capacity_bytes",
    "kubelet_volume_stats_inodes", "kubelet_volume_stats_inodes_used", "kubelet_volume_stats_used_bytes",
    "machine_cpu_cores", "machine_memory_bytes",
  ],
  "kubernetes-views-nodes": [
    "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "kube_pod_info",
    "kubelet_volume_stats_capacity_bytes", "kubelet_volume_stats_inodes", "kubelet_volume_stats_inodes_used",
    "kubelet_volume_stats_used_bytes", "machine_cpu_cores", "machine_memory_bytes", "node_boot_time_seconds",
    "node_context_switches_total", "node_cpu_core_throttles_total", "node_cpu_seconds_total", "node_disk_io_now",
    "node_disk_read_bytes_total", "node_disk_reads_completed_total", "node_disk_writes_completed_total",
    "node_disk_written_bytes_total", "node_filefd_allocated", "node_filefd_maximum", "node_filesystem_avail_bytes",
    "node_filesystem_device_error", "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_size_bytes",
    "node_intr_total", "node_load1", "node_load15", "node_load5", "node_memory_Buffers_bytes",
    "node_memory_Cached_bytes", "node_memory_MemAvailable_bytes", "node_memory_MemFree_bytes",
    "node_memory_MemTotal_bytes", "node_memory_SwapFree_bytes", "node_memory_SwapTotal_bytes",
    "node_netstat_Tcp_CurrEstab", "node_network_receive_bytes_total", "node_network_receive_drop_total",
    "node_network_receive_errs_total", "node_network_receive_packets_total", "node_network_transmit_bytes_total",
    "node_network_transmit_drop_total", "node_network_transmit_errs_total", "node_network_transmit_packets_total",
    "node_nf_conntrack_entries", "node_nf_conntrack_entries_limit", "node_time_seconds",
    "node_timex_estimated_error_seconds", "node_timex_maxerror_seconds",
  ],
  "kubernetes-views-pods": [
    "container_cpu_cfs_throttled_seconds_total", "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes", "container_network_receive_bytes_total",
    "container_network_receive_errors_total", "container_network_receive_packets_dropped_total",
    "container_network_receive_packets_total", "container_network_transmit_bytes_total",
    "container_network_transmit_errors_total", "container_network_transmit_packets_dropped_total",
    "container_network_transmit_packets_total", "container_oom_events_total", "kube_pod_container_resource_limits",
    "kube_pod_container_resource_requests", "kube_pod_container_status_last_terminated_exitcode",
    "kube_pod_container_status_last_terminated_reason", "kube_pod_container_status_restarts_total",
    "kube_pod_container_status_waiting_reason", "kube_pod_info", "kube_pod_status_phase", "kube_pod_status_qos_class",
    "kube_pod_status_scheduled",
  ],
};

/** Dashboards switched off, with why (`defaultDashboards.dashboards.<name>.enabled: false`). */
export const DISABLED_DASHBOARDS: Readonly<Record<string, string>> = {
  "node-exporter-full":
    "queries ~150 node_exporter series the allow-list drops (every /proc/meminfo field, sockstat, softnet, ...); the lab-health node dashboard replaces it",
};
