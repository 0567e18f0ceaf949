/**
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
